// A litmus test turned into what the memory model runs: its locations with their initial
// values, and each thread's code assembled by our assembler, its initial registers and the
// litmus-file position of each instruction.

import { assemble } from '../isa/index.js';
import { InputError } from '../errors.js';
import { CODE_BASE, locationAddress, type ThreadProgram } from '../memory-model/thread-runs.js';
import type { LitmusLoc, LitmusTest, LitmusValue, Pos, Prop } from './ast.js';

export interface LitmusProgram {
  /** Location names; index = location number. */
  readonly names: readonly string[];
  readonly init: readonly bigint[];
  readonly threads: readonly ThreadProgram[];
}

/** Locations at most (they share one 64 KiB window of the threads' address space). */
const MAX_LOCATIONS = 256;

function propLocations(p: Prop | null, out: Set<string>): void {
  if (!p) return;
  switch (p.kind) {
    case 'eq':
      if (p.loc.kind === 'mem') out.add(p.loc.name);
      if (p.value.kind === 'addr') out.add(p.value.name);
      return;
    case 'not':
      return propLocations(p.p, out);
    case 'and':
    case 'or':
    case 'implies':
      propLocations(p.l, out);
      propLocations(p.r, out);
      return;
    default:
      return;
  }
}

/** Every location the test names (init block, condition, filter, locations), sorted. */
export function locationNames(t: LitmusTest): string[] {
  const s = new Set<string>();
  for (const e of t.init) {
    if (e.loc.kind === 'mem') s.add(e.loc.name);
    if (e.value.kind === 'addr') s.add(e.value.name);
  }
  propLocations(t.condition.prop, s);
  propLocations(t.filter, s);
  for (const l of t.locations) if (l.kind === 'mem') s.add(l.name);
  return [...s].sort();
}

function at(file: string, pos: Pos): string {
  return `${file}:${pos.line}:${pos.col}`;
}

/** Labels the assembler never sees in a litmus test (herd labels are plain identifiers). */
const CELL_LABEL = '__litmus_cell_';

export function buildProgram(t: LitmusTest): LitmusProgram {
  const names = locationNames(t);
  if (names.length > MAX_LOCATIONS) throw new InputError(`${t.file}:1:1: more than ${MAX_LOCATIONS} locations`);
  const index = new Map(names.map((n, k) => [n, k]));
  const valueOf = (v: LitmusValue): bigint => (v.kind === 'int' ? BigInt.asUintN(64, v.value) : locationAddress(index.get(v.name)!));
  const init = names.map(() => 0n);
  const regs = t.threads.map(() => new Array<bigint>(32).fill(0n));
  for (const e of t.init) {
    if (e.loc.kind === 'mem') init[index.get(e.loc.name)!] = valueOf(e.value);
    else {
      const th = regs[e.loc.thread];
      if (!th) throw new InputError(`${at(t.file, e.pos)}: thread ${e.loc.thread} does not exist`);
      th[e.loc.reg] = valueOf(e.value);
    }
  }
  const threads = t.threads.map((th, tid): ThreadProgram => {
    // Assembled twice: once with every cell at its own line and column, so the assembler's
    // errors point into the litmus file; once with a label before each cell, to learn which
    // cell each instruction word came from.
    const lastLine = th.lines.reduce((m, l) => Math.max(m, l.pos.line), 0);
    const placed = new Array<string>(lastLine).fill('');
    for (const l of th.lines) placed[l.pos.line - 1] = ' '.repeat(l.pos.col - 1) + l.text;
    const opts = { fileName: t.file, format: 'bin' as const, textAddress: CODE_BASE };
    assemble(placed.join('\n'), opts);
    const labelled = th.lines.map((l, k) => `${CELL_LABEL}${k}: ${l.text}`);
    const r = assemble(labelled.join('\n'), opts);
    const text = r.sections.find((s) => s.code);
    const bytes = text?.bytes ?? new Uint8Array(0);
    const words = new Uint32Array(bytes.length >>> 2);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let k = 0; k < words.length; k++) words[k] = dv.getUint32(k * 4, false);
    // Instruction k comes from the last cell whose label is at or before its address.
    const cellAt: number[] = [];
    th.lines.forEach((_, k) => {
      const a = r.symbols.get(`${CELL_LABEL}${k}`);
      if (a === undefined) return;
      const w = Number((a - CODE_BASE) >> 2n);
      for (let i = w; i < words.length; i++) cellAt[i] = k;
    });
    return {
      thread: tid,
      words,
      where: (k) => {
        const cell = th.lines[cellAt[k] ?? th.lines.length - 1];
        return cell ? at(t.file, cell.pos) : at(t.file, t.condition.pos);
      },
      regs: regs[tid]!,
    };
  });
  return { names, init, threads };
}

/** A final value as the test sees it: a location's address prints as its name. */
export function litmusValue(p: LitmusProgram, v: bigint): LitmusValue {
  for (let l = 0; l < p.names.length; l++) if (locationAddress(l) === v) return { kind: 'addr', name: p.names[l]! };
  return { kind: 'int', value: v };
}

export type { LitmusLoc };
