# One workspace per environment, from one module: dev and prod get the same
# bot, the same people with the same roles, and the same workflows, looked up
# by name in each workspace instead of pasted ids.
#
# Workflows are built in the Coze UI (no API creates them). On a real
# account, apply once with `-target=module.dev.coze_workspace.this
# -target=module.prod.coze_workspace.this`, build and publish the workflows
# in both workspaces, then apply everything. The mock stands in for that
# step: `coze-mock -workflows order_lookup,refund_request` puts them in every
# workspace it creates (see README.md's "Against the mock").
terraform {
  required_providers {
    coze = {
      source = "coze-terraform/coze"
    }
  }
}

provider "coze" {}

variable "coze_account_id" {
  description = "Organization id on enterprise plans: members join directly. Leave null on personal plans: members are invited and must accept."
  type        = string
  default     = null
}

variable "team" {
  description = "Coze UID => role (admin or member) of everyone who works on the bot, in every environment."
  type        = map(string)
  default = {
    "4026880821030" = "admin"
    "2601914670001" = "member"
  }
}

variable "workflows" {
  description = "Names of the published workflows the bot uses, in every environment."
  type        = list(string)
  default     = ["order_lookup", "refund_request"]
}

module "dev" {
  source          = "./environment"
  environment     = "dev"
  coze_account_id = var.coze_account_id
  team            = var.team
  workflows       = var.workflows
}

module "prod" {
  source          = "./environment"
  environment     = "prod"
  coze_account_id = var.coze_account_id
  team            = var.team
  workflows       = var.workflows
}

output "workspaces" {
  value = { dev = module.dev.workspace_id, prod = module.prod.workspace_id }
}

output "bots" {
  value = { dev = module.dev.bot_id, prod = module.prod.bot_id }
}
