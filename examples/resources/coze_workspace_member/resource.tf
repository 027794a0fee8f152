# Who may edit the workspace, reviewed in a pull request: user id => role.
variable "team" {
  type = map(string)
  default = {
    "4026880821030" = "admin"
    "2601914670001" = "member"
  }
}

resource "coze_workspace_member" "team" {
  for_each     = var.team
  workspace_id = "7530000000000000001"
  user_id      = each.key
  role_type    = each.value
}

output "pending_invitations" {
  description = "Users who have not accepted their invitation yet (personal plans)."
  value       = [for m in coze_workspace_member.team : m.user_id if m.status == "invited"]
}
