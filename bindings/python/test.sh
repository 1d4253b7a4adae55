#!/usr/bin/env bash
# Builds the `slipmark` wheel with maturin and tests it with pytest in a fresh virtualenv, against
# the CLI (target/debug/slipmark, built first). Used by .ci/run; run it from anywhere.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="$root/target/python-venv"
rm -rf "$venv" "$root/target/wheels"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check "maturin>=1.5,<2" pytest
(cd "$here" && "$venv/bin/maturin" build --release --quiet --out "$root/target/wheels")
"$venv/bin/pip" install --quiet --disable-pip-version-check "$root"/target/wheels/slipmark-*.whl
(cd "$root" && cargo build --quiet --bin slipmark)
SLIPMARK_ROOT="$root" SLIPMARK_BIN="$root/target/debug/slipmark" \
    "$venv/bin/python" -m pytest -q "$here/tests"
