#!/usr/bin/env bash
# Benchmark of the HTML review page at scale (a benchmark, not a test):
#   bench/report_bench.sh [COPYDESK_BIN] [WORK_DIR]
# 1. Builds unique articles from the machine-translated English sentences of
#    ../shared/eval/quality-dev (train then dev, in file order, 19 sentences an
#    article, each sentence used once; paragraphs of 2-4 sentences, the source
#    article's name as title), damages each with bench/heldout/damage.py
#    (about 12 damages an article) and two in five of them a second time
#    (another seed), and keeps the first 2,000: a run of about 30,000 edits on
#    texts that are all different.
# 2. Runs `copydesk clean --report` on them (time, page size, edit count).
# 3. Opens the page in headless Chromium (tests/browser/report_bench.mjs):
#    load time, then the latency of each kind of click, each measured from the
#    click to the next frame, as the median and worst of several runs.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$root/build/copydesk}")
work=${2:-$(mktemp -d)}
mkdir -p "$work"
set_dir=$root/../shared/eval/quality-dev
if [[ ! -f $set_dir/train.jsonl ]]; then echo "no $set_dir/train.jsonl"; exit 1; fi
if [[ ! -d $root/tests/browser/node_modules/playwright-core ]]; then
  (cd "$root/tests/browser" && npm ci --no-audit --no-fund --silent)
fi

if [[ ! -d $work/gold ]]; then
  mkdir -p "$work/gold.tmp"
  python3 - "$set_dir" "$work/gold.tmp" <<'PY'
import json, random, sys
src, out = sys.argv[1], sys.argv[2]
rows = [json.loads(l) for f in ("train.jsonl", "dev.jsonl") for l in open(f"{src}/{f}", encoding="utf-8")]
rng = random.Random(2000)
seen = set()
sentences = []
for r in rows:
    t = " ".join(r["text"].split())
    if t and t not in seen:
        seen.add(t)
        sentences.append((r["doc"], t))
n = 0
for i in range(0, len(sentences) - 18, 19):
    if n == 2100:
        break
    chunk = sentences[i:i + 19]
    paras, j = [], 0
    while j < len(chunk):
        k = rng.randint(2, 4)
        paras.append(" ".join(t for _, t in chunk[j:j + k]))
        j += k
    title = chunk[0][0].strip() or f"Article {n + 1}"
    with open(f"{out}/{n + 1:04d}.txt", "w", encoding="utf-8") as f:
        f.write(title + "\n\n" + "\n\n".join(paras) + "\n")
    n += 1
print(f"{n} articles from {len(sentences)} unique sentences")
PY
  mv "$work/gold.tmp" "$work/gold"
fi
if [[ ! -d $work/once ]]; then
  python3 "$root/bench/heldout/damage.py" --out "$work/once.tmp" "$work/gold" 2>/dev/null
  mv "$work/once.tmp" "$work/once"
fi
if [[ ! -d $work/garbled ]]; then
  # The second pass damages already damaged text, whose damages cannot all be
  # checked against a gold text (damage.py would stop): its Article is used
  # directly, unchecked; an article it cannot damage keeps its first pass.
  mkdir -p "$work/garbled.tmp"
  python3 - "$root/bench/heldout/damage.py" "$work/once" "$work/garbled.tmp" <<'PY'
import importlib.util, os, random, shutil, sys, zlib
spec = importlib.util.spec_from_file_location("damage", sys.argv[1])
damage = importlib.util.module_from_spec(spec)
spec.loader.exec_module(damage)
src, out = sys.argv[2], sys.argv[3]
names = sorted(f for f in os.listdir(src) if f.endswith(".garbled.txt"))[:2000]
again = 0
for name in names:
    path = os.path.join(src, name)
    if name[-13] in "1469":  # two in five, by the last digit of the number
        try:
            text = open(path, encoding="utf-8").read()
            art = damage.Article(name, text, random.Random(9013 + zlib.crc32(name.encode())))
            art.plan("")
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                f.write(art.render()[0])
            again += 1
            continue
        except Exception:
            pass
    shutil.copy(path, os.path.join(out, name))
print(f"{len(names)} articles, {again} damaged twice")
PY
  mv "$work/garbled.tmp" "$work/garbled"
fi

files=("$work"/garbled/*.garbled.txt)
echo "documents: ${#files[@]} ($(cat "${files[@]}" | wc -c) bytes)"
start=$(date +%s.%N)
"$bin" clean -q -j 2 --report "$work/report.html" --changes "$work/changes.json" --out-dir "$work/cleaned" "${files[@]}"
end=$(date +%s.%N)
python3 - "$work/changes.json" "$work/report.html" "$start" "$end" <<'PY'
import json, os, sys
log = json.load(open(sys.argv[1]))
edits = [e for d in log["documents"] for e in d["edits"]]
changes = sum(e["kind"] == "change" for e in edits)
print(f"edits: {len(edits)} ({changes} changes, {len(edits) - changes} flags)")
print(f"report: {os.path.getsize(sys.argv[2]) / 1e6:.1f} MB, written in {float(sys.argv[4]) - float(sys.argv[3]):.1f} s (clean + report)")
PY
node "$root/tests/browser/report_bench.mjs" --report "$work/report.html"
