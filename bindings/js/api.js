// The JavaScript API over the WASM module (shared by node.js and index.js): JSON across the
// boundary, objects and errors on this side.

/** A template, data or printer error; its fields are those of the first diagnostic. */
export class SlipmarkError extends Error {
  constructor(diagnostics) {
    const first = diagnostics[0] || { kind: 'unknown', message: 'unknown error' };
    super(diagnostics.map((d) => d.rendered).join('\n') || first.message);
    this.name = 'SlipmarkError';
    this.diagnostics = diagnostics;
    this.kind = first.kind;
    this.file = first.file ?? null;
    this.line = first.line ?? null;
    this.column = first.column ?? null;
    this.span = first.span ?? null;
    this.hint = first.hint ?? null;
    this.rendered = first.rendered ?? first.message;
  }
}

function value(envelope) {
  const answer = JSON.parse(envelope);
  if (!answer.ok) throw new SlipmarkError(answer.diagnostics);
  return answer.value;
}

function bytes(base64) {
  const raw = atob(base64);
  const out = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
  return out;
}

function json(data) {
  return typeof data === 'string' ? data : JSON.stringify(data ?? {});
}

export function makeApi(native) {
  const registry = new FinalizationRegistry((t) => t.free());

  /** A compiled template: compile once, render many times. */
  class Template {
    constructor(source, { name = 'template.slip', includes = null } = {}) {
      const compiled = native.compile(JSON.stringify({ name, source, includes }));
      const failure = compiled.failure;
      const inner = compiled.takeTemplate();
      compiled.free();
      if (!inner) value(failure);
      this._inner = inner;
      registry.register(this, inner);
    }

    get name() {
      return this._inner.name;
    }

    render(data, { printer = '', paper = null, denyWarnings = false } = {}) {
      const request = JSON.stringify({ printer, paper, deny_warnings: denyWarnings });
      const v = value(this._inner.render(json(data), request));
      const jobs = v.jobs.map((j) => ({
        kind: j.kind,
        content: j.content ?? null,
        bytes: j.bytes_base64 !== undefined ? bytes(j.bytes_base64) : null,
      }));
      return { ...v, jobs, content: jobs.length === 1 ? jobs[0].content : null };
    }

    schema() {
      return JSON.parse(this._inner.schema());
    }

    check(data) {
      return value(this._inner.check(data === undefined ? undefined : json(data)));
    }
  }

  return {
    SlipmarkError,
    Template,
    compile: (source, options) => new Template(source, options),
    printers: () => value(native.printers()),
  };
}
