resource "coze_bot_config" "chef" {
  bot_id = "7342866800001"
  name   = "每日学一菜"
  prompt_info = {
    prompt = "你是一位经验丰富的中餐大厨。"
  }
}

# Publishes to the API channel and the Chat SDK, and again after every change
# of the bot's configured settings.
resource "coze_bot_publish" "chef" {
  bot_id        = coze_bot_config.chef.bot_id
  connector_ids = ["1024", "999"]
  # The workspace that holds the bot: every coze_bot_publish of a plan is
  # then refreshed from one listing per workspace and channel.
  space_id = "7341000000000000"
  triggers = {
    config = coze_bot_config.chef.config_hash
  }
  unpublish_reason = "Retired by Terraform"
}
