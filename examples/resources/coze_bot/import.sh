# Import by <space_id>/<bot_id>: the read API does not return a bot's workspace.
terraform import coze_bot.helper 7341000000000000/7342866800001
