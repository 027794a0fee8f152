#!/usr/bin/env bash
# make bench: time terraform apply, a no-change plan (with refresh) and
# plan -refresh=false for N coze_bot_config resources against the standalone
# mock on loopback, next to two baselines with the same inputs:
#   - cozefloor_bot_config: the same schema with validators stripped and no
#     logic (a test-only provider built from internal/provider), the floor of
#     what the framework and Terraform cost for this schema;
#   - terraform_data: Terraform's built-in resource.
# Reports medians of BENCH_RUNS runs (default: 7 up to N = 100, where a run
# takes seconds, and 3 at N = 1000, where it takes minutes) and the ratios;
# the machines are noisy,
# so the ratios are the figures. Results go to bench/results.md.
set -euo pipefail
cd "$(dirname "$0")/.."

TF=${TERRAFORM:-terraform}
NS=${BENCH_N:-"10 100 1000"}
runs_for() { # n
  if [ -n "${BENCH_RUNS:-}" ]; then echo "$BENCH_RUNS"; elif [ "$1" -ge 1000 ]; then echo 3; else echo 7; fi
}
OUT=${BENCH_OUT:-bench/results.md}
B=$PWD/.bench
BASE_ID=7342866900000
TOKEN=bench-token

rm -rf "$B"
mkdir -p "$B/plugins" "$B/bin" "$(dirname "$OUT")"
echo "==> building the provider, the floor provider and the mock"
go build -trimpath -o "$B/plugins/terraform-provider-coze" .
go test -c -trimpath -o "$B/plugins/terraform-provider-cozefloor" ./internal/provider
go build -o "$B/bin/coze-mock" ./cmd/coze-mock
cat >"$B/cli.tfrc" <<CFG
provider_installation {
  dev_overrides {
    "registry.terraform.io/coze-terraform/coze"      = "$B/plugins"
    "registry.terraform.io/coze-terraform/cozefloor" = "$B/plugins"
  }
  direct {}
}
CFG
export TF_CLI_CONFIG_FILE=$B/cli.tfrc TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1
export COZE_BENCH_SERVE_FLOOR=1 COZE_API_TOKEN=$TOKEN

# A prompt of about 3 KB, the same for every kind.
PROMPT=$(printf '你是一位经验丰富的中餐大厨，能够熟练传授各类中餐的烹饪技巧，每日教学一道经典中餐。%.0s' $(seq 1 35))

body() { # the attributes of one bot, as HCL
  cat <<HCL
  bot_id      = tostring($BASE_ID + count.index)
  name        = "bench-\${count.index}"
  description = "benchmark bot \${count.index}"
  prompt_info = { prompt = "$PROMPT \${count.index}" }
  onboarding_info = {
    prologue            = "欢迎你，学徒，今天想学一道什么样的菜？"
    suggested_questions = ["川菜，我想吃辣的", "广东菜，来点鲜的", "随机教我一道菜"]
  }
  knowledge        = { dataset_ids = ["7385093717923410", "7385093717923411", "7385093717923412", "7385093717923413", "7385093717923414"], auto_call = true, search_strategy = 1 }
  plugin_id_list   = { id_list = [{ plugin_id = "7311989349275530", api_id = "7350575366173620" }, { plugin_id = "7311989349275531", api_id = "7350575366173621" }] }
  workflow_id_list = { ids = [{ id = "7460491086110370" }, { id = "7460491086110371" }] }
  model_info_config = {
    model_id = "1706077826", temperature = 0.7, top_p = 0.9, max_tokens = 4096, context_round = 20
    parameters = { thinking_type = "disabled" }
  }
  suggest_reply_info = { reply_mode = "enable" }
HCL
}

write_config() { # kind n dir
  local kind=$1 n=$2 dir=$3
  mkdir -p "$dir"
  case $kind in
    coze | cozefloor)
      cat >"$dir/main.tf" <<HCL
