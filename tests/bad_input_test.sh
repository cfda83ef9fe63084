#!/usr/bin/env bash
# The bad-input matrix: every kind of broken, hostile or awkward input, each
# answered with the right exit code and message, and nothing lost (the other
# inputs and records still come out; nothing changes without a log entry).
# Usage: bad_input_test.sh COPYDESK_BINARY [BIG_LINE_MB]
# Prints "matrix: N tried, N handled" (a case is handled when all its checks pass).
set -uo pipefail
bin=$1
big_mb=${2:-5}
tmp=$(mktemp -d)
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
tried=0
handled=0
failures=0
case_ok=1
begin() { # begin NAME: a new case of the matrix
  finish
  name=$1
  tried=$((tried + 1))
  case_ok=1
  open=1
}
open=0
finish() {
  ((open)) || return 0
  if ((case_ok)); then handled=$((handled + 1)); else failures=$((failures + 1)); fi
  open=0
}
check() { # check WHAT COMMAND...: one assertion of the current case
  local what=$1
  shift
  if ! "$@"; then
    echo "FAIL [$name] $what"
    case_ok=0
  fi
}
run() { # run COMMAND...: exit code in $code, output in $tmp/out, messages in $tmp/err
  "$@" >"$tmp/out" 2>"$tmp/err"
  code=$?
}
is() { test "$code" = "$1"; }
says() { grep -qE -- "$1" "$tmp/err"; }
utf8() { python3 -c "import sys; open(sys.argv[1], 'rb').read().decode('utf-8')" "$1" 2>/dev/null; }
json_lines() { python3 -c "
import json, sys
for l in open(sys.argv[1], encoding='utf-8'): json.loads(l)" "$1" 2>/dev/null; }
# A file changed only with a log entry: the output equals the input, or the
# change log of the same run lists at least one change (--check agrees).
consistent() { # consistent FILE
  "$bin" clean --quiet --changes "$tmp/c.json" -o "$tmp/c.out" "$1" 2>/dev/null || return 1
  if cmp -s "$1" "$tmp/c.out"; then
    "$bin" clean --quiet --check "$1" >/dev/null 2>&1
  else
    python3 -c "import json,sys; assert json.load(open(sys.argv[1]))['documents'][0]['changes'] > 0" "$tmp/c.json" &&
      ! "$bin" clean --quiet --check "$1" >/dev/null 2>&1
  fi
}

# --- invalid UTF-8 of every kind: rejected with the offset, or replaced (and
# logged) with --lossy; the text around survives.
while IFS=' ' read -r label hex offset; do
  begin "invalid UTF-8: $label"
  printf "Prices rose.\nA bad $hex here.\n" >"$tmp/u.txt"
  run "$bin" clean "$tmp/u.txt"
  check "exit 3" is 3
  check "names the offset" says "invalid UTF-8 at byte offset $offset"
  check "no text out" test ! -s "$tmp/out"
  run "$bin" clean --lossy --changes "$tmp/lossy.json" -o "$tmp/lossy.out" "$tmp/u.txt"
  check "--lossy exit 0" is 0
  check "--lossy output is UTF-8" utf8 "$tmp/lossy.out"
  check "--lossy keeps the text around" grep -q "here\." "$tmp/lossy.out"
  check "--lossy logs the replacement" grep -q '"invalid-utf8"' "$tmp/lossy.json"
done <<'CASES'
lone-continuation \x80 19
overlong-2-byte \xc0\xaf 19
overlong-3-byte \xe0\x80\xaf 19
surrogate \xed\xa0\x80 19
above-U+10FFFF \xf4\x90\x80\x80 19
byte-F5 \xf5\x80\x80\x80 19
byte-FE \xfe 19
byte-FF \xff 19
truncated-then-ASCII \xe2\x82A 19
lead-without-continuation \xc3 19
CASES
begin "invalid UTF-8: truncated at the end of the file"
printf 'Prices rose.\xe2\x82' >"$tmp/u.txt"
run "$bin" clean "$tmp/u.txt"
check "exit 3" is 3
check "names the offset" says "invalid UTF-8 at byte offset 12"

begin "NUL byte"
printf 'Prices\0 rose.\n' >"$tmp/nul.txt"
run "$bin" clean "$tmp/nul.txt"
check "exit 3" is 3
check "called binary" says "binary file \(NUL byte at byte offset 6\)"
begin "binary file"
head -c 4096 /dev/urandom >"$tmp/random.bin"
printf '\0' >>"$tmp/random.bin"
run "$bin" clean --lossy "$tmp/random.bin"
check "exit 3" is 3
check "called binary" says "binary"
begin "one bad file among good ones"
printf 'A fine line.\n' >"$tmp/good1.txt"
printf 'Another fine line.\n' >"$tmp/good2.txt"
run "$bin" clean --out-dir "$tmp/mixed" "$tmp/good1.txt" "$tmp/nul.txt" "$tmp/good2.txt"
check "exit 3" is 3
check "the bad one named" says "nul.txt"
check "the good ones still written" test -s "$tmp/mixed/good1.txt" -a -s "$tmp/mixed/good2.txt"

begin "UTF-8 byte order mark"
printf '\xef\xbb\xbfA clean sentence here.\n' >"$tmp/bom.txt"
run "$bin" clean "$tmp/bom.txt"
check "exit 0" is 0
check "text kept" grep -q "A clean sentence here." "$tmp/out"
check "a change only with a log entry" consistent "$tmp/bom.txt"

# --- line endings
begin "CRLF throughout"
printf 'Line one.\r\nLine two.\r\n' >"$tmp/crlf.txt"
run "$bin" clean "$tmp/crlf.txt"
check "kept byte for byte" cmp -s "$tmp/crlf.txt" "$tmp/out"
begin "a lone LF in a CRLF file"
printf 'Line one.\r\nLine two.\nLine three.\r\n' >"$tmp/mixed.txt"
run "$bin" clean "$tmp/mixed.txt"
check "kept line by line" cmp -s "$tmp/mixed.txt" "$tmp/out"
run "$bin" clean --check "$tmp/mixed.txt"
check "--check exits 0" is 0
begin "CR only (old Mac)"
printf 'Line one.\rLine two.\r' >"$tmp/cr.txt"
run "$bin" clean "$tmp/cr.txt"
check "exit 0" is 0
check "a change only with a log entry" consistent "$tmp/cr.txt"
begin "CRLF file without a final line ending"
printf 'Line one.\r\nLine two.' >"$tmp/crlf-open.txt"
run "$bin" clean "$tmp/crlf-open.txt"
check "kept byte for byte" cmp -s "$tmp/crlf-open.txt" "$tmp/out"
begin "LF file with one CRLF"
printf 'Line one.\nLine two.\r\nLine three.\n' >"$tmp/lf-crlf.txt"
run "$bin" clean "$tmp/lf-crlf.txt"
check "exit 0" is 0
check "a change only with a log entry" consistent "$tmp/lf-crlf.txt"
check "kept line by line" cmp -s "$tmp/lf-crlf.txt" "$tmp/out"
begin "a mixed file whose LF lines are removed"
printf 'Promoted Stories\nPrices rose on Monday, traders said.\r\nThe end.\r\n' >"$tmp/mixed-furniture.txt"
run "$bin" clean -o "$tmp/mf1.txt" "$tmp/mixed-furniture.txt"
run "$bin" clean --check "$tmp/mf1.txt"
check "a second run changes nothing" is 0

# --- scripts and shapes
n=0
for text in '北京市政府周一宣布了新的经济政策。市场反应积极。' '東京の株価は月曜日に上昇した。' \
  'قال الرئيس إن الاقتصاد ينمو بسرعة. وأضاف أن الأسواق مستقرة.' 'אמר השר כי המשק צומח. הוא הוסיף שהשווקים יציבים.' \
  'ߒߞߏ ߞߊ߲ ߦߋ߫ ߞߎ߲߬ߓߊ ߘߌ߫.' 'The cafe\xcc\x81 opened. Zoe\xcc\x88 said so.' \
  'The family 👨‍👩‍👧 emoji and 🏳️‍🌈 flag stay.' 'Talks in القاهرة ended on Monday. Officials from مصر said so.' \
  'Reports said ישראל agreed. Then שלום came.' 'Greek Αθήνα and Cyrillic Москва are names here.'; do
  n=$((n + 1))
  begin "script sample $n"
  printf "$text\n" >"$tmp/script$n.txt"
  run "$bin" clean "$tmp/script$n.txt"
  check "exit 0" is 0
  check "output is UTF-8" utf8 "$tmp/out"
  check "a change only with a log entry" consistent "$tmp/script$n.txt"
done
begin "caseless names are not 'capitalised'"
run "$bin" clean --check "$tmp/script8.txt"
check "--check exits 0 on Arabic names" is 0
run "$bin" clean --check "$tmp/script9.txt"
check "--check exits 0 on Hebrew names" is 0

begin "a huge word (1 MB without a space)"
python3 -c "import sys; sys.stdout.write('Start ' + 'abcdefghij' * 100000 + ' end.\n')" >"$tmp/word.txt"
run "$bin" clean "$tmp/word.txt"
check "exit 0" is 0
check "a change only with a log entry" consistent "$tmp/word.txt"
begin "a ${big_mb} MB line"
python3 -c "
import sys
s = 'Markets fell sharply ,traders said. '
sys.stdout.write(s * ($big_mb * 1048576 // len(s)) + 'The end.\n')" >"$tmp/big.txt"
run "$bin" clean -o "$tmp/big.out" "$tmp/big.txt"
check "exit 0" is 0
check "every sentence out" test "$(grep -o 'traders said' "$tmp/big.out" | wc -l)" = "$(grep -o 'traders said' "$tmp/big.txt" | wc -l)"
begin "a million lines"
python3 -c "
import sys
sys.stdout.write(''.join('Line %d is here.\n' % i for i in range(1000000)))" >"$tmp/million.txt"
run "$bin" clean -o "$tmp/million.out" "$tmp/million.txt"
check "exit 0" is 0
check "every line out" test "$(wc -l <"$tmp/million.out")" = 1000000
begin "empty file"
: >"$tmp/empty.txt"
run "$bin" clean "$tmp/empty.txt"
check "exit 0, nothing out" test "$code" = 0 -a ! -s "$tmp/out"
begin "no final newline"
printf 'A clean sentence.' >"$tmp/open.txt"
run "$bin" clean "$tmp/open.txt"
check "kept byte for byte" cmp -s "$tmp/open.txt" "$tmp/out"

# --- files that are not files
begin "a directory without --out-dir"
mkdir -p "$tmp/dir"
cp "$tmp/good1.txt" "$tmp/dir/"
run "$bin" clean "$tmp/dir"
check "handled" test "$code" = 0 -o "$code" = 3
begin "an empty directory"
mkdir -p "$tmp/emptydir"
run "$bin" clean --out-dir "$tmp/emptyout" "$tmp/emptydir"
check "exit 0" is 0
begin "a FIFO as input"
mkfifo "$tmp/in.fifo"
printf 'Markets fell ,traders said.\n' >"$tmp/in.fifo" &
run "$bin" clean "$tmp/in.fifo"
wait
check "exit 0" is 0
check "cleaned" grep -q "fell, traders" "$tmp/out"
begin "a FIFO inside a folder"
mkdir -p "$tmp/withfifo"
cp "$tmp/good1.txt" "$tmp/withfifo/"
mkfifo "$tmp/withfifo/pipe"
run timeout 20 "$bin" clean --out-dir "$tmp/withfifo-out" "$tmp/withfifo"
check "exit 0 without blocking" is 0
check "the file is cleaned" test -s "$tmp/withfifo-out/good1.txt"
check "the FIFO is named" says "withfifo/pipe: not read: a named pipe"
begin "an unreadable file"
mkdir -m 755 "$tmp/perm"
printf 'A secret.\n' >"$tmp/perm/secret.txt"
chmod 000 "$tmp/perm/secret.txt"
as=()
if [[ $(id -u) -eq 0 ]]; then
  # root reads any file: the case runs as nobody when setpriv can arrange it
  if command -v setpriv >/dev/null && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$bin" 2>/dev/null &&
    setpriv --reuid=65534 --regid=65534 --clear-groups test -r "$(dirname "$bin")" 2>/dev/null; then
    chmod 755 "$tmp"
    as=(setpriv --reuid=65534 --regid=65534 --clear-groups)
  else
    as=(skip)
  fi
fi
if [[ ${as[0]:-} == skip ]]; then
  echo "skip [$name]: running as root and cannot switch to nobody"
  tried=$((tried - 1))
  open=0
else
  run "${as[@]}" "$bin" clean "$tmp/perm/secret.txt"
  check "exit 3" is 3
  check "says permission" says "secret.txt: cannot open \(Permission denied\)"
  # In a folder run the summary names it too.
  cp "$tmp/good1.txt" "$tmp/perm/"
  chmod 644 "$tmp/perm/good1.txt"
  mkdir -m 777 "$tmp/perm-out"
  run "${as[@]}" "$bin" clean --out-dir "$tmp/perm-out" "$tmp/perm"
  check "folder: exit 3" is 3
  check "folder: the readable file is written" test -s "$tmp/perm-out/good1.txt"
  check "folder: listed under the summary" says "^copydesk: not read: .*perm/secret.txt: cannot open \(Permission denied\)"
fi
begin "a missing file among good ones"
run "$bin" clean "$tmp/good1.txt" "$tmp/nonexistent.txt" "$tmp/good2.txt"
check "exit 3" is 3
check "named" says "nonexistent.txt: cannot open"
check "the others out" test "$(grep -c 'fine line' "$tmp/out")" = 2
begin "a file name that is not UTF-8 in a folder run"
mkdir -p "$tmp/names"
printf 'Markets fell ,traders said.\n' >"$tmp/names/b$(printf '\xff').txt"
cp "$tmp/good1.txt" "$tmp/names/c.txt"
run "$bin" clean --out-dir "$tmp/names-out" --changes "$tmp/names.json" "$tmp/names"
check "exit 0" is 0
check "both written" test "$(find "$tmp/names-out" -type f | wc -l)" = 2
check "the change log is JSON" python3 -c "import json,sys; json.load(open(sys.argv[1]))" "$tmp/names.json"

# --- outputs that cannot be written or that collide
printf 'Markets fell ,traders said.\n' >"$tmp/in-dirty.txt"
for target in stdout -o --changes --diff; do
  begin "a full disk ($target)"
  case $target in
    stdout) "$bin" clean "$tmp/good1.txt" >/dev/full 2>"$tmp/err" ;;
    -o) "$bin" clean -o /dev/full "$tmp/good1.txt" 2>"$tmp/err" ;;
    --changes) "$bin" clean -q --check --changes /dev/full "$tmp/good1.txt" 2>"$tmp/err" ;;
    --diff) "$bin" clean --diff "$tmp/crlf.txt" "$tmp/in-dirty.txt" >/dev/full 2>"$tmp/err" ;;
  esac
  code=$?
  check "exit 3" is 3
  check "names the output" says "(standard output|/dev/full).*(No space left|write failed)"
