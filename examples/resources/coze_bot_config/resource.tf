resource "coze_bot_config" "chef" {
  bot_id      = "7342866800001"
  name        = "每日学一菜"
  description = "每天教你一道菜的做法"

  prompt_info = {
    prompt = "你是一位经验丰富的中餐大厨，能够熟练传授各类中餐的烹饪技巧。"
  }

  onboarding_info = {
    prologue            = "欢迎你，学徒，今天想学一道什么样的菜？"
    suggested_questions = ["川菜，我想吃辣的", "随机教我一道菜"]
  }

  knowledge = {
    dataset_ids     = ["7385093717923410"]
    auto_call       = true
    search_strategy = 1
  }

  plugin_id_list = {
    id_list = [{ plugin_id = "7311989349275530", api_id = "7350575366173620" }]
  }

  workflow_id_list = {
    ids = [{ id = "7460491086110370" }]
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