terraform {
  required_providers {
    $kind = { source = "coze-terraform/$kind" }
  }
}
provider "$kind" {
  requests_per_second = 0
}
resource "${kind}_bot_config" "b" {
  count = $n
$(body)
}
HCL
      ;;
    terraform_data)
      cat >"$dir/main.tf" <<HCL
resource "terraform_data" "b" {
  count = $n
  input = {
$(body)
  }
}
HCL
      ;;
  esac
}

now() { date +%s.%N; }

# run_timed label cmd...: runs cmd, samples the provider's RSS, prints seconds.
run_timed() {
  local start end pid peak=0 rss
  start=$(now)
  "$@" >"$B/last.out" 2>&1 &
  pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    rss=$(ps -C terraform-provider-coze,terraform-provider-cozefloor -o rss= 2>/dev/null | sort -n | tail -n 1)
    [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
    sleep 0.05
  done
  if ! wait "$pid"; then
    # plan -detailed-exitcode: 2 means changes, which a no-op plan must not have
    echo "FAILED: $*" >&2
    tail -n 30 "$B/last.out" >&2
    exit 1
  fi
  end=$(now)
  echo "$peak" >"$B/peak_rss"
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }'
}

record_peak() { # keeps the highest provider RSS seen for a kind
  local rss
  rss=$(cat "$B/peak_rss")
  if [ "$rss" -gt "${PEAK[$1]}" ]; then PEAK[$1]=$rss; fi
}

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
count_requests() { grep -c "$1" "$2" || true; }

declare -A RESULT RSS REQ RAW
for n in $NS; do
  echo "==> N = $n"
  ids=$(seq -s, "$BASE_ID" $((BASE_ID + n - 1)))
  "$B/bin/coze-mock" -listen 127.0.0.1:0 -url-file "$B/mock-url" -token "$TOKEN" -bots "$ids" 2>"$B/mock-$n.log" &
  mock_pid=$!
  trap 'kill "$mock_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do [ -s "$B/mock-url" ] && break; sleep 0.1; done
  export COZE_API_BASE
  COZE_API_BASE=$(cat "$B/mock-url")
  declare -A TIMES=() PEAK=([coze]=0 [cozefloor]=0 [terraform_data]=0)
  for kind in terraform_data cozefloor coze; do
    write_config "$kind" "$n" "$B/work/$kind-$n"
  done
  # Runs interleave the three kinds, so that machine noise hits them alike.
  for r in $(seq 1 "$(runs_for "$n")"); do
    for kind in terraform_data cozefloor coze; do
      dir=$B/work/$kind-$n
      rm -f "$dir"/terraform.tfstate*
      before=$(wc -l <"$B/mock-$n.log")
      TIMES[$kind,apply]+="$(run_timed "$TF" -chdir="$dir" apply -auto-approve -input=false -no-color) "
      record_peak "$kind"
      [ "$kind" = coze ] && tail -n +"$((before + 1))" "$B/mock-$n.log" >"$B/apply-requests.log"
      before=$(wc -l <"$B/mock-$n.log")
      TIMES[$kind,plan]+="$(run_timed "$TF" -chdir="$dir" plan -input=false -no-color -detailed-exitcode) "
      record_peak "$kind"
      [ "$kind" = coze ] && tail -n +"$((before + 1))" "$B/mock-$n.log" >"$B/plan-requests.log"
      TIMES[$kind,norefresh]+="$(run_timed "$TF" -chdir="$dir" plan -refresh=false -input=false -no-color -detailed-exitcode) "
      record_peak "$kind"
    done
  done
  for kind in terraform_data cozefloor coze; do
    for op in apply plan norefresh; do
      RESULT[$kind,$n,$op]=$(printf '%s\n' ${TIMES[$kind,$op]} | median)
      RAW[$kind,$n,$op]=${TIMES[$kind,$op]}
    done
    echo "    $kind: apply ${RESULT[$kind,$n,apply]}s, plan ${RESULT[$kind,$n,plan]}s, plan -refresh=false ${RESULT[$kind,$n,norefresh]}s"
  done
  RSS[$n]=${PEAK[coze]}
  RSS[$n,floor]=${PEAK[cozefloor]}
  REQ[$n,apply]=$(awk -v a="$(grep -c 'POST\|GET' "$B/apply-requests.log" || true)" -v n="$n" 'BEGIN { printf "%.2f", a / n }')
  REQ[$n,plan]=$(awk -v a="$(grep -c 'POST\|GET' "$B/plan-requests.log" || true)" -v n="$n" 'BEGIN { printf "%.2f", a / n }')
  kill "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
  rm -f "$B/mock-url"
