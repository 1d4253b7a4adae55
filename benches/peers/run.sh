#!/usr/bin/env bash
# Side by side with ReceiptLine 4.0.4 (the closest peer, JavaScript): installs it from npm into
# benches/peers/node_modules, then runs `cargo bench --bench peers`, which times slipmark and
# ReceiptLine on the same receipts in one run and prints ReceiptLine-time ÷ slipmark-time.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules/receiptline ]; then
    npm install --no-save --no-audit --no-fund receiptline@4.0.4 >/dev/null
fi
cd ../..
cargo bench --bench peers
