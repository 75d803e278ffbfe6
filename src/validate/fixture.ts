// Validation fixtures: our assembler's syntax plus a few lines the validator reads itself.
//
//   .cpu N                 starts the code of CPU N (lines before the first .cpu are a shared
//                          preamble: .set, .macro, #define; it may not hold instructions)
//   .model NAME [+F|-F]... the CPU model (power7|power8|power9) with optional feature overrides
//                          (+LOCKLESS_TLBIE, -P9_TLBIE_STQ_BUG, ...)
//   # pte-store [dw0|dw1]  on a store's line: the store writes the page table (dw0 = the store
//                          that makes an HPTE valid, dw1 = the second doubleword)
//   # lock / # unlock      the tlbie lock is taken / released at this point
//   # relies               something after this point relies on the flushes before it
//   # assert-gone NAME     at this point no CPU can use the translation of `.page NAME`
//   # assert-valid NAME    at this point this CPU's table walk finds `.page NAME`'s translation
//   # expect rN == EXPR    right after the line's instruction, rN holds EXPR (or !=)
//   .page / .reg / .final  the machine state of a dynamic run (state-directives.ts)
//
// The .cpu and .model lines are blanked before assembling, and each CPU's code is assembled
// on its own with every other CPU's lines blanked, so the assembler's file:line:col errors
// point at the fixture itself. Instruction words are mapped back to their source lines by
// assembling a second time with a label in front of every statement line.

import { InputError } from '../errors.js';
import { decode } from '../isa/decode.js';
import { assemble } from '../isa/index.js';
import type { InsnDef } from '../isa/table.js';
import { CPU_MODELS, type CpuModel, type CpuModelName } from '../cpu/models.js';
import { evaluateAt, parseFinal, parseMem64, parsePage, parseReg, type ExprAt, type FinalCond, type RegInit } from './state-directives.js';
import { pageSymbols, placePages, type InitialHpte, type PageDecl, type PlacedPage } from './world-layout.js';

/** The model used when neither the caller nor the fixture's `.model` line names one (as the CLI's default). */
export const DEFAULT_VALIDATE_MODEL: CpuModelName = 'power9';

export type MarkKind = 'lock' | 'unlock' | 'relies' | 'gone' | 'valid' | 'expect';

export type Annotation =
  | { readonly kind: 'pte-store'; readonly dw: 'dw0' | 'dw1' | null; readonly col: number }
  | { readonly kind: 'lock' | 'unlock' | 'relies'; readonly col: number }
  | { readonly kind: 'gone' | 'valid'; readonly page: string; readonly col: number }
  | { readonly kind: 'expect'; readonly reg: number; readonly op: '==' | '!='; readonly expr: ExprAt; readonly col: number };

export interface FixtureInsn {
  readonly addr: bigint;
  readonly word: number;
  readonly def: InsnDef;
  /** 1-based source line. */
  readonly line: number;
  readonly annotations: readonly Annotation[];
}

/** A point in a CPU's sequence: just before `insns[index]` (index = insns.length: the end). */
export interface FixtureMark {
  readonly kind: MarkKind;
  readonly line: number;
  readonly index: number;
  /**
   * Set when the mark follows an instruction rather than a point: it is reached only by
   * going on from `insns[after]` to the next instruction (-1: only at the start), not by a
   * branch to that point. So it is for a mark on an instruction's line that takes effect
   * after it (`lock`, `expect`), and for a mark on its own line with a label after it
   * (a branch to the label lands past the mark).
   */
  readonly after?: number;
  /** For `gone` and `valid`: the `.page` it names. */
  readonly page?: string;
  /** For `expect`: register, comparison and value (checked right after the line's instruction). */
  readonly expect?: { readonly reg: number; readonly op: '==' | '!='; readonly value: bigint };
}

export interface FixtureCpu {
  readonly id: number;
  /** Line of the `.cpu` directive (0 when the file has none). */
  readonly line: number;
  readonly insns: readonly FixtureInsn[];
  /** lock/unlock/relies/gone points in sequence order. */
  readonly marks: readonly FixtureMark[];
  /** The assembled image (raw, from address 0) and the end of its code: the CPU is done there. */
  readonly image: Uint8Array;
  readonly codeEnd: bigint;
  /** Initial registers from `.reg` lines (the preamble's first, then the section's). */
  readonly regs: readonly RegInit[];
}

