// herd7's symbolic registers: `%name` in thread code stands for a register the tool picks, and
// `%name=VALUE` in the init block gives it its initial value (herdtools7 litmus tests written
// by hand or translated from C, e.g. `{ %x0=x; } ... stw r1,0(%x0)`; herd's state lexer reads
// `%name` as a symbolic register). Each thread that uses a name gets its own register, one its
// code does not name; the init entry becomes an ordinary `T:rN=VALUE` entry of that thread.

import type { InitEntry, LitmusLoc, Pos } from './ast.js';

interface Cell {
  readonly text: string;
  readonly pos: Pos;
}

const SYMBOL = /%([A-Za-z_][A-Za-z0-9_]*)/g;
const REGISTER = /(?<![A-Za-z0-9_])[rR]([0-9]{1,2})(?![A-Za-z0-9_])/g;

export const isSymbolic = (l: LitmusLoc): boolean => l.kind === 'mem' && l.name.startsWith('%');

/**
 * Replaces every `%name` of each thread's cells by a free register and turns the symbolic init
 * entries into register entries. `fail` reports bad input at a position. `taken[t]` lists the
 * registers of thread t the test names outside its code (init, condition, locations).
 */
export function resolveSymbolic(
  init: readonly InitEntry[],
  rows: readonly (readonly Cell[])[],
  taken: readonly (readonly number[])[],
  fail: (pos: Pos, reason: string) => never,
): { init: InitEntry[]; rows: Cell[][] } {
  const symbols = new Map<string, InitEntry>();
  const out: InitEntry[] = [];
  for (const e of init) {
    if (isSymbolic(e.loc)) symbols.set((e.loc as { name: string }).name.slice(1), e);
    else out.push(e);
  }
  const newRows = rows.map((cells, t) => {
    const used = new Set<number>(taken[t] ?? []);
    for (const c of cells) for (const m of c.text.matchAll(REGISTER)) used.add(Number(m[1]));
    const given = new Map<string, number>();
    return cells.map((c) => {
      if (!c.text.includes('%')) return c;
      const text = c.text.replace(SYMBOL, (_all, name: string) => {
        let r = given.get(name);
        if (r === undefined) {
          // r0 is never picked: as a base register it means 0, not its value.
          for (let k = 31; k >= 1 && r === undefined; k--) if (!used.has(k)) r = k;
          if (r === undefined) fail(c.pos, `no free register for %${name} in thread ${t}`);
          used.add(r);
          given.set(name, r);
          const e = symbols.get(name);
          out.push({ loc: { kind: 'reg', thread: t, reg: r }, value: e?.value ?? { kind: 'int', value: 0n }, type: e?.type ?? null, pos: e?.pos ?? c.pos });
        }
        return `r${r}`;
      });
      return { text, pos: c.pos };
    });
  });
  return { init: out, rows: newRows };
}
