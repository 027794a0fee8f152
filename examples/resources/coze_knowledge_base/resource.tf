# An icon for the knowledge base, uploaded from content.
resource "coze_file" "kb_icon" {
  content_base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
  file_name      = "kb.png"
}

# A text knowledge base: files (pdf, txt, doc, docx) and web pages.
resource "coze_knowledge_base" "docs" {
  space_id     = "7341000000000000"
  name         = "产品文档"
  description  = "Product documentation, kept in git"
  icon_file_id = coze_file.kb_icon.id
}

# An image knowledge base: images uploaded with coze_file.
resource "coze_knowledge_base" "photos" {
  space_id    = "7341000000000000"
  name        = "Product photos"
  format_type = "image"
}

# Bind it to a bot.
resource "coze_bot_config" "helper" {
  bot_id = "7342866800001"
  knowledge = {
    dataset_ids = [coze_knowledge_base.docs.id]
  }
}
