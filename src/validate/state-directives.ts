// The fixture lines that declare a validation run's initial state and its final condition
// (docs/validate.md, "Machine state"):
//
//   .page NAME EA RA [4K|64K|16M] [pp=N] [only=N[+N...]] [secondary] [invalid]   (preamble only)
//   .reg rN, EXPR                                                  (a CPU's section; preamble: every CPU)
//   .mem64 ADDR, VALUE                                             (preamble: a doubleword of real storage)
//   .final cpuN rK == EXPR      .final mem64 EXPR != EXPR          (anywhere; checked at the end)
//
// Expressions are our assembler's, evaluated with the preamble's symbols and the page symbols
// in scope, so errors come back as the assembler's file:line:col messages.

import { assemble } from '../isa/index.js';
import { isPageShift, type PageShift } from '../mmu/page-sizes.js';
import { MEMORY_SIZE, type PageDecl } from './world-layout.js';

/** A fixture error at a position (fixture.ts turns it into its FixtureError). */
export type Fail = (line: number, col: number, reason: string) => never;

export interface RegInit {
  /** The CPU whose register it is, or null (preamble) for every CPU. */
  readonly cpu: number | null;
  readonly reg: number;
  readonly value: bigint;
  readonly line: number;
}

export type FinalLhs = { readonly kind: 'reg'; readonly cpu: number; readonly reg: number } | { readonly kind: 'mem64'; readonly ra: bigint };

export interface FinalCond {
  readonly line: number;
  /** The condition as written (for reports). */
  readonly text: string;
  readonly lhs: FinalLhs;
  readonly op: '==' | '!=';
  readonly value: bigint;
}

/** An expression to evaluate, where it sits in the fixture. */
export interface ExprAt {
  readonly line: number;
  readonly col: number;
  readonly text: string;
}

const NAME = /^[A-Za-z_][\w]*$/;
const SIZES: Record<string, PageShift> = { '4K': 12, '64K': 16, '16M': 24 };

function parseNumber(w: string): bigint | null {
  try {
    return /^(0x[0-9a-f]+|\d+)$/i.test(w) ? BigInt(w) : null;
  } catch {
    return null;
  }
}

/** `.page NAME EA RA [4K|64K|16M] [pp=N] [only=N[+N...]] [secondary] [invalid]`. */
export function parsePage(rest: string, restCol: number, line: number, fail: Fail): PageDecl {
  const words = [...rest.matchAll(/[^\s,]+/g)];
  const col = (k: number) => restCol + (words[k]?.index ?? rest.length);
  if (words.length < 3) fail(line, col(words.length), '.page needs NAME EA RA (then optionally 4K|64K|16M, pp=N, only=N, secondary, invalid)');
  const name = words[0]![0];
  if (!NAME.test(name)) fail(line, col(0), `bad page name '${name}' (letters, digits, _)`);
  const ea = parseNumber(words[1]![0]);
  if (ea === null) fail(line, col(1), `bad EA '${words[1]![0]}' (a number)`);
  const ra = parseNumber(words[2]![0]);
  if (ra === null) fail(line, col(2), `bad RA '${words[2]![0]}' (a number)`);
  let shift: PageShift = 12;
  let pp = 2;
  let secondary = false;
  let valid = true;
  let only: number[] | null = null;
  for (let k = 3; k < words.length; k++) {
    const w = words[k]![0];
    const ppm = /^pp=([0-7])$/.exec(w);
    const onlym = /^only=(\d+(?:\+\d+)*)$/.exec(w);
    if (w.toUpperCase() in SIZES) shift = SIZES[w.toUpperCase()]!;
    else if (ppm) pp = Number(ppm[1]);
    else if (onlym) only = onlym[1]!.split('+').map(Number);
    else if (w === 'secondary') secondary = true;
    else if (w === 'invalid') valid = false;
    else fail(line, col(k), `unknown .page option '${w}' (4K, 64K, 16M, pp=0..7, only=N[+N...], secondary, invalid)`);
  }
  if (!isPageShift(shift)) fail(line, col(3), 'bad page size');
  const mask = (1n << BigInt(shift)) - 1n;
  if ((ea! & mask) !== 0n) fail(line, col(1), `EA 0x${ea!.toString(16)} is not aligned to the page size`);
  if ((ra! & mask) !== 0n) fail(line, col(2), `RA 0x${ra!.toString(16)} is not aligned to the page size`);
  if (ra! + mask + 1n > MEMORY_SIZE) fail(line, col(2), `RA 0x${ra!.toString(16)} is beyond the ${MEMORY_SIZE >> 20n} MiB of storage`);
  if (ea! >> 60n === 0xcn) fail(line, col(1), 'EAs 0xc... are the linear mapping; declare pages elsewhere (e.g. 0xd000000000000000)');
  return { name, line, col: restCol, ea: ea!, ra: ra!, shift, pp, secondary, valid, only };
}