export interface Fixture {
  readonly fileName: string;
  readonly cpus: readonly FixtureCpu[];
  /** The fixture's own `.model` line, if any. */
  readonly model?: CpuModel;
  /** The model the page symbols were computed for (the caller's, else `.model`, else power9). */
  readonly runModel: CpuModel;
  readonly pages: readonly PlacedPage[];
  /** The initial HPT: the linear mapping and the valid `.page` entries. */
  readonly hptes: readonly InitialHpte[];
  readonly finals: readonly FinalCond[];
  /** Initial doublewords of real storage from `.mem64` lines (written after the HPT). */
  readonly memory: ReadonlyArray<{ readonly ra: bigint; readonly value: bigint; readonly line: number }>;
}

export interface ParseFixtureOptions {
  /** Overrides the `.model` line for the page symbols (the CLI's --cpu-model). */
  readonly model?: CpuModel;
}

/** Bad fixture input; `message` is exactly `file:line:col: reason`. */
export class FixtureError extends InputError {
  override name = 'FixtureError';
  constructor(
    readonly file: string,
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${col}: ${reason}`);
  }
}

const FEATURES = ['LOCKLESS_TLBIE', 'TLBIEL', 'P9_TLBIE_STQ_BUG'] as const;
const ANNOTATION = /^#\s*(pte-store|lock|unlock|relies|assert-gone|assert-valid|expect)(?![\w:-])/;
const LINE_LABEL = '__validate_line_';

interface LineInfo {
  /** The text before any comment. */
  readonly code: string;
  /** Column (1-based) of the comment's `#`, or 0. */
  readonly commentCol: number;
  readonly comment: string;
}

/** Splits a line at its `#` comment, ignoring `#` inside string and character literals. */
function splitComment(text: string): LineInfo {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"') quote = c;
    else if (c === '#') return { code: text.slice(0, i), commentCol: i + 1, comment: text.slice(i) };
  }
  return { code: text, commentCol: 0, comment: '' };
}

/** The annotations in a comment (`# pte-store dw0`, `# lock`, ...), or [] for other comments. */
function parseAnnotations(info: LineInfo, file: string, line: number): Annotation[] {
  const m = ANNOTATION.exec(info.comment);
  if (!m) return [];
  const out: Annotation[] = [];
  // Comma-separated list: "# pte-store dw0, relies".
  let offset = 1; // just after '#'
  for (const part of info.comment.slice(1).split(',')) {
    const lead = part.length - part.trimStart().length;
    const col = info.commentCol + offset + lead;
    const words = part.trim().split(/\s+/).filter((w) => w.length > 0);
    offset += part.length + 1;
    const [kind, ...args] = words;
    if (kind === 'pte-store') {
      if (args.length > 1 || (args.length === 1 && args[0] !== 'dw0' && args[0] !== 'dw1')) {
        const bad = col + part.trim().indexOf(args[0]!, kind.length);
        throw new FixtureError(file, line, bad, `pte-store takes dw0, dw1 or nothing, found '${args.join(' ')}'`);
      }
      out.push({ kind: 'pte-store', dw: (args[0] as 'dw0' | 'dw1' | undefined) ?? null, col });
    } else if (kind === 'lock' || kind === 'unlock' || kind === 'relies') {
      if (args.length > 0) {
        const bad = col + part.trim().indexOf(args[0]!, kind.length);
        throw new FixtureError(file, line, bad, `'${kind}' takes no arguments, found '${args.join(' ')}'`);
      }
      out.push({ kind, col });
    } else if (kind === 'assert-gone' || kind === 'assert-valid') {
      if (args.length !== 1) throw new FixtureError(file, line, col, `${kind} takes one .page name`);
      out.push({ kind: kind === 'assert-gone' ? 'gone' : 'valid', page: args[0]!, col });
    } else if (kind === 'expect') {
      const text = part.trim().slice('expect'.length);
      const m = /^\s+(?:r|%r)(\d+)\s*(==|!=)\s*(\S.*)$/.exec(text);
      if (!m || Number(m[1]) > 31) throw new FixtureError(file, line, col, `expect needs a register, == or != and a value: # expect r5 == 0x1234`);
      const exprOffset = text.length - m[3]!.length + 'expect'.length;
      out.push({ kind: 'expect', reg: Number(m[1]), op: m[2] as '==' | '!=', expr: { line, col: col + exprOffset, text: m[3]! }, col });
    } else {
      throw new FixtureError(file, line, col, `unknown annotation '${kind ?? ''}' (pte-store, lock, unlock, relies, assert-gone, assert-valid, expect)`);
    }
  }
  return out;
}

