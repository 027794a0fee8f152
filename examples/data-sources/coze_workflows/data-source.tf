# A workflow's id from its name, instead of a pasted id. No published workflow
# with this exact name in the workspace is an error naming both.
data "coze_workflows" "order_lookup" {
  workspace_id = "7530000000000000001"
  name         = "order_lookup"
}

resource "coze_bot_config" "helper" {
  bot_id           = "7342866800001"
  workflow_id_list = { ids = [{ id = data.coze_workflows.order_lookup.items[0].workflow_id }] }
}

# Every chatflow of the workspace, drafts included.
data "coze_workflows" "chatflows" {
  workspace_id   = "7530000000000000001"
  workflow_mode  = "chatflow"
  publish_status = "all"
}
