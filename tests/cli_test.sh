#!/usr/bin/env bash
# End-to-end tests of the copydesk command: options, exit codes, bad input.
# Usage: cli_test.sh COPYDESK_BINARY [BIG_LINE_MB]
set -uo pipefail
bin=$1
big_mb=${2:-0}
source "$(dirname "$0")/check.sh"
dirty='Markets fell sharply ,traders said.Prices rose again'

check "help exits 0" test "$(rc "$bin" --help)" = 0
check "help documents exit codes" grep -q "Exit codes" "$tmp/out"
check "no command is a usage error" test "$(rc "$bin")" = 2
check "unknown option is a usage error" test "$(rc "$bin" clean --bogus)" = 2
check "version" test "$(rc "$bin" --version)" = 0
check "stages lists every stage" test "$("$bin" stages | grep -c '^[a-z]*: ')" -ge 6

"$bin" config --default >"$tmp/default.toml"
: >"$tmp/empty.txt"
check "default config is accepted back" test "$(rc "$bin" clean --config "$tmp/default.toml" --check "$tmp/empty.txt")" = 0
printf '[pipeline]\nstagez = []\n' >"$tmp/bad.toml"
check "config typo is a usage error" test "$(rc "$bin" clean --config "$tmp/bad.toml" "$tmp/empty.txt")" = 2
check "config typo names the line" grep -q "bad.toml:2" "$tmp/err"
check "unknown stage in --only" test "$(rc "$bin" clean --only nope "$tmp/empty.txt")" = 2

check "empty input is fine" test "$(printf '' | rc "$bin" clean)" = 0
check "empty input gives empty output" test ! -s "$tmp/out"
check "missing file exits 3" test "$(rc "$bin" clean "$tmp/none.txt")" = 3
check "missing file is named" grep -q "none.txt: cannot open" "$tmp/err"

printf 'caf\xc3\xa9 ok\nbad \xff byte\n' >"$tmp/bad.txt"
check "invalid UTF-8 exits 3" test "$(rc "$bin" clean "$tmp/bad.txt")" = 3
check "invalid UTF-8 names the offset" grep -q "invalid UTF-8 at byte offset 13" "$tmp/err"
check "invalid UTF-8 prints no text" test ! -s "$tmp/out"
check "lossy mode accepts it" test "$(rc "$bin" clean --lossy "$tmp/bad.txt")" = 0
check "lossy mode writes U+FFFD" grep -q $'\xef\xbf\xbd' "$tmp/out"
"$bin" clean --lossy --check --changes "$tmp/lossy.json" "$tmp/bad.txt" 2>/dev/null
check "lossy replacement is in the change log" grep -q '"rule": "invalid-utf8"' "$tmp/lossy.json"
printf 'ab\0cd' >"$tmp/bin.dat"
check "binary input exits 3" test "$(rc "$bin" clean "$tmp/bin.dat")" = 3
check "binary input is called binary" grep -q "binary" "$tmp/err"
check "a folder as input exits 3" test "$(rc "$bin" clean "$tmp")" = 3

printf 'Line one.\r\nLine two.\r\n' >"$tmp/crlf.txt"
"$bin" clean "$tmp/crlf.txt" >"$tmp/crlf.out"
check "CRLF line endings are kept" cmp -s "$tmp/crlf.txt" "$tmp/crlf.out"

printf 'A clean sentence.\n' >"$tmp/clean.txt"
printf '%s\n' "$dirty" >"$tmp/dirty.txt"
check "--check on clean text exits 0" test "$(rc "$bin" clean --check "$tmp/clean.txt")" = 0
check "--check on damaged text exits 1" test "$(rc "$bin" clean --check "$tmp/dirty.txt")" = 1
check "--check says what would change" grep -q "would change: .*dirty.txt" "$tmp/err"
check "--check changes nothing" test "$(cat "$tmp/dirty.txt")" = "$dirty"

check "--diff exits 0" test "$(rc "$bin" clean --diff --color never "$tmp/dirty.txt")" = 0
check "--diff has a stage header" grep -q '^=== spacing: [0-9]* edits\? ===' "$tmp/out"
check "--diff marks words" grep -q '{+' "$tmp/out"
check "--diff explains each edit" grep -q '^# spacing/' "$tmp/out"
check "--diff alone does not print the text" test "$(grep -c "^$dirty" "$tmp/out")" = 0

