// Conditions: 64-bit comparison of values, evaluation of every operator (long chains without
// recursion), herd7's printing of locations, values and propositions (its parenthesisation,
// `not (...)`, `true`/`false`), and the observables' order of herd's States lines.

import { describe, expect, it } from 'vitest';
import type { LitmusLoc, LitmusValue, Prop } from '../../src/litmus/ast.js';
import {
  compareLoc,
  evalProp,
  formatCondition,
  formatProp,
  formatValue,
  locName,
  observablesOf,
  sameValue,
} from '../../src/litmus/condition.js';
import { parseLitmus } from '../../src/litmus/parse.js';

const P = { line: 1, col: 1 };
const reg = (thread: number, r: number): LitmusLoc => ({ kind: 'reg', thread, reg: r });
const mem = (name: string): LitmusLoc => ({ kind: 'mem', name });
const int = (v: bigint): LitmusValue => ({ kind: 'int', value: v });
const addr = (name: string): LitmusValue => ({ kind: 'addr', name });
const eq = (loc: LitmusLoc, value: LitmusValue): Prop => ({ kind: 'eq', loc, value, pos: P });
const and = (l: Prop, r: Prop): Prop => ({ kind: 'and', l, r });
const or = (l: Prop, r: Prop): Prop => ({ kind: 'or', l, r });
const not = (p: Prop): Prop => ({ kind: 'not', p });
const imp = (l: Prop, r: Prop): Prop => ({ kind: 'implies', l, r });
const T: Prop = { kind: 'true' };
const F: Prop = { kind: 'false' };

const a = eq(reg(1, 1), int(1n));
const b = eq(reg(1, 3), int(0n));
const c = eq(mem('x'), int(2n));

describe('locations and values', () => {
  it('prints registers as thread:rN and memory by name', () => {
    expect(locName(reg(1, 3))).toBe('1:r3');
    expect(locName(reg(12, 31))).toBe('12:r31');
    expect(locName(mem('x'))).toBe('x');
  });

  it('prints integers as signed 64-bit decimal and addresses as names', () => {
    expect(formatValue(int(1n))).toBe('1');
    expect(formatValue(int(-1n))).toBe('-1');
    expect(formatValue(int(0xffffffffffffffffn))).toBe('-1');
    expect(formatValue(int(0x8000000000000000n))).toBe('-9223372036854775808');
    expect(formatValue(int(0x7fffffffffffffffn))).toBe('9223372036854775807');
    expect(formatValue(int(0x10n))).toBe('16');
    expect(formatValue(addr('y'))).toBe('y');
  });

  it('compares values as 64-bit integers or as the same address', () => {
    expect(sameValue(int(-1n), int(0xffffffffffffffffn))).toBe(true);
    expect(sameValue(int(-2n), int(0xffffffffffffffffn))).toBe(false);
    expect(sameValue(int(0n), int(0n))).toBe(true);
    expect(sameValue(addr('x'), addr('x'))).toBe(true);
    expect(sameValue(addr('x'), addr('y'))).toBe(false);
    expect(sameValue(addr('x'), int(0n))).toBe(false);
    expect(sameValue(int(0n), addr('x'))).toBe(false);
  });
});

