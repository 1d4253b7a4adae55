// The `slipmark` npm package as a Node user meets it, checked against the CLI.
// SLIPMARK_BIN names the CLI binary, SLIPMARK_ROOT the repository (test.sh sets both).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

import { Template, compile, printers, SlipmarkError } from '../node.js';

const ROOT = process.env.SLIPMARK_ROOT ?? new URL('../../..', import.meta.url).pathname;
const BIN = process.env.SLIPMARK_BIN ?? join(ROOT, 'target/debug/slipmark');
const cli = (...args) => execFileSync(BIN, args, { cwd: ROOT, encoding: 'utf8' });
const read = (p) => readFileSync(join(ROOT, p), 'utf8');

const templates = readdirSync(join(ROOT, 'templates')).filter((f) => f.endsWith('.slip')).sort();
// Browsers have no file system: includes come as a name → text map.
const includes = Object.fromEntries(
  readdirSync(join(ROOT, 'templates/partials')).map((f) => [`partials/${f}`, read(`templates/partials/${f}`)]),
);

for (const file of templates) {
  for (const printer of ['K4-WA', 'k7', 'generic']) {
    test(`${file} on ${printer} renders like the CLI`, () => {
      const path = `templates/${file}`;
      const t = new Template(read(path), { name: path, includes });
      const job = t.render(JSON.parse(read(path.replace('.slip', '.json'))), { printer });
      assert.equal(job.content, cli('render', path, '--model', printer, '--format', 'content'));
      assert.equal(job.preview, cli('render', path, '--model', printer, '--format', 'preview'));
    });
  }
}

test('the default printer is the CLI default', () => {
  const path = 'templates/kitchen.slip';
  const job = compile(read(path), { name: path, includes }).render(read('templates/kitchen.json'));
  assert.equal(job.printer, 'k4');
  assert.equal(job.content, cli('render', path, '--format', 'content'));
});

test('a template error carries file, line, column and hint, and reads as the CLI', () => {
  assert.throws(
    () => compile('# 合计 {{ total | mony }}\n', { name: 'bad.slip' }),
    (e) => {
      assert.ok(e instanceof SlipmarkError);
      assert.deepEqual([e.kind, e.file, e.line, e.column], ['filter', 'bad.slip', 1, 17]);
      assert.deepEqual(e.span, { start: 20, end: 24 });
      assert.equal(e.hint, 'did you mean `money`?');
      assert.ok(e.message.startsWith('error[filter]: unknown filter `mony`'), e.message);
      return true;
    },
  );
  // The same diagnostic as the CLI prints for the same file.
  const out = spawnSync(BIN, ['check', 'bad.slip'], {
    cwd: join(ROOT, 'bindings/js/test/fixtures'),
    encoding: 'utf8',
  });
  assert.equal(out.status, 1);
  try {
    compile(readFileSync(join(ROOT, 'bindings/js/test/fixtures/bad.slip'), 'utf8'), { name: 'bad.slip' });
    assert.fail('must throw');
  } catch (e) {
    assert.ok(out.stderr.includes(e.rendered), `${out.stderr}\n---\n${e.rendered}`);
  }
});

test('data and printer errors are SlipmarkErrors with positions', () => {
  const t = compile('{{ order.total }}\n![code128]({{ no }})\n', { name: 't.slip' });
  assert.throws(() => t.render({ no: 'A1' }), { kind: 'undefined', line: 1 });
  assert.throws(() => t.render({ order: { total: 1 }, no: 'A1' }, { printer: 'k2s' }), {
    kind: 'model',
    line: 2,
    column: 15, // at the code's data
  });
  assert.throws(() => t.render('{"order": '), { kind: 'data' });
  assert.throws(() => t.render({}, { printer: 'Q9' }), { kind: 'unknown-model' });
});

test('warnings come back as diagnostics', () => {
  const job = compile('# {{ x }}\n', { name: 'w.slip' }).render({ x: '好😀' }, { printer: 'k4' });
  assert.equal(job.warnings.length, 1);
  assert.deepEqual([job.warnings[0].kind, job.warnings[0].line], ['replaced-char', 1]);
});

test('check lists every error', () => {
  const t = compile('{{ a }}\n{{ b }}\n');
  assert.deepEqual(t.check({}).map((d) => d.line), [1, 2]);
  assert.deepEqual(t.check({ a: 1, b: 2 }), []);
});

test('printers list the catalogue', () => {
  const ids = printers().map((p) => p.id);
  assert.ok(ids.includes('k4-a'));
  assert.equal(ids.at(-1), 'generic');
});

test('the schema is the CLI schema', () => {
  const path = 'templates/takeaway.slip';
  const schema = new Template(read(path), { name: path, includes }).schema();
  assert.deepEqual(schema, JSON.parse(cli('schema', path)));
});
