// Directive handlers (pass 1). Block directives (.macro, .rept, .irp, .if) are expanded
// before statements get here (macro.ts).

import type { Assembly } from './assembler.js';
import { at, fail, type SrcLoc } from './errors.js';
import { parseExpr } from './expr.js';

/** Top-level comma-separated arguments with their columns (empty arguments kept). */
function splitArgs(text: string, loc: SrcLoc): Array<{ text: string; loc: SrcLoc }> {
  if (!text.trim()) return [];
  const out: Array<{ text: string; loc: SrcLoc }> = [];
  let depth = 0;
  let start = 0;
  const push = (end: number) => {
    const raw = text.slice(start, end);
    const lead = /^\s*/.exec(raw)![0].length;
    out.push({ text: raw.trim(), loc: at(loc, loc.col + start + lead) });
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      i = j;
    } else if (c === "'") i += text[i + 1] === '\\' ? 2 : 1;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}

function abs(a: Assembly, arg: { text: string; loc: SrcLoc }, what: string): bigint {
  if (!arg.text) fail(arg.loc, `missing ${what}`);
  return a.absoluteText(arg.text, arg.loc, what);
}

/** A size or count, at most 64 MiB unless `max` says otherwise. */
function small(v: bigint, loc: SrcLoc, what: string, max = 1n << 26n): number {
  if (v < 0n || v > max) fail(loc, `${what} out of range: ${v}`);
  return Number(v);
}

const DATA_SIZES: Record<string, number> = {
  '.byte': 1,
  '.short': 2,
  '.hword': 2,
  '.2byte': 2,
  // On PowerPC GNU as, .word is 2 bytes (it is the target's "word" for data directives).
  '.word': 2,
  '.long': 4,
  '.int': 4,
  '.4byte': 4,
  '.quad': 8,
  '.8byte': 8,
  '.llong': 8,
};

// Accepted for compatibility with compiler output and GNU as sources; no effect on the image.
const IGNORED = new Set([
  '.type', '.size', '.file', '.ident', '.machine', '.localentry', '.loc', '.gnu_attribute',
  '.option', '.local', '.hidden', '.protected', '.internal',
]);

function strings(a: Assembly, rest: string, restLoc: SrcLoc, zero: boolean): void {
  const ts = a.tokens(rest, restLoc);
  if (ts.atEnd()) fail(restLoc, 'expected a string');
  for (;;) {
    const t = ts.next();
    if (t.k !== 'str') fail(at(restLoc, t.col), 'expected a string');
    a.cur.append(t.v);
    if (zero) a.cur.fill(1, 0);
    if (ts.atEnd()) return;
    ts.expectOp(',');
  }
}

function section(a: Assembly, rest: string, restLoc: SrcLoc, loc: SrcLoc): void {
  const m = /^("([^"]*)"|[^\s,]+)\s*(?:,\s*"([^"]*)")?/.exec(rest);
  if (!m) fail(restLoc, 'expected a section name');
  a.switchSection(m[2] ?? m[1]!, m[3] ?? null, loc);
}

