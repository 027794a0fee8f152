# From a local file.
resource "coze_file" "icon" {
  source = "${path.module}/icon.png"
}

# From content, for Terraform Cloud runs where no local file exists.
resource "coze_file" "icon_inline" {
  content_base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg=="
  file_name      = "icon.png"
}

resource "coze_bot_config" "chef" {
  bot_id       = "7342866800001"
  icon_file_id = coze_file.icon_inline.id
}
