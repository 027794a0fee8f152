# The published version (the API's default); is_published = false reads the draft.
data "coze_bot" "chef" {
  bot_id = "7342866800001"
}

output "chef_version" {
  value = data.coze_bot.chef.version
}

# Fields keep the API's names and nesting. model_info.parameters holds every
# value as a string, whether the API answers typed values or strings.
output "chef_thinking" {
  value = data.coze_bot.chef.model_info.parameters["thinking_type"]
}

output "chef_variables" {
  value = [for v in data.coze_bot.chef.variables : v.keyword if v.enable]
}
