#!/usr/bin/env bash
# Rewrites samples/expected/ from the current build. Review the git diff of
# samples/expected/ before committing: these files are the reviewed outputs.
# Usage: tests/update_golden.sh [COPYDESK_BINARY]
set -euo pipefail
cd "$(dirname "$0")/../samples"
bin=${1:-../build/copydesk}
for input in *.txt; do
  name=${input%.txt}
  "$bin" clean --color never --diff --changes "expected/$name.changes.json" -o "expected/$name.txt" "$input" \
    >"expected/$name.diff"
done
echo "updated $(ls *.txt | wc -l) samples; review: git diff samples/expected/"
