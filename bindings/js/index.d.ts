/** A diagnostic: an error or warning with its position in the template (or an include). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  kind: string;
  message: string;
  file: string | null;
  line: number | null;
  column: number | null;
  /** Byte offsets into the source. */
  span: { start: number; end: number } | null;
  hint: string | null;
  /** The rustc-style snippet, as the CLI prints it. */
  rendered: string;
}

/** A template, data or printer error; its fields are those of the first diagnostic. */
export class SlipmarkError extends Error {
  diagnostics: Diagnostic[];
  kind: string;
  file: string | null;
  line: number | null;
  column: number | null;
  span: { start: number; end: number } | null;
  hint: string | null;
  rendered: string;
}

export interface Job {
  kind: 'text' | 'bytes';
  /** The content for a cloud print API (text jobs). */
  content: string | null;
  /** The bytes for a local printer (bytes jobs, e.g. ESC/POS). */
  bytes: Uint8Array | null;
}

export interface Rendered {
  printer: string;
  columns: number;
  jobs: Job[];
  /** The text content of a one-job receipt. */
  content: string | null;
  /** What the paper will look like, as monospace text. */
  preview: string;
  warnings: Diagnostic[];
  settings: Record<string, unknown>;
}

export interface RenderOptions {
  /** A family id or model number ("K4-WA"), or "generic"; default: the CLI's default printer. */
  printer?: string;
  /** "58mm", "80mm" or a number of columns, overriding the template and the model. */
  paper?: string | null;
  /** Strict mode: any warning (a setting the printer skips, a stand-in character) is an error. */
  denyWarnings?: boolean;
}

export interface CompileOptions {
  /** The name used in diagnostics. */
  name?: string;
  /** Included templates by name. */
  includes?: Record<string, string> | null;
}

export class Template {
  constructor(source: string, options?: CompileOptions);
  readonly name: string;
  render(data?: unknown, options?: RenderOptions): Rendered;
  check(data?: unknown): Diagnostic[];
  /** The JSON Schema (2020-12) of the data this template reads. */
  schema(): Record<string, unknown>;
}

export function compile(source: string, options?: CompileOptions): Template;

export interface PrinterInfo {
  id: string;
  name: string;
  dialect: string;
  columns: number;
  max_columns: number;
  models: string[];
}

export function printers(): PrinterInfo[];

/** Loads the WASM (browsers: fetches it; Node: already loaded). Await it before other calls. */
export function init(input?: string | URL | Response | BufferSource): Promise<unknown>;
