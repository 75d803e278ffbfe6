// What the debugger debugs: a user process (one CPU, its address space) or a bare machine
// (N CPUs over physical storage, with MMU views when an MMU is attached).

import { MSR_DR, MSR_IR, type Cpu } from '../cpu/cpu.js';
import { run } from '../cpu/interp.js';
import type { Machine } from '../cpu/machine.js';
import type { UserProcess } from '../cpu/user-process.js';
import type { TranslationProbe } from '../cpu/privileged.js';

export interface DebugTarget {
  readonly cpus: readonly Cpu[];
  readonly symbols: ReadonlyMap<string, bigint>;
  /** Reads memory as `cpu` would see it at `addr` (EA for a process, real address when bare). */
  read(cpu: Cpu, addr: bigint, length: number): Uint8Array | null;
  /** Writes memory at `addr` as `read` addresses it; false where nothing is mapped. */
  write(cpu: Cpu, addr: bigint, bytes: Uint8Array): boolean;
  /** Runs up to `budget` instructions; `only` restricts the run to one CPU (stepping). */
  run(budget: number, only: Cpu | null): void;
  /** How `cpu` translates an EA now, without side effects (machines with an MMU). */
  probe?(cpu: Cpu, ea: bigint): TranslationProbe | null;
  /** Extra views (tlb, slb, hpt) by name, when the target has an MMU. */
  view?(name: string, cpu: Cpu, arg: string | undefined): string;
  /** What the guest wrote to stdout and stderr since the last call (user processes). */
  drainOutput?(): { stdout: Uint8Array[]; stderr: Uint8Array[] };
}

export function processTarget(proc: UserProcess): DebugTarget {
  let out = 0;
  let err = 0;
  return {
    drainOutput: () => {
      const r = { stdout: proc.stdout.slice(out), stderr: proc.stderr.slice(err) };
      out = proc.stdout.length;
      err = proc.stderr.length;
      return r;
    },
    cpus: [proc.cpu],
    symbols: proc.image.symbols,
    read: (_cpu, addr, n) => proc.space.read(addr, n),
    write: (_cpu, addr, bytes) => {
      if (proc.space.read(addr, bytes.length) === null) return false;
      proc.space.write(addr, bytes);
      return true;
    },
    run: (budget) => {
      let done = 0;
      while (done < budget && proc.cpu.stop === null) done += run(proc.cpu, budget - done);
    },
  };
}

export function machineTarget(machine: Machine, symbols: ReadonlyMap<string, bigint>): DebugTarget {
  return {
    cpus: machine.cpus,
    symbols,
    read: (_cpu, addr, n) => machine.mem.read(addr, n),
    write: (_cpu, addr, bytes) => {
      if (addr < 0n || addr + BigInt(bytes.length) > machine.mem.size) return false;
      machine.mem.write(addr, bytes);
      return true;
    },
    run: (budget, only) => {
      if (only === null) {
        machine.run(budget);
        return;
      }
      let done = 0;
      while (done < budget && only.stop === null) done += run(only, budget - done);
      if (only.stop !== null && only.stop !== 'exit') machine.stop = only.stop;
    },
    view: (name, cpu, arg) => machine.mmu?.view?.(name, cpu, arg) ?? `no ${name} view: this machine has no MMU`,
    probe: (cpu, ea) => machine.mmu?.probe?.(cpu, ea) ?? null,
  };
}

/**
 * Resumes `target` (only `only` when stepping one CPU) for up to `budget` instructions: CPUs
 * stopped at a breakpoint run again, and each steps over a breakpoint at its own pc once.
 * Returns the CPU that stopped at a breakpoint, if one did.
 */
export function resumeTarget(target: DebugTarget, budget: number, only: Cpu | null, stepOver = true): Cpu | null {
  for (const c of target.cpus) if (c.stop === 'breakpoint') c.stop = null;
  // A later slice of the same continue does not step over: a CPU can end a slice just
  // before a breakpoint it has not reached yet.
  for (const c of target.cpus) c.skipBreak = stepOver && c.isBreakpoint(c.pcHi, c.pcLo);
  target.run(budget, only);
  for (const c of target.cpus) c.skipBreak = false;
  return target.cpus.find((c) => c.stop === 'breakpoint') ?? null;
}

/** How a debugger access addresses storage: as the CPU's loads (MSR[DR]), fetches (MSR[IR]), or by real address. */
export type AccessKind = 'data' | 'insn' | 'real';

