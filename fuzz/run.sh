#!/usr/bin/env bash
# Runs the libFuzzer targets of a COPYDESK_FUZZ=ON build (docs/fuzzing.md).
#
#   fuzz/run.sh BUILD_DIR --runs N [TARGET...]     deterministic: seed 1; each target runs its whole
#                                                  seed corpus, then N mutated inputs
#   fuzz/run.sh BUILD_DIR --time SECONDS [TARGET...]  a longer run: SECONDS per target, a random seed
#
# The seed corpus of each target is fuzz/corpus/<kind>/ plus, for the text
# targets, samples/*.txt and the dev set's articles (../shared/eval/dev, when
# present). New inputs go to a scratch folder (the seeds are never modified);
# a crash, leak or broken invariant is saved under fuzz/findings/ (or
# $COPYDESK_FUZZ_FINDINGS) and the script exits 1. A summary line per target
# gives its executions and CPU seconds.
set -uo pipefail
src=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: fuzz/run.sh BUILD_DIR --runs N|--time SECONDS [TARGET...]}
mode=${2:?usage: fuzz/run.sh BUILD_DIR --runs N|--time SECONDS [TARGET...]}
amount=${3:?usage: fuzz/run.sh BUILD_DIR --runs N|--time SECONDS [TARGET...]}
shift 3
targets=("$@")
if ((${#targets[@]} == 0)); then
  targets=(fuzz_pipeline fuzz_jsonl fuzz_config fuzz_rejections)
  for s in unicode boilerplate dedupe structure sentences spacing names casing spelling; do targets+=("fuzz_stage_$s"); done
fi
findings=${COPYDESK_FUZZ_FINDINGS:-$src/fuzz/findings}
# Seconds one input may take (wall clock) before it counts as a hang. The
# first one includes loading the dictionaries and the n-gram model under
# AddressSanitizer: about 15 CPU seconds, far longer on a busy machine.
timeout=${COPYDESK_FUZZ_TIMEOUT:-300}
mkdir -p "$findings"
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

# The text seeds: the committed ones, the samples and the dev set's articles.
mkdir -p "$scratch/text"
cp "$src"/fuzz/corpus/text/* "$src"/samples/*.txt "$scratch/text/"
dev="$src/../shared/eval/dev"
if [[ -d $dev ]]; then
  for f in "$dev"/*.garbled.txt "$dev"/*.gold.txt; do [[ -f $f ]] && cp "$f" "$scratch/text/dev-$(basename "$f")"; done
fi

case $mode in
  --runs | --time) ;;
  *) echo "fuzz/run.sh: --runs N or --time SECONDS, not $mode" >&2 && exit 2 ;;
esac

status=0
printf '%-24s %12s %10s %s\n' target executions cpu_s result
for t in "${targets[@]}"; do
  case $t in
    fuzz_jsonl) seeds=("$src/fuzz/corpus/jsonl") dict=json.dict ;;
    fuzz_rejections) seeds=("$src/fuzz/corpus/rejections") dict=json.dict ;;
    fuzz_config) seeds=("$src/fuzz/corpus/config") dict=toml.dict ;;
    *) seeds=("$scratch/text") dict=text.dict ;;
  esac
  [[ -d $src/fuzz/corpus/regressions/$t ]] && seeds+=("$src/fuzz/corpus/regressions/$t")
  if [[ $mode == --runs ]]; then  # N mutations after the whole seed corpus
    seeds_n=$(find "${seeds[@]}" -type f | wc -l)
    limit=(-seed=1 -runs=$((seeds_n + amount)))
  else
    limit=(-max_total_time="$amount")
  fi
  mkdir -p "$scratch/new-$t"
  log="$scratch/$t.log"
  /usr/bin/time -f '%U %S' -o "$scratch/$t.time" "$build/fuzz/$t" "${limit[@]}" -max_len=8192 -timeout="$timeout" \
    -rss_limit_mb=4096 -dict="$src/fuzz/$dict" -artifact_prefix="$findings/$t-" -print_final_stats=1 \
    "$scratch/new-$t" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)
  cpu=$(tail -1 "$scratch/$t.time" | awk '{printf "%.1f", $1 + $2}' 2>/dev/null)
  if ((rc == 0)); then
    result=ok
    reports=$(grep -c '^IDEMPOTENCE:' "$log")
    ((reports > 0)) && result="ok ($reports idempotence reports, COPYDESK_FUZZ_IDEMPOTENCE=report)"
  else
    result="FAILED (exit $rc)"
    status=1
    grep -E 'INVARIANT BROKEN|ERROR: (AddressSanitizer|libFuzzer|LeakSanitizer)|runtime error|Test unit written' "$log" | head -5 >&2
  fi
  printf '%-24s %12s %10s %s\n' "$t" "${execs:-?}" "${cpu:-?}" "$result"
done
exit $status