done
begin "a full disk (--jsonl)"
printf '{"id": 1, "text": "Fine."}\n' >"$tmp/one.jsonl"
"$bin" clean --jsonl -q "$tmp/one.jsonl" >/dev/full 2>"$tmp/err"
code=$?
check "exit 3" is 3
check "names the output" says "standard output: write failed"
begin "-o is the input"
cp "$tmp/mixed.txt" "$tmp/same.txt"
run "$bin" clean -o "$tmp/same.txt" "$tmp/same.txt"
check "exit 2" is 2
check "says so" says "-o .*same.txt is also an input"
begin "--report is the input"
run "$bin" clean --report "$tmp/same.txt" --in-place "$tmp/same.txt"
check "exit 2" is 2
check "the input untouched" cmp -s "$tmp/mixed.txt" "$tmp/same.txt"
begin "--changes is the input"
run "$bin" clean --changes "$tmp/same.txt" -o "$tmp/x.txt" "$tmp/same.txt"
check "exit 2" is 2
check "the input untouched" cmp -s "$tmp/mixed.txt" "$tmp/same.txt"
begin "--changes is -o (through another name)"
run "$bin" clean --changes "$tmp/./x.txt" -o "$tmp/x.txt" "$tmp/same.txt"
check "exit 2" is 2
check "says so" says "are the same file"
begin "--errors is -o"
run "$bin" clean --jsonl -o "$tmp/o.jsonl" --errors "$tmp/o.jsonl" "$tmp/one.jsonl"
check "exit 2" is 2
begin "--out-dir over the inputs"
run "$bin" clean --out-dir "$tmp/dir" "$tmp/dir"
check "exit 2" is 2
check "says so" says "over the input itself"
begin "--diff with --changes -"
run "$bin" clean --diff --changes - "$tmp/mixed.txt"
check "exit 2" is 2
check "nothing on standard output" test ! -s "$tmp/out"

