#!/usr/bin/env bash
# The playground's browser test (issue 12, must-show 4): installs playwright-core from npm (no
# browser download: it drives Debian's /usr/bin/chromium), builds the binary and runs the test.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
    echo "no chromium at ${CHROMIUM:-/usr/bin/chromium}: apt-get install -y chromium" >&2
    exit 1
fi
(cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent)
cargo build -q --bin slipmark
node tests/browser/serve.test.mjs target/debug/slipmark