/** The real address of each page of [addr, addr+n) as `cpu` translates it now, or null. */
function realChunks(target: DebugTarget, cpu: Cpu, addr: bigint, n: number, kind: AccessKind): Array<[bigint, number, number]> | null {
  const on = kind === 'data' ? (cpu.msrLo & MSR_DR) !== 0 : kind === 'insn' ? (cpu.msrLo & MSR_IR) !== 0 : false;
  if (!on || !target.probe) return [[addr, 0, n]];
  const out: Array<[bigint, number, number]> = [];
  for (let k = 0; k < n; ) {
    const ea = addr + BigInt(k);
    const ra = target.probe(cpu, ea)?.ra ?? null;
    if (ra === null) return null;
    const len = Math.min(n - k, 4096 - Number(ea & 4095n));
    out.push([ra, k, len]);
    k += len;
  }
  return out;
}

/**
 * Reads as `cpu` accesses storage: on a bare machine with translation on, an EA is translated
 * page by page through the MMU's side-effect-free probe (the TLB entry the CPU would use,
 * else a table walk); with it off, or for `real`, the address is a real address.
 */
export function readAs(target: DebugTarget, cpu: Cpu, addr: bigint, n: number, kind: AccessKind): Uint8Array | null {
  const chunks = realChunks(target, cpu, addr, n, kind);
  if (!chunks) return null;
  if (chunks.length === 1 && chunks[0]![0] === addr) return target.read(cpu, addr, n);
  const out = new Uint8Array(n);
  for (const [ra, off, len] of chunks) {
    const b = target.read(cpu, ra, len);
    if (!b) return null;
    out.set(b, off);
  }
  return out;
}

/** Writes as readAs reads; false where nothing is mapped or translated. */
export function writeAs(target: DebugTarget, cpu: Cpu, addr: bigint, bytes: Uint8Array, kind: AccessKind): boolean {
  const chunks = realChunks(target, cpu, addr, bytes.length, kind);
  if (!chunks) return false;
  for (const [ra, off, len] of chunks) if (!target.write(cpu, ra, bytes.subarray(off, off + len))) return false;
  return true;
}

/**
 * A write watchpoint, done in software as gdb does when it has no hardware ones: the watched
 * bytes (by real address, as the CPU translated the address when the watch was set) are
 * compared after every instruction, so a store of the same value is not reported.
 */
export interface Watch {
  readonly addr: bigint;
  readonly ra: bigint;
  readonly len: number;
  last: Uint8Array;
}

export interface WatchHit {
  readonly watch: Watch;
  readonly cpu: Cpu;
  readonly old: Uint8Array;
  readonly now: Uint8Array;
}

/** Instructions a front end runs per slice while watchpoints are set (they run one at a time). */
export const WATCH_SLICE = 20_000;

/** A watch on [addr, addr+len) as `cpu` addresses data now; null where nothing is there. */
export function makeWatch(target: DebugTarget, cpu: Cpu, addr: bigint, len: number): Watch | null {
  const chunks = realChunks(target, cpu, addr, len, 'data');
  if (!chunks || chunks.length !== 1) return null; // within one page
  const ra = chunks[0]![0];
  const last = target.read(cpu, ra, len);
  return last ? { addr, ra, len, last } : null;
}

/**
 * Runs like resumeTarget, one instruction at a time while watches are set, until a watched
 * value changes, a breakpoint or stop, or `budget` instructions; returns the change, if any.
 */
export function resumeWatching(target: DebugTarget, budget: number, watches: readonly Watch[], stepOver = true): { hit: Cpu | null; change: WatchHit | null } {
  for (let n = 0; n < budget; n++) {
    const before = target.cpus.map((c) => c.instructions);
    const hit = resumeTarget(target, 1, null, stepOver && n === 0);
    const ran = target.cpus.find((c, i) => c.instructions !== before[i]) ?? null;
    for (const w of watches) {
      const now = target.read(ran ?? target.cpus[0]!, w.ra, w.len);
      if (now && now.some((b, i) => b !== w.last[i])) {
        const old = w.last;
        w.last = now;
        return { hit, change: { watch: w, cpu: ran ?? target.cpus[0]!, old, now } };
      }
    }
    if (hit || ran === null || target.cpus.every((c) => c.stop !== null)) return { hit, change: null };
  }
  return { hit: null, change: null };
}
