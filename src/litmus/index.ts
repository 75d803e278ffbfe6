// The litmus layer: herd7 PPC litmus tests read (parse.ts), run under a memory model (run.ts)
// and printed in herd7's log format (log.ts). `litmusFile` is what the CLI and its worker
// threads call for one file.

import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { formatJson, formatLog } from './log.js';
import type { ModelName } from './outcome.js';
import { parseLitmus } from './parse.js';
import { runLitmus } from './run.js';

export { parseLitmus, LitmusError } from './parse.js';
export { runLitmus, type LitmusRun, type LitmusRunOptions } from './run.js';
export { formatLog, formatJson } from './log.js';
export type { LitmusOutcome, ModelName, FinalState } from './outcome.js';
export type * from './ast.js';

export type FileResult =
  | { readonly ok: true; readonly file: string; readonly log: string; readonly json: object }
  | { readonly ok: false; readonly file: string; readonly error: string };

/** Reads, runs and formats one litmus file; bad input comes back as a one-line error. */
export function litmusFile(file: string, model: ModelName): FileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, file, error: `${file}: cannot read (${code ?? 'error'})` };
  }
  try {
    const outcome = runLitmus(parseLitmus(text, file), { model });
    return { ok: true, file, log: formatLog(outcome), json: formatJson(outcome) };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, file, error: e.message };
    throw e;
  }
}
