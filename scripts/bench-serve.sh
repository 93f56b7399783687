#!/usr/bin/env bash
# Serve's figures at N = 1,000 and 10,000 sources (issue 22): how long `brief serve` takes to
# answer its first page against a `brief build` of the same briefing (interleaved runs,
# medians), and save-to-reload of the open page for a source edit and an annotation edit.
#
#   scripts/bench-serve.sh [SAVES [STARTS]]     (defaults 7 saves a kind, 5 start runs)
#
# The corpora are those of scripts/bench.sh (`gen-corpus N DIR` under $BENCH_DIR, made when
# missing); BENCH_CORPUS_1000 / BENCH_CORPUS_10000 name others. BRIEF names a brief binary
# to measure instead of building target/release/brief. Figures go to stdout, and as JSON to
# $BENCH_DIR/serve-N.json.
set -euo pipefail
cd "$(dirname "$0")/.."
saves=${1:-7}
starts=${2:-5}
work=${BENCH_DIR:-/tmp/brief-bench}
mkdir -p "$work"

if [ -z "${BRIEF:-}" ]; then
  cargo build --release --quiet --bin brief --example gen-corpus
  BRIEF=$PWD/target/release/brief
fi

summary=()
for n in 1000 10000; do
  var=BENCH_CORPUS_$n
  corpus=${!var:-$work/c$n}
  if [ ! -d "$corpus" ]; then
    [ -x target/release/examples/gen-corpus ] || cargo build --release --quiet --example gen-corpus
    target/release/examples/gen-corpus "$n" "$corpus"
  fi
  echo "== N = $n: serve's start against a build, and save-to-reload ($corpus)"
  python3 scripts/measure-reload.py "$BRIEF" "$corpus" --saves "$saves" --starts "$starts" \
    --json "$work/serve-$n.json"
  summary+=("$(python3 - "$work/serve-$n.json" "$n" <<'PY'
import json, sys
f = json.load(open(sys.argv[1]))
s, r = f.get("start", {}), f.get("reload", {})
parts = []
if s:
    parts.append(f"start {s['serve_start_s']:.2f} s vs build {s['build_s']:.2f} s ({s['ratio']:.2f}x)")
for kind in ("source", "annotation"):
    if kind in r:
        parts.append(f"{kind} edit {r[kind]['median_ms']:.0f} ms")
print(f"N = {int(sys.argv[2]):,}: " + "; ".join(parts))
PY
)")
done
echo "== serve, medians"
printf '%s\n' "${summary[@]}"
