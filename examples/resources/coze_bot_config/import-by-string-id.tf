# Terraform 1.5 and later: import with a block, then plan to see what differs.
import {
  to = coze_bot_config.chef
  id = "7342866800001"
}
