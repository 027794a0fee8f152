# The published version (the API's default); is_published = false reads the draft.
data "coze_bot" "chef" {
  bot_id = "7342866800001"
}

output "chef_version" {
  value = data.coze_bot.chef.version
}
