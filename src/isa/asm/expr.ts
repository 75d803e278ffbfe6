// Expressions: parsing (GNU as operator precedence) and evaluation over section-relative
// values, with the PowerPC ELF operators @l @h @ha @higher @highera @highest @highesta.
//
// A value is either absolute or an offset in a section (as in GNU as); the difference of two
// addresses in one section is absolute, so `.org`, `.space` and `.rept` work before section
// addresses are known. Everything else that needs an address waits for the layout (pass 2),
// since this assembler links absolutely.

import { at, fail, type SrcLoc } from './errors.js';
import type { Tokens } from './lexer.js';

export type RelocOp = 'l' | 'h' | 'ha' | 'high' | 'higha' | 'higher' | 'highera' | 'highest' | 'highesta';
const RELOC_OPS = new Set<string>(['l', 'h', 'ha', 'high', 'higha', 'higher', 'highera', 'highest', 'highesta']);

export type Expr =
  | { readonly t: 'num'; readonly v: bigint; readonly col: number }
  | { readonly t: 'sym'; readonly name: string; readonly col: number }
  | { readonly t: 'dot'; readonly col: number }
  | { readonly t: 'reg'; readonly v: number; readonly gpr: boolean; readonly name: string; readonly col: number }
  | { readonly t: 'un'; readonly op: string; readonly e: Expr; readonly col: number }
  | { readonly t: 'bin'; readonly op: string; readonly a: Expr; readonly b: Expr; readonly col: number }
  | { readonly t: 'reloc'; readonly op: RelocOp; readonly e: Expr; readonly col: number };

export interface ParseOptions {
  /** Recognise register and condition names (instruction operands). */
  readonly registers: boolean;
  /** Maps a numeric local label reference (1b, 1f) to the symbol it names. */
  local(n: string, dir: 'b' | 'f', col: number): string;
}

// Register names accepted in instruction operands: GNU as's PowerPC names (r0-r31 with or
// without %, sp = r1, rtoc = r2), FPRs f0-f31, VRs v0-v31, VSRs vs0-vs63, CR fields cr0-cr7 and the CR bit names of
// Book I C.2.
const CR_BIT_NAMES: Record<string, number> = { lt: 0, gt: 1, eq: 2, so: 3, un: 3 };

export function registerValue(name: string, percent: boolean): { v: number; gpr: boolean } | null {
  const n = name.toLowerCase();
  let m = /^r([0-9]|[12][0-9]|3[01])$/.exec(n);
  if (m) return { v: Number(m[1]), gpr: true };
  if (n === 'sp') return { v: 1, gpr: true };
  if (n === 'rtoc') return { v: 2, gpr: true };
  m = /^cr([0-7])$/.exec(n) ?? /^f([0-9]|[12][0-9]|3[01])$/.exec(n) ?? /^v([0-9]|[12][0-9]|3[01])$/.exec(n) ?? /^vs([0-9]|[1-5][0-9]|6[0-3])$/.exec(n);
  if (m) return { v: Number(m[1]), gpr: false };
  if (!percent && n in CR_BIT_NAMES) return { v: CR_BIT_NAMES[n]!, gpr: false };
  return null;
}

// Binary operator ranks from GNU as (higher binds tighter): * / % << >> above | & ^ above
// + - above comparisons above && above ||.
const RANK: Record<string, number> = {
  '*': 9, '/': 9, '%': 9, '<<': 9, '>>': 9,
  '|': 7, '&': 7, '^': 7,
  '+': 5, '-': 5,
  '==': 4, '!=': 4, '<>': 4, '<': 4, '>': 4, '<=': 4, '>=': 4,
  '&&': 3,
  '||': 2,
};

/**
 * Bounds on one expression: parentheses and unary operators nested, and operands in all.
 * Parsing and evaluation recurse over the tree, so these keep both far from the stack limit.
 */
const MAX_NESTING = 200;
const MAX_TERMS = 2000;
let nesting = 0;
let terms = 0;

/** Parses one expression (with an optional trailing @reloc suffix) from the cursor. */
export function parseExpr(ts: Tokens, opts: ParseOptions): Expr {
  if (nesting === 0) terms = 0;
  if (++nesting > MAX_NESTING) {
    nesting = 0;
    ts.failHere(`expression nested more than ${MAX_NESTING} deep`);
  }
  try {
    return parseExprBody(ts, opts);
  } finally {
    nesting = Math.max(0, nesting - 1);
  }
}

