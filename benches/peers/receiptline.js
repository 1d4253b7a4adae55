// Times ReceiptLine's text transform of one document, the way benches/peers.rs times slipmark:
// repeated for about a second after a warm-up, best mean of three rounds.
// Usage: node receiptline.js DOC_FILE CPL   → prints microseconds per transform
'use strict';
const fs = require('fs');
const path = require('path');
const receiptline = require(path.join(__dirname, 'node_modules', 'receiptline'));

const doc = fs.readFileSync(process.argv[2], 'utf8');
const printer = { cpl: Number(process.argv[3] || 48), encoding: 'cp936', command: 'text' };

function round() {
  let n = 0;
  const start = process.hrtime.bigint();
  let now = start;
  while (now - start < 1_000_000_000n) {
    for (let i = 0; i < 20; i++) receiptline.transform(doc, printer);
    n += 20;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / 1000 / n;
}

for (let i = 0; i < 200; i++) receiptline.transform(doc, printer); // warm-up (JIT)
const best = Math.min(round(), round(), round());
process.stdout.write(`${best}\n`);
