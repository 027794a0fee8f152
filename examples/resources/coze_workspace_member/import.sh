# Import by <workspace_id>/<user_id>. Only joined members can be imported:
# Coze lists no pending invitations.
terraform import 'coze_workspace_member.team["4026880821030"]' 7530000000000000001/4026880821030
