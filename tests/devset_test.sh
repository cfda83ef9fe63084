#!/usr/bin/env bash
# On the evaluation dev set (../shared/eval/dev beside the repository):
#  - idempotence: cleaning the cleaned garbled articles again changes nothing;
#  - do no harm: on the clean gold articles, at most 1 edit per 1,000 words.
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
echo "devset: $passed passed, $failed failed"
((failed == 0))
