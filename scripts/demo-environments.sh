#!/usr/bin/env bash
# The environments part of `make demo`, run by scripts/demo.sh while the mock Coze API
# runs (it exports TF_CLI_CONFIG_FILE, COZE_API_BASE and COZE_API_TOKEN, and starts the
# mock with the scenario's users and workflows; DEMO and TERRAFORM are passed in). It
# applies examples/scenarios/environments for an enterprise organization: a dev and a
# prod workspace with the same members, bot and workflows looked up by name; shows that a
# second plan is empty; moves a member to admin in one apply, after which the plan is
# empty again; then destroys everything.
set -euo pipefail
: "${DEMO:?}" "${TERRAFORM:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$DEMO/environments
ORG=(-var coze_account_id=7490888144450001)
rm -rf "$WORK"
mkdir -p "$WORK"
cp -R "$ROOT"/examples/scenarios/environments/. "$WORK/"
cd "$WORK"

# shellcheck source=scripts/demo-lib.sh
source "$ROOT/scripts/demo-lib.sh"

echo "==> Environments: terraform apply of examples/scenarios/environments (dev and prod workspaces, 2 members each, a bot wired to 2 workflows)"
"$TERRAFORM" get -no-color >/dev/null
tf apply -auto-approve "${ORG[@]}" >"$DEMO/environments-apply.txt"
grep -E 'Apply complete|Error' "$DEMO/environments-apply.txt" || true
grep -q 'Resources: 8 added, 0 changed, 0 destroyed' "$DEMO/environments-apply.txt" || {
  echo "FAIL: want 8 resources added:"
  cat "$DEMO/environments-apply.txt"
  exit 1
}
"$TERRAFORM" output -no-color

echo "==> Environments: a second plan (must be empty)"
empty_plan "$DEMO/environments-plan2.txt" "after the first apply" "${ORG[@]}"

echo "==> Environments: user 2601914670001 becomes admin: one apply"
printf 'team = { "4026880821030" = "admin", "2601914670001" = "admin" }\n' >team.auto.tfvars
tf apply -auto-approve "${ORG[@]}" >"$DEMO/environments-role.txt"
grep -E 'Apply complete|Error' "$DEMO/environments-role.txt" || true
grep -q 'Resources: 0 added, 2 changed, 0 destroyed' "$DEMO/environments-role.txt" || {
  echo "FAIL: want the two memberships changed in place:"
  cat "$DEMO/environments-role.txt"
  exit 1
}
empty_plan "$DEMO/environments-plan3.txt" "after the role change" "${ORG[@]}"

echo "==> Environments: terraform destroy (workspaces and bots stay in Coze: there is no delete API)"
tf destroy -auto-approve "${ORG[@]}" | grep -E 'Destroy complete|Error' || true
[ -z "$("$TERRAFORM" state list)" ] || { echo "FAIL: resources left in the state"; exit 1; }
echo "==> Environments demo OK: applied, second plan empty, member -> admin in one apply, plan empty again, destroyed."
