terraform {
  required_providers {
    coze = {
      source = "coze-terraform/coze"
    }
  }
}

# The token comes from the COZE_API_TOKEN environment variable and the site
# from COZE_API_BASE (default https://api.coze.cn; https://api.coze.com is the
# international site). Keep the token out of .tf files and state.
provider "coze" {}
