# A workspace for one environment. Members join directly on enterprise plans
# (coze_account_id set), and are invited on personal plans.
resource "coze_workspace" "support_prod" {
  name            = "Support (prod)"
  description     = "Customer-support bots in production."
  coze_account_id = "7490888144450001" # enterprise plans only; omit on personal plans
}

# The workspace id is the space_id of bots created in it.
resource "coze_bot" "helper" {
  space_id = coze_workspace.support_prod.id
  name     = "售后小助手"
}
