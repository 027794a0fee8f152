# A complete bot: persona with prefix caching (Responses API), onboarding,
# knowledge, a plugin tool, a workflow, model parameters and custom suggested
# replies. Set COZE_API_TOKEN (and COZE_API_BASE for the international site).
terraform {
  required_providers {
    coze = {
      source = "coze-terraform/coze"
    }
  }
}

provider "coze" {}

variable "bot_id" {
  description = "Id of the bot to configure (the digits after bot/ in its URL)."
  type        = string
  default     = "7342866800001"
}

resource "coze_bot_config" "support" {
  bot_id      = var.bot_id
  name        = "售后小助手"
  description = "Answers order, shipping and refund questions from the help-center knowledge."

  prompt_info = {
    # Prefix caching needs prompt_mode = "prefix" and the prompt split in two.
    prompt_mode = "prefix"
    prefix_prompt_info = {
      prefix_prompt  = "You are the after-sales assistant of an online shop. Answer from the knowledge base; never invent order data."
      dynamic_prompt = "Today's promotions are listed in the knowledge base under 'campaigns'."
    }
  }

  onboarding_info = {
    prologue            = "你好 {{user_name}}，有什么可以帮你？"
    suggested_questions = ["我的快递到哪了？", "怎么申请退款？"]
  }

  knowledge = {
    dataset_ids     = ["7385093717923410", "7385093717923411"]
    auto_call       = true
    search_strategy = 1 # hybrid
  }

  plugin_id_list = {
    id_list = [{ plugin_id = "7311989349275530", api_id = "7350575366173620" }]
  }

  workflow_id_list = {
    ids = [{ id = "7460491086110370" }]
  }

  model_info_config = {
    model_id        = "1706077826"
    temperature     = 0.3
    top_p           = 0.9
    max_tokens      = 2048
    context_round   = 10
    response_format = "markdown"
    sp_anti_leak    = true
    api_mode        = "responses_api"
    parameters = {
      thinking_type       = "disabled" # "enabled" cannot be combined with plugins or workflows
      caching             = { type = "enabled" }
      store               = true
      caching_expire_time = 86400
    }
  }

  suggest_reply_info = {
    reply_mode        = "customized"
    customized_prompt = "Suggest follow-up questions about the same order."
  }
}

output "bot_id" {
  value = coze_bot_config.support.id
}
