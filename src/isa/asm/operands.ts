// Instruction operands: parsing the written list against a mnemonic's operands (with omitted
// optional operands and d(RA) pairs), and turning evaluated values into field values.

import type { AliasOperand } from '../aliases.js';
import type { OperandDef } from '../fields.js';
import { presentOperands, type Mnemonic } from '../encode.js';
import type { InsnOperand } from '../table.js';
import { at, fail } from './errors.js';
import { parseExpr, type Expr, type ParseOptions, type Value } from './expr.js';
import { Tokens } from './lexer.js';

/** A group of mnemonic operands written as one: a single operand or a disp + base pair. */
interface Slot {
  readonly first: number;
  readonly count: 1 | 2;
  readonly optional: boolean;
}

function slotsOf(ops: readonly (InsnOperand | AliasOperand)[]): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.def.kind === 'disp' && i + 1 < ops.length) {
      slots.push({ first: i, count: 2, optional: false });
      i++;
    } else slots.push({ first: i, count: 1, optional: o.optional });
  }
  return slots;
}

export interface ParsedOperands {
  /** Written operand for each mnemonic operand index, or null when omitted (value 0). */
  readonly byOperand: ReadonlyArray<{ expr: Expr; col: number } | null>;
  /** Column of each mnemonic operand (its written operand's), for error messages. */
  readonly cols: readonly number[];
}

/** Counts top-level comma-separated operands. */
function countOperands(ts: Tokens): number {
  if (ts.atEnd()) return 0;
  let n = 1;
  let depth = 0;
  for (let k = 0; ; k++) {
    const t = ts.peek(k);
    if (t.k === 'end') return n;
    if (t.k === 'op') {
      if (t.v === '(') depth++;
      else if (t.v === ')') depth--;
      else if (t.v === ',' && depth === 0) n++;
    }
  }
}

function describeCount(slots: readonly Slot[]): string {
  const max = slots.length;
  const min = slots.filter((s) => !s.optional).length;
  const word = (n: number) => `${n} operand${n === 1 ? '' : 's'}`;
  return min === max ? word(max) : `${min} to ${word(max)}`;
}

/** Parses the operand text of `mn` (pass 1). */
export function parseOperands(mn: Mnemonic, ts: Tokens, opts: ParseOptions, mnemonicCol: number): ParsedOperands {
  const ops = mn.operands;
  const slots = slotsOf(ops);
  const given = countOperands(ts);
  const present = presentOperands(slots, given);
  if (!present) {
    // Too many: point at the first extra operand; too few: at the instruction.
    const col = given > slots.length ? nthOperandCol(ts, slots.length) : mnemonicCol;
    fail(at(ts.loc, col), `${mn.text} takes ${describeCount(slots)}, found ${given}`);
  }
  const byOperand: Array<{ expr: Expr; col: number } | null> = ops.map(() => null);
  const cols: number[] = ops.map(() => mnemonicCol);
  let first = true;
  slots.forEach((slot, si) => {
    if (!present[si]) return;
    if (!first) ts.expectOp(',');
    first = false;
    const col = ts.peek().col;
    if (slot.count === 1) {
      byOperand[slot.first] = { expr: parseExpr(ts, opts), col };
      cols[slot.first] = col;
    } else {
      const w = parseDisp(ts, opts);
      byOperand[slot.first] = { expr: w.exprs[0]!, col };
      byOperand[slot.first + 1] = { expr: w.exprs[1]!, col: w.col };
      cols[slot.first] = col;
      cols[slot.first + 1] = w.col;
    }
    const t = ts.peek();
    if (t.k !== 'end' && !(t.k === 'op' && t.v === ',')) ts.failHere(`junk after operand: '${t.k === 'op' || t.k === 'id' ? t.v : t.k}'`);
  });
  ts.expectEnd();
  return { byOperand, cols };
}

function nthOperandCol(ts: Tokens, n: number): number {
  let depth = 0;
  let seen = 0;
  for (let k = 0; ; k++) {
    const t = ts.peek(k);
    if (t.k === 'end') return t.col;
    if (t.k === 'op') {
      if (t.v === '(') depth++;
      else if (t.v === ')') depth--;
      else if (t.v === ',' && depth === 0 && ++seen === n) return ts.peek(k + 1).col;
    }
  }
}

/** d(RA): a displacement expression and a parenthesised base register; "(RA)" means 0(RA). */
function parseDisp(ts: Tokens, opts: ParseOptions): { exprs: [Expr, Expr]; col: number } {
  const startCol = ts.peek().col;
  // "(RA)" alone: a parenthesised group followed by the end of the operand.
  if (ts.isOp('(')) {
    let depth = 0;
    let k = 0;
    for (; ; k++) {
      const t = ts.peek(k);
      if (t.k === 'end') break;
      if (t.k === 'op' && t.v === '(') depth++;
      if (t.k === 'op' && t.v === ')' && --depth === 0) break;
    }
    const after = ts.peek(k + 1);
    if (after.k === 'end' || (after.k === 'op' && after.v === ',')) {
      ts.next();
      const col = ts.peek().col;
      const base = parseExpr(ts, opts);
      ts.expectOp(')');
      return { exprs: [{ t: 'num', v: 0n, col: startCol }, base], col };
    }
  }
  const disp = parseExpr(ts, opts);
  if (!ts.isOp('(')) ts.failHere('expected (register) after the displacement');
  ts.next();
  const col = ts.peek().col;
  const base = parseExpr(ts, opts);
  ts.expectOp(')');
  return { exprs: [disp, base], col };
}

// ---- Values to field values ----

const SIGNED_KINDS = new Set(['simm', 'disp', 'rel']);
const LIMIT = 1n << 40n;

/**
 * The number to insert for operand `def` from an evaluated value (branch targets already turned
 * into displacements by the caller). GNU as conventions, applied before the range check:
 * - a @l/@h/@ha... result in a signed field is the 16-bit value sign-extended;
 * - a signed field accepts a 32-bit constant written with the sign extension done by hand
 *   (0xffffffff for -1), as GNU as does; for branches only absolute targets (objdump prints
 *   `ba 0xfffffffc` for a target of -4), not computed displacements.
 */
export function fieldValue(def: OperandDef, v: bigint, half: boolean, allowSignExtended32: boolean): number {
  let x = v;
  if (SIGNED_KINDS.has(def.kind)) {
    if (half) x = BigInt.asIntN(16, x);
    else if (allowSignExtended32 && x >= 0x80000000n && x <= 0xffffffffn && !def.fits(Number(x)) && def.fits(Number(BigInt.asIntN(32, x))))
      x = BigInt.asIntN(32, x);
  }
  if (x > LIMIT || x < -LIMIT) return Number.NaN;
  return Number(x);
}

/** Register-name misuse: a GPR name where a number is expected, or a CR name for a GPR. */
export function registerMisuse(def: OperandDef, v: Value): string | null {
  const wantsGpr = def.kind === 'gpr' || def.kind === 'gpr0';
  if (v.gpr && !wantsGpr) return 'general-purpose register not allowed here';
  if (wantsGpr && v.reg && !v.gpr) return 'expected a general-purpose register';
  return null;
}
