// GNU binutils as an oracle: locating the powerpc64 tools, running them in a temporary
// directory, and the operand-value generator shared by the encoding and disassembly suites.
//
// Tests call `it.skipIf(!tools)(...)` and `warnSkip()` once, so a machine without the Debian
// packages binutils-powerpc64-linux-gnu / binutils-powerpc64le-linux-gnu skips visibly
// (PPC64EMU_NO_BINUTILS=1 simulates that).

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OperandDef } from '../../src/isa/fields.js';
import { MNEMONICS, presentOperands, type Mnemonic } from '../../src/isa/encode.js';

export interface Toolset {
  readonly as: string;
  readonly objdump: string;
  readonly objcopy: string;
  readonly ld: string;
}

export interface Tools {
  readonly be: Toolset;
  readonly le: Toolset;
}

function which(cmd: string): string | null {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : null;
}

function toolset(prefix: string): Toolset | string {
  const found: Record<string, string> = {};
  for (const t of ['as', 'objdump', 'objcopy', 'ld']) {
    const p = which(`${prefix}-${t}`);
    if (!p) return `${prefix}-${t} not found (install binutils-${prefix.replace(/-linux-gnu$/, '')}-linux-gnu)`;
    found[t] = p;
  }
  return found as unknown as Toolset;
}

function locate(): { tools: Tools | null; skipReason: string | null } {
  if (process.env.PPC64EMU_NO_BINUTILS) return { tools: null, skipReason: 'disabled by PPC64EMU_NO_BINUTILS' };
  const be = toolset('powerpc64-linux-gnu');
  const le = toolset('powerpc64le-linux-gnu');
  if (typeof be === 'string') return { tools: null, skipReason: be };
  if (typeof le === 'string') return { tools: null, skipReason: le };
  return { tools: { be, le }, skipReason: null };
}

const located = locate();
/** The tools, or null when absent (then `skipReason` says why). */
export const tools: Tools | null = located.tools;
export const skipReason: string | null = located.skipReason;

let warned = false;
/** Prints the skip reason once per test file. */
export function warnSkip(suite: string): void {
  if (skipReason && !warned) {
    warned = true;
    console.warn(`[${suite}] skipping GNU binutils oracle tests: ${skipReason}`);
  }
}

/** Runs `fn` with a fresh temporary directory, removed afterwards. */
export function inTempDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'ppc64emu-oracle-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const GAS_FLAGS = ['-a64', '-mpower9', '-mregnames'];

export interface GasResult {
  /** Contents of .text, when assembly succeeded. */
  readonly text: Uint8Array | null;
  /** Error messages by 1-based line number. */
  readonly errors: ReadonlyMap<number, string>;
  readonly stderr: string;
}

/** Assembles `source` with GNU as (-a64 -mpower9 -mregnames) and extracts .text. */
export function gas(source: string, le: boolean): GasResult {
  const t = (le ? tools!.le : tools!.be);
  return inTempDir((dir) => {
    const s = join(dir, 'a.s');
    const o = join(dir, 'a.o');
    const bin = join(dir, 'a.bin');
    writeFileSync(s, source);
    const r = spawnSync(t.as, [...GAS_FLAGS, '-o', o, s], { encoding: 'utf8', maxBuffer: 64 << 20 });
    const errors = new Map<number, string>();
    for (const m of r.stderr.matchAll(/^[^:\n]*:(\d+): Error: (.*)$/gm)) {
      const line = Number(m[1]);
      if (!errors.has(line)) errors.set(line, m[2]!);
    }
    if (r.status !== 0) return { text: null, errors, stderr: r.stderr };
    execFileSync(t.objcopy, ['-O', 'binary', '-j', '.text', o, bin]);
    return { text: new Uint8Array(readFileSync(bin)), errors, stderr: r.stderr };
  });
}

export interface ObjdumpLine {
  readonly address: number;
  readonly word: number;
  /** Mnemonic and operands as objdump printed them. */
  readonly text: string;
}

/** Disassembles `words` (placed at 0, 4, 8...) with objdump -d -Mpower9. */
export function objdumpWords(words: readonly number[], le: boolean): ObjdumpLine[] {
  const t = (le ? tools!.le : tools!.be);
  return inTempDir((dir) => {
    const s = join(dir, 'w.s');
    const o = join(dir, 'w.o');
    writeFileSync(s, words.map((w) => `.long 0x${(w >>> 0).toString(16)}\n`).join(''));
    execFileSync(t.as, [...GAS_FLAGS, '-o', o, s]);
    const out = execFileSync(t.objdump, ['-d', '-z', '-Mpower9', o], { encoding: 'utf8', maxBuffer: 256 << 20 });
    const lines: ObjdumpLine[] = [];
    for (const m of out.matchAll(/^\s*([0-9a-f]+):\t([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) ([0-9a-f]{2}) \t(.*)$/gm)) {
      const b = [m[2], m[3], m[4], m[5]].map((x) => parseInt(x!, 16));
      const word = le ? (b[3]! << 24) | (b[2]! << 16) | (b[1]! << 8) | b[0]! : (b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!;
      lines.push({ address: parseInt(m[1]!, 16), word: word >>> 0, text: m[6]! });
    }
    return lines;
  });
}

/** Reads 32-bit words from bytes. */
export function wordsOf(bytes: Uint8Array, le: boolean): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= bytes.length; i += 4) out.push(dv.getUint32(i, le));
  return out;
}

// ---- Operand-value generation ----

