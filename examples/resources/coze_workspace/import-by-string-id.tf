# Terraform 1.5 and later: import with a block, then plan to see what differs.
import {
  to = coze_workspace.support_prod
  id = "7530000000000000001"
}