/** Removes leading labels (`name:`, `1:`) from a statement. */
function stripLabels(code: string): string {
  let s = code.trim();
  for (;;) {
    const m = /^([A-Za-z_.$][\w.$]*|\d+)\s*:\s*/.exec(s);
    if (!m) return s;
    s = s.slice(m[0].length);
  }
}

function parseModel(rest: string, restCol: number, file: string, line: number): CpuModel {
  const words = [...rest.matchAll(/\S+/g)];
  if (words.length === 0) throw new FixtureError(file, line, restCol, `.model needs a CPU model (power7, power8, power9)`);
  const name = words[0]![0];
  if (!(name in CPU_MODELS)) {
    throw new FixtureError(file, line, restCol + words[0]!.index, `unknown CPU model '${name}' (power7, power8, power9)`);
  }
  const base = CPU_MODELS[name as CpuModelName];
  const features: Record<string, boolean> = { ...base.features };
  for (const w of words.slice(1)) {
    const m = /^([+-])([A-Z0-9_]+)$/.exec(w[0]);
    if (!m || !(FEATURES as readonly string[]).includes(m[2]!)) {
      throw new FixtureError(file, line, restCol + w.index, `bad feature '${w[0]}' (+F or -F with F one of ${FEATURES.join(', ')})`);
    }
    features[m[2]!] = m[1] === '+';
  }
  return { ...base, features: features as unknown as CpuModel['features'] };
}

interface Section {
  id: number;
  line: number;
  /** Line numbers (1-based) of this section, exclusive end. */
  from: number;
  to: number;
}

/** Parses a fixture; throws FixtureError or AsmError (`file:line:col: message`) on bad input. */
/**
 * Bounds on a fixture's size, checked before any work: validated code is short (the Power
 * model runs at most 1,024 instructions a CPU), so a bigger source is a mistake, refused
 * quickly instead of after assembling it once per CPU.
 */
export const MAX_FIXTURE_LINES = 20_000;
export const MAX_FIXTURE_STATEMENTS = 200_000;

