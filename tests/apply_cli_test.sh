#!/usr/bin/env bash
# End-to-end tests of `copydesk apply`'s safety checks and of `--report DIR`.
# Usage: apply_cli_test.sh COPYDESK_BINARY
# The rejected-ids files are built here the way the review page builds them:
# the configuration and text hashes are read from the report's data block.
set -uo pipefail
bin=$1
source "$(dirname "$0")/check.sh"

mkdir -p "$tmp/in"
printf 'Markets fell sharply ,traders said.Prices rose again .\n\nThe index closed lower ,analysts noted.\n' >"$tmp/in/a.txt"
printf 'Shares rose ,dealers said.\n' >"$tmp/in/b.txt"
cd "$tmp"
"$bin" clean -q --report report.html --changes changes.json in/a.txt in/b.txt >/dev/null

# rejected.json for `report` (a page), rejecting IDS of in/a.txt ("-" for every change of a.txt).
make_rejected() {  # make_rejected REPORT OUT IDS...
  python3 - "$@" <<'PY'
import json, re, sys
html = open(sys.argv[1], encoding="utf-8").read()
data = json.loads(re.search(r'id="copydesk-data">(.*?)</script>', html, re.S).group(1))
ids = sys.argv[3:]
docs = {}
for d in data["documents"]:
    chosen = []
    if d["path"] == "in/a.txt":
        every = [s["name"] + "-" + str(k + 1) for s in d["stages"] for k, e in enumerate(s["edits"]) if e[5] == 0]
        chosen = every if ids == ["-"] else ids
    docs[d["path"]] = {"input": d["hash"], "rejected": chosen}
json.dump({"copydesk_rejected": 2, "config": data["config"], "documents": docs}, open(sys.argv[2], "w"))
PY
}
first=$(python3 -c 'import json; print([e["id"] for e in json.load(open("changes.json"))["documents"][0]["edits"] if e["kind"] == "change"][0])')
make_rejected report.html one.json "$first"
make_rejected report.html all.json -

check "apply with the report's file exits 0" test "$(rc "$bin" apply -q --reject one.json in/a.txt)" = 0
"$bin" clean -q in/a.txt >clean.txt
check "apply without the rejected edit differs from clean" test "$(cat "$tmp/out")" != "$(cat clean.txt)"
check "rejecting every change gives the input" test "$(rc "$bin" apply -q --reject all.json -o all.txt in/a.txt)" = 0
check "... byte for byte" cmp -s all.txt in/a.txt

# The text changed since the report: refused, nothing written.
cp in/a.txt a.orig
printf 'One more line.\n' >>in/a.txt
check "changed text is refused (exit 2)" test "$(rc "$bin" apply --reject one.json -o changed.txt in/a.txt)" = 2
check "changed text: the message says why" grep -q "a.txt: its text differs" "$tmp/err"
check "changed text: nothing written" test ! -e changed.txt
mkdir -p outdir
check "changed text among others: refused before any output" \
  test "$(rc "$bin" apply --reject one.json --out-dir outdir in/b.txt in/a.txt)" = 2
check "changed text among others: no file written" test -z "$(ls outdir)"
cp a.orig in/a.txt

# Another configuration (a stage fewer) than the report's: refused.
check "another configuration is refused (exit 2)" test "$(rc "$bin" apply --skip spacing --reject one.json in/a.txt)" = 2
check "another configuration: the message says why" grep -q "another configuration" "$tmp/err"

# A document of the run with no entry: said, every edit applied.
printf 'Prices fell ,brokers said.\n' >in/c.txt
"$bin" clean -q in/c.txt >c.clean.txt
check "a document without entry is cleaned (exit 0)" test "$(rc "$bin" apply --reject one.json in/c.txt)" = 0
check "a document without entry: it says so" grep -q "c.txt: not in the rejected-edits file" "$tmp/err"
check "a document without entry: every edit applied" cmp -s "$tmp/out" c.clean.txt

# A rejected id that names no edit: an error, the document is not written.
make_rejected report.html unknown.json "$first" spacing-999
check "an unknown id is an error (exit 2)" test "$(rc "$bin" apply --reject unknown.json -o unknown.txt in/a.txt)" = 2
check "an unknown id is named" grep -q "spacing-999" "$tmp/err"
check "an unknown id: nothing written" test ! -e unknown.txt

# Files of the older format (no hashes) are refused.
printf '{"copydesk_rejected": 1, "documents": {"in/a.txt": []}}' >v1.json
check "a version 1 file is refused (exit 2)" test "$(rc "$bin" apply --reject v1.json in/a.txt)" = 2

# --report DIR: an index and one page per document; each page's export is merged by apply.
check "--report DIR/ exits 0" test "$(rc "$bin" clean -q --report pages/ in/a.txt in/b.txt)" = 0
check "--report DIR/ writes the index" grep -q 'href="docs/00002.html">in/b.txt' pages/index.html
check "--report DIR/ writes one page per document" test -f pages/docs/00001.html -a -f pages/docs/00002.html
make_rejected pages/docs/00001.html page1.json "$first"
make_rejected pages/docs/00002.html page2.json
check "apply takes every page's file" test "$(rc "$bin" apply -q --reject page1.json --reject page2.json -o merged.txt in/a.txt)" = 0
"$bin" apply -q --reject one.json -o single.txt in/a.txt
check "... with the same result as the one-page report's file" cmp -s merged.txt single.txt

echo "apply_cli_test: $passed passed, $failed failed"
test "$failed" -eq 0
