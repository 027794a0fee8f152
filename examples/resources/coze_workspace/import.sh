# Import by workspace id: the digits after space/ in the workspace's URL.
terraform import coze_workspace.support_prod 7530000000000000001
