#!/usr/bin/env bash
# Speed benchmark: full builds at N = 1,000 and 10,000 sources (output on tmpfs and on disk),
# a build after one source changed (which puts a whole new output folder in place), peak
# memory, and serve's save-to-reload time at N = 1,000 (one annotation file saved).
#
#   scripts/bench.sh [RUNS]        (default 5 runs a figure; needs hyperfine: apt-get install hyperfine)
#
# Corpora come from `cargo run --release --example gen-corpus -- N DIR` and are the same on
# every run. Figures: median and min–max of RUNS full builds in fresh processes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=${BENCH_DIR:-/tmp/brief-bench}
shm=${BENCH_SHM:-/dev/shm/brief-bench}
mkdir -p "$work" "$shm"

cargo build --release --quiet --bin brief --example gen-corpus
brief=$PWD/target/release/brief
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }

# hyperfine's summary, then the median and range of its runs (from its JSON export).
time_builds() {
  hyperfine --runs "$runs" --warmup 1 --style basic --export-json "$work/last.json" "$1"
  python3 -c 'import json,statistics,sys; t=json.load(open(sys.argv[1]))["results"][0]["times"]; print(f"  median {statistics.median(t):.3f} s, min {min(t):.3f} s, max {max(t):.3f} s over {len(t)} runs")' "$work/last.json"
}

for n in 1000 10000; do
  corpus=$work/c$n
  [ -d "$corpus" ] || target/release/examples/gen-corpus "$n" "$corpus"
  echo "== N = $n: full build, output on tmpfs ($shm)"
  time_builds "$brief -C $corpus build -q -o $shm/out$n"
  echo "== N = $n: full build, output on disk ($work)"
  time_builds "$brief -C $corpus build -q -o $work/out$n"
  echo "== N = $n: a build after one source changed, output on disk (the new site is put in place whole)"
  hyperfine --runs "$runs" --warmup 1 --style basic --export-json "$work/last.json" \
    --prepare "python3 $PWD/scripts/toggle-word.py $corpus/content/sources/s00000.md" \
    "$brief -C $corpus build -q -o $work/out$n"
  python3 -c 'import json,statistics,sys; t=json.load(open(sys.argv[1]))["results"][0]["times"]; print(f"  median {statistics.median(t):.3f} s, min {min(t):.3f} s, max {max(t):.3f} s over {len(t)} runs")' "$work/last.json"
  echo "== N = $n: peak memory"
  /usr/bin/time -f "peak memory %M KiB, %e s" "$brief" -C "$corpus" build -q -o "$shm/out$n"
done

echo "== N = 1000: save-to-reload in brief serve (an annotation file saved, the page it changes open)"
python3 scripts/measure-reload.py "$brief" "$work/c1000" --file content/annotations/people.yaml \
  --page /people/item-00000/ --saves 20
rm -rf "$shm"