describe('evalProp', () => {
  const state = new Map<string, LitmusValue>([
    ['1:r1', int(1n)],
    ['1:r3', int(0xffffffffffffffffn)],
    ['1:r2', addr('x')],
    ['x', int(2n)],
  ]);
  const value = (l: LitmusLoc): LitmusValue => state.get(locName(l)) ?? int(0n);
  const ev = (p: Prop) => evalProp(p, value);

  it('evaluates atoms with 64-bit integers and addresses', () => {
    expect(ev(a)).toBe(true);
    expect(ev(eq(reg(1, 3), int(-1n)))).toBe(true);
    expect(ev(eq(reg(1, 3), int(0xffffffffffffffffn)))).toBe(true);
    expect(ev(eq(reg(1, 3), int(1n)))).toBe(false);
    expect(ev(eq(reg(1, 2), addr('x')))).toBe(true);
    expect(ev(eq(reg(1, 2), addr('y')))).toBe(false);
    expect(ev(eq(reg(1, 2), int(0n)))).toBe(false);
    expect(ev(eq(reg(0, 9), int(0n)))).toBe(true);
  });

  it('evaluates every operator', () => {
    const yes = a;
    const no = eq(mem('x'), int(3n));
    expect([ev(T), ev(F)]).toEqual([true, false]);
    expect([ev(not(yes)), ev(not(no))]).toEqual([false, true]);
    expect([ev(and(yes, yes)), ev(and(yes, no)), ev(and(no, yes)), ev(and(no, no))]).toEqual([true, false, false, false]);
    expect([ev(or(yes, yes)), ev(or(yes, no)), ev(or(no, yes)), ev(or(no, no))]).toEqual([true, true, true, false]);
    expect([ev(imp(yes, yes)), ev(imp(yes, no)), ev(imp(no, yes)), ev(imp(no, no))]).toEqual([true, false, true, true]);
  });

  it('walks very long chains without recursion', () => {
    let p: Prop = a;
    for (let k = 0; k < 200_000; k++) p = and(p, a);
    expect(ev(p)).toBe(true);
    expect(ev(and(p, F))).toBe(false);
    let q: Prop = F;
    for (let k = 0; k < 200_000; k++) q = or(q, F);
    expect(ev(or(q, a))).toBe(true);
    expect(formatProp(and(and(a, b), c))).toBe('1:r1=1 /\\ 1:r3=0 /\\ x=2');
    expect(formatProp(p).length).toBe(200_001 * '1:r1=1'.length + 200_000 * ' /\\ '.length);
  });
});

