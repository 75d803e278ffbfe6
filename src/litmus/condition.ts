// Conditions of litmus tests: evaluating a proposition on a final state, and printing
// locations, values and conditions exactly as herd7's log does.
//
// Facts taken from herdtools7's sources (herd/herdtools7 on GitHub):
//  - lib/constrGen.ml (pp_prop, mk_arg, dump_constraints): `exists (P)`, `~exists (P)`,
//    `forall (P)`; ` /\ `, ` \/ `, ` => ` between operands; `not (P)` for negation; `true` and
//    `false`; parentheses only where an operator sits under a different one, except that
//    `/\` under `\/` is bare (`a \/ b /\ c`) and `=>` under `=>` is bare.
//  - herd/archExtra_herd.ml (do_dump_location): registers print `1:r3`, memory `x` (brackets
//    only with herd's -brackets option).
//  - lib/location.ml (location_compare) and herd/test_herd.ml (`displayed`): the States lines
//    show one set of locations, those of `locations [...]` and of the condition (not the
//    filter's), ordered registers first by thread then register number, then memory
//    locations by name.

import type { Condition, LitmusLoc, LitmusTest, LitmusValue, Prop } from './ast.js';

/** `1:r3` for a register, `x` for a memory location. */
export function locName(l: LitmusLoc): string {
  return l.kind === 'reg' ? `${l.thread}:r${l.reg}` : l.name;
}

/** An integer as signed 64-bit decimal (herd prints -1, not 18446744073709551615); an address as its location's name. */
export function formatValue(v: LitmusValue): string {
  return v.kind === 'int' ? BigInt.asIntN(64, v.value).toString() : v.name;
}

/** Equal when both are integers equal as 64-bit values, or both the address of one location. */
export function sameValue(a: LitmusValue, b: LitmusValue): boolean {
  if (a.kind === 'int' && b.kind === 'int') return BigInt.asUintN(64, a.value) === BigInt.asUintN(64, b.value);
  if (a.kind === 'addr' && b.kind === 'addr') return a.name === b.name;
  return false;
}

/**
 * The operands of a chain `a /\ b /\ c` (the parser nests it to the left), walked without
 * recursion so long chains cost no stack.
 */
function chain(p: Prop & { kind: 'and' | 'or' }): Prop[] {
  const rights: Prop[] = [];
  let n: Prop = p;
  while (n.kind === p.kind) {
    const c = n as Prop & { kind: 'and' | 'or' };
    rights.push(c.r);
    n = c.l;
  }
  rights.push(n);
  return rights.reverse();
}

/**
 * The proposition's truth on the final state that `value` reads; `asTyped` gives a constant
 * as the location's type shows it (types.ts), so that `0:r1=0xffffffff` and `0:r1=-1` mean
 * the same of an `int` register.
 */
export function evalProp(p: Prop, value: (loc: LitmusLoc) => LitmusValue, asTyped: (loc: LitmusLoc, v: LitmusValue) => LitmusValue = (_l, v) => v): boolean {
  const ev = (q: Prop): boolean => evalProp(q, value, asTyped);
  switch (p.kind) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'eq':
      return sameValue(value(p.loc), asTyped(p.loc, p.value));
    case 'not':
      return !ev(p.p);
    case 'implies':
      return !ev(p.l) || ev(p.r);
    case 'and':
      return chain(p).every(ev);
    case 'or':
      return chain(p).some(ev);
  }
}

type Above = 'top' | 'and' | 'or' | 'implies';

/** lib/constrGen.ml is_paren: does an operator `here` under `above` need parentheses? */
function paren(above: Above, here: Exclude<Above, 'top'>, s: string): string {
  const bare = above === 'top' || above === here || (above === 'or' && here === 'and');
  return bare ? s : `(${s})`;
}

function pp(p: Prop, above: Above): string {
  switch (p.kind) {
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'eq':
      return `${locName(p.loc)}=${formatValue(p.value)}`;
    case 'not':
      return `not (${pp(p.p, 'top')})`;
    case 'and':
      return paren(above, 'and', chain(p).map((q) => pp(q, 'and')).join(' /\\ '));
    case 'or':
      return paren(above, 'or', chain(p).map((q) => pp(q, 'or')).join(' \\/ '));
    case 'implies':
      return paren(above, 'implies', `${pp(p.l, 'implies')} => ${pp(p.r, 'implies')}`);
  }
}

/** A proposition as herd7 prints it, e.g. `1:r1=1 /\ 1:r3=0`. */
export function formatProp(p: Prop): string {
  return pp(p, 'top');
}

/** The condition as herd7's `Condition` log line shows it, e.g. `exists (1:r1=1 /\ 1:r3=0)`. */
export function formatCondition(c: Condition): string {
  return `${c.quantifier} (${formatProp(c.prop)})`;
}

/** herd's location order: registers (by thread, then number) before memory (by name). */
export function compareLoc(a: LitmusLoc, b: LitmusLoc): number {
  if (a.kind === 'reg' && b.kind === 'reg') return a.thread - b.thread || a.reg - b.reg;
  if (a.kind === 'mem' && b.kind === 'mem') return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  return a.kind === 'reg' ? -1 : 1;
}

/**
 * The locations herd7's States lines show, in its order: those the condition mentions and
 * those of `locations [...]`, each once, sorted by compareLoc. The filter's locations are not
 * shown (herd keeps them apart, as `observed`).
 */
export function observablesOf(t: LitmusTest): LitmusLoc[] {
  const found = new Map<string, LitmusLoc>();
  const stack: Prop[] = [t.condition.prop];
  while (stack.length > 0) {
    const q = stack.pop()!;
    if (q.kind === 'eq') found.set(locName(q.loc), q.loc);
    else if (q.kind === 'not') stack.push(q.p);
    else if (q.kind === 'and' || q.kind === 'or' || q.kind === 'implies') stack.push(q.l, q.r);
  }
  for (const l of t.locations) found.set(locName(l), l);
  return [...found.values()].sort(compareLoc);
}