function parseExprBody(ts: Tokens, opts: ParseOptions): Expr {
  const e = parseBinary(ts, opts, 0);
  if (!ts.isOp('@')) return e;
  const atTok = ts.next();
  const name = ts.next();
  if (name.k !== 'id') ts.failHere('expected a relocation operator after @');
  const op = name.v.toLowerCase();
  if (!RELOC_OPS.has(op)) fail(at(ts.loc, name.col), `unsupported relocation operator @${name.v}`);
  // GNU as: an addend written after the suffix (x@h+1) is added before the operator applies.
  let inner = e;
  while (ts.isOp('+') || ts.isOp('-')) {
    const o = ts.next();
    const rhs = parseBinary(ts, opts, RANK['+']! + 1);
    inner = { t: 'bin', op: o.k === 'op' ? o.v : '+', a: inner, b: rhs, col: o.col };
  }
  return { t: 'reloc', op: op as RelocOp, e: inner, col: atTok.col };
}

function parseBinary(ts: Tokens, opts: ParseOptions, minRank: number): Expr {
  let left = parseUnary(ts, opts);
  for (;;) {
    const t = ts.peek();
    if (t.k !== 'op') return left;
    const r = RANK[t.v];
    if (r === undefined || r < minRank) return left;
    ts.next();
    const right = parseBinary(ts, opts, r + 1);
    left = { t: 'bin', op: t.v, a: left, b: right, col: t.col };
  }
}

function parseUnary(ts: Tokens, opts: ParseOptions): Expr {
  // Prefix operators are read in a loop and applied innermost first: no recursion per sign.
  const ops: Array<{ v: string; col: number }> = [];
  for (let t = ts.peek(); t.k === 'op' && (t.v === '-' || t.v === '~' || t.v === '!' || t.v === '+'); t = ts.peek()) {
    ts.next();
    if (t.v !== '+') ops.push({ v: t.v, col: t.col });
    if (ops.length > MAX_NESTING) ts.failHere(`more than ${MAX_NESTING} unary operators in a row`);
  }
  let e = parsePrimary(ts, opts);
  for (let k = ops.length - 1; k >= 0; k--) e = { t: 'un', op: ops[k]!.v, e, col: ops[k]!.col };
  return e;
}

function parsePrimary(ts: Tokens, opts: ParseOptions): Expr {
  if (++terms > MAX_TERMS) ts.failHere(`expression has more than ${MAX_TERMS} operands`);
  const t = ts.next();
  switch (t.k) {
    case 'num':
      return { t: 'num', v: t.v, col: t.col };
    case 'local':
      return { t: 'sym', name: opts.local(t.n, t.dir, t.col), col: t.col };
    case 'id': {
      if (t.v === '.') return { t: 'dot', col: t.col };
      if (opts.registers) {
        const r = registerValue(t.v, false);
        if (r) return { t: 'reg', v: r.v, gpr: r.gpr, name: t.v, col: t.col };
      }
      return { t: 'sym', name: t.v, col: t.col };
    }
    case 'op':
      if (t.v === '(') {
        const e = parseExpr(ts, opts);
        ts.expectOp(')');
        return e;
      }
      if (t.v === '%' && opts.registers) {
        const n = ts.next();
        const r = n.k === 'id' ? registerValue(n.v, true) : null;
        if (!r || n.k !== 'id') fail(at(ts.loc, t.col), 'bad register name after %');
        return { t: 'reg', v: r.v, gpr: r.gpr, name: '%' + n.v, col: t.col };
      }
      break;
    default:
      break;
  }
  fail(at(ts.loc, t.col), t.k === 'end' ? 'missing expression' : `unexpected '${tokenText(t)}' in expression`);
}

function tokenText(t: ReturnType<Tokens['peek']>): string {
  switch (t.k) {
    case 'op':
      return t.v;
    case 'str':
      return 'string';
    default:
      return t.k;
  }
}

// ---- Evaluation ----

/** Section index for absolute values. */
export const ABS = -1;

export interface Value {
  /** Section index, or ABS. */
  readonly sec: number;
  /** Offset in the section, or the absolute value; always wrapped to signed 64 bits. */
  readonly off: bigint;
  /** Produced by a @l/@h/@ha... operator: a 16-bit field value (sign-extended for signed fields). */
  readonly half?: boolean;
  /** A general-purpose register name (r3, %r3, sp). */
  readonly gpr?: boolean;
  /** Any register or CR name. */
  readonly reg?: boolean;
}

export interface EvalEnv {
  /** The symbol's value, or undefined when it is not (yet) defined. */
  symbol(name: string): Value | undefined;
  /** The current location `.`. */
  dot(): Value;
  /** Address of a section, or undefined before layout. */
  base(sec: number): bigint | undefined;
  /** Undefined symbols are errors (pass 2) rather than Pending (pass 1). */
  readonly final: boolean;
  readonly loc: SrcLoc;
}

