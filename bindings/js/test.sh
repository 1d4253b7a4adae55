#!/usr/bin/env bash
# Builds the `slipmark` npm package (wasm32 + wasm-bindgen-cli, which must match the
# wasm-bindgen crate's version) and tests it with `node --test` against the CLI. Used by .ci/run.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cd "$root"
# Small over fast: the module is downloaded by browsers.
CARGO_PROFILE_RELEASE_OPT_LEVEL=s CARGO_PROFILE_RELEASE_LTO=true CARGO_PROFILE_RELEASE_CODEGEN_UNITS=1 \
    cargo build --quiet --release -p slipmark-js --target wasm32-unknown-unknown
wasm-bindgen --target web --weak-refs --out-dir "$here/pkg" \
    target/wasm32-unknown-unknown/release/slipmark_js.wasm
wasm="$here/pkg/slipmark_js_bg.wasm"
echo "slipmark_js_bg.wasm: $(stat -c %s "$wasm") bytes, $(gzip -9c "$wasm" | wc -c) gzipped"
cargo build --quiet --bin slipmark
SLIPMARK_ROOT="$root" SLIPMARK_BIN="$root/target/debug/slipmark" node --test "$here/test/"