/** Smallest and largest value `def.fits`, and the step between representable values. */
export function rangeOf(def: OperandDef): { min: number; max: number; step: number } {
  const seeds = [0, 1, 4, -1, -4, 2, 8, 16, 32, 272];
  const seed = seeds.find((v) => def.fits(v));
  if (seed === undefined) throw new Error(`no value fits ${def.name}`);
  const step = def.fits(seed + 1) || def.fits(seed - 1) ? 1 : 4;
  const search = (dir: 1 | -1) => {
    let lo = seed; // fits
    let hi = seed + dir * step;
    while (def.fits(hi) && Math.abs(hi) < 2 ** 40) {
      lo = hi;
      hi = seed + (hi - seed) * 2;
    }
    // lo fits, hi does not: bisect on multiples of step.
    while (Math.abs(hi - lo) > step) {
      const mid = lo + Math.trunc((hi - lo) / (2 * step)) * step;
      if (def.fits(mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  return { min: search(-1), max: search(1), step };
}

const CR_BITS = ['lt', 'gt', 'eq', 'so'];

/** Written forms of a value for an operand kind (varied by `variant` to cover the syntaxes). */
function spell(def: OperandDef, v: number, variant: number, aa: boolean): string {
  switch (def.kind) {
    case 'gpr':
    case 'gpr0':
      return v < 0 || v > 31 ? String(v) : [`%r${v}`, `r${v}`, String(v)][variant % 3]!;
    case 'crf':
      return v >= 0 && v <= 7 && variant % 2 === 0 ? `cr${v}` : String(v);
    case 'crbit':
      if (v >= 0 && v <= 31 && variant % 2 === 0) return v < 4 ? CR_BITS[v]! : `4*cr${v >> 2}+${CR_BITS[v & 3]}`;
      return String(v);
    case 'rel':
      return aa ? String(v) : v < 0 ? `.-${-v}` : `.+${v}`;
    default:
      return variant % 4 === 3 && v >= 0 ? '0x' + v.toString(16) : String(v);
  }
}

function candidates(def: OperandDef): number[] {
  const { min, max, step } = rangeOf(def);
  switch (def.kind) {
    case 'gpr':
    case 'gpr0':
      return [0, 31, 5, 17];
    case 'crf':
      return [0, 7, 3];
    case 'crbit':
      return [0, 31, 6, 13];
    case 'spr':
      return [1, 8, 9, 1023, 26, 287, 272];
    default: {
      // Small fields (BO, TO, SH, MB, ME, TH, L...): every value, so every BO encoding and
      // every shift is checked against GNU as.
      if (min >= 0 && max <= 31) return Array.from({ length: max - min + 1 }, (_, k) => min + k);
      if (def.name === 'FXM') return [0, 255, 0x55, 0x80, 0x01, 0x10];
      const mid = Math.trunc((max / 3) / step) * step;
      const vals = [min, max, mid, 0];
      if (min < 0) vals.push(-step);
      return [...new Set(vals.filter((v) => def.fits(v)))];
    }
  }
}

export interface GeneratedLine {
  readonly text: string;
  readonly mnemonic: string;
  /** True when the line deliberately contains an out-of-range value. */
  readonly outOfRange: boolean;
}

function lineFor(mn: Mnemonic, present: readonly boolean[], vals: readonly number[], variant: number): string {
  const parts: string[] = [];
  const ops = mn.operands;
  // present[] is per written slot: a disp operand and its base register form one slot.
  let slot = 0;
  for (let i = 0; i < ops.length; i++, slot++) {
    const o = ops[i]!;
    if (o.def.kind === 'disp' && i + 1 < ops.length) {
      if (present[slot]) parts.push(`${vals[i]}(${spell(ops[i + 1]!.def, vals[i + 1]!, variant, false)})`);
      i++;
      continue;
    }
    if (present[slot]) parts.push(spell(o.def, vals[i]!, variant + i, mn.flags.aa));
  }
  return parts.length ? `${mn.text} ${parts.join(',')}` : mn.text;
}

function slotsOf(mn: Mnemonic): Array<{ optional: boolean }> {
  const slots: Array<{ optional: boolean }> = [];
  for (let i = 0; i < mn.operands.length; i++) {
    const o = mn.operands[i]!;
    if (o.def.kind === 'disp' && i + 1 < mn.operands.length) {
      slots.push({ optional: false });
      i++;
    } else slots.push({ optional: o.optional });
  }
  return slots;
}

/**
 * Lines exercising every spelling (base instructions and aliases, every flag variant and
 * branch hint): edge values of each operand in rotation, optional operands omitted and
 * present, and one out-of-range value per operand.
 */
export function generateLines(filter: (mn: Mnemonic) => boolean = () => true): GeneratedLine[] {
  const out: GeneratedLine[] = [];
  for (const mn of MNEMONICS.values()) {
    if (!filter(mn)) continue;
    const ops = mn.operands;
    const cands = ops.map((o) => candidates(o.def));
    const rows = Math.max(1, ...cands.map((c) => c.length));
    const slots = slotsOf(mn);
    const all = slots.map(() => true);
    for (let r = 0; r < rows; r++) {
      const vals = cands.map((c, j) => c[(r + j) % c.length]!);
      out.push({ text: lineFor(mn, all, vals, r), mnemonic: mn.text, outOfRange: false });
    }
    // Optional operands omitted (every shorter count that is allowed); values nonzero where present.
    for (let given = slots.length - 1; given >= 0; given--) {
      const present = presentOperands(slots, given);
      if (!present) continue;
      const vals = cands.map((c) => c[c.length > 1 ? 1 : 0]!);
      out.push({ text: lineFor(mn, present, vals, given), mnemonic: mn.text, outOfRange: false });
    }
    // One operand just out of range.
    ops.forEach((o, j) => {
      const { max, step } = rangeOf(o.def);
      const vals = cands.map((c) => c[0]!);
      vals[j] = max + step;
      out.push({ text: lineFor(mn, all, vals, 2), mnemonic: mn.text, outOfRange: true });
    });
  }
  return out;
}
