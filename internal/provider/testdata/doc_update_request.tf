# The request example of the update-bot doc page, written as HCL
# (masked digits "*" replaced by "0").
resource "coze_bot_config" "doc" {
  bot_id       = "7342866800000"
  name         = "每日学一菜"
  description  = "每天教你一道菜的做法，暑假之后你将成为中餐大厨～"
  icon_file_id = "736949598110000"
  prompt_info = {
    prompt = "你是一位经验丰富的中餐大厨，能够熟练传授各类中餐的烹饪技巧，每日为大学生厨师小白教学一道经典中餐的制作方法。"
  }
  plugin_id_list = {
    id_list = [
      {
        plugin_id = "7311989349275530000"
        api_id    = "7350575366173620000"
      }
    ]
  }
  onboarding_info = {
    prologue = "欢迎你，学徒，今天想学一道什么样的菜？"
    suggested_questions = [
      "川菜，我想吃辣的",
      "广东菜，来点鲜的",
      "随机教我一道菜"
    ]
  }
  knowledge = {
    dataset_ids     = ["7385093717923410000"]
    auto_call       = true
    search_strategy = 1
  }
  model_info_config = {
    model_id = "1706077826"
  }
  workflow_id_list = {
    ids = [
      {
        id = "7460491086110370000"
      }
    ]
  }
}
