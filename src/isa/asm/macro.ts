// Statement stream for pass 1: splits leading labels off statements and expands the GNU as
// block constructs .macro/.endm (with \arg, defaults, \@ and .exitm), .rept/.endr, .irp/.endr
// and .if/.ifdef/.ifndef/.elseif/.else/.endif. Counts and conditions are evaluated when the
// construct is reached, so they may use symbols defined earlier in the source.

import { at, fail, type SrcLoc } from './errors.js';
import type { Stmt } from './preprocess.js';

export interface ExpandHooks {
  /** Value of an absolute expression written at `loc`, using symbols known so far. */
  absolute(text: string, loc: SrcLoc): bigint;
  /** Whether a symbol is defined so far. */
  defined(name: string): boolean;
}

interface MacroDef {
  readonly name: string;
  readonly params: ReadonlyArray<{ name: string; def: string; req: boolean; vararg: boolean }>;
  readonly body: readonly Stmt[];
  readonly loc: SrcLoc;
}

interface Frame {
  readonly stmts: readonly Stmt[];
  i: number;
  readonly macro: boolean;
  /** Further passes over `stmts` (a .rept body is kept once, not copied n times). */
  repeats: bigint;
}

/**
 * Bounds on what expansion may produce, so no source runs for minutes or fills memory:
 * statements read (after .rept, .irp and macros, skipped conditionals included) and the
 * length of one statement after argument substitution (a macro that doubles its argument).
 */
export const MAX_EXPANDED_STATEMENTS = 1_000_000;
export const MAX_STATEMENT_LENGTH = 1 << 16;

const LABEL = /^([A-Za-z_.$][A-Za-z0-9_.$]*|[0-9]+)\s*:(?!=)/;
const HEAD = /^([A-Za-z_.$][A-Za-z0-9_.$]*)/;
const MAX_DEPTH = 200;

/** Splits the statement's leading "name:" labels off. */
function splitLabel(s: Stmt): [Stmt, Stmt | null] | null {
  const m = LABEL.exec(s.text);
  if (!m) return null;
  const rest = s.text.slice(m[0].length);
  const lead = /^\s*/.exec(rest)![0].length;
  const label: Stmt = { loc: s.loc, text: m[0] };
  const tail = rest.slice(lead);
  return [label, tail ? { loc: at(s.loc, s.loc.col + m[0].length + lead), text: tail } : null];
}

/** Directive or mnemonic word at the start of a (label-free) statement, and the rest. */
export function headOf(text: string): { head: string; rest: string; restOffset: number } {
  const m = HEAD.exec(text);
  if (!m) return { head: '', rest: text, restOffset: 0 };
  const after = text.slice(m[0].length);
  const lead = /^\s*/.exec(after)![0].length;
  return { head: m[1]!, rest: after.slice(lead), restOffset: m[0].length + lead };
}

/** Splits macro arguments: at top-level commas, or at blanks when there is no comma. */
export function splitArgs(text: string): string[] {
  const t = text.trim();
  if (!t) return [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  let sawComma = false;
  for (let i = 0; i < t.length; i++) {
    const c = t[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < t.length && t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
      cur += t.slice(i, j + 1);
      i = j;
      continue;
    }
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur.trim());
      cur = '';
      sawComma = true;
      continue;
    }
    cur += c;
  }
  parts.push(cur.trim());
  if (!sawComma && parts.length === 1) return parts[0]!.split(/\s+/).filter(Boolean);
  return parts;
}

export class Expander {
  private readonly frames: Frame[];
  private readonly macros = new Map<string, MacroDef>();
  private readonly pendingTail: Stmt[] = [];
  private readonly conds: Array<{ taking: boolean; done: boolean; parentActive: boolean; sawElse: boolean; loc: SrcLoc }> = [];
  private counter = 0;

  constructor(
    stmts: readonly Stmt[],
    private readonly hooks: ExpandHooks,
    private readonly maxStatements = MAX_EXPANDED_STATEMENTS,
  ) {
    this.frames = [{ stmts, i: 0, macro: false, repeats: 0n }];
  }

  private pulled = 0;