"$bin" clean --changes "$tmp/log.json" -o "$tmp/o.txt" "$tmp/dirty.txt"
check "--changes writes JSON" python3 -m json.tool "$tmp/log.json" >/dev/null
check "--changes has the fields" grep -q '"reason"' "$tmp/log.json"
check "-o writes the cleaned text" test "$(cat "$tmp/o.txt")" != "$dirty"
check "-o writes what stdout would" test "$("$bin" clean <"$tmp/dirty.txt")" = "$(cat "$tmp/o.txt")"
check "-o with several inputs is a usage error" test "$(rc "$bin" clean -o "$tmp/x" "$tmp/clean.txt" "$tmp/dirty.txt")" = 2
check "-o into a missing folder fails" test "$(rc "$bin" clean -o "$tmp/no/such/dir/x.txt" "$tmp/dirty.txt")" = 3
check "nothing half-written is left" test -z "$(find "$tmp" -name '*.copydesk-*')"

cp "$tmp/dirty.txt" "$tmp/inplace.txt"
check "--in-place exits 0" test "$(rc "$bin" clean --in-place "$tmp/inplace.txt")" = 0
check "--in-place rewrites the file" cmp -s "$tmp/inplace.txt" "$tmp/o.txt"
cp "$tmp/bad.txt" "$tmp/bad-inplace.txt"
"$bin" clean --in-place "$tmp/bad-inplace.txt" 2>/dev/null
check "--in-place leaves a rejected file untouched" cmp -s "$tmp/bad.txt" "$tmp/bad-inplace.txt"
check "--in-place with stdin is a usage error" test "$(printf 'x' | rc "$bin" clean --in-place)" = 2

check "--out-dir exits 0" test "$(rc "$bin" clean --out-dir "$tmp/outdir" "$tmp/clean.txt" "$tmp/dirty.txt")" = 0
check "--out-dir writes every file" test -f "$tmp/outdir/clean.txt" -a -f "$tmp/outdir/dirty.txt"
check "--out-dir output matches" cmp -s "$tmp/outdir/dirty.txt" "$tmp/o.txt"

mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/from-fifo" &
"$bin" clean -o "$tmp/fifo" "$tmp/dirty.txt"
wait
check "-o into a FIFO writes through it" cmp -s "$tmp/from-fifo" "$tmp/o.txt"
check "-o into a FIFO leaves the FIFO in place" test -p "$tmp/fifo"
cp "$tmp/dirty.txt" "$tmp/real.txt"
ln -s real.txt "$tmp/link.txt"
"$bin" clean --in-place "$tmp/link.txt"
check "--in-place through a symlink keeps the link" test -L "$tmp/link.txt"
check "--in-place through a symlink rewrites its target" cmp -s "$tmp/real.txt" "$tmp/o.txt"

check "missing dictionaries exit 4" test "$(rc "$bin" clean --dictionaries "$tmp/nodict" "$tmp/clean.txt")" = 4
check "missing dictionary is named" grep -q "nodict/" "$tmp/err"
check "missing Hunspell exits 4" test "$(rc "$bin" clean --hunspell "$tmp/nohun" "$tmp/clean.txt")" = 4
check "missing Hunspell says what to install" grep -q "hunspell-en-us" "$tmp/err"

# --batch-evidence: a name written canonically in one document fixes its
# variant in another; without it, each document is on its own.
printf 'Shares of DataVolt rose on Monday, analysts said.\n' >"$tmp/ev-a.txt"
printf 'Datavolt said it would hire more engineers next year, the firm said.\n' >"$tmp/ev-b.txt"
"$bin" clean --quiet --out-dir "$tmp/ev-alone" "$tmp/ev-a.txt" "$tmp/ev-b.txt"
"$bin" clean --quiet --batch-evidence --out-dir "$tmp/ev-batch" "$tmp/ev-a.txt" "$tmp/ev-b.txt"
check "without --batch-evidence a document is on its own" grep -q "^Datavolt said" "$tmp/ev-alone/ev-b.txt"
check "--batch-evidence shares names across the batch" grep -q "^DataVolt said" "$tmp/ev-batch/ev-b.txt"
check "--batch-evidence needs files" test "$(printf 'x' | rc "$bin" clean --batch-evidence)" = 2