export function parseFixture(source: string, fileName: string, opts: ParseFixtureOptions = {}): Fixture {
  const lines = source.split(/\r?\n/, MAX_FIXTURE_LINES + 1);
  if (lines.length > MAX_FIXTURE_LINES) {
    throw new FixtureError(fileName, MAX_FIXTURE_LINES + 1, 1, `a fixture has at most ${MAX_FIXTURE_LINES.toLocaleString('en-US')} lines (validated code is short: at most 1,024 instructions a CPU under the Power model)`);
  }
  const infos = lines.map(splitComment);
  const blank = new Set<number>(); // 0-based indices of our own directive lines
  const sections: Section[] = [];
  const fail = (line: number, col: number, reason: string): never => {
    throw new FixtureError(fileName, line, col, reason);
  };
  let model: CpuModel | undefined;
  let modelLine = 0;
  const pageDecls: PageDecl[] = [];
  const pageLines = new Map<number, PageDecl>(); // 0-based
  const regLines: Array<{ index: number; section: number; reg: number; expr: ExprAt }> = [];
  const finalLines: Array<{ index: number; parsed: ReturnType<typeof parseFinal>; text: string }> = [];
  const memLines: Array<{ index: number; addr: ExprAt; value: ExprAt }> = [];

  // Pass 1: our directives.
  infos.forEach((info, i) => {
    const m = /^(\s*)\.(cpu|model|page|reg|final|mem64)(?=\s|$)(\s*)(.*?)\s*$/.exec(info.code);
    if (!m) return;
    const ln = i + 1;
    const kind = m[2]!;
    const rest = m[4]!;
    const restCol = m[1]!.length + 1 + kind.length + 1 + m[3]!.length;
    if (kind === 'cpu') {
      const arg = rest;
      if (!/^\d+$/.test(arg) || Number(arg) > 63) {
        throw new FixtureError(fileName, ln, restCol, `.cpu needs a CPU number 0..63, found '${arg}'`);
      }
      const id = Number(arg);
      if (sections.some((s) => s.id === id)) throw new FixtureError(fileName, ln, restCol, `CPU ${id} already has a .cpu section`);
      const prev = sections[sections.length - 1];
      if (prev) prev.to = ln;
      sections.push({ id, line: ln, from: ln + 1, to: lines.length + 1 });
    } else if (kind === 'model') {
      if (model) throw new FixtureError(fileName, ln, m[1]!.length + 1, `second .model (the first is on line ${modelLine})`);
      model = parseModel(rest, restCol, fileName, ln);
      modelLine = ln;
    } else if (kind === 'page') {
      if (sections.length > 0) fail(ln, m[1]!.length + 1, '.page belongs in the preamble, before the first .cpu');
      const d = parsePage(rest, restCol, ln, fail);
      const dup = pageDecls.find((p) => p.name === d.name);
      if (dup) fail(ln, restCol, `page '${d.name}' is already declared on line ${dup.line}`);
      pageDecls.push(d);
      pageLines.set(i, d);
      return; // replaced by its symbols below, not blanked
    } else if (kind === 'reg') {
      const r = parseReg(rest, restCol, ln, fail);
      regLines.push({ index: i, section: sections.length - 1, ...r });
    } else if (kind === 'mem64') {
      if (sections.length > 0) fail(ln, m[1]!.length + 1, '.mem64 belongs in the preamble, before the first .cpu');
      memLines.push({ index: i, ...parseMem64(rest, restCol, ln, fail) });
    } else {
      finalLines.push({ index: i, parsed: parseFinal(rest, restCol, ln, fail), text: rest });
    }
    blank.add(i);
  });

  // The page symbols, for the model the run will use.
  const runModel = opts.model ?? model ?? CPU_MODELS[DEFAULT_VALIDATE_MODEL];
  const placed = placePages(pageDecls, runModel);
  if ('full' in placed) fail(placed.full.line, placed.full.col, `page '${placed.full.name}': its PTEG is full (8 entries)`);
  const { pages, hptes } = placed as Exclude<typeof placed, { full: PageDecl }>;
  for (const [i, d] of pageLines) {
    const p = pages.find((x) => x.name === d.name)!;
    lines[i] = pageSymbols(p).map(([n, v]) => `.set ${n}, 0x${v.toString(16)}`).join('; ');
  }

  const preambleEnd = sections.length > 0 ? sections[0]!.line : lines.length + 1; // exclusive, 1-based
  if (sections.length === 0) sections.push({ id: 0, line: 0, from: 1, to: lines.length + 1 });

  // `.reg` and `.final` values, with the preamble's symbols (pages included).
  const context = lines.map((t, i) => (i + 1 < preambleEnd && !blank.has(i) ? t : ''));
  const regs: RegInit[] = regLines.map((r) => ({
    cpu: r.section < 0 ? null : sections[r.section]!.id,
    reg: r.reg,
    value: evaluateAt(context, fileName, r.expr),
    line: r.index + 1,
  }));
  const finals: FinalCond[] = finalLines.map(({ index, parsed, text }) => {
    const lhs =
      parsed.lhs.kind === 'reg'
        ? parsed.lhs
        : { kind: 'mem64' as const, ra: evaluateAt(context, fileName, parsed.lhs.addr) };
    if (lhs.kind === 'reg' && !sections.some((s) => s.id === lhs.cpu)) {
      fail(index + 1, 1, `.final names cpu${lhs.cpu}, which has no .cpu section`);
    }
    return { line: index + 1, text: text.trim(), lhs, op: parsed.op, value: evaluateAt(context, fileName, parsed.rhs) };
  });

  const memory = memLines.map((x) => ({ ra: evaluateAt(context, fileName, x.addr), value: evaluateAt(context, fileName, x.value), line: x.index + 1 }));

  // Line classification: statement lines get a label in the instrumented copy; lines inside
  // .macro/.rept bodies do not (their code is attributed to the invoking / .rept line).
  const instrument = new Set<number>(); // 0-based
  const insnLine = new Set<number>(); // 1-based lines whose words are instructions
  const annotations = new Map<number, Annotation[]>(); // 1-based
  const labelLines = new Set<number>(); // 1-based lines that define a label (branch targets)
  let depth = 0;
  infos.forEach((info, i) => {
    const ln = i + 1;
    const anns = parseAnnotations(info, fileName, ln);
    if (blank.has(i)) {
      if (anns.length) throw new FixtureError(fileName, ln, anns[0]!.col, 'annotations cannot be on a .cpu or .model line');
      return;
    }
    const stmt = stripLabels(info.code);
    if (depth === 0 && stmt !== info.code.trim()) labelLines.add(ln);
    const head = /^\S*/.exec(stmt)![0].toLowerCase();
    if (depth > 0 && anns.length) {
      throw new FixtureError(fileName, ln, anns[0]!.col, 'annotations are not supported inside .macro or .rept bodies');
    }
    if (anns.length && ln < preambleEnd && sections[0]!.line > 0) {
      throw new FixtureError(fileName, ln, anns[0]!.col, 'annotation before the first .cpu directive');
    }
    if (anns.length) annotations.set(ln, anns);
    if (head === '.macro' || head === '.rept' || head === '.irp' || head === '.irpc') {
      if (depth === 0 && head === '.rept') {
        instrument.add(i);
        insnLine.add(ln);
      }
      depth++;
      return;
    }
    if (head === '.endm' || head === '.endr') {
      depth = Math.max(0, depth - 1);
      return;
    }
    if (depth > 0 || stmt === '' || stmt.startsWith('#')) return;
    instrument.add(i);
    if (!stmt.startsWith('.')) insnLine.add(ln);
  });

  const cpus: FixtureCpu[] = sections.map((sec) => {
    const keep = (ln: number) => !blank.has(ln - 1) && (ln < preambleEnd || (ln >= sec.from && ln < sec.to));
    const clean = lines.map((t, i) => (keep(i + 1) ? t : ''));
    assemble(clean.join('\n'), { fileName, format: 'bin', maxStatements: MAX_FIXTURE_STATEMENTS }); // errors at the fixture's own positions
    const labelled = clean.map((t, i) => (keep(i + 1) && instrument.has(i) ? `${LINE_LABEL}${i + 1}: ${t}` : t));
    const r = assemble(labelled.join('\n'), { fileName, format: 'bin', maxStatements: MAX_FIXTURE_STATEMENTS });
    const insns: FixtureInsn[] = [];
    const imageEnd = r.sections.reduce((a, s) => (s.address + BigInt(s.bytes.length) > a ? s.address + BigInt(s.bytes.length) : a), 0n);
    const image = new Uint8Array(Number(imageEnd));
    let codeEnd = 0n;
    for (const s of r.sections) {
      image.set(s.bytes, Number(s.address));
      if (s.name === '.text') codeEnd = s.address + BigInt(s.bytes.length);
    }
    for (const s of r.sections) {
      if (!s.code) continue;
      const end = s.address + BigInt(s.bytes.length);
      // Line starts in this section, by address; at one address the last line wins.
      const starts = r.symbolTable
        .filter((y) => y.section === s.name && y.name.startsWith(LINE_LABEL) && y.value >= s.address && y.value < end)
        .map((y) => ({ addr: y.value, line: Number(y.name.slice(LINE_LABEL.length)) }))
        .sort((a, b) => (a.addr === b.addr ? a.line - b.line : a.addr < b.addr ? -1 : 1));
      const dv = new DataView(s.bytes.buffer, s.bytes.byteOffset, s.bytes.byteLength);
      let k = -1;
      for (let o = 0; o + 4 <= s.bytes.length; o += 4) {
        const addr = s.address + BigInt(o);
        while (k + 1 < starts.length && starts[k + 1]!.addr <= addr) k++;
        if (k < 0) continue;
        const line = starts[k]!.line;
        if (!insnLine.has(line)) continue;
        const word = dv.getUint32(o, r.littleEndian);
        const def = decode(word);
        if (!def) continue;
        if (line < preambleEnd && sec.line > 0) {
          const info = infos[line - 1]!;
          throw new FixtureError(fileName, line, info.code.search(/\S/) + 1, 'instruction before the first .cpu directive');
        }
        if (def.facility === 'float' || def.facility === 'vector') {
          // The explorer's states key on GPRs, CR, XER, LR and CTR, not FPRs or VSRs.
          const info = infos[line - 1]!;
          const what = def.facility === 'float' ? 'floating-point' : 'vector';
          throw new FixtureError(fileName, line, info.code.search(/\S/) + 1, `${def.name}: ${what} instructions are not supported in validated code`);
        }
        insns.push({ addr, word, def, line, annotations: annotations.get(line) ?? [] });
      }
    }
    insns.sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : 0));
    const marks = marksOf(insns, annotations, labelLines, sec, fileName);
    for (const mk of marks) {
      if ((mk.kind === 'gone' || mk.kind === 'valid') && !pages.some((p) => p.name === mk.page)) {
        const a = annotations.get(mk.line)!.find((x) => x.kind === mk.kind)!;
        fail(mk.line, a.col, `assert-${mk.kind} names '${mk.page}', which no .page declares`);
      }
    }
    const resolved = marks.map((mk) => {
      if (mk.kind !== 'expect') return mk;
      const a = annotations.get(mk.line)!.find((x) => x.kind === 'expect') as Extract<Annotation, { kind: 'expect' }>;
      return { ...mk, expect: { reg: a.reg, op: a.op, value: evaluateAt(context, fileName, a.expr) } };
    });
    const cpuRegs = regs.filter((x) => x.cpu === null || x.cpu === sec.id);
    return { id: sec.id, line: sec.line, insns, marks: resolved, image, codeEnd, regs: cpuRegs };
  });
  // A file without one instruction would "pass" vacuously.
  if (cpus.every((c) => c.insns.length === 0)) fail(Math.max(1, lines.length), 1, 'no instructions: the fixture has nothing to validate');
  const base = { fileName, cpus, runModel, pages, hptes, finals, memory };
  return model ? { ...base, model } : base;
}