  /** Raw next statement (labels split off), or null at the end of the source. */
  private pull(): Stmt | null {
    let s = this.pendingTail.pop();
    while (!s) {
      const f = this.frames[this.frames.length - 1];
      if (!f) return null;
      if (f.i < f.stmts.length) s = f.stmts[f.i++]!;
      else if (f.repeats > 0n && f.stmts.length > 0) {
        f.repeats--;
        f.i = 0;
      } else this.frames.pop();
    }
    if (++this.pulled > this.maxStatements) {
      fail(s.loc, `more than ${this.maxStatements} statements after expanding macros and .rept/.irp (a bound, so that no source runs without end)`);
    }
    const parts = splitLabel(s);
    if (!parts) return s;
    if (parts[1]) this.pendingTail.push(parts[1]);
    return parts[0];
  }

  private push(stmts: readonly Stmt[], macro: boolean, loc: SrcLoc, times = 1n): void {
    if (this.frames.length > MAX_DEPTH) fail(loc, 'macro or .rept nesting too deep');
    if (times > 0n) this.frames.push({ stmts, i: 0, macro, repeats: times - 1n });
  }

  private active(): boolean {
    return this.conds.length === 0 || this.conds[this.conds.length - 1]!.taking;
  }

  /** Collects a body up to the matching terminator; `open` and `close` nest. */
  private collect(open: ReadonlySet<string>, close: string, start: Stmt, what: string): Stmt[] {
    const body: Stmt[] = [];
    let depth = 0;
    for (;;) {
      const s = this.pull();
      if (!s) fail(start.loc, `missing ${close} for ${what}`);
      const h = headOf(s.text).head.toLowerCase();
      if (open.has(h)) depth++;
      else if (h === close) {
        if (depth === 0) return body;
        depth--;
      }
      body.push(s);
    }
  }

  /** The next statement for the assembler, or null at the end. */
  next(): Stmt | null {
    for (;;) {
      const s = this.pull();
      if (!s) {
        if (this.conds.length) fail(this.conds[this.conds.length - 1]!.loc, 'missing .endif');
        return null;
      }
      const { head, rest, restOffset } = headOf(s.text);
      const h = head.toLowerCase();
      const restLoc = at(s.loc, s.loc.col + restOffset);
      // Conditionals are tracked even inside skipped groups.
      if (h === '.if' || h === '.ifdef' || h === '.ifndef' || h === '.ifne' || h === '.ifeq') {
        const parentActive = this.active();
        let c = false;
        if (parentActive) {
          if (h === '.ifdef' || h === '.ifndef') c = this.hooks.defined(rest.trim()) === (h === '.ifdef');
          else {
            const v = this.hooks.absolute(rest, restLoc);
            c = h === '.ifeq' ? v === 0n : v !== 0n;
          }
        }
        this.conds.push({ taking: parentActive && c, done: c, parentActive, sawElse: false, loc: s.loc });
        continue;
      }
      if (h === '.elseif' || h === '.else' || h === '.endif') {
        const top = this.conds[this.conds.length - 1];
        if (!top || (top.sawElse && h !== '.endif')) fail(s.loc, `unexpected ${h}`);
        if (h === '.endif') this.conds.pop();
        else if (h === '.else') {
          top.sawElse = true;
          top.taking = top.parentActive && !top.done;
          top.done = true;
        } else if (top.done || !top.parentActive) top.taking = false;
        else {
          top.taking = this.hooks.absolute(rest, restLoc) !== 0n;
          top.done = top.taking;
        }
        continue;
      }
      if (!this.active()) continue;

      if (h === '.rept') {
        const n = this.hooks.absolute(rest, restLoc);
        if (n < 0n || n > 1_000_000n) fail(restLoc, `bad .rept count ${n}`);
        const body = this.collect(new Set(['.rept', '.irp', '.irpc']), '.endr', s, '.rept');
        this.push(body, false, s.loc, n);
        continue;
      }
      if (h === '.irp' || h === '.irpc') {
        const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*,?\s*(.*)$/.exec(rest);
        if (!m) fail(restLoc, `bad ${h}`);
        const name = m[1]!;
        const values = h === '.irp' ? splitArgs(m[2]!) : [...m[2]!.trim()];
        const body = this.collect(new Set(['.rept', '.irp', '.irpc']), '.endr', s, h);
        const all: Stmt[] = [];
        for (const v of values.length ? values : ['']) for (const b of body) all.push(substituteArgs(b, new Map([[name, v]]), ''));
        this.push(all, false, s.loc);
        continue;
      }
      if (h === '.macro') {
        this.define(s, rest, restLoc);
        continue;
      }
      if (h === '.purgem') {
        this.macros.delete(rest.trim());
        continue;
      }
      if (h === '.endm' || h === '.endr') fail(s.loc, `unexpected ${h}`);
      if (h === '.exitm') {
        while (this.frames.length && !this.frames[this.frames.length - 1]!.macro) this.frames.pop();
        if (!this.frames.length) fail(s.loc, '.exitm outside a macro');
        this.frames.pop();
        continue;
      }
      const mac = head ? this.macros.get(head) : undefined;
      if (mac) {
        this.invoke(mac, s, rest, restLoc);
        continue;
      }
      return s;
    }
  }