# --- options out of range
begin "-j -1"
run "$bin" clean -j -1 "$tmp/good1.txt"
check "exit 2" is 2
check "names --threads" says "--threads must be a whole number"
begin "-j 0"
run "$bin" clean -j 0 "$tmp/good1.txt"
check "exit 2" is 2
begin "a huge -j"
run "$bin" clean -j 4000000000 "$tmp/good1.txt"
check "exit 0" is 0
check "cleaned" grep -q "fine line" "$tmp/out"
check "says it was clamped" says "--threads 4000000000: using [0-9]+"

# --- --in-place keeps the file's mode and owner
begin "--in-place keeps mode and owner"
printf 'Markets fell ,traders said.\n' >"$tmp/owned.txt"
chmod 640 "$tmp/owned.txt"
[[ $(id -u) -eq 0 ]] && chown 65534:65534 "$tmp/owned.txt"
before=$(stat -c '%u:%g %a' "$tmp/owned.txt")
run "$bin" clean --in-place "$tmp/owned.txt"
check "exit 0" is 0
check "rewritten" grep -q "fell, traders" "$tmp/owned.txt"
check "same owner and mode" test "$(stat -c '%u:%g %a' "$tmp/owned.txt")" = "$before"

# --- an interrupted run leaves no temporary files
begin "an interrupted --out-dir run"
mkdir -p "$tmp/many"
for i in $(seq 1 400); do ln "$tmp/big.txt" "$tmp/many/f$i.txt"; done
"$bin" clean -q --threads 1 --out-dir "$tmp/many-out" --changes "$tmp/many-out/log.json" "$tmp/many" 2>/dev/null &
pid=$!
for _ in $(seq 1 600); do
  [[ -n $(find "$tmp/many-out" -name '.*copydesk-*' 2>/dev/null) ]] && break
  sleep 0.1
