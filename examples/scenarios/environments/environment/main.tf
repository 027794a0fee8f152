# One environment: its workspace, its people, and its support bot wired to
# the workspace's workflows by name.
terraform {
  required_providers {
    coze = {
      source = "coze-terraform/coze"
    }
  }
}

variable "environment" {
  description = "Environment name: dev, staging, prod..."
  type        = string
}

variable "coze_account_id" {
  description = "Organization id on enterprise plans; null on personal plans."
  type        = string
  default     = null
}

variable "team" {
  description = "Coze UID => role (admin or member)."
  type        = map(string)
}

variable "workflows" {
  description = "Names of published workflows of the workspace that the bot uses."
  type        = list(string)
}

resource "coze_workspace" "this" {
  name            = "Support (${var.environment})"
  description     = "Customer-support bots, ${var.environment} environment. Managed by Terraform."
  coze_account_id = var.coze_account_id
}

resource "coze_workspace_member" "team" {
  for_each     = var.team
  workspace_id = coze_workspace.this.id
  user_id      = each.key
  role_type    = each.value
}

# Each workflow by name: a missing one is an error naming the workspace and
# the name, at plan time once the workspace exists.
data "coze_workflows" "by_name" {
  for_each     = toset(var.workflows)
  workspace_id = coze_workspace.this.id
  name         = each.key
}

resource "coze_bot" "support" {
  space_id    = coze_workspace.this.id
  name        = "Support ${var.environment}"
  description = "Answers order and refund questions."
  prompt_info = { prompt = "You are the after-sales assistant. Use the workflows to look up orders and file refunds." }

  # The pattern for one workflow is
  #   workflow_id_list = { ids = [{ id = data.coze_workflows.x.items[0].workflow_id }] }
  workflow_id_list = {
    ids = [for name in var.workflows : { id = data.coze_workflows.by_name[name].items[0].workflow_id }]
  }
}

output "workspace_id" {
  value = coze_workspace.this.id
}

output "bot_id" {
  value = coze_bot.support.bot_id
}
