#!/usr/bin/env bash
# Instructions per render of the benchmark receipt, stage by stage, counted by callgrind
# (exact and repeatable, unlike timings on a shared machine): at 15 items (~40 lines) and 375
# (~400), and what one more item row costs ((375 − 15) ÷ 360). Needs valgrind.
#
#   benches/instructions.sh [MODEL]     # default K7; `generic` is the preview profile
set -euo pipefail
cd "$(dirname "$0")/.."
model=${1:-K7}
command -v valgrind >/dev/null || { echo "valgrind is not installed (apt-get install valgrind)"; exit 1; }
CARGO_PROFILE_BENCH_DEBUG=true cargo bench -q --no-run --bench stages
bin=$(ls -t target/release/deps/stages-* | grep -v '\.d$' | head -1)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for n in 15 375; do
    # `stages ITEMS 3` renders 5 times: a warm-up, one counting allocations, 3 timed
    valgrind --tool=callgrind --callgrind-out-file="$out/$n" --collect-atstart=no \
        '--toggle-collect=*Template::render_json_with*' "$bin" "$n" 3 "$model" >/dev/null 2>&1
done
python3 - "$out" <<'PY'
import re, subprocess, sys
out = sys.argv[1]
stages = {
    "total": "Template::render_json_with",
    "bind": "Template::bind_inner",
    "  budget walk": "convert::check_json",
    "prepare": "Dialect>::prepare",
    "layout": "slipmark::layout::layout",
    "  tables": "table::lay_table",
    "lower": "Dialect>::lower",
}
res = {}
for n in ("15", "375"):
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", f"{out}/{n}"],
                          capture_output=True, text=True).stdout
    vals = {}
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(.*)$", line)
        if not m:
            continue
        cost = int(m.group(1).replace(",", "")) / 5
        name = m.group(2).split(" [")[0]
        for k, f in stages.items():
            if name.endswith(f) or name.endswith(f + "'2"):
                vals[k] = max(vals.get(k, 0), cost)
    res[n] = vals
print(f"{'stage':<14}{'15 items':>12}{'375 items':>12}{'per item':>10}")
for k in stages:
    a, b = res["15"].get(k, 0), res["375"].get(k, 0)
    print(f"{k:<14}{a:>12.0f}{b:>12.0f}{(b - a) / 360:>10.0f}")
PY