done
check "a temporary existed while running" test -n "$(find "$tmp/many-out" -name '.*copydesk-*' 2>/dev/null)"
kill -TERM "$pid"
wait "$pid"
check "killed by the signal" test "$?" = 143
check "no temporary left" test -z "$(find "$tmp/many-out" -name '.*copydesk-*')"
rm -rf "$tmp/many" "$tmp/many-out"

# --- JSON Lines records of every awkward kind: one stream, each bad record an
# error record (valid UTF-8 JSON with its line), every good one out.
python3 - "$tmp/kinds.jsonl" <<'PY'
import sys
deep = '{"id": "deep", "text": "Deep ,record.", "x": ' + '[' * 100000 + ']' * 100000 + '}'
lines = [
    b'{"id": 1, "text": "Markets fell ,traders said."}',
    deep.encode(),
    b'{"id": 123456789012345678901234567890, "z": -0, "f": 1.50, "g": 1e400, "text": "Fine text."}',
    b'{"text": "x", \xe2\x80\x91: 1}',
    b'{"id": 5, "text": "bad \xff byte"}',
    b'{"id": 6, "text": "one", "text": "two"}',
    b'{"id": 7, "id": 8, "text": "Duplicate ids pass."}',
    b'{"id": 9, "text": 42}',
    b'{"id": 10, "text": "lone \\ud800 surrogate"}',
    b'{"id": 11, "text": "Caf\\u00e9 owners said \\"yes\\" on Monday.\\nThey did."}',
    b'[1, 2, 3]',
    b'{"id": 13, "text": "trailing"} garbage',
    b'{"id": 14, "text": "NUL \\u0000 inside"}',
    b'',
    b'{"id": 16, "text": "caf\xc3\xa9 \xe2\x80\x91 \xf0\x9f\x98\x80 ok."}\r',
    b'{"id": 17, "text": "Last ,one."}',
]
open(sys.argv[1], 'wb').write(b'\n'.join(lines) + b'\n')
PY
begin "JSON Lines: every kind in one stream"
run "$bin" clean --jsonl -q --errors "$tmp/kinds.err" -o "$tmp/kinds.out" "$tmp/kinds.jsonl"
check "exit 0 (--on-error pass)" is 0
check "one output line per record" test "$(wc -l <"$tmp/kinds.out")" = 15
check "error records are UTF-8 JSON" json_lines "$tmp/kinds.err"
check "error lines are 4 5 6 8 9 11 12 13" test "$(python3 -c "
import json,sys; print(' '.join(str(json.loads(l)['line']) for l in open(sys.argv[1])))" "$tmp/kinds.err")" = "4 5 6 8 9 11 12 13"
check "the deep record is cleaned" grep -q '"text": "Deep, record."' "$tmp/kinds.out"
check "numbers verbatim" grep -qF '{"id": 123456789012345678901234567890, "z": -0, "f": 1.50, "g": 1e400, "text": "Fine text."}' "$tmp/kinds.out"
check "duplicate other keys verbatim" grep -qF '{"id": 7, "id": 8, "text": "Duplicate ids pass."}' "$tmp/kinds.out"
check "escapes kept where the text is unchanged" grep -qF '"Caf\u00e9 owners said \"yes\" on Monday.\nThey did."' "$tmp/kinds.out"
check "the last record is cleaned" grep -q '"Last, one."' "$tmp/kinds.out"
check "a CRLF record keeps its CR" grep -q $'ok."}\r$' "$tmp/kinds.out"
begin "JSON Lines: --on-error fail stops exactly before the bad record"
for j in 1 2 4; do
  run "$bin" clean --jsonl -q -j$j --on-error fail --errors "$tmp/fail.err" "$tmp/kinds.jsonl"
  check "exit 3 (-j$j)" is 3
  check "only the records before it (-j$j)" test "$(wc -l <"$tmp/out")" = 3
  check "the bad record in --errors (-j$j)" grep -q '"line":4' "$tmp/fail.err"
  check "the message gives line and reason (-j$j)" says "kinds.jsonl line 4: not JSON"
