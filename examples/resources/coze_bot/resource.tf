resource "coze_bot" "helper" {
  space_id    = "7341000000000000"
  name        = "售后小助手"
  description = "Answers after-sales questions."

  prompt_info = {
    prompt = "You are the after-sales assistant of an online shop."
  }

  # Not accepted by the create API: bound with an update right after creation.
  knowledge = {
    dataset_ids = ["7385093717923410"]
  }

  model_info_config = {
    model_id    = "1706077826"
    temperature = 0.3
  }
}