# Options: no abbreviations, values checked whatever the mode, per-command help.
check "an abbreviated option is not guessed" test "$(rc "$bin" clean --chec "$tmp/clean.txt")" = 2
check "the abbreviation is reported as unknown" grep -q "unrecognised option '--chec'" "$tmp/err"
check "--color is checked without --diff" test "$(rc "$bin" clean --color seldom "$tmp/clean.txt")" = 2
check "--on-error is checked without --jsonl" test "$(rc "$bin" clean --on-error maybe "$tmp/clean.txt")" = 2
check "an option of another command is an error" test "$(rc "$bin" clean --port 80 "$tmp/clean.txt")" = 2
check "that error names the option and command" grep -q -- "--port is not an option of \`copydesk clean\`" "$tmp/err"
check "stages takes no files" test "$(rc "$bin" stages "$tmp/clean.txt")" = 2
check "clean --help exits 0" test "$(rc "$bin" clean --help)" = 0
check "clean --help shows clean's usage" grep -q "^Usage: copydesk clean" "$tmp/out"
check "clean --help names its placeholders" grep -q -- "--out-dir DIR" "$tmp/out"
check "clean --help leaves out serve's options" bash -c "! grep -q -- --port '$tmp/out'"
check "serve --help shows the port" bash -c "'$bin' serve --help | grep -q -- '--port PORT'"
check "--version names the dictionaries" bash -c "'$bin' --version | grep -q '^dictionaries: '"
check "serve needs a port" test "$(rc "$bin" serve)" = 2

# A missing --names file is reported as such.
check "missing --names file exits 4" test "$(rc "$bin" clean --names "$tmp/nonames.txt" "$tmp/clean.txt")" = 4
check "missing --names file names --names" grep -q "nonames.txt' (given with --names" "$tmp/err"

# Rules: --skip STAGE/RULE and the config's [rules].
printf 'Vendors ,buyers and agents met.\n' >"$tmp/rule.txt"
check "a rule runs by default" bash -c "'$bin' clean -q '$tmp/rule.txt' | grep -q 'Vendors, buyers'"
check "--skip STAGE/RULE drops that rule's edits" \
  bash -c "'$bin' clean -q --skip spacing/space-before-punct '$tmp/rule.txt' | grep -q 'Vendors ,buyers'"
check "--skip of an unknown rule is a usage error" test "$(rc "$bin" clean --skip spacing/nope "$tmp/rule.txt")" = 2
printf 'Staff at Youtube ,buyers and agents met.\n' >"$tmp/protect.txt"
printf '[rules]\nprotect = ["Youtube"]\nprotect_patterns = ["\\\\d+ ,\\\\d+"]\n' >"$tmp/protect.toml"
"$bin" clean -q "$tmp/protect.txt" >"$tmp/protect.plain"
"$bin" clean -q --config "$tmp/protect.toml" "$tmp/protect.txt" >"$tmp/protect.out"
check "an unprotected name is changed" grep -q "YouTube, buyers" "$tmp/protect.plain"
check "a protected word is kept, the rest still cleaned" grep -q "Youtube, buyers" "$tmp/protect.out"
printf 'Vendors ,buyers met.\ncopydesk: ignore-start\nAgents ,sellers met.\ncopydesk: ignore-end\n' >"$tmp/ign.txt"
"$bin" clean -q "$tmp/ign.txt" >"$tmp/ign.out"
check "ignore markers: outside is cleaned" grep -q "^Vendors, buyers" "$tmp/ign.out"
check "ignore markers: inside is kept" grep -q "^Agents ,sellers met.$" "$tmp/ign.out"

# Folder runs with --include / --exclude.
mkdir -p "$tmp/tree/sub"
printf '%s\n' "$dirty" >"$tmp/tree/a.txt"
printf '%s\n' "$dirty" >"$tmp/tree/sub/b.txt"
printf '{"k": 1}\n' >"$tmp/tree/meta.json"
"$bin" clean -q --include '*.txt' --exclude 'sub/*' --out-dir "$tmp/tree-out" "$tmp/tree"
check "--include takes matching files" test -f "$tmp/tree-out/a.txt"
check "--include leaves out the rest" test ! -e "$tmp/tree-out/meta.json"
check "--exclude leaves out a subfolder" test ! -e "$tmp/tree-out/sub/b.txt"

