data "coze_knowledge_bases" "faq" {
  space_id = "7341000000000000"
  name     = "FAQ" # the API matches a part of the name
}

# Pick one name exactly.
output "faq_id" {
  value = one([for kb in data.coze_knowledge_bases.faq.knowledge_bases : kb.id if kb.name == "FAQ"])
}

# Bind a knowledge base made outside Terraform to a bot, by name.
resource "coze_bot_config" "helper" {
  bot_id = "7342866800001"
  knowledge = {
    dataset_ids = [one([for kb in data.coze_knowledge_bases.faq.knowledge_bases : kb.id if kb.name == "FAQ"])]
  }
}
