# A CI pipeline or a Terraform Cloud workspace that manages bots as a Coze
# service app (OAuth JWT), not with a person's token: it keeps working when
# that person leaves. The provider signs a JWT with the app's private key,
# exchanges it for an access token, and renews the token before it expires.
#
# Nothing secret is in this file. Set, as (sensitive) environment variables:
#   COZE_OAUTH_CLIENT_ID         the app's id
#   COZE_OAUTH_PUBLIC_KEY_ID     the fingerprint of the app's public key
#   COZE_OAUTH_PRIVATE_KEY       the text of private_key.pem (sensitive), or
#   COZE_OAUTH_PRIVATE_KEY_FILE  the path to it
#   COZE_OAUTH_ACCOUNT_ID        only for an organization of an enterprise
#   COZE_API_BASE                https://api.coze.com for the international site
# and leave COZE_API_TOKEN unset: a personal token and a service app are
# mutually exclusive.
terraform {
  required_providers {
    coze = {
      source = "coze-terraform/coze"
    }
  }
}

provider "coze" {
  oauth_jwt = {
    # Each token lasts 2 hours (Coze may issue shorter ones; the provider
    # renews each before the expiry Coze returned).
    token_duration = "2h"
  }
}

variable "bots" {
  description = "The bots this pipeline manages, by bot id. The app needs the edit and getMetadata permissions on their workspace."
  type = map(object({
    name   = string
    prompt = string
  }))
  default = {
    "7342866800001" = { name = "support", prompt = "You answer questions about our products, politely and briefly." }
    "7342866800002" = { name = "orders", prompt = "You help customers track and change their orders." }
    "7342866800003" = { name = "returns", prompt = "You explain the return policy and start a return." }
  }
}

resource "coze_bot_config" "this" {
  for_each = var.bots

  bot_id      = each.key
  name        = each.value.name
  prompt_info = { prompt = each.value.prompt }
}

output "bots" {
  value = { for id, bot in coze_bot_config.this : id => bot.name }
}
