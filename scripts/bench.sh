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
#
# It also measures what a Coze user pays for, API calls (issue 11; "API calls"
# in results.md): the requests per bot of a no-change plan of N bots with
# coze_bot_config and coze_bot_publish, with and without space_id, and the load
# case (50 coze_bot_config at -parallelism=10 against a mock that serves 8
# requests per second), and checks their targets (bench/README.md).
# `scripts/bench.sh api` (make bench-api) runs only those, in a few minutes, and
# writes them to .bench/api.md; it exits 1 when a target is missed.
# `scripts/bench.sh listings` (make bench-listings) counts the list requests of
# a no-change plan of knowledge documents, workspace members and workspaces,
# which each refresh from their list (DESIGN.md, "Listings shared per walk"),
# and writes them to .bench/listings.md.
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

MODE=${1:-all}
case $MODE in all | api | listings) ;; *)
  echo "usage: $0 [api|listings]" >&2
  exit 2
  ;;
esac

rm -rf "$B"
mkdir -p "$B/plugins" "$B/bin" "$(dirname "$OUT")"
echo "==> building the provider, the floor provider and the mock"
go build -trimpath -o "$B/plugins/terraform-provider-coze" .
[ "$MODE" = all ] && go test -c -trimpath -o "$B/plugins/terraform-provider-cozefloor" ./internal/provider
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


# ---- API calls (issue 11) ----

API_NS=${BENCH_API_N:-"10 100 1000"}
LOAD_RUNS=${BENCH_LOAD_RUNS:-20}
LOAD_BOTS=50
LOAD_RATE=8
SPACE=7341000000000000 # the mock's default workspace, which -bots seeds

# start_mock n [flags...]: the standalone mock with bots BASE_ID.. in SPACE;
# sets mock_pid and COZE_API_BASE, logs to $B/mock-api.log.
start_mock() {
  local n=$1
  shift
  rm -f "$B/mock-url"
  "$B/bin/coze-mock" -listen 127.0.0.1:0 -url-file "$B/mock-url" -token "$TOKEN" -space "$SPACE" \
    -bots "$(seq -s, "$BASE_ID" $((BASE_ID + n - 1)))" "$@" 2>"$B/mock-api.log" &
  mock_pid=$!
  trap 'kill "$mock_pid" 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do [ -s "$B/mock-url" ] && break; sleep 0.1; done
  export COZE_API_BASE
  COZE_API_BASE=$(cat "$B/mock-url")
}
stop_mock() {
  kill "$mock_pid" 2>/dev/null || true
  wait "$mock_pid" 2>/dev/null || true
}
log_lines() { wc -l <"$B/mock-api.log"; }
requests_since() { tail -n +"$(($1 + 1))" "$B/mock-api.log" | grep -c ' \(GET\|POST\) ' || true; }
throttled_since() { tail -n +"$(($1 + 1))" "$B/mock-api.log" | grep -c ' -> http 429 ' || true; }

