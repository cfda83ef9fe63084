#!/usr/bin/env bash
# On the evaluation dev set (../shared/eval/dev beside the repository):
#  - idempotence: cleaning the cleaned garbled articles again changes nothing;
#  - do no harm: on the clean gold articles, at most 1 edit per 1,000 words;
#  - recall: the set's own scorer (score.py beside it) finds every expected
#    repair made, in every category (an overall figure rounds a miss away).
# Skips (exit 77) when the dev set is not there.
# Usage: devset_test.sh COPYDESK_BINARY DEV_DIR
set -uo pipefail
bin=$1
dev=$2
if ! compgen -G "$dev/*.gold.txt" >/dev/null; then
  echo "dev set not found at $dev: skipped"
  exit 77
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
passed=0
for garbled in "$dev"/*.garbled.txt; do
  name=$(basename "$garbled" .garbled.txt)
  "$bin" clean -o "$tmp/$name.txt" "$garbled"
  if "$bin" clean --check "$tmp/$name.txt" 2>/dev/null; then
    passed=$((passed + 1))
  else
    echo "FAIL idempotence: $name: a second run changes the output:"
    "$bin" clean --diff --color never "$tmp/$name.txt" | head -20
    failed=$((failed + 1))
  fi
done
words=0
edits=0
for gold in "$dev"/*.gold.txt; do
  n=$("$bin" clean --check --changes - "$gold" 2>/dev/null | grep -c '"kind": "change"')
  if ((n > 0)); then
    echo "note: $(basename "$gold"): $n edit(s) on clean text:"
    "$bin" clean --diff --color never "$gold" | grep '^# ' | head -10
  fi
  edits=$((edits + n))
  words=$((words + $(wc -w <"$gold")))
done
echo "harm: $edits edits on $words words of clean text"
if ((edits * 1000 > words)); then
  echo "FAIL harm: more than 1 edit per 1,000 words"
  failed=$((failed + 1))
else
  passed=$((passed + 1))
fi
scorer=$(dirname "$dev")/score.py
if [[ -f $scorer ]]; then
  python3 "$scorer" --set "$dev" --cmd "$bin clean -q -" --jobs 2 --json "$tmp/score.json" >/dev/null
  if python3 - "$tmp/score.json" <<'PY'; then
import json, sys
cats = json.load(open(sys.argv[1]))["categories"]
missed = {k: f"{v['met']}/{v['n']}" for k, v in cats.items() if v["met"] < v["n"]}
print("recall: every category complete" if not missed else f"FAIL recall: {missed}")
sys.exit(1 if missed else 0)
PY
    passed=$((passed + 1))
  else
    failed=$((failed + 1))
  fi
else
  echo "note: $scorer not found: recall not checked"
fi
echo "devset: $passed passed, $failed failed"
((failed == 0))