/** `.reg rN, EXPR`: the register and where its expression starts. */
export function parseReg(rest: string, restCol: number, line: number, fail: Fail): { reg: number; expr: ExprAt } {
  const m = /^(r|%r)?(\d+)\s*,?\s*/.exec(rest);
  if (!m || Number(m[2]) > 31) fail(line, restCol, `.reg needs a GPR and a value: .reg r3, EXPR`);
  const text = rest.slice(m![0].length);
  if (text.trim() === '') fail(line, restCol + rest.length, '.reg needs a value after the register');
  return { reg: Number(m![2]), expr: { line, col: restCol + m![0].length, text } };
}

/** `.final cpuN rK OP EXPR` or `.final mem64 EXPR OP EXPR`. */
export function parseFinal(
  rest: string,
  restCol: number,
  line: number,
  fail: Fail,
): { lhs: { kind: 'reg'; cpu: number; reg: number } | { kind: 'mem64'; addr: ExprAt }; op: '==' | '!='; rhs: ExprAt } {
  const opm = /==|!=/.exec(rest);
  if (!opm) fail(line, restCol, `.final needs a condition: cpuN rK == VALUE or mem64 ADDR == VALUE (or !=)`);
  const left = rest.slice(0, opm!.index);
  const rhsStart = opm!.index + 2 + (rest.slice(opm!.index + 2).length - rest.slice(opm!.index + 2).trimStart().length);
  const rhs = { line, col: restCol + rhsStart, text: rest.slice(rhsStart) };
  if (rhs.text.trim() === '') fail(line, restCol + rest.length, '.final needs a value after the operator');
  const op = opm![0] as '==' | '!=';
  const reg = /^\s*cpu(\d+)\s+(?:r|%r)?(\d+)\s*$/.exec(left);
  if (reg) {
    if (Number(reg[2]) > 31) fail(line, restCol, `bad register r${reg[2]}`);
    return { lhs: { kind: 'reg', cpu: Number(reg[1]), reg: Number(reg[2]) }, op, rhs };
  }
  const mem = /^\s*mem64\s+/.exec(left);
  if (mem) return { lhs: { kind: 'mem64', addr: { line, col: restCol + mem[0].length, text: left.slice(mem[0].length) } }, op, rhs };
  return fail(line, restCol, `.final's left side must be 'cpuN rK' or 'mem64 ADDR'`);
}

/** `.mem64 ADDR, VALUE`: split at the first comma outside parentheses. */
export function parseMem64(rest: string, restCol: number, line: number, fail: Fail): { addr: ExprAt; value: ExprAt } {
  let depth = 0;
  for (let i = 0; i < rest.length; i++) {
    const c = rest[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      const after = rest.slice(i + 1);
      const lead = after.length - after.trimStart().length;
      if (rest.slice(0, i).trim() === '' || after.trim() === '') break;
      return { addr: { line, col: restCol, text: rest.slice(0, i) }, value: { line, col: restCol + i + 1 + lead, text: after.trimStart() } };
    }
  }
  return fail(line, restCol, '.mem64 needs a real address and a value: .mem64 ADDR, VALUE');
}

const VALUE_SYMBOL = '__validate_value';

/**
 * Evaluates expressions with the symbols of `context` (the fixture's lines with everything
 * but the preamble blanked): each is assembled as `__validate_value = EXPR` on its own line,
 * at its own column where there is room, so an error points into the fixture.
 */
export function evaluateAt(context: readonly string[], fileName: string, e: ExprAt): bigint {
  const lines = [...context];
  const head = `${VALUE_SYMBOL}=`;
  const pad = Math.max(1, e.col - 1 - head.length);
  lines[e.line - 1] = ' '.repeat(pad) + head + e.text;
  const r = assemble(lines.join('\n'), { fileName, format: 'bin' });
  return BigInt.asUintN(64, r.symbols.get(VALUE_SYMBOL)!);
}