done
begin "JSON Lines: a misnamed --text-field"
python3 -c "
import json
for i in range(2000): print(json.dumps({'id': i, 'body': 'Article %d is long. ' % i * 200}))" >"$tmp/body.jsonl"
run "$bin" clean --jsonl "$tmp/body.jsonl"
check "exit 2" is 2
check "names --text-field" says "no record has a \"text\" field.*--text-field"
check "nothing written" test ! -s "$tmp/out"
check "stderr stays small" test "$(wc -c <"$tmp/err")" -lt 2000
begin "JSON Lines: echo of a huge bad record is bounded"
python3 -c "print('{\"id\": 1, \"text\": 5, \"pad\": \"' + 'x' * 1000000 + '\"}')" >"$tmp/hugebad.jsonl"
printf '{"id": 2, "text": "Fine."}\n' >>"$tmp/hugebad.jsonl"
run "$bin" clean --jsonl -q "$tmp/hugebad.jsonl"
check "exit 0" is 0
check "standard error under 2 KB" test "$(wc -c <"$tmp/err")" -lt 2048
check "says it was cut" says '"input_truncated":true'
check "both records out" test "$(wc -l <"$tmp/out")" = 2
run "$bin" clean --jsonl -q --errors "$tmp/hugebad.err" "$tmp/hugebad.jsonl"
check "--errors keeps it whole" test "$(wc -c <"$tmp/hugebad.err")" -gt 1000000
begin "JSON Lines: a record nested 100,000 deep given to apply --reject"
python3 -c "print('{\"copydesk_rejected\": 1, \"documents\": {\"a\": [1e400]}}')" >"$tmp/rej.json"
run "$bin" apply --reject "$tmp/rej.json" "$tmp/good1.txt"
check "exit 2" is 2
check "says why" says "not a rejected-edits file"

finish
echo "matrix: $tried tried, $handled handled, $failures failed"
((failures == 0))
