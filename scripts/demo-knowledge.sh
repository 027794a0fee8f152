#!/usr/bin/env bash
# The knowledge part of `make demo`, run by scripts/demo.sh while the mock Coze API
# runs (it exports TF_CLI_CONFIG_FILE, COZE_API_BASE and COZE_API_TOKEN; DEMO and
# TERRAFORM are passed in). It applies examples/scenarios/knowledge: a knowledge
# base made of two .txt files and a web page, bound to the bot; shows that a second
# plan is empty; edits one file and shows that only its document is replaced; then
# destroys everything and shows the delete calls in the mock's log.
set -euo pipefail
: "${DEMO:?}" "${TERRAFORM:?}"
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$DEMO/knowledge
rm -rf "$WORK"
mkdir -p "$WORK"
cp "$ROOT"/examples/scenarios/knowledge/* "$WORK/"
cd "$WORK"

# shellcheck source=scripts/demo-lib.sh
source "$ROOT/scripts/demo-lib.sh"

echo "==> Knowledge: terraform apply of examples/scenarios/knowledge (2 files, 1 web page, bound to the bot)"
tf apply -auto-approve | grep -E 'Creat|Still|Apply complete|Error' || true
"$TERRAFORM" state list | grep coze_bot_config.support >/dev/null || { echo "FAIL: knowledge apply failed"; exit 1; }
"$TERRAFORM" output -no-color

echo "==> Knowledge: a second plan (must be empty)"
empty_plan "$DEMO/knowledge-plan2.txt" "after the first apply"

echo "==> Knowledge: edit faq.txt; the plan replaces only its document"
printf '\nQ: Is there a warranty?\nA: Two years on every product.\n' >>faq.txt
code=0
plan_exit_code "$DEMO/knowledge-plan3.txt" || code=$?
grep -E 'must be replaced|Plan:' "$DEMO/knowledge-plan3.txt" || true
if [ "$code" -ne 2 ] || ! grep -q 'Plan: 1 to add, 0 to change, 1 to destroy' "$DEMO/knowledge-plan3.txt" ||
  ! grep -q 'coze_knowledge_document.files\["faq.txt"\] must be replaced' "$DEMO/knowledge-plan3.txt"; then
  echo "FAIL: want exactly the faq.txt document replaced:"
  cat "$DEMO/knowledge-plan3.txt"
  exit 1
fi
tf apply -auto-approve | grep -E 'Destr|Creat|Apply complete|Error' || true

echo "==> Knowledge: terraform destroy"
log_lines=$(wc -l <"$DEMO/mock.log")
tf destroy -auto-approve | grep -E 'Destr|complete|Error' || true
echo "==> Knowledge: the delete calls in the mock's log"
tail -n +"$((log_lines + 1))" "$DEMO/mock.log" | grep -E 'DELETE /v1/datasets|document/delete' || { echo "FAIL: no delete calls"; exit 1; }
[ -z "$("$TERRAFORM" state list)" ] || { echo "FAIL: resources left in the state"; exit 1; }
echo "==> Knowledge demo OK: applied, second plan empty, one edited file replaced one document, destroy deleted documents and knowledge base."
