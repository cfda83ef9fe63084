#!/usr/bin/env bash
# End-to-end tests of the quality estimate through the copydesk command:
# JSON Lines field, change log, score mode, --min-quality routing, thread and
# order stability. Usage: quality_cli_test.sh COPYDESK_BINARY
set -uo pipefail
bin=$1
source "$(dirname "$0")/check.sh"

cat >"$tmp/in.jsonl" <<'JSONL'
{"id": "a", "text": "The orchestra played two new pieces on Saturday, and the hall was full."}
{"id": "b", "text": "Orchestra the the played pieces pieces two, the hall hall full was was on."}
{"id": "c", "text": "Volunteers cleaned the beach after the storm. They collected forty bags of plastic."}
{"id": "d", "text": "Committee committee of of the decision decision the the yesterday."}
{"id": "e", "text": "The museum opened a new wing for modern sculpture last month."}
{"id": "f", "text": "She wrote, she wrote, she wrote that that the snow snow."}
JSONL
tac "$tmp/in.jsonl" >"$tmp/reversed.jsonl"

check "jsonl: exit 0" test "$(rc "$bin" clean --jsonl --quality -q -j1 "$tmp/in.jsonl")" = 0
cp "$tmp/out" "$tmp/j1.jsonl"
check "jsonl: every record has a score" test "$(grep -c '"copydesk_quality":{"score":' "$tmp/j1.jsonl")" = 6
check "jsonl: no field without --quality" test "$("$bin" clean --jsonl -q "$tmp/in.jsonl" | grep -c copydesk_quality)" = 0
"$bin" clean --jsonl --quality -q -j2 "$tmp/reversed.jsonl" | tac >"$tmp/j2.jsonl"
check "jsonl: same output with 2 threads in reverse order" cmp -s "$tmp/j1.jsonl" "$tmp/j2.jsonl"
score() { grep "\"id\": *\"$1\"" "$tmp/j1.jsonl" | sed 's/.*"copydesk_quality":{"score":\([0-9.]*\).*/\1/'; }
check "fluent a above stuttering b" awk -v x="$(score a)" -v y="$(score b)" 'BEGIN { exit !(x > y) }'
check "fluent c above stuttering d" awk -v x="$(score c)" -v y="$(score d)" 'BEGIN { exit !(x > y) }'
check "fluent e above stuttering f" awk -v x="$(score e)" -v y="$(score f)" 'BEGIN { exit !(x > y) }'
check "summary line gives the distribution" bash -c "'$bin' clean --jsonl --quality '$tmp/in.jsonl' 2>&1 >/dev/null | grep -q 'quality: mean .*good .*fair .*poor'"

# Routing: every record goes to exactly one of the two outputs.
cut=$(score b)
check "routing: exit 0" test "$(rc "$bin" clean --jsonl -q --min-quality 55 --low-quality "$tmp/low.jsonl" -o "$tmp/kept.jsonl" "$tmp/in.jsonl")" = 0
check "routing: nothing lost" test "$(($(wc -l <"$tmp/kept.jsonl") + $(wc -l <"$tmp/low.jsonl")))" = 6
check "routing: low records carry their reasons" bash -c "! grep -v '\"reasons\":\[{' '$tmp/low.jsonl' | grep -q ."
check "routing: kept records score at least the threshold" bash -c \
  "grep -o '\"score\":[0-9.]*' '$tmp/kept.jsonl' | cut -d: -f2 | awk '\$1 < 55 { bad = 1 } END { exit bad }'"
check "routing: low records score below the threshold" bash -c \
  "grep -o '\"score\":[0-9.]*' '$tmp/low.jsonl' | cut -d: -f2 | awk '\$1 >= 55 { bad = 1 } END { exit bad }'"
check "routing needs --low-quality" test "$(rc "$bin" clean --jsonl --min-quality 50 "$tmp/in.jsonl")" = 2
check "--low-quality needs --min-quality" test "$(rc "$bin" clean --jsonl --low-quality x "$tmp/in.jsonl")" = 2
check "routing refuses --in-place" test "$(rc "$bin" clean --min-quality 50 --low-quality "$tmp/l" -i "$tmp/in.jsonl")" = 2

# Files: change log, score mode, folder routing.
printf 'The harbour reopened on Monday. Fishing boats returned within hours.\n' >"$tmp/one.txt"
printf 'Harbour harbour the reopened reopened Monday on. Boats boats fishing the returned.\n' >"$tmp/two.txt"
check "changes: exit 0" test "$(rc "$bin" clean -q --quality --changes "$tmp/log.json" -o "$tmp/one.out" "$tmp/one.txt")" = 0
check "changes: document quality with sentence scores" python3 -c "
import json, sys
d = json.load(open('$tmp/log.json'))['documents'][0]['quality']
sys.exit(not (0 <= d['score'] <= 100 and d['band'] in ('good', 'fair', 'poor') and len(d['sentences']) == 2))"
check "score: exit 0" test "$(rc "$bin" score -q "$tmp/one.txt" "$tmp/two.txt")" = 0
check "score: one line per document, no text" test "$(grep -c '^{"document":' "$tmp/out")" = 2
check "score refuses an output" test "$(rc "$bin" score -o "$tmp/x" "$tmp/one.txt")" = 2
mkdir -p "$tmp/docs"
cp "$tmp/one.txt" "$tmp/two.txt" "$tmp/docs/"
low=$("$bin" score -q "$tmp/two.txt" | sed 's/.*"score":\([0-9.]*\).*/\1/')
high=$("$bin" score -q "$tmp/one.txt" | sed 's/.*"score":\([0-9.]*\).*/\1/')
mid=$(awk -v a="$low" -v b="$high" 'BEGIN { print (a + b) / 2 }')
check "files: the fluent one scores higher" awk -v x="$high" -v y="$low" 'BEGIN { exit !(x > y) }'
check "files routing: exit 0" test "$(rc "$bin" clean -q --out-dir "$tmp/clean" --min-quality "$mid" --low-quality "$tmp/lowdir" "$tmp/docs")" = 0
check "files routing: the fluent one kept" test -f "$tmp/clean/one.txt" -a ! -f "$tmp/clean/two.txt"
check "files routing: the other under the low folder" test -f "$tmp/lowdir/two.txt" -a ! -f "$tmp/lowdir/one.txt"
check "files routing: its reasons listed" grep -q '"document":.*two.txt.*"reasons"' "$tmp/lowdir/quality.jsonl"

echo "quality cli: $passed passed, $failed failed"
test "$failed" = 0