done

echo "==> cold start and Go benchmarks"
unset COZE_BENCH_SERVE_FLOOR # the test binaries must run benchmarks, not serve the floor provider
cold=$(go test ./internal/e2e -run XXX -bench ProviderColdStart -benchtime 30x 2>/dev/null | awk '/^BenchmarkProviderColdStart/ { printf "%.1f", $3 / 1e6 }')
gobench=$(go test ./internal/provider -run XXX -bench . -benchmem 2>/dev/null | grep '^Benchmark' || true)
mockbench=$(go test ./internal/mockcoze -run XXX -bench . -benchmem 2>/dev/null | grep '^Benchmark' || true)

{
  echo "# Benchmark results"
  echo
  echo "Written by \`make bench\` (scripts/bench.sh) on $(date -u +%Y-%m-%d) with $("$TF" version 2>/dev/null | head -n 1),"
  echo "$(go version | cut -d' ' -f3), $(nproc) cores. Medians of $(for n in $NS; do printf '%s runs at N = %s, ' "$(runs_for "$n")" "$n"; done)times in seconds. Against the standalone mock"
  echo "on loopback. \`floor\` is \`cozefloor_bot_config\`: the same schema with validators stripped and no logic;"
  echo "\`data\` is \`terraform_data\` with the same inputs. The ratios are the figures: the machines are noisy."
  echo "[README.md](README.md) compares a run with the targets."
  echo
  echo "| N | operation | coze | floor | data | coze/floor | coze/data | floor/data | coze ms per resource |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|"
  for n in $NS; do
    for op in apply plan norefresh; do
      label=$op
      [ "$op" = plan ] && label="plan (refresh)"
      [ "$op" = norefresh ] && label="plan -refresh=false"
      c=${RESULT[coze,$n,$op]} f=${RESULT[cozefloor,$n,$op]} d=${RESULT[terraform_data,$n,$op]}
      echo "| $n | $label | $c | $f | $d | $(ratio "$c" "$f") | $(ratio "$c" "$d") | $(ratio "$f" "$d") | $(awk -v c="$c" -v n="$n" 'BEGIN { printf "%.1f", c * 1000 / n }') |"
    done
  done
  echo
  echo "| N | provider peak RSS (MB) | floor provider peak RSS (MB) | HTTP requests per resource, apply | per resource, refresh plan |"
  echo "|---:|---:|---:|---:|---:|"
  for n in $NS; do
    echo "| $n | $(awk -v k="${RSS[$n]}" 'BEGIN { printf "%.1f", k / 1024 }') | $(awk -v k="${RSS[$n,floor]}" 'BEGIN { printf "%.1f", k / 1024 }') | ${REQ[$n,apply]} | ${REQ[$n,plan]} |"
  done
  echo
  echo "Every run (seconds, in run order):"
  echo
  echo "| N | operation | coze | floor | data |"
  echo "|---:|---|---|---|---|"
  for n in $NS; do
    for op in apply plan norefresh; do
      echo "| $n | $op | ${RAW[coze,$n,$op]} | ${RAW[cozefloor,$n,$op]} | ${RAW[terraform_data,$n,$op]} |"
    done
  done
  echo
  echo "Provider cold start (process start to the plugin handshake; schema built on the first request, see"
  echo "BenchmarkGetProviderSchema): **${cold} ms**."
  echo
  echo "Go benchmarks (\`go test -bench . -benchmem\`):"
  echo
  echo '```'
  echo "$gobench"
  echo "$mockbench"
  echo '```'
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "==> wrote $OUT"
cat "$OUT"
