# Terraform 1.5 and later: import with a block, then plan to see what differs.
import {
  to = coze_workspace_member.team["4026880821030"]
  id = "7530000000000000001/4026880821030"
}