  private define(s: Stmt, rest: string, restLoc: SrcLoc): void {
    const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*,?\s*(.*)$/.exec(rest);
    if (!m) fail(restLoc, 'macro name expected');
    const params = splitArgs(m[2]!).map((p) => {
      const pm = /^([A-Za-z_][A-Za-z0-9_]*)(?::(req|vararg))?(?:\s*=\s*(.*))?$/.exec(p);
      if (!pm) fail(restLoc, `bad macro parameter '${p}'`);
      return { name: pm[1]!, def: pm[3] ?? '', req: pm[2] === 'req', vararg: pm[2] === 'vararg' };
    });
    const body = this.collect(new Set(['.macro']), '.endm', s, `.macro ${m[1]}`);
    this.macros.set(m[1]!, { name: m[1]!, params, body, loc: s.loc });
  }

  private invoke(mac: MacroDef, s: Stmt, rest: string, restLoc: SrcLoc): void {
    const args = splitArgs(rest);
    const values = new Map<string, string>();
    let pos = 0;
    for (let k = 0; k < args.length; k++) {
      const a = args[k]!;
      const named = /^([A-Za-z_][A-Za-z0-9_]*)\s*=(.*)$/.exec(a);
      if (named && mac.params.some((p) => p.name === named[1])) {
        values.set(named[1]!, named[2]!.trim());
        continue;
      }
      const p = mac.params[pos++];
      if (!p) fail(restLoc, `too many arguments for macro ${mac.name}`);
      if (p.vararg) {
        values.set(p.name, args.slice(k).join(', '));
        break;
      }
      values.set(p.name, a);
    }
    for (const p of mac.params) {
      if (!values.has(p.name) || values.get(p.name) === '') {
        if (p.req) fail(restLoc, `missing value for required parameter ${p.name} of macro ${mac.name}`);
        values.set(p.name, p.def);
      }
    }
    const n = String(this.counter++);
    this.push(mac.body.map((b) => substituteArgs(b, values, n)), true, s.loc);
  }
}

/** Replaces \name with its value, \@ with the invocation count and \() with nothing. */
function substituteArgs(s: Stmt, values: ReadonlyMap<string, string>, counter: string): Stmt {
  const text = s.text.replace(/\\([A-Za-z_][A-Za-z0-9_]*|@|\(\))/g, (whole, name: string) => {
    if (name === '@') return counter;
    if (name === '()') return '';
    // Longest parameter name that prefixes the word (as GNU as matches \arg followed by text).
    let best: string | null = null;
    for (const k of values.keys()) if (name.startsWith(k) && (best === null || k.length > best.length)) best = k;
    return best === null ? whole : values.get(best)! + name.slice(best.length);
  });
  if (text.length > MAX_STATEMENT_LENGTH) fail(s.loc, `a statement grows beyond ${MAX_STATEMENT_LENGTH} characters when its macro arguments are substituted`);
  return { loc: s.loc, text };
}
