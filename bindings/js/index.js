// Browser (and bundler) entry: `await init()` fetches and instantiates the WASM once, then the
// API is ready. `init(url)` loads it from another place.
import initWasm, * as native from './pkg/slipmark_js.js';
import { makeApi } from './api.js';

const api = makeApi(native);
let ready = null;

export function init(input) {
  ready ??= initWasm(input ? { module_or_path: input } : undefined);
  return ready;
}

export const { SlipmarkError, Template, compile, printers } = api;