/** Thrown in pass 1 when a value depends on something not known yet. */
export class Pending extends Error {
  constructor(readonly col: number, readonly what: string) {
    super(what);
  }
}

const w64 = (v: bigint) => BigInt.asIntN(64, v);
const absV = (v: bigint): Value => ({ sec: ABS, off: w64(v) });

/** The absolute value of `v` (an address once sections are placed). */
export function absolute(v: Value, env: EvalEnv, col: number): bigint {
  if (v.sec === ABS) return v.off;
  const b = env.base(v.sec);
  if (b === undefined) throw new Pending(col, 'an address');
  return w64(b + v.off);
}

export function evaluate(e: Expr, env: EvalEnv): Value {
  switch (e.t) {
    case 'num':
      return absV(e.v);
    case 'dot':
      return env.dot();
    case 'reg':
      return { sec: ABS, off: BigInt(e.v), gpr: e.gpr, reg: true };
    case 'sym': {
      const v = env.symbol(e.name);
      if (v) return { sec: v.sec, off: v.off };
      if (!env.final) throw new Pending(e.col, `symbol '${e.name}'`);
      if (e.name.includes('\u0002')) fail(at(env.loc, e.col), `undefined local label ${displayName(e.name)}`);
      fail(at(env.loc, e.col), `undefined symbol '${e.name}'`);
    }
    case 'un': {
      const v = absolute(evaluate(e.e, env), env, e.col);
      if (e.op === '-') return absV(-v);
      if (e.op === '~') return absV(~v);
      return absV(v === 0n ? 1n : 0n);
    }
    case 'bin':
      return binary(e, env);
    case 'reloc': {
      const u = BigInt.asUintN(64, absolute(evaluate(e.e, env), env, e.col));
      const ha = u + 0x8000n;
      const r: Record<RelocOp, bigint> = {
        l: u,
        h: u >> 16n,
        high: u >> 16n,
        ha: ha >> 16n,
        higha: ha >> 16n,
        higher: u >> 32n,
        highera: ha >> 32n,
        highest: u >> 48n,
        highesta: ha >> 48n,
      };
      return { sec: ABS, off: r[e.op] & 0xffffn, half: true };
    }
  }
}

function binary(e: Extract<Expr, { t: 'bin' }>, env: EvalEnv): Value {
  const a = evaluate(e.a, env);
  const b = evaluate(e.b, env);
  // Section-relative arithmetic that stays meaningful before layout.
  if (e.op === '+') {
    if (a.sec === ABS && b.sec === ABS) return absV(a.off + b.off);
    if (b.sec === ABS) return { sec: a.sec, off: w64(a.off + b.off) };
    if (a.sec === ABS) return { sec: b.sec, off: w64(a.off + b.off) };
  }
  if (e.op === '-') {
    if (a.sec === b.sec) return absV(a.off - b.off);
    if (b.sec === ABS) return { sec: a.sec, off: w64(a.off - b.off) };
  }
  const x = absolute(a, env, e.a.col);
  const y = absolute(b, env, e.b.col);
  const ux = BigInt.asUintN(64, x);
  const truth = (c: boolean) => absV(c ? -1n : 0n); // GNU as: true is -1
  switch (e.op) {
    case '+':
      return absV(x + y);
    case '-':
      return absV(x - y);
    case '*':
      return absV(x * y);
    case '/':
    case '%':
      if (y === 0n) fail(at(env.loc, e.col), 'division by zero');
      return absV(e.op === '/' ? x / y : x % y);
    case '<<':
      return absV(y < 0n || y > 63n ? 0n : x << y);
    case '>>':
      // GNU as shifts the 64-bit value logically.
      return absV(y < 0n || y > 63n ? 0n : ux >> y);
    case '|':
      return absV(x | y);
    case '&':
      return absV(x & y);
    case '^':
      return absV(x ^ y);
    case '==':
      return truth(x === y);
    case '!=':
    case '<>':
      return truth(x !== y);
    case '<':
      return truth(x < y);
    case '>':
      return truth(x > y);
    case '<=':
      return truth(x <= y);
    case '>=':
      return truth(x >= y);
    case '&&':
      return absV(x !== 0n && y !== 0n ? 1n : 0n);
    case '||':
      return absV(x !== 0n || y !== 0n ? 1n : 0n);
  }
  fail(at(env.loc, e.col), `unknown operator ${e.op}`);
}

/**
 * How a numeric local label instance (n\u0002k, see assembler.ts) is shown in messages: only
 * forward references can be left undefined.
 */
export function displayName(name: string): string {
  const i = name.indexOf('\u0002');
  return i < 0 ? name : name.slice(0, i) + 'f';
}
