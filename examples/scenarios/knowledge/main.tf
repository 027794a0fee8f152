# Knowledge as code: the .txt files next to this file become a Coze knowledge
# base, together with a web page, and a bot answers from it. One apply
# uploads the files, waits until Coze has processed them and binds the
# knowledge base to the bot; editing a file replaces only its document;
# destroy deletes the documents and the knowledge base.
# `make demo` applies this against the mock Coze API.
terraform {
  required_providers {
    coze = {
      source = "coze-terraform/coze"
    }
  }
}

provider "coze" {}

variable "space_id" {
  description = "Workspace of the knowledge base."
  type        = string
  default     = "7341000000000000"
}

variable "bot_id" {
  description = "Bot that answers from the knowledge base."
  type        = string
  default     = "7342866800001"
}

resource "coze_knowledge_base" "support" {
  space_id    = var.space_id
  name        = "Customer support"
  description = "FAQ and returns policy, from the support team's repository"
}

# One document per .txt file of this folder, named after the file.
resource "coze_knowledge_document" "files" {
  for_each          = fileset(path.module, "*.txt")
  knowledge_base_id = coze_knowledge_base.support.id
  name              = each.value
  source            = "${path.module}/${each.value}"

  # One slice per paragraph.
  chunk_strategy = {
    chunk_type          = "custom"
    separator           = "\n\n"
    max_tokens          = 800
    remove_extra_spaces = true
  }
}

# A web page, fetched again every week.
resource "coze_knowledge_document" "shipping" {
  knowledge_base_id     = coze_knowledge_base.support.id
  name                  = "Shipping times"
  web_url               = "https://example.com/help/shipping"
  update_interval_hours = 168
}

resource "coze_bot_config" "support" {
  bot_id = var.bot_id

  knowledge = {
    dataset_ids     = [coze_knowledge_base.support.id]
    auto_call       = true
    search_strategy = 0
  }

  # Bind once every document is processed, so the bot never answers from a
  # half-filled knowledge base.
  depends_on = [coze_knowledge_document.files, coze_knowledge_document.shipping]
}

output "knowledge_base_id" {
  value = coze_knowledge_base.support.id
}

output "documents" {
  value = { for name, d in coze_knowledge_document.files : name => { id = d.id, slices = d.slice_count } }
}