function marksOf(
  insns: readonly FixtureInsn[],
  annotations: ReadonlyMap<number, Annotation[]>,
  labelLines: ReadonlySet<number>,
  sec: Section,
  file: string,
): FixtureMark[] {
  const marks: FixtureMark[] = [];
  const firstOnLine = new Map<number, number>();
  insns.forEach((x, i) => {
    if (!firstOnLine.has(x.line)) firstOnLine.set(x.line, i);
  });
  const lastOnLine = new Map<number, number>();
  insns.forEach((x, i) => lastOnLine.set(x.line, i));
  const lineNos = [...annotations.keys()].filter((ln) => ln >= sec.from && ln < sec.to).sort((a, b) => a - b);
  for (const ln of lineNos) {
    for (const a of annotations.get(ln)!) {
      const first = firstOnLine.get(ln);
      if (a.kind === 'pte-store') {
        if (first === undefined) throw new FixtureError(file, ln, a.col, 'pte-store must be on the line of a store instruction');
        const name = insns[first]!.def.name;
        if (!/^st/.test(name)) throw new FixtureError(file, ln, a.col, `pte-store is on '${name}', which is not a store`);
        continue;
      }
      let index: number;
      let after: number | undefined;
      if (first === undefined) {
        // A line of its own: the point between the instructions before and after it; when a
        // label comes between the mark and the next instruction, only what falls through
        // from the instruction before passes the mark.
        index = insns.findIndex((x) => x.line > ln);
        if (index < 0) index = insns.length;
        const next = index < insns.length ? insns[index]!.line : sec.to;
        for (let l = ln + 1; l <= next && l < sec.to; l++) if (labelLines.has(l)) after = index - 1;
      } else if (a.kind === 'lock' || a.kind === 'expect') {
        // On an instruction's line, `lock` and `expect` take effect after it (it acquired, it
        // produced the value): when execution goes on from it, not at a label after it.
        after = lastOnLine.get(ln)!;
        index = after + 1;
      } else {
        index = first; // the others before it (it releases, it is the access that relies)
      }
      const mark: FixtureMark = a.kind === 'gone' || a.kind === 'valid' ? { kind: a.kind, line: ln, index, page: a.page } : { kind: a.kind, line: ln, index };
      marks.push(after === undefined ? mark : { ...mark, after });
    }
  }
  return marks;
}
