# A workspace's id from its name, at plan time. No workspace with this exact
# name is an error that names it.
data "coze_workspaces" "support" {
  name           = "Support (prod)"
  workspace_type = "team"
}

output "support_workspace_id" {
  value = data.coze_workspaces.support.items[0].id
}
