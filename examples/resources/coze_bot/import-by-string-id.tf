import {
  to = coze_bot.helper
  id = "7341000000000000/7342866800001"
}
