// Node entry: loads the WASM synchronously from the package folder.
import { readFileSync } from 'node:fs';
import * as native from './pkg/slipmark_js.js';
import { makeApi } from './api.js';

native.initSync({ module: readFileSync(new URL('./pkg/slipmark_js_bg.wasm', import.meta.url)) });

export const { SlipmarkError, Template, compile, printers } = makeApi(native);
/** Resolves at once in Node (the module is ready on import); kept for code shared with browsers. */
export const init = async () => {};
