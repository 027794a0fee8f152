resource "coze_knowledge_base" "docs" {
  space_id = "7341000000000000"
  name     = "Support"
}

# A local file: its content is hashed at plan time, and a change replaces the document.
resource "coze_knowledge_document" "faq" {
  knowledge_base_id = coze_knowledge_base.docs.id
  name              = "faq.txt"
  source            = "${path.module}/faq.txt"

  chunk_strategy = {
    chunk_type          = "custom"
    separator           = "\n\n"
    max_tokens          = 800
    remove_extra_spaces = true
  }
}

# Every .txt file of a folder, one document each.
resource "coze_knowledge_document" "guides" {
  for_each          = fileset("${path.module}/guides", "*.txt")
  knowledge_base_id = coze_knowledge_base.docs.id
  name              = each.value
  source            = "${path.module}/guides/${each.value}"
}

# Content instead of a path (Terraform Cloud, generated text). The type comes from the name's extension.
resource "coze_knowledge_document" "hours" {
  knowledge_base_id = coze_knowledge_base.docs.id
  name              = "opening-hours.txt"
  content_base64    = base64encode("Open Monday to Friday, 9:00 to 18:00.")
}

# A web page, fetched again every day.
resource "coze_knowledge_document" "changelog" {
  knowledge_base_id     = coze_knowledge_base.docs.id
  name                  = "Changelog"
  web_url               = "https://example.com/changelog"
  update_interval_hours = 24
}

# An image, in an image knowledge base.
resource "coze_knowledge_base" "photos" {
  space_id    = "7341000000000000"
  name        = "Product photos"
  format_type = "image"
}

resource "coze_file" "mug" {
  source = "${path.module}/mug.png"
}

resource "coze_knowledge_document" "mug" {
  knowledge_base_id = coze_knowledge_base.photos.id
  name              = "mug"
  file_id           = coze_file.mug.id
  caption           = "The white 350 ml mug with the logo"
}
