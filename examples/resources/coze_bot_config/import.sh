# Import by bot id: the digits after bot/ in the bot's development page URL.
terraform import coze_bot_config.chef 7342866800001
