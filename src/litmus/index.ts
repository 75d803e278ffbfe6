// The litmus layer: herd7 PPC litmus tests read (parse.ts), run under a memory model (run.ts)
// and printed in herd7's log format (log.ts). `litmusFile` is what the CLI and its worker
// threads call for one file.

import { readFileSync } from 'node:fs';
import { InputError } from '../errors.js';
import { formatCondition } from './condition.js';
import { formatJson, formatLog, observationOf } from './log.js';
import type { ModelName } from './outcome.js';
import { parseLitmus } from './parse.js';
import { runLitmus } from './run.js';
import type { Witness } from './witness.js';

export { parseLitmus, LitmusError } from './parse.js';
export { runLitmus, type LitmusRun, type LitmusRunOptions } from './run.js';
export { formatLog, formatJson } from './log.js';
export type { LitmusOutcome, ModelName, FinalState } from './outcome.js';
export type * from './ast.js';

export type { Witness, WitnessEvent } from './witness.js';

/** What a drawn test needs besides its witness: its name, condition and herd's verdict lines. */
export interface DrawnTest {
  readonly name: string;
  readonly condition: string;
  readonly observation: string;
  readonly witness: Witness | null;
}

export type FileResult =
  | { readonly ok: true; readonly file: string; readonly log: string; readonly json: object; readonly drawn?: DrawnTest }
  | { readonly ok: false; readonly file: string; readonly error: string };

/** Reads, runs and formats one litmus file; bad input comes back as a one-line error. */
export function litmusFile(file: string, model: ModelName, draw = false): FileResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return { ok: false, file, error: `${file}: cannot read (${code ?? 'error'})` };
  }
  try {
    const outcome = runLitmus(parseLitmus(text, file), { model, witness: draw });
    const result = { ok: true as const, file, log: formatLog(outcome), json: formatJson(outcome) };
    if (!draw) return result;
    const o = observationOf(outcome);
    const drawn = { name: outcome.test.name, condition: formatCondition(outcome.test.condition), observation: `${o} ${outcome.positive} ${outcome.negative}`, witness: outcome.witness };
    return { ...result, drawn };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, file, error: e.message };
    throw e;
  }
}