# Folder entries that cannot be read as documents are named, not silently
# missing: in the error output as they are found and under the summary line.
mkdir -p "$tmp/mixed/inner" "$tmp/linked"
printf '%s\n' "$dirty" >"$tmp/mixed/first.txt"
printf '%s\n' "$dirty" >"$tmp/mixed/inner/second.txt"
printf 'Clean text.\n' >"$tmp/linked/target.txt"
ln -s "$tmp/linked/target.txt" "$tmp/mixed/linked.txt"
ln -s "$tmp/no-such-file.txt" "$tmp/mixed/dangling.txt"
mkfifo "$tmp/mixed/queue.txt"
ln -s "$tmp/linked" "$tmp/mixed/shortcut"
check "a folder with a dangling link exits 3" test "$(rc "$bin" clean --out-dir "$tmp/mixed-out" "$tmp/mixed")" = 3
check "readable files are still written" test -f "$tmp/mixed-out/first.txt" -a -f "$tmp/mixed-out/inner/second.txt"
check "a linked file is written under its own name" cmp -s "$tmp/mixed-out/linked.txt" "$tmp/linked/target.txt"
check "nothing is written outside --out-dir" test ! -e "$tmp/linked/target.txt.tmp" -a "$(ls "$tmp/linked")" = target.txt
check "a dangling link is an error line" grep -qF "$tmp/mixed/dangling.txt: not read: a symbolic link to a missing file" "$tmp/err"
check "a named pipe is an error line" grep -qF "$tmp/mixed/queue.txt: not read: a named pipe" "$tmp/err"
check "a link to a folder is an error line" grep -qF "$tmp/mixed/shortcut: not read: a symbolic link to a folder" "$tmp/err"
check "the summary counts the dangling link as an error" grep -q "^copydesk: 3 documents, .*; errors 1; " "$tmp/err"
check "the summary lists each unreadable entry" test "$(grep -c "^copydesk: not read: $tmp/mixed/" "$tmp/err")" = 3
check "the summary's list is sorted" test "$(grep "^copydesk: not read: " "$tmp/err" | sed 's/: [^/]*$//; s|.*/||')" = "dangling.txt
queue.txt
shortcut"
check "a pipe and a link to a folder alone keep exit 0" test "$(rc "$bin" clean --exclude 'dangling.txt' --out-dir "$tmp/mixed-out5" "$tmp/mixed")" = 0
check "and are still named under the summary" test "$(grep -c "^copydesk: not read: $tmp/mixed/" "$tmp/err")" = 2
check "--exclude leaves unreadable entries out" test "$(rc "$bin" clean --exclude 'dangling.txt' --exclude 'queue.txt' --exclude 'shortcut' --out-dir "$tmp/mixed-out2" "$tmp/mixed")" = 0
check "an excluded entry is not named" test ! -s "$tmp/err" -o "$(grep -c 'not read' "$tmp/err")" = 0
check "--quiet keeps the error lines" test "$(rc "$bin" clean -q --out-dir "$tmp/mixed-out3" "$tmp/mixed")" = 3
check "--quiet: one line per entry, no summary" test "$(grep -c ': not read: ' "$tmp/err")" = 3 -a "$(grep -c '^copydesk: not read' "$tmp/err")" = 0
check "a missing file argument is listed under the summary" test "$(rc "$bin" clean --out-dir "$tmp/mixed-out4" "$tmp/mixed/first.txt" "$tmp/absent.txt")" = 3
check "a missing file's summary line" grep -q "^copydesk: not read: $tmp/absent.txt: cannot open" "$tmp/err"

if ((big_mb > 0)); then
  # One line of big_mb megabytes: cleaned whole, never truncated, no crash.
  python3 -c "
import sys
s = 'Markets fell sharply, traders said. '
n = $big_mb * 1024 * 1024 // len(s) + 1
sys.stdout.write(s * n + 'The end.\n')" >"$tmp/big.txt"
  check "a ${big_mb} MB line is cleaned" test "$(rc "$bin" clean -o "$tmp/big.out" "$tmp/big.txt")" = 0
  check "a ${big_mb} MB line is not truncated" cmp -s "$tmp/big.txt" "$tmp/big.out"
  sed 's/sharply, traders/sharply ,traders/g' "$tmp/big.txt" >"$tmp/big-dirty.txt"
  check "a ${big_mb} MB damaged line is cleaned" test "$(rc "$bin" clean -o "$tmp/big2.out" "$tmp/big-dirty.txt")" = 0
  check "a ${big_mb} MB damaged line is repaired in full" cmp -s "$tmp/big.txt" "$tmp/big2.out"
fi

echo "cli: $passed passed, $failed failed"
((failed == 0))
