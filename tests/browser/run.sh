#!/usr/bin/env bash
# Browser test of the HTML review report: tests/browser/run.sh COPYDESK_BIN [INPUT...]
# For each INPUT (default: samples/004*.txt; tests/browser/skip_fixture.txt,
# whose unicode edits later spacing edits depend on, so rejecting one makes the
# replay skip another; tests/browser/hostile_fixture.txt, article text made of
# markup and script that must stay text) it generates the report, lets
# report_test.mjs check the document view against the change log, reject
# edits (on their marks, in bulk by rule) in headless chromium and export the
# results, then checks that `copydesk apply --reject` gives byte-identical
# text. Then one report of all five samples and the hostile fixture: the list
# view's "reject all" of a rule across documents == `copydesk apply --reject`.
# The reports are made with --quality (badge, highlighted sentences, sort by
# score; the --report DIR/ index sorted by score), except one run of the first
# input without it (the page must have none of them).
# Needs node, `npm ci` in tests/browser (done here if node_modules is missing)
# and chromium (/usr/bin/chromium or $CHROMIUM); exits 77 (skipped) without them.
# SCREENSHOT=docs/report.png refreshes the README's screenshots (the report of
# several documents: document view in docs/report.png, list view in
# docs/report-list.png).
set -euo pipefail
bin=$(realpath "$1")
shift
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
shot=${SCREENSHOT:+$(realpath -m "$SCREENSHOT")}
cd "$root"  # so the report names the inputs by their relative paths
inputs=("$@")
if [[ ${#inputs[@]} -eq 0 ]]; then
  inputs=("$(ls samples/004*.txt | head -n1)" tests/browser/skip_fixture.txt tests/browser/hostile_fixture.txt)
fi
chromium=${CHROMIUM:-/usr/bin/chromium}
if [[ ! -x $chromium ]] || ! command -v node >/dev/null; then
  echo "skipped: needs node and chromium ($chromium)"; exit 77
fi
if [[ ! -d $here/node_modules/playwright-core ]]; then
  (cd "$here" && npm ci --no-audit --no-fund --silent)
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

status=0
runs=()
for input in "${inputs[@]}"; do runs+=("--quality $input"); done
runs+=("--no-quality ${inputs[0]}")
for run in "${runs[@]}"; do
  mode=${run%% *}
  input=${run#* }
  echo "== $input ($mode)"
  quality=()
  [[ $mode == --quality ]] && quality=(--quality)
  rm -rf "${tmp:?}"/*
  "$bin" clean -q "${quality[@]}" --report "$tmp/report.html" --changes "$tmp/changes.json" "$input" > "$tmp/cleaned.txt"
  CHROMIUM=$chromium node "$here/report_test.mjs" --report "$tmp/report.html" --cleaned "$tmp/cleaned.txt" \
    --changes "$tmp/changes.json" --input "$input" --out "$tmp/out" || status=1
  for s in s1 s2 s3 s4; do
    [[ -f $tmp/out/$s.rejected.json ]] || continue
    "$bin" apply -q --reject "$tmp/out/$s.rejected.json" "$input" > "$tmp/$s.apply.txt"
    if cmp -s "$tmp/out/$s.txt" "$tmp/$s.apply.txt"; then
      echo "ok   $s: page export == copydesk apply --reject"
    else
      echo "FAIL $s: page export differs from copydesk apply --reject"
      diff "$tmp/out/$s.txt" "$tmp/$s.apply.txt" | head -20 || true
      status=1
    fi
  done
done

echo "== several documents: bulk reject by rule"
rm -rf "${tmp:?}"/*
many=(samples/*.txt tests/browser/hostile_fixture.txt)
"$bin" clean -q --quality --report "$tmp/report.html" --changes "$tmp/changes.json" --out-dir "$tmp/cleaned" "${many[@]}"
"$bin" clean -q --quality --report "$tmp/pages/" --out-dir "$tmp/cleaned2" "${many[@]}"
CHROMIUM=$chromium node "$here/report_test.mjs" --report "$tmp/report.html" --changes "$tmp/changes.json" \
  --out "$tmp/out" --multi 1 --index "$tmp/pages" ${shot:+--screenshot "$shot"} || status=1
"$bin" apply -q --reject "$tmp/out/m.rejected.json" --out-dir "$tmp/applied" "${many[@]}"
for input in "${many[@]}"; do
  name=$(basename "$input")
  if cmp -s "$tmp/out/m/$name" "$tmp/applied/$name"; then
    echo "ok   $name: page text == copydesk apply --reject"
  else
    echo "FAIL $name: page text differs from copydesk apply --reject"
    status=1
  fi
done
exit $status
