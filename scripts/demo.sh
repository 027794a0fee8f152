#!/usr/bin/env bash
# make demo: build the provider and the mock Coze API, and apply the lifecycle
# example against the mock through a dev_overrides CLI config: upload an icon,
# create a bot, configure it, publish it, read it back through the data
# source; then prove that a second plan is empty. Then the knowledge and the
# environments scenarios (scripts/demo-knowledge.sh, demo-environments.sh).
# Needs no Coze account and no network.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/demo-lib.sh
source scripts/demo-lib.sh

TERRAFORM=${TERRAFORM:-terraform}
DEMO=$PWD/.demo
BOT_ID=7342866800001
TOKEN=demo-token-not-secret

rm -rf "$DEMO"
mkdir -p "$DEMO/plugins" "$DEMO/bin" "$DEMO/work"

echo "==> Building the provider and the mock Coze API"
go build -o "$DEMO/plugins/terraform-provider-coze" .
go build -o "$DEMO/bin/coze-mock" ./cmd/coze-mock

echo "==> Starting the mock Coze API on loopback"
# -users and -workflows: the people and the workflows of examples/scenarios/environments.
"$DEMO/bin/coze-mock" -listen 127.0.0.1:0 -url-file "$DEMO/mock-url" -token "$TOKEN" -bots "$BOT_ID" \
  -users 4026880821030,2601914670001 -workflows order_lookup,refund_request 2>"$DEMO/mock.log" &
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null || true; wait $MOCK_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s "$DEMO/mock-url" ] && break
  sleep 0.1
done
[ -s "$DEMO/mock-url" ] || { echo "mock did not start:"; cat "$DEMO/mock.log"; exit 1; }
MOCK_URL=$(cat "$DEMO/mock-url")
echo "    mock listening at $MOCK_URL"

cat >"$DEMO/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/coze-terraform/coze" = "$DEMO/plugins"
  }
  direct {}
}
CFG
cp examples/scenarios/lifecycle/main.tf "$DEMO/work/"

export TF_CLI_CONFIG_FILE=$DEMO/cli.tfrc
export TF_IN_AUTOMATION=1
export COZE_API_BASE=$MOCK_URL
export COZE_API_TOKEN=$TOKEN
cd "$DEMO/work"

echo "==> terraform apply (dev_overrides: no terraform init needed)"
tf apply -auto-approve
"$TERRAFORM" state list | grep coze_bot_publish.chef >/dev/null || { echo "apply failed"; exit 1; } # not grep -q: an early exit would SIGPIPE terraform (pipefail)

echo "==> terraform state list"
"$TERRAFORM" state list
echo "==> terraform state show coze_bot_config.chef"
"$TERRAFORM" state show -no-color coze_bot_config.chef
echo "==> terraform output"
"$TERRAFORM" output -no-color

echo "==> Second terraform plan (must be empty)"
empty_plan "$DEMO/plan2.txt" "after the first apply"
echo "==> Requests the mock received (apply, then the second plan's refresh)"
grep -E 'POST|GET' "$DEMO/mock.log" || true
DEMO=$DEMO TERRAFORM=$TERRAFORM bash "$DEMO/../scripts/demo-knowledge.sh"
DEMO=$DEMO TERRAFORM=$TERRAFORM bash "$DEMO/../scripts/demo-environments.sh"
echo "==> Demo OK: icon uploaded, bot created, configured, published and read back; the second plan is empty; the knowledge and environments scenarios applied, changed and destroyed."