write_api_config() { # n dir space_id|"": N bots with coze_bot_config and coze_bot_publish
  local n=$1 dir=$2 space=${3:+space_id = \"$3\"}
  mkdir -p "$dir"
  cat >"$dir/main.tf" <<HCL
terraform {
  required_providers {
    coze = { source = "coze-terraform/coze" }
  }
}
provider "coze" {
  requests_per_second = 0
}
resource "coze_bot_config" "b" {
  count = $n
$(body)
}
resource "coze_bot_publish" "b" {
  count    = $n
  bot_id   = coze_bot_config.b[count.index].bot_id
  triggers = { config = coze_bot_config.b[count.index].config_hash }
  $space
}
HCL
}

write_load_config() { # dir: the load case, with the provider's default settings
  mkdir -p "$1"
  cat >"$1/main.tf" <<HCL
terraform {
  required_providers {
    coze = { source = "coze-terraform/coze" }
  }
}
provider "coze" {}
resource "coze_bot_config" "b" {
  count = $LOAD_BOTS
$(body)
}
HCL
}

per_bot() { awk -v a="$1" -v n="$2" 'BEGIN { printf "%.3f", a / n }'; }
at_most() { awk -v v="$1" -v t="$2" 'BEGIN { exit !(v != "" && v <= t) }'; }
verdict() { if at_most "$1" "$2"; then echo met; else echo "**not met**"; fi; }

# api_bench writes the section "API calls" to $B/api.md.
api_bench() {
  declare -A PLAN_REQ
  API_MISSED=0
  for n in $API_NS; do
    echo "==> API calls: no-change plan, N = $n (config + publish)"
    start_mock "$n"
    dir=$B/work/api-$n
    # Today's configuration first (no space_id), then the same bots with space_id.
    # (run_timed runs in $(...), as above, where its RSS sampling may fail.)
    write_api_config "$n" "$dir" ""
    seconds=$(run_timed "$TF" -chdir="$dir" apply -auto-approve -input=false -no-color)
    before=$(log_lines)
    seconds=$(run_timed "$TF" -chdir="$dir" plan -input=false -no-color -detailed-exitcode)
    PLAN_REQ[$n,without]=$(requests_since "$before")
    write_api_config "$n" "$dir" "$SPACE"
    seconds=$(run_timed "$TF" -chdir="$dir" apply -auto-approve -input=false -no-color)
    before=$(log_lines)
    seconds=$(run_timed "$TF" -chdir="$dir" plan -input=false -no-color -detailed-exitcode)
    PLAN_REQ[$n,with]=$(requests_since "$before")
    echo "    without space_id: $(per_bot "${PLAN_REQ[$n,without]}" "$n") requests per bot; with: $(per_bot "${PLAN_REQ[$n,with]}" "$n") (that plan: $seconds s)"
    stop_mock
  done

  echo "==> API calls: the load case, $LOAD_RUNS runs ($LOAD_BOTS bots, -parallelism=10, mock at $LOAD_RATE requests per second)"
  start_mock "$LOAD_BOTS" -rate-limit "$LOAD_RATE"
  dir=$B/work/load
  write_load_config "$dir"
  local times="" sent=0 limited=0 failed=0 worst=0 run_sent run_limited t share
  for r in $(seq 1 "$LOAD_RUNS"); do
    t=""
    rm -f "$dir"/terraform.tfstate*
    sleep 1 # the mock's bucket refills between runs
    before=$(log_lines)
    start=$(now)
    if "$TF" -chdir="$dir" apply -auto-approve -input=false -no-color -parallelism=10 >"$B/load-$r.out" 2>&1; then
      t=$(awk -v s="$start" -v e="$(now)" 'BEGIN { printf "%.3f", e - s }')
      times+="$t "
    else
      failed=$((failed + 1))
      times+="failed "
      grep -m 3 -i 'error' "$B/load-$r.out" >&2 || true
    fi
    run_sent=$(requests_since "$before")
    run_limited=$(throttled_since "$before")
    sent=$((sent + run_sent))
    limited=$((limited + run_limited))
    share=$(awk -v l="$run_limited" -v s="$run_sent" 'BEGIN { printf "%.1f", s ? 100 * l / s : 0 }')
    worst=$(awk -v a="$worst" -v b="$share" 'BEGIN { print (b > a) ? b : a }')
    echo "    run $r: $run_sent requests, $run_limited answered 429, ${t:-failed} s"
  done
  stop_mock
  local ideal median_t ratio total_share
  ideal=$(awk -v n="$LOAD_BOTS" -v r="$LOAD_RATE" 'BEGIN { printf "%.2f", n / r }')
  median_t=$(printf '%s\n' $times | grep -v failed | median)
  ratio=$(ratio "$median_t" "$ideal")
  total_share=$(awk -v l="$limited" -v s="$sent" 'BEGIN { printf "%.1f", 100 * l / s }')
  for n in $API_NS; do
    if [ "$n" -ge 100 ] && ! at_most "$(per_bot "${PLAN_REQ[$n,with]}" "$n")" 1.05; then API_MISSED=1; fi
  done
  if [ "$failed" != 0 ] || ! at_most "$total_share" 10 || ! at_most "$ratio" 1.3; then API_MISSED=1; fi

  {
    echo "## API calls"
    echo
    echo "Requests the mock received (issue 11; targets in [README.md](README.md)). A no-change \`terraform plan\` of N bots,"
    echo "each with \`coze_bot_config\` and \`coze_bot_publish\` (default \`connector_ids\`), after an apply; without"
    echo "\`space_id\` (each publish resource reads its bot) and with it (one listing of the workspace, 50 bots a page):"
    echo
    echo "| N | requests per bot, without space_id | requests per bot, with space_id | target (N ≥ 100): at most 1.05 |"
    echo "|---:|---:|---:|---|"
    for n in $API_NS; do
      with=$(per_bot "${PLAN_REQ[$n,with]}" "$n")
      target=""
      [ "$n" -ge 100 ] && target=$(verdict "$with" 1.05)
      echo "| $n | $(per_bot "${PLAN_REQ[$n,without]}" "$n") | $with | $target |"
    done
    echo
    echo "The load case: \`terraform apply -parallelism=10\` of $LOAD_BOTS \`coze_bot_config\` from an empty state, with the"
    echo "provider's default settings, against the mock limited to $LOAD_RATE requests per second (HTTP 429, code 4020,"
    echo "\`Retry-After: 1\` above it). The ideal is the $LOAD_BOTS requests needed at $LOAD_RATE per second: ${ideal} s."
    echo "Wall time includes Terraform's own start, plan and apply."
    echo
    echo "| | measured | target | verdict |"
    echo "|---|---:|---:|---|"
    echo "| runs that succeeded | $((LOAD_RUNS - failed)) of $LOAD_RUNS | all | $(verdict "$failed" 0) |"
    echo "| requests sent, all runs | $sent ($(per_bot "$sent" "$LOAD_RUNS") per run) | | |"
    echo "| share answered 429, all runs | ${total_share}% (worst run ${worst}%) | at most 10% | $(verdict "$total_share" 10) |"
    echo "| wall time, median run | ${median_t} s, ${ratio} x the ideal | at most 1.3 x | $(verdict "$ratio" 1.3) |"
    echo
    echo "Every run (seconds): $times"
  } >"$B/api.md"
}

# ---- Listings shared per walk ----

LIST_DOCS=${BENCH_LIST_DOCS:-200}
LIST_MEMBERS=${BENCH_LIST_MEMBERS:-100}
LIST_WORKSPACES=${BENCH_LIST_WORKSPACES:-20}
LIST_USER_BASE=2601914700000

write_listings_config() { # dir: documents in one knowledge base, workspaces, members of the first
  mkdir -p "$1"
  cat >"$1/main.tf" <<HCL
terraform {
  required_providers {
    coze = { source = "coze-terraform/coze" }
  }
}
provider "coze" {
  requests_per_second = 0
}
resource "coze_knowledge_base" "kb" {
  space_id = "$SPACE"
  name     = "bench"
}
resource "coze_knowledge_document" "d" {
  count             = $LIST_DOCS
  knowledge_base_id = coze_knowledge_base.kb.id
  name              = "doc-\${count.index}.txt"
  content_base64    = base64encode("notes \${count.index}")
}
resource "coze_workspace" "w" {
  count           = $LIST_WORKSPACES
  name            = "bench-\${count.index}"
  description     = "benchmark workspace"
  coze_account_id = "7490888144450001"
}
resource "coze_workspace_member" "m" {
  count        = $LIST_MEMBERS
  workspace_id = coze_workspace.w[0].id
  user_id      = tostring($LIST_USER_BASE + count.index)
  role_type    = "member"
}
HCL
}

# requests_to since method path-regex: requests of the mock's log since a line.
requests_to() { tail -n +"$(($1 + 1))" "$B/mock-api.log" | grep -cE " $2 $3 -> " || true; }

# listings_bench writes the list requests of a no-change plan to $B/listings.md.
listings_bench() {
  echo "==> listings: $LIST_DOCS documents in one knowledge base, $LIST_MEMBERS members of one workspace, $LIST_WORKSPACES workspaces"
  start_mock 1 -document-polls 0 -users "$(seq -s, "$LIST_USER_BASE" $((LIST_USER_BASE + LIST_MEMBERS - 1)))"
  dir=$B/work/listings
  write_listings_config "$dir"
  before=$(log_lines)
  seconds=$(run_timed "$TF" -chdir="$dir" apply -auto-approve -input=false -no-color)
  local apply_docs
  apply_docs=$(requests_to "$before" POST /open_api/knowledge/document/list)
  echo "    apply: $seconds s, $apply_docs document list requests"
  before=$(log_lines)
  seconds=$(run_timed "$TF" -chdir="$dir" plan -input=false -no-color -detailed-exitcode)
  local docs members workspaces all
  docs=$(requests_to "$before" POST /open_api/knowledge/document/list)
  members=$(requests_to "$before" GET '/v1/workspaces/[0-9]+/members')
  workspaces=$(requests_to "$before" GET /v1/workspaces)
  all=$(requests_since "$before")
  echo "    no-change plan ($seconds s): $docs document list, $members member list, $workspaces workspace list requests; $all in all"
  stop_mock
  {
    echo "## Listings shared per walk"
    echo
    echo "Requests the mock received during a no-change \`terraform plan\` (after an apply) of $LIST_DOCS"
    echo "\`coze_knowledge_document\` in one knowledge base, $LIST_WORKSPACES \`coze_workspace\` and $LIST_MEMBERS"
    echo "\`coze_workspace_member\` of the first workspace, with the provider's page sizes (documents 100, members and"
    echo "workspaces 50 a page):"
    echo
    echo "| list | resources | list requests |"
    echo "|---|---:|---:|"
    echo "| \`POST /open_api/knowledge/document/list\` | $LIST_DOCS documents | $docs |"
    echo "| \`GET /v1/workspaces/{id}/members\` | $LIST_MEMBERS members | $members |"
    echo "| \`GET /v1/workspaces\` | $LIST_WORKSPACES workspaces | $workspaces |"
    echo "| all requests of the plan | | $all |"
    echo
    echo "The apply that created them sent $apply_docs \`POST /open_api/knowledge/document/list\` requests."
  } >"$B/listings.md"
}

if [ "$MODE" = listings ]; then
  listings_bench
  echo "==> wrote $B/listings.md"
  cat "$B/listings.md"
  exit 0
fi

if [ "$MODE" = api ]; then
  api_bench
  echo "==> wrote $B/api.md"
  cat "$B/api.md"
  exit "$API_MISSED"
fi

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

api_bench

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
  echo
  cat "$B/api.md"
} >"$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "==> wrote $OUT"
cat "$OUT"
exit "$API_MISSED"