describe('formatProp and formatCondition (herd7 lib/constrGen.ml conventions)', () => {
  it('prints chains flat and parenthesises only a lower operator under a higher one', () => {
    expect(formatProp(and(a, b))).toBe('1:r1=1 /\\ 1:r3=0');
    expect(formatProp(and(a, and(b, c)))).toBe('1:r1=1 /\\ 1:r3=0 /\\ x=2');
    expect(formatProp(or(or(a, b), c))).toBe('1:r1=1 \\/ 1:r3=0 \\/ x=2');
    expect(formatProp(or(and(a, b), c))).toBe('1:r1=1 /\\ 1:r3=0 \\/ x=2');
    expect(formatProp(or(a, and(b, c)))).toBe('1:r1=1 \\/ 1:r3=0 /\\ x=2');
    expect(formatProp(and(or(a, b), c))).toBe('(1:r1=1 \\/ 1:r3=0) /\\ x=2');
    expect(formatProp(and(a, or(b, c)))).toBe('1:r1=1 /\\ (1:r3=0 \\/ x=2)');
  });

  it('prints => with parentheses against /\\ and \\/ on both sides, bare under =>', () => {
    expect(formatProp(imp(a, b))).toBe('1:r1=1 => 1:r3=0');
    expect(formatProp(imp(and(a, b), c))).toBe('(1:r1=1 /\\ 1:r3=0) => x=2');
    expect(formatProp(imp(a, or(b, c)))).toBe('1:r1=1 => (1:r3=0 \\/ x=2)');
    expect(formatProp(and(a, imp(b, c)))).toBe('1:r1=1 /\\ (1:r3=0 => x=2)');
    expect(formatProp(or(imp(a, b), c))).toBe('(1:r1=1 => 1:r3=0) \\/ x=2');
    expect(formatProp(imp(a, imp(b, c)))).toBe('1:r1=1 => 1:r3=0 => x=2');
    // herd prints a left-nested => bare as well (its is_paren), so we do too.
    expect(formatProp(imp(imp(a, b), c))).toBe('1:r1=1 => 1:r3=0 => x=2');
  });

  it('prints negation as `not (...)` and the constants as true/false', () => {
    expect(formatProp(not(a))).toBe('not (1:r1=1)');
    expect(formatProp(not(and(a, b)))).toBe('not (1:r1=1 /\\ 1:r3=0)');
    expect(formatProp(and(not(a), b))).toBe('not (1:r1=1) /\\ 1:r3=0');
    expect(formatProp(T)).toBe('true');
    expect(formatProp(F)).toBe('false');
    expect(formatProp(and(T, or(F, a)))).toBe('true /\\ (false \\/ 1:r1=1)');
  });

  it('prints values signed, addresses by name', () => {
    expect(formatProp(eq(reg(0, 1), int(0xffffffffffffffffn)))).toBe('0:r1=-1');
    expect(formatProp(eq(reg(1, 2), addr('x')))).toBe('1:r2=x');
  });

  it('prints the three quantifiers as herd\'s Condition line', () => {
    expect(formatCondition({ quantifier: 'exists', prop: and(a, b), pos: P })).toBe('exists (1:r1=1 /\\ 1:r3=0)');
    expect(formatCondition({ quantifier: '~exists', prop: and(eq(reg(0, 1), int(0n)), eq(reg(1, 1), int(0n))), pos: P })).toBe(
      '~exists (0:r1=0 /\\ 1:r1=0)',
    );
    expect(formatCondition({ quantifier: 'forall', prop: or(eq(reg(0, 1), int(1n)), eq(reg(0, 1), int(2n))), pos: P })).toBe(
      'forall (0:r1=1 \\/ 0:r1=2)',
    );
    expect(formatCondition({ quantifier: 'forall', prop: T, pos: P })).toBe('forall (true)');
  });

  it('prints parsed conditions in herd\'s normal form', () => {
    const printed = (cond: string) => formatCondition(parseLitmus(`PPC T\n{ }\nP0 | P1;\nnop | nop;\n${cond}\n`, 'T').condition);
    expect(printed('exists ((1:r1=1) /\\ (1:r3=0))')).toBe('exists (1:r1=1 /\\ 1:r3=0)');
    expect(printed('~ exists (0:r1=0 /\\ 1:r1=0)')).toBe('~exists (0:r1=0 /\\ 1:r1=0)');
    expect(printed('forall 0:r1=1 \\/ 0:r1=2')).toBe('forall (0:r1=1 \\/ 0:r1=2)');
    expect(printed('exists ([x]=1 /\\ 0:r1 != 2 /\\ 1:r2=x)')).toBe('exists (x=1 /\\ not (0:r1=2) /\\ 1:r2=x)');
    expect(printed('exists (0:r1=0xffffffffffffffff \\/ ~(x=1 \\/ y=2))')).toBe('exists (0:r1=-1 \\/ not (x=1 \\/ y=2))');
    expect(printed('exists (x=1 /\\ y=1 => x=2)')).toBe('exists (x=1 /\\ (y=1 => x=2))');
  });
});

describe('observablesOf (herd7 States order)', () => {
  it('merges condition and locations, drops duplicates and the filter, sorts registers then memory', () => {
    const t = parseLitmus(
      [
        'PPC T',
        '{ }',
        'P0 | P1 | P2 ;',
        'nop | nop | nop ;',
        'locations [z; 0:r1; x; 1:r2;]',
        'filter (2:r1=0 /\\ w=0)',
        'exists (y=1 /\\ 1:r10=0 /\\ 1:r2=1 /\\ 0:r5=0 /\\ x=2 /\\ ~(1:r10=1))',
      ].join('\n'),
      'T.litmus',
    );
    expect(observablesOf(t).map(locName)).toEqual(['0:r1', '0:r5', '1:r2', '1:r10', 'x', 'y', 'z']);
  });

  it('orders locations as herd\'s location_compare', () => {
    const locs = [mem('b'), reg(1, 0), mem('a'), reg(0, 31), reg(0, 2), mem('B'), reg(10, 1), reg(2, 1)];
    expect([...locs].sort(compareLoc).map(locName)).toEqual(['0:r2', '0:r31', '1:r0', '2:r1', '10:r1', 'B', 'a', 'b']);
  });

  it('is empty for a test whose condition is `true` and that has no locations', () => {
    expect(observablesOf(parseLitmus('PPC T\n{ }\nP0;\nnop;\n', 'T'))).toEqual([]);
  });
});
