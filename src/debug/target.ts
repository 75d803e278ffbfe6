// What the debugger debugs: a user process (one CPU, its address space) or a bare machine
// (N CPUs over physical storage, with MMU views when an MMU is attached).

import { MSR_DR, MSR_IR, type Cpu } from '../cpu/cpu.js';
import { run } from '../cpu/interp.js';
import type { Machine } from '../cpu/machine.js';
import type { UserProcess } from '../cpu/user-process.js';
import type { TranslationProbe } from '../cpu/privileged.js';
import { Access, PAGE_MASK, PAGE_SHIFT, PhysPage, type AccessWatcher } from '../cpu/memory.js';

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
  /** The page holding `addr` (addressed as `read` addresses it), for read and access watches. */
  pageAt?(addr: bigint): PhysPage | null;
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
    pageAt: (addr) => {
      const page = addr >> BigInt(PAGE_SHIFT) << BigInt(PAGE_SHIFT);
      const r = proc.space.lookup(Number(page >> 32n) | 0, Number(page & 0xffffffffn) | 0, Access.Read);
      return r instanceof PhysPage ? r : null;
    },
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
    pageAt: (ra) => machine.mem.page(ra),
    read: (_cpu, addr, n) => machine.mem.read(addr, n),
    write: (_cpu, addr, bytes) => {
      if (addr < 0n || addr + BigInt(bytes.length) > machine.mem.size) return false;
      machine.mem.write(addr, bytes);
      return true;
    },
    run: (budget, only) => {
      // A breakpoint or watchpoint stop ends the machine's run too; resumeTarget has released
      // the CPU that stopped, so the machine runs again.
      if (machine.stop === 'breakpoint' || machine.stop === 'watchpoint') {
        machine.stop = null;
        machine.stopMessage = '';
      }
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
  for (const c of target.cpus) if (c.stop === 'breakpoint' || c.stop === 'watchpoint') c.stop = null;
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
 * A watchpoint (write: gdb's watch, Z2; read: rwatch, Z3; access: awatch, Z4) on bytes by real
 * address, as the CPU translated the address when the watch was set. Its page is marked
 * (PhysPage.accessWatch), so the CPUs' soft TLBs never hold it and every load and store of it
 * reports its offset and length (cpu.ts resolve()). The GDB server stops before an access a
 * watch is for (resumeStoppingAtWatches). The debugger runs one instruction at a time and
 * reports after it (resumeWatching): a write watch when the bytes change (a store of the same
 * value is not reported), a read watch after a load of a watched byte, an access watch after a
 * load or store of one, or a change.
 */
export type WatchKind = 'write' | 'read' | 'access';

export interface Watch {
  readonly addr: bigint;
  readonly ra: bigint;
  readonly len: number;
  readonly kind: WatchKind;
  /** The page holding the watched bytes and their offset in it (null for a debugger write watch where the target has no pages). */
  readonly page: PhysPage | null;
  readonly off: number;
  last: Uint8Array;
}

export interface WatchHit {
  readonly watch: Watch;
  readonly cpu: Cpu;
  readonly old: Uint8Array;
  readonly now: Uint8Array;
  /** The instruction accessed the bytes (read and access watches) rather than changing them. */
  readonly accessed: 'read' | 'write' | null;
}

/** Whether an access of [off, off+n) of `page` (a store when `write`) is one `w` watches for. */
function touches(w: Watch, page: PhysPage, off: number, n: number, write: boolean): boolean {
  if (w.page !== page || (w.kind === 'read' && write) || (w.kind === 'write' && !write)) return false;
  return off < w.off + w.len && w.off < off + n;
}

/**
 * The loads and stores of watched pages. `record`: the debugger's one-instruction-at-a-time
 * runs note them (the instruction completes; its stop is reported after it). `stop`: the GDB
 * server's runs stop before an access a watch is for, as POWER's data address breakpoint
 * (DAWR) does and as QEMU's gdbstub stops a PowerPC guest; GDB then steps over the access
 * itself and, for a write watch, compares the value.
 */
const ACCESSES = new (class implements AccessWatcher {
  mode: 'off' | 'record' | 'stop' = 'off';
  readonly seen: Array<{ page: PhysPage; off: number; n: number; write: boolean }> = [];
  watches: readonly Watch[] = [];
  /** The watch the last stop was for. */
  stoppedBy: Watch | null = null;
  access(_cpuId: number, page: PhysPage, off: number, n: number, write: boolean): boolean {
    if (this.mode === 'record') this.seen.push({ page, off, n, write });
    else if (this.mode === 'stop') {
      const w = this.watches.find((x) => touches(x, page, off, n, write));
      if (w) {
        this.stoppedBy = w;
        return true;
      }
    }
    return false;
  }
})();

/** Pages marked for each target's watches. */
const armed = new WeakMap<DebugTarget, PhysPage[]>();

/**
 * Marks the pages of `watches` (and unmarks those no longer watched); every CPU's soft TLB is
 * flushed so none keeps a marked page.
 */
export function armWatches(target: DebugTarget, watches: readonly Watch[]): void {
  for (const p of armed.get(target) ?? []) p.accessWatch = null;
  const pages = watches.filter((w) => w.page !== null).map((w) => w.page!);
  for (const p of pages) p.accessWatch = ACCESSES;
  armed.set(target, pages);
  for (const c of target.cpus) c.flushSoftTlb();
}

/** Instructions a front end runs per slice while watchpoints are set (they run one at a time). */
export const WATCH_SLICE = 20_000;

/** A watch on [addr, addr+len) as `cpu` addresses data now; null where nothing is there. */
export function makeWatch(target: DebugTarget, cpu: Cpu, addr: bigint, len: number, kind: WatchKind = 'write'): Watch | null {
  const chunks = realChunks(target, cpu, addr, len, 'data');
  if (!chunks || chunks.length !== 1) return null; // within one page
  const ra = chunks[0]![0];
  const last = target.read(cpu, ra, len);
  if (!last) return null;
  // Read and access watches need the page; a debugger write watch can do with comparing values.
  const page = target.pageAt?.(ra) ?? null;
  if (kind !== 'write' && page === null) return null;
  return { addr, ra, len, kind, page, off: Number(ra & BigInt(PAGE_MASK)), last };
}

/** The first read or access watch an access seen during the last instruction touched. */
function accessHit(watches: readonly Watch[]): [Watch, 'read' | 'write'] | null {
  for (const a of ACCESSES.seen) {
    for (const w of watches) if (w.kind !== 'write' && touches(w, a.page, a.off, a.n, a.write)) return [w, a.write ? 'write' : 'read'];
  }
  return null;
}

/**
 * Runs like resumeTarget with every watch's page marked, stopping a CPU before an access a
 * watch is for (cpu.stop 'watchpoint', pc at the instruction). A CPU stopped so runs its
 * instruction first with the watches off, as a CPU at a breakpoint steps over it. Returns the
 * CPU stopped at a breakpoint or watchpoint, and the watch.
 */
export function resumeStoppingAtWatches(target: DebugTarget, budget: number, watches: readonly Watch[]): { hit: Cpu | null; watch: Watch | null } {
  for (const c of target.cpus) {
    if (c.stop !== 'watchpoint') continue;
    c.stop = null;
    resumeTarget(target, 1, c);
  }
  ACCESSES.watches = watches;
  ACCESSES.stoppedBy = null;
  ACCESSES.mode = 'stop';
  let hit: Cpu | null;
  try {
    hit = resumeTarget(target, budget, null);
  } finally {
    ACCESSES.mode = 'off';
  }
  const atWatch = target.cpus.find((c) => c.stop === 'watchpoint') ?? null;
  return { hit: hit ?? atWatch, watch: atWatch ? ACCESSES.stoppedBy : null };
}

/**
 * Runs like resumeTarget, one instruction at a time while watches are set, until a watched
 * value changes, a breakpoint or stop, or `budget` instructions; returns the change, if any.
 */
export function resumeWatching(target: DebugTarget, budget: number, watches: readonly Watch[], stepOver = true): { hit: Cpu | null; change: WatchHit | null } {
  for (let n = 0; n < budget; n++) {
    const before = target.cpus.map((c) => c.instructions);
    ACCESSES.seen.length = 0;
    ACCESSES.mode = 'record';
    let hit: Cpu | null;
    try {
      hit = resumeTarget(target, 1, null, stepOver && n === 0);
    } finally {
      ACCESSES.mode = 'off';
    }
    const ran = target.cpus.find((c, i) => c.instructions !== before[i]) ?? null;
    const cpu = ran ?? target.cpus[0]!;
    const accessed = ran === null ? null : accessHit(watches);
    for (const w of watches) {
      const now = target.read(cpu, w.ra, w.len);
      const changed = now !== null && w.kind !== 'read' && now.some((b, i) => b !== w.last[i]);
      if (changed || accessed?.[0] === w) {
        const old = w.last;
        if (now) w.last = now;
        return { hit, change: { watch: w, cpu, old, now: now ?? old, accessed: accessed?.[0] === w ? accessed[1] : null } };
      }
    }
    if (hit || ran === null || target.cpus.every((c) => c.stop !== null)) return { hit, change: null };
  }
  return { hit: null, change: null };
}
