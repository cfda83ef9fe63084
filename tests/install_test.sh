#!/usr/bin/env bash
# `cmake --install` into a temporary prefix, then the prefix is moved elsewhere
# (as a copied installation would be): the program must find its dictionaries
# beside itself, clean a sample exactly as the reviewed output says, and the
# installed Python package must import and clean a string. The man page and
# the bash completion must be in place.
# Usage: install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$(cd "$1" && pwd)
src=$(cd "$2" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/first" >/dev/null
mv "$tmp/first" "$tmp/moved"
prefix=$tmp/moved
unset COPYDESK_DICTIONARIES
cd "$tmp"  # nowhere near the source tree
echo "== $prefix/bin/copydesk --version"
"$prefix/bin/copydesk" --version | tee version.txt
grep -q "dictionaries: $prefix/share/copydesk/dictionaries (installed beside the program)" version.txt
sample=$(ls "$src"/samples/*.txt | head -1)
echo "== copydesk clean $(basename "$sample")"
"$prefix/bin/copydesk" clean -q "$sample" >cleaned.txt
cmp cleaned.txt "$src/samples/expected/$(basename "$sample")"
echo "identical to samples/expected/$(basename "$sample") ($(wc -c <cleaned.txt) bytes)"
test -s "$prefix/share/copydesk/dictionaries/copydesk_ngram.bin"
echo "compiled trigram model installed"
test -s "$prefix/share/man/man1/copydesk.1"
bash -n "$prefix/share/bash-completion/completions/copydesk"
echo "man page and bash completion installed"
pydir=$(ls -d "$prefix"/lib/python3*/dist-packages 2>/dev/null | head -1 || true)  # none without the package
if [[ -n $pydir ]]; then
  echo "== python3 -c 'import copydesk; ...' (PYTHONPATH=$pydir)"
  PYTHONPATH=$pydir /usr/bin/python3 -c '
import copydesk
p = copydesk.Pipeline()
r = p.clean("Shares of Paypal rose ,analysts said on thursday.")
print(r.text)
print(p.dictionaries)
assert r.text == "Shares of PayPal rose, analysts said on Thursday.", r.text
assert p.dictionaries.startswith("'"$prefix"'"), p.dictionaries
for e in r.edits:
    print(f"  {e.stage}/{e.rule} [{e.begin}:{e.end}] {e.before!r} -> {e.after!r}")
'
else
  echo "(built without the Python package)"
fi
echo "install test passed"
