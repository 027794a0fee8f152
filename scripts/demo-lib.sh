# Shell functions shared by scripts/demo*.sh (sourced; TERRAFORM must be set).

tf() { # terraform without the dev_overrides warning
  "$TERRAFORM" "$@" -input=false -no-color 2>&1 | grep -v -e '^Warning: Provider development overrides' -e 'coze-terraform/coze in' || true
}

plan_exit_code() { # file [plan arguments...]: plan -detailed-exitcode into file; returns 0 empty, 2 changes
  local out=$1
  shift
  set +e
  "$TERRAFORM" plan -detailed-exitcode -input=false -no-color "$@" >"$out" 2>&1
  local code=$?
  set -e
  return $code
}

empty_plan() { # file when [plan arguments...]: fails the demo unless the plan is empty
  local out=$1 when=$2 code=0
  shift 2
  plan_exit_code "$out" "$@" || code=$?
  grep -E 'No changes|Plan:' "$out" || true
  if [ "$code" -ne 0 ]; then
    echo "FAIL: the plan $when is not empty (exit code $code):"
    cat "$out"
    exit 1
  fi
}
