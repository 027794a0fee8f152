data "coze_bots" "all" {
  workspace_id   = "7341000000000000"
  publish_status = "all"
}

output "bot_names" {
  value = [for b in data.coze_bots.all.bots : b.name]
}
