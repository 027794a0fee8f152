# A bot from nothing to published, entirely from Terraform: upload an icon,
# create the bot, give it a knowledge base, configure it, publish it, read the
# published bot back.
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

# The knowledge the bot answers from: a knowledge base with one recipe.
resource "coze_knowledge_base" "recipes" {
  space_id    = var.space_id
  name        = "家常菜谱"
  description = "大厨的拿手菜"
}

resource "coze_knowledge_document" "mapo_tofu" {
  knowledge_base_id = coze_knowledge_base.recipes.id
  name              = "麻婆豆腐.txt"
  content_base64    = base64encode("麻婆豆腐：豆腐切块焯水；牛肉末炒酥，下郫县豆瓣炒出红油；加汤烧豆腐，勾芡，撒花椒面。")
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
    dataset_ids     = [coze_knowledge_base.recipes.id]
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

  # Bind the knowledge base once its document is processed.
  depends_on = [coze_knowledge_document.mapo_tofu]
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

output "knowledge_base_id" {
  value = coze_knowledge_base.recipes.id
}

output "published_prologue" {
  value = data.coze_bot.published.onboarding_info.prologue
}
