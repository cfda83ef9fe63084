#!/usr/bin/env bash
# Batches and streams: folder batches equal cleaning each file alone, thread
# counts do not change output, and a JSON Lines stream with broken records
# keeps order and counts and reports every bad record.
# Usage: batch_test.sh COPYDESK_BINARY SOURCE_DIR [RECORDS]
set -uo pipefail
bin=$1
src=$2
records=${3:-100000}
source "$(dirname "$0")/check.sh"

# --- folder batch: a tree in, the same tree out, identical to one-by-one cleaning
mkdir -p "$tmp/in/nested/deeper" "$tmp/in/.hidden"
cp "$src"/samples/*.txt "$tmp/in/"
cp "$src"/samples/*.txt "$tmp/in/nested/deeper/"
printf 'Ignored.\n' >"$tmp/in/.hidden/x.txt"
"$bin" clean --quiet --threads 2 --out-dir "$tmp/out" "$tmp/in"
check "batch writes the whole tree" test "$(find "$tmp/out" -type f | wc -l)" = "$(find "$tmp/in" -type f -not -path '*/.hidden/*' | wc -l)"
check "batch skips hidden folders" test ! -e "$tmp/out/.hidden"
same=1
while IFS= read -r f; do
  rel=${f#"$tmp/in/"}
  "$bin" clean --threads 1 "$f" >"$tmp/alone.txt"
  cmp -s "$tmp/alone.txt" "$tmp/out/$rel" || { echo "differs: $rel"; same=0; }
done < <(find "$tmp/in" -type f -not -path '*/.hidden/*')
check "batch output is byte-identical to cleaning each file alone" test "$same" = 1
"$bin" clean --quiet --threads 2 --diff --color never "$src"/samples/*.txt >"$tmp/diff2"
"$bin" clean --quiet --threads 1 --diff --color never "$src"/samples/*.txt >"$tmp/diff1"
check "diffs come in input order whatever the threads" cmp -s "$tmp/diff1" "$tmp/diff2"

# --- a JSON Lines stream with broken records
python3 "$src/tests/make_jsonl.py" --records "$records" --bad-every 997 --bad-lines "$tmp/bad_lines" \
  "$tmp/stream.jsonl" "$src"/samples/*.txt
good=$(python3 -c "import json,sys
n=0
for l in open(sys.argv[1],'rb'):
    try:
        r=json.loads(l.decode('utf-8'))
        n+= isinstance(r,dict) and isinstance(r.get('text'),str)
    except Exception: pass
print(n)" "$tmp/stream.jsonl")
bad=$(wc -l <"$tmp/bad_lines")
check "the stream has broken records" test "$bad" -ge $((records / 997))

"$bin" clean --jsonl --quiet --threads 2 --on-error=pass --errors "$tmp/errors.jsonl" <"$tmp/stream.jsonl" >"$tmp/pass.jsonl"
check "pass: exit 0" test $? = 0
check "pass: every record comes out" test "$(wc -l <"$tmp/pass.jsonl")" = "$((good + bad))"
check "pass: every bad record is reported" test "$(wc -l <"$tmp/errors.jsonl")" = "$bad"
check "errors name the right line numbers" cmp -s <(python3 -c "import json,sys
for l in open(sys.argv[1]): print(json.loads(l)['line'])" "$tmp/errors.jsonl") "$tmp/bad_lines"
check "errors give a reason and the input" python3 -c "import json,sys
for l in open(sys.argv[1]):
    e=json.loads(l); assert e['error'] and 'input' in e and e['file']=='<stdin>'" "$tmp/errors.jsonl"
check "pass: records keep their order" python3 -c "import json,sys
ids=[]
for l in open(sys.argv[1],'rb'):
    try: ids.append(json.loads(l.decode('utf-8'))['id'])
    except Exception: pass
good=[i for i in ids if i.startswith('r')]
assert good==sorted(good,key=lambda s:int(s[1:])), 'order'" "$tmp/pass.jsonl"

"$bin" clean --jsonl --quiet --threads 1 --on-error=pass --errors "$tmp/ignored-errors.jsonl" <"$tmp/stream.jsonl" >"$tmp/pass1.jsonl"
check "1 and 2 threads give identical streams" cmp -s "$tmp/pass.jsonl" "$tmp/pass1.jsonl"

"$bin" clean --jsonl --quiet --on-error=skip --errors "$tmp/errors2.jsonl" -o "$tmp/skip.jsonl" "$tmp/stream.jsonl"
check "skip: exit 3 (records were left out)" test $? = 3
check "skip: only good records come out" test "$(wc -l <"$tmp/skip.jsonl")" = "$good"
check "skip: every bad record is reported" test "$(wc -l <"$tmp/errors2.jsonl")" = "$bad"

"$bin" clean --jsonl --quiet --on-error=fail --errors "$tmp/ignored-errors.jsonl" -o "$tmp/fail.jsonl" "$tmp/stream.jsonl"
check "fail: exit 3" test $? = 3
check "fail: no output file is left" test ! -e "$tmp/fail.jsonl"

# --- each record's text is cleaned exactly as the same text alone
head -200 "$tmp/stream.jsonl" | grep '"id": "r' | head -15 >"$tmp/first.jsonl"
"$bin" clean --jsonl --quiet <"$tmp/first.jsonl" >"$tmp/first.out"
check "a record's text is cleaned as the text alone" python3 -c "import json,subprocess,sys
for a,b in zip(open(sys.argv[1]),open(sys.argv[2])):
    ra,rb=json.loads(a),json.loads(b)
    alone=subprocess.run([sys.argv[3],'clean','--threads','1'],input=ra['text'].encode(),capture_output=True).stdout.decode()
    assert rb['text']==alone,(ra['id'],rb['text'][:80],alone[:80])
    assert [k for k in ra]==[k for k in rb], 'key order'" "$tmp/first.jsonl" "$tmp/first.out" "$bin"

"$bin" clean --jsonl --quiet --changes-inline --text-field body \
  <<<'{"id": 1, "body": "Prices rose ,traders said.Markets fell sharply on Monday, after the report."}' >"$tmp/inline.jsonl"
check "--changes-inline adds the edits" python3 -c "import json,sys
r=json.load(open(sys.argv[1])); assert r['copydesk_edits'] and r['copydesk_edits'][0]['rule'], r" "$tmp/inline.jsonl"
check "--text-field names the field" python3 -c "import json,sys
r=json.load(open(sys.argv[1])); assert r['body'].startswith('Prices rose, traders said. Markets fell'), r" "$tmp/inline.jsonl"

echo "batch: $passed passed, $failed failed"
((failed == 0))
