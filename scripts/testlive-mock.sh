#!/usr/bin/env bash
# make testlive-mock: run the live contract suite (make testlive) against the
# standalone mock Coze API (cmd/coze-mock) instead of the real one, so that CI
# exercises it: a first run must create the check bot, a second must find it
# (never a second bot), both must agree with the in-process mock field by
# field (COZE_LIVE_STRICT=1), and a run without the account must skip saying
# why. Needs no Coze account and no network.
set -euo pipefail
cd "$(dirname "$0")/.."

WORK=$PWD/.testlive-mock
TOKEN=testlive-mock-token-not-secret
SPACE=7341000000000555

rm -rf "$WORK"
mkdir -p "$WORK/bin"
go build -o "$WORK/bin/coze-mock" ./cmd/coze-mock

# Another bot in the workspace, so that the listing has something to skip.
"$WORK/bin/coze-mock" -listen 127.0.0.1:0 -url-file "$WORK/mock-url" -token "$TOKEN" -space "$SPACE" -bots 7342866800555 2>"$WORK/mock.log" &
MOCK_PID=$!
trap 'kill $MOCK_PID 2>/dev/null || true; wait $MOCK_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  [ -s "$WORK/mock-url" ] && break
  sleep 0.1
done
[ -s "$WORK/mock-url" ] || { echo "mock did not start:"; cat "$WORK/mock.log"; exit 1; }
MOCK_URL=$(cat "$WORK/mock-url")
echo "==> mock listening at $MOCK_URL"

live() {
  COZE_API_BASE=$MOCK_URL COZE_API_TOKEN=$TOKEN COZE_LIVE_SPACE_ID=$SPACE COZE_LIVE_STRICT=1 make --no-print-directory testlive
}

echo "==> make testlive, first run: creates the check bot"
live | tee "$WORK/run1.txt"
echo "==> make testlive, second run: finds it"
live | tee "$WORK/run2.txt"

created=$(grep -o 'created bot [0-9]*' "$WORK/run1.txt" | awk '{print $3}')
found=$(grep -o 'found bot [0-9]*' "$WORK/run2.txt" | awk '{print $3}')
if [ -z "$created" ] || [ "$created" != "$found" ]; then
  echo "FAIL: the first run must create the check bot and the second find the same one (created '$created', found '$found')"
  exit 1
fi
if grep -q 'created bot' "$WORK/run2.txt"; then
  echo "FAIL: the second run created another bot"
  exit 1
fi
creates=$(grep -c 'POST /v1/bot/create' "$WORK/mock.log" || true)
if [ "$creates" != 1 ]; then
  echo "FAIL: the mock saw $creates creates over two runs, want 1"
  exit 1
fi

echo "==> make testlive without an account: skips, saying why"
COZE_API_TOKEN= COZE_LIVE_SPACE_ID= make --no-print-directory testlive | tee "$WORK/run3.txt"
grep -q -- '--- SKIP: TestLiveContract' "$WORK/run3.txt" && grep -q 'set COZE_API_TOKEN' "$WORK/run3.txt" || {
  echo "FAIL: without COZE_API_TOKEN and COZE_LIVE_SPACE_ID the suite must skip with a message"
  exit 1
}
echo "==> testlive against the mock OK: bot $created created once, found again, answers agree, budget kept"
