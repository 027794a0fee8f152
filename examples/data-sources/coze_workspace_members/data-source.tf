data "coze_workspace_members" "admins" {
  workspace_id = "7530000000000000001"
  role_type    = "admin"
}

output "admin_names" {
  value = [for m in data.coze_workspace_members.admins.items : m.user_nickname]
}