/** Runs directive `name` (lower case, with the dot). */
export function directive(a: Assembly, name: string, rest: string, restLoc: SrcLoc, loc: SrcLoc): void {
  if (IGNORED.has(name) || name.startsWith('.cfi_')) return;
  const size = DATA_SIZES[name];
  if (size !== undefined) {
    a.emitData(size, a.parseList(rest, restLoc), loc);
    return;
  }
  switch (name) {
    case '.text':
    case '.data':
    case '.bss':
      a.switchSection(name, null, loc);
      return;
    case '.section':
      section(a, rest, restLoc, loc);
      return;
    case '.pushsection':
      a.sectionStack.push(a.cur);
      section(a, rest, restLoc, loc);
      return;
    case '.popsection': {
      const s = a.sectionStack.pop();
      if (!s) fail(loc, '.popsection without .pushsection');
      a.switchSection(s.name, null, loc);
      return;
    }
    case '.previous':
      a.previousSection(loc);
      return;
    case '.globl':
    case '.global':
    case '.weak':
      for (const g of splitArgs(rest, restLoc)) {
        if (!/^[A-Za-z_.$][A-Za-z0-9_.$]*$/.test(g.text)) fail(g.loc, `bad symbol name '${g.text}'`);
        a.globals.add(g.text);
      }
      return;
    case '.abiversion': {
      const [v] = splitArgs(rest, restLoc);
      if (!v) fail(restLoc, 'missing ABI version');
      const n = abs(a, v, 'ABI version');
      if (n < 0n || n > 3n) fail(v.loc, `bad ABI version ${n}`);
      a.abiVersion = Number(n);
      return;
    }
    case '.align': // on PowerPC GNU as, .align n aligns to 2^n bytes, like .p2align
    case '.p2align':
    case '.balign': {
      const args = splitArgs(rest, restLoc);
      if (!args[0]) fail(restLoc, `missing alignment for ${name}`);
      const n = small(abs(a, args[0], 'alignment'), args[0].loc, 'alignment', name === '.balign' ? 1n << 16n : 16n);
      const fill = args[1]?.text ? Number(BigInt.asUintN(8, abs(a, args[1], 'fill value'))) : null;
      const max = args[2]?.text ? small(abs(a, args[2], 'maximum padding'), args[2].loc, 'maximum padding') : null;
      a.alignTo(name === '.balign' ? Math.max(n, 1) : 2 ** n, fill, max, loc);
      return;
    }
    case '.org': {
      const args = splitArgs(rest, restLoc);
      if (!args[0]?.text) fail(restLoc, 'missing .org address');
      const ts = a.tokens(args[0].text, args[0].loc);
      const e = parseExpr(ts, a.parseOptions(false));
      ts.expectEnd();
      const v = a.value1(e, args[0].loc.col, args[0].loc, '.org address');
      if (v.sec !== -1 && v.sec !== a.cur.index) fail(args[0].loc, '.org address is in another section');
      const fill = args[1]?.text ? Number(BigInt.asUintN(8, abs(a, args[1], 'fill value'))) : 0;
      const target = small(v.off, args[0].loc, '.org address');
      if (target < a.cur.size) fail(args[0].loc, `.org moves the location backwards (from ${a.cur.size} to ${target})`);
      a.cur.fill(target - a.cur.size, fill);
      return;
    }
    case '.space':
    case '.skip':
    case '.zero': {
      const args = splitArgs(rest, restLoc);
      if (!args[0]) fail(restLoc, `missing size for ${name}`);
      const n = small(abs(a, args[0], 'size'), args[0].loc, 'size');
      const fill = name !== '.zero' && args[1]?.text ? Number(BigInt.asUintN(8, abs(a, args[1], 'fill value'))) : 0;
      a.cur.fill(n, fill);
      return;
    }
    case '.fill': {
      const args = splitArgs(rest, restLoc);
      if (!args[0]) fail(restLoc, 'missing repeat count for .fill');
      const repeat = small(abs(a, args[0], 'repeat count'), args[0].loc, 'repeat count');
      const sz = args[1]?.text ? small(abs(a, args[1], 'size'), args[1].loc, 'size', 8n) : 1;
      if (repeat * sz > 1 << 26) fail(args[0].loc, `.fill of ${repeat * sz} bytes is too large`);
      let value = args[2]?.text ? abs(a, args[2], 'fill value') : 0n;
      value = BigInt.asUintN(sz * 8, value);
      const bytes = new Uint8Array(sz);
      for (let i = 0; i < sz; i++) bytes[a.littleEndian ? i : sz - 1 - i] = Number((value >> BigInt(8 * i)) & 0xffn);
      for (let k = 0; k < repeat; k++) a.cur.append(bytes);
      return;
    }
    case '.ascii':
      strings(a, rest, restLoc, false);
      return;
    case '.asciz':
    case '.string':
      strings(a, rest, restLoc, true);
      return;
    case '.set':
    case '.equ':
    case '.equiv': {
      const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*,\s*/.exec(rest);
      if (!m) fail(restLoc, `expected 'name, value' after ${name}`);
      a.assign(m[1]!, rest.slice(m[0].length), loc, at(restLoc, restLoc.col + m[0].length), name === '.equiv');
      return;
    }
    case '.end':
      a.ended = true;
      return;
    case '.include':
      fail(loc, '.include is not supported');
    default:
      fail(loc, `unknown directive ${name}`);
  }
}
