# A bot from nothing to published, entirely from Terraform: upload an icon,
# create the bot, configure it, publish it, read the published bot back.
# `make demo` applies this against the mock Coze API.
terraform {
  required_providers {
    coze = {
      source = "coze-terraform/coze"
    }
  }
}

provider "coze" {}

variable "space_id" {
  description = "Workspace to create the bot in."
  type        = string
  default     = "7341000000000000"
}

# A 1x1 PNG, inline so that the example runs anywhere (Terraform Cloud too).
resource "coze_file" "icon" {
  content_base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
  file_name      = "chef.png"
}

# coze_bot owns the identity (workspace, name, icon) ...
resource "coze_bot" "chef" {
  space_id     = var.space_id
  name         = "每日学一菜"
  description  = "每天教你一道菜的做法"
  icon_file_id = coze_file.icon.id
}

# ... and coze_bot_config the behaviour: each resource manages only the
# attributes it sets, so the two never fight.
resource "coze_bot_config" "chef" {
  bot_id = coze_bot.chef.bot_id

  prompt_info = {
    prompt = "你是一位经验丰富的中餐大厨，能够熟练传授各类中餐的烹饪技巧。"
  }
  onboarding_info = {
    prologue            = "欢迎你，学徒，今天想学一道什么样的菜？"
    suggested_questions = ["川菜，我想吃辣的", "随机教我一道菜"]
  }
  knowledge = {
    dataset_ids     = ["7385093717923410"]
    search_strategy = 1
  }
  model_info_config = {
    model_id    = "1706077826"
    temperature = 0.7
    parameters  = { thinking_type = "disabled" }
  }
  suggest_reply_info = {
    reply_mode = "enable"
  }
}

resource "coze_bot_publish" "chef" {
  bot_id        = coze_bot.chef.bot_id
  space_id      = coze_bot.chef.space_id # refreshed from the workspace's bot list, shared by every publish
  connector_ids = ["1024"]
  triggers = {
    identity = coze_bot.chef.config_hash
    config   = coze_bot_config.chef.config_hash
  }
}

data "coze_bot" "published" {
  bot_id       = coze_bot_publish.chef.bot_id
  is_published = true
  depends_on   = [coze_bot_publish.chef]
}

output "bot_id" {
  value = coze_bot.chef.bot_id
}

output "published_version" {
  value = coze_bot_publish.chef.version
}

output "published_prologue" {
  value = data.coze_bot.published.onboarding_info.prologue
}
