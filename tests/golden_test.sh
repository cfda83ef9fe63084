#!/usr/bin/env bash
# Golden tests: each samples/NAME.txt is cleaned and compared with the reviewed
# samples/expected/NAME.txt (text), NAME.changes.json (change log) and
# NAME.diff (per-stage diffs); then the output is cleaned again and must not
# change (idempotence). Regenerate with tests/update_golden.sh, then review.
# Usage: golden_test.sh COPYDESK_BINARY SAMPLES_DIR
set -uo pipefail
bin=$1
samples=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
passed=0
cd "$samples"
for input in *.txt; do
  name=${input%.txt}
  expected=expected/$name
  "$bin" clean --color never --diff --changes "$tmp/$name.changes.json" -o "$tmp/$name.txt" "$input" >"$tmp/$name.diff"
  ok=1
  for kind in txt changes.json diff; do
    if ! diff -u "$expected.$kind" "$tmp/$name.$kind" >"$tmp/delta"; then
      echo "FAIL $input: output differs from $expected.$kind:"
      head -40 "$tmp/delta"
      ok=0
    fi
  done
  if ! "$bin" clean --check "$tmp/$name.txt"; then
    echo "FAIL $input: cleaning the output again would change it (not idempotent)"
    "$bin" clean --diff --color never "$tmp/$name.txt" | head -40
    ok=0
  fi
  if ((ok)); then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "golden: $passed passed, $failed failed"
((failed == 0))
