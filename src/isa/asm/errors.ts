// Source locations and the one error type the assembler throws.

import { InputError } from '../../errors.js';

export interface SrcLoc {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** 1-based column. */
  readonly col: number;
}

/** An assembly error; `message` is exactly `file:line:col: reason`. */
export class AsmError extends InputError {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The message without the location prefix. */
  readonly reason: string;
  override name = 'AsmError';

  constructor(loc: SrcLoc, reason: string) {
    super(`${loc.file}:${loc.line}:${loc.col}: ${reason}`);
    this.file = loc.file;
    this.line = loc.line;
    this.col = loc.col;
    this.reason = reason;
  }
}

export function fail(loc: SrcLoc, reason: string): never {
  throw new AsmError(loc, reason);
}

export function at(loc: SrcLoc, col: number): SrcLoc {
  return { file: loc.file, line: loc.line, col };
}
