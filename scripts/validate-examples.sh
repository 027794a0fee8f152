#!/usr/bin/env bash
# Check that every example is formatted and valid against the provider built
# from this tree (through dev_overrides: no registry, no download).
# Usage: scripts/validate-examples.sh [terraform-or-tofu-binary]
set -euo pipefail
cd "$(dirname "$0")/.."

TF=${1:-${TERRAFORM:-terraform}}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

go build -o "$WORK/plugins/terraform-provider-coze" .
cat >"$WORK/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/coze-terraform/coze" = "$WORK/plugins"
    "registry.opentofu.org/coze-terraform/coze" = "$WORK/plugins"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE=$WORK/cli.tfrc TF_IN_AUTOMATION=1

echo "==> $TF fmt -check -recursive examples"
"$TF" fmt -check -recursive -diff examples

validate() { # dir name: validates the .tf files of dir, with the provider requirement added when missing
  local dir=$1 name=$2 target=$WORK/validate/$2
  mkdir -p "$target"
  cp -R "$dir"/. "$target/"
  if ! grep -q required_providers "$target"/*.tf; then
    cp examples/provider/provider.tf "$target/provider.tf"
  fi
  # import blocks need the resource they import into
  if grep -q '^import' "$target"/*.tf && ! grep -q '^resource' "$target"/*.tf; then
    cp examples/resources/coze_bot_config/resource.tf "$target/resource.tf"
  fi
  # local modules (a scenario's subdirectories) must be installed; terraform get installs only modules
  if grep -q '^module' "$target"/*.tf; then (cd "$target" && "$TF" get -no-color >/dev/null); fi
  echo "==> validate $dir"
  (cd "$target" && "$TF" validate -no-color | grep -v -e 'development overrides' -e 'coze-terraform/coze in' -e '^$' -e 'behavior may therefore' -e 'applying changes may' -e 'releases.' || true)
  (cd "$target" && "$TF" validate -json | grep -q '"valid": true') || { echo "INVALID: $dir"; exit 1; }
}

validate examples/provider provider
for d in examples/resources/*/; do
  validate "$d" "resource-$(basename "$d")"
done
for d in examples/data-sources/*/; do
  validate "$d" "data-source-$(basename "$d")"
done
for d in examples/scenarios/*/; do
  validate "$d" "scenario-$(basename "$d")"
done
echo "==> examples OK"
