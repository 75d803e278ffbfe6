// One CPU's architected state (Power ISA v3.0B Book I 1.3 and Book III 2): 64-bit registers
// as hi/lo int32 pairs in typed arrays, CR, XER, LR, CTR, MSR, SPRs; plus its storage access
// path: a direct-mapped software TLB per access kind in front of the address space. The soft
// TLB is only a cache of AddressSpace.lookup results; dropping it never changes semantics.

import { splitmix64 } from './random.js';
import {
  Access,
  PAGE_MASK,
  PhysPage,
  touchPage,
  type AddressSpace,
  type Fault,
} from './memory.js';

export type StopReason = 'exit' | 'stop-at' | 'max-insns' | 'halt' | 'unhandled-interrupt' | 'breakpoint' | 'watchpoint';

/**
 * The pending "interrupt" of an access a debugger's watchpoint stops before: the run loop
 * leaves pc at the instruction and stops the CPU with 'watchpoint' instead of delivering it.
 */
export const WATCH_STOP = -1;

/** VSCR (Book I 6.3.3): NJ, the non-Java mode bit (bit 111 of the 128), and SAT (bit 127). */
export const VSCR_NJ = 0x10000;
export const VSCR_SAT = 1;

/** Interrupt vectors (Book III 7.5). */
export const VEC = {
  MCHECK: 0x200,
  DSI: 0x300,
  DSEG: 0x380,
  ISI: 0x400,
  ISEG: 0x480,
  ALIGN: 0x600,
  PROGRAM: 0x700,
  DEC: 0x900,
  SC: 0xc00,
  /** scv LEV: 0x17000 + 32 * LEV (Book III 7.5, System Call Vectored interrupt, LPCR[AIL] = 0). */
  SCV: 0x17000,
  HEAI: 0xe40,
  /** Floating-Point Unavailable (Book III 7.5.11): an FP instruction with MSR[FP] = 0. */
  FPU: 0x800,
  /** Vector Unavailable (Book III 7.5.15): a VMX instruction with MSR[VEC] = 0. */
  VPU: 0xf20,
  /** VSX Unavailable (Book III 7.5.16): a VSX instruction with MSR[VSX] = 0. */
  VSXU: 0xf40,
} as const;

/** SRR1 cause bits of the Program interrupt (Book III 7.5.9), as IBM bit numbers 43..46. */
export const PROGRAM_ILLEGAL = 1 << (63 - 44);
export const PROGRAM_PRIV = 1 << (63 - 45);
export const PROGRAM_TRAP = 1 << (63 - 46);

/** MSR bits (Book III 4.2.1), as masks on the high or low word. */
export const MSR_SF_HI = 1 << 31; // bit 0
export const MSR_HV_HI = 1 << (63 - 3 - 32); // bit 3
export const MSR_VEC = 1 << (63 - 38);
export const MSR_VSX = 1 << (63 - 40);
export const MSR_EE = 1 << (63 - 48);
export const MSR_PR = 1 << (63 - 49);
export const MSR_FP = 1 << (63 - 50);
export const MSR_ME = 1 << (63 - 51);
export const MSR_IR = 1 << (63 - 58);
export const MSR_DR = 1 << (63 - 59);
export const MSR_RI = 1 << (63 - 62);
export const MSR_LE = 1;

/** Information about the interrupt being raised, for the handler (and for error messages). */
export interface InterruptInfo {
  vector: number;
  /** SRR1 cause bits to merge (low word). */
  cause: number;
  /** Effective address involved (DSI/alignment), if any. */
  ea: bigint | null;
  message: string;
  /** DSISR to set (DSI, alignment), if any. */
  dsisr?: number;
  /** SRR0 is the next instruction (sc) rather than the interrupted one. */
  afterInsn: boolean;
  /** The interrupt enters hypervisor state (sc LEV=1, a hypervisor call). */
  toHypervisor?: boolean;
}

/** Who handles interrupts: the user-process layer (signals) or architected delivery. */
export type InterruptHandler = (cpu: Cpu, info: InterruptInfo) => void;

/**
 * The privileged machine's side of the supervisor and storage-control instructions; null for
 * a user process, where they raise the Program interrupt.
 */
export interface SystemOps {
  /**
   * Executes rfid, mfmsr, mtmsrd, tlbie, tlbiel, tlbsync, slb*, attn (privilege already
   * checked for MSR[PR]). Operands in table order. Returns true when it set the pc itself.
   */
  exec(cpu: Cpu, op: number, v0: number, v1: number, v2: number, v3: number, v4: number): boolean;
  /** mfspr/mtspr of an SPR other than XER, LR, CTR. */
  mfspr(cpu: Cpu, spr: number, rt: number): void;
  mtspr(cpu: Cpu, spr: number, rs: number): void;
  /** sync (L), eieio, isync: ordering of storage accesses and translation maintenance. */
  barrier(cpu: Cpu, op: number, l: number): void;
}

/** Thrown by storage accessors after an interrupt has been raised; the loop catches it. */
export const FAULT = { fault: true };

/** Key of the 4 KiB page holding (hi, lo), exact in a double (52 bits). */
export function pageKey(hi: number, lo: number): number {
  return (hi >>> 0) * 1048576 + (lo >>> 12);
}

/**
 * Reservation granule (Book II v3.0B 4.4.2: implementation-dependent, a multiple of 16 bytes;
 * 128 bytes, the cache block, on POWER7/8/9).
 */
export const RES_GRANULE = 128;

/**
 * The reservations of the CPUs that share one storage (Book II v3.0B 4.4.2, "Load And
 * Reserve and Store Conditional Instructions"): a store by another CPU to a granule a CPU
 * holds a reservation on clears that reservation, so the holder's stwcx./stdcx. fails.
 * Granules are real storage (PhysPage and offset), so a store through any effective address
 * of the granule counts. Pages holding a reserved granule are kept out of every CPU's write
 * soft TLB while reserved: stores to them take the slow path, which reports them here, and
 * the store fast path needs no check at all.
 */
export class Reservations {
  /** The CPUs sharing the storage. */
  readonly cpus: Cpu[] = [];
  /** Pages holding a reserved granule, with the number of CPUs holding one there. */
  private readonly held = new Map<PhysPage, number>();

  isReserved(page: PhysPage): boolean {
    return this.held.has(page);
  }

  snapshot(): Map<PhysPage, number> {
    return new Map(this.held);
  }

  /** Back to a snapshot; the CPUs' soft TLBs must be flushed after (Cpu.restore does). */
  restore(s: Map<PhysPage, number>): void {
    this.held.clear();
    for (const [p, n] of s) this.held.set(p, n);
  }

  acquire(page: PhysPage): void {
    const n = this.held.get(page) ?? 0;
    this.held.set(page, n + 1);
    if (n === 0) for (const c of this.cpus) c.dropWriteEntries(page);
  }

  release(page: PhysPage): void {
    const n = this.held.get(page) ?? 0;
    if (n <= 1) this.held.delete(page);
    else this.held.set(page, n - 1);
  }

  /** `by` stored bytes [off, off + length) of `page`: other CPUs' reservations there are lost. */
  stored(by: Cpu, page: PhysPage, off: number, length: number): void {
    if (!this.held.has(page)) return;
    for (const c of this.cpus) {
      if (c !== by && c.resPage === page && c.resOff < off + length && off < c.resOff + RES_GRANULE) c.clearReservation();
    }
  }
}

/** What Cpu.snapshot() keeps. */
export interface CpuSnapshot {
  readonly hi: Int32Array;
  readonly lo: Int32Array;
  /** The VSRs (FPRs and VRs), or null when all are zero. */
  readonly vsr: Int32Array | null;
  /** The SPRs written since the machine was built (Cpu.sprsWritten) as (number, hi, lo) triples; the others keep their starting values. */
  readonly sprs: readonly number[];
  readonly scalars: readonly number[];
  readonly resPage: PhysPage | null;
  readonly stop: StopReason | null;
  readonly stopMessage: string;
  readonly exitCode: number | null;
}

const TLB_SIZE = 256;
const TLB_MASK = TLB_SIZE - 1;
const NO_TAG = 1; // never equal to a page-aligned address

/** The interrupt a translation fault at `ea` raises, and how it is reported. */
export function describeFault(f: Fault, ea: bigint): { vector: number; message: string } {
  const what = f.access === Access.Read ? 'load from' : f.access === Access.Write ? 'store to' : 'instruction fetch from';
  const why = {
    unmapped: 'unmapped address',
    protection: 'protected address',
    segment: 'address with no SLB entry',
    'no-pte': 'address with no valid PTE',
    'beyond-storage': 'real address beyond storage',
  }[f.kind];
  return { vector: f.vector ?? (f.access === Access.Exec ? VEC.ISI : VEC.DSI), message: `${what} ${why} 0x${ea.toString(16).padStart(16, '0')}` };
}

export class Cpu {
  readonly id: number;
  readonly hi = new Int32Array(32);
  readonly lo = new Int32Array(32);
  /**
   * The 64 VSRs (Book I 7.2.1), four words each, word 0 the most significant (the ISA's
   * element numbering, whatever the byte order). FPR n is doubleword 0 of VSR n
   * (vsr[4n], vsr[4n+1]: Book I 4.2.1's 64-bit image) and VR n is VSR 32+n (Book I 6.3.1).
   */
  readonly vsr = new Int32Array(256);
  /** FPSCR (Book I 4.2.2), the 32 bits 32:63 of the register. */
  fpscr = 0;
  /** VSCR (Book I 6.3.3): NJ set at start, SAT clear. */
  vscr = VSCR_NJ;
  /** VRSAVE (Book I 6.3.2), SPR 256: 32 bits, no effect on execution. */
  vrsave = 0;
  /** The random number source darn reads (seeded: runs replay exactly). */
  random: () => bigint;
  cr = 0;
  // XER (Book I 3.2.2) kept as separate bits; mfxer/mtxer compose them.
  so = 0;
  ov = 0;
  ca = 0;
  ov32 = 0;
  ca32 = 0;
  xerBytes = 0;
  lrHi = 0;
  lrLo = 0;
  ctrHi = 0;
  ctrLo = 0;
  pcHi = 0;
  pcLo = 0;
  msrHi = MSR_SF_HI;
  msrLo = 0;
  /** Generic SPR storage for SPRs without side effects, indexed by SPR number. */
  readonly sprHi = new Int32Array(1024);
  readonly sprLo = new Int32Array(1024);
  /**
   * The SPRs written by writeSpr since the CPU was made, in increasing order: the only ones
   * whose values can differ between two states of one exploration (the others keep the values
   * the machine started with), so a state key hashes only these.
   */
  readonly sprsWritten: number[] = [];
  private readonly sprWrittenMark = new Uint8Array(1024);
  /** (n, hi, lo) of each SPR in sprsWritten as it was before its first write. */
  private readonly sprStart: number[] = [];
  /** Reservation (Book II 4.4.2): held, and its granule by effective address. */
  resValid = false;
  resHi = 0;
  resLo = 0;
  /** The reserved granule in storage, when other CPUs share it (see Reservations). */
  resPage: PhysPage | null = null;
  resOff = 0;
  /** The reservations of the CPUs this one shares storage with; null for a user process. */
  reservations: Reservations | null = null;
  /** Why the CPU stopped, or null while it may run. */
  stop: StopReason | null = null;
  stopMessage = '';
  exitCode: number | null = null;
  /** Set when a store dropped decoded instructions, so the loop re-fetches. */
  codeDirty = false;
  /** Set by a barrier that must end this CPU's scheduling turn right after it. */
  yieldRequested = false;
  /** Step over a breakpoint at the current pc once (debugger resume). */
  skipBreak = false;
  instructions = 0;
  /** Instructions the interpreter has completed in its current run() call, not yet in `instructions`. */
  inRun = 0;
  /**
   * The Decrementer (Power ISA v3.0B Book III 6.5, 32-bit mode): DEC = decValue - (TB - decTb)
   * where TB is timeBase(); decPending is the Decrementer exception, latched until the
   * interrupt is taken or a non-negative value is written. The ISA leaves DEC undefined at
   * power-on; here it starts at -1 with no exception, so nothing fires before software
   * writes DEC (as firmware does before it enables MSR[EE]).
   */
  decValue = -1;
  decTb = 0;
  decPending = false;
  /**
   * Breakpoint addresses by page: key `pageKey(hi, pageLo)`, values the byte offsets in the
   * page. The loop plants OP_BREAK over them whenever it enters the page.
   */
  readonly breakpoints = new Map<number, Set<number>>();
  /** Interrupt raised by the instruction being executed, delivered by the loop. */
  pending: InterruptInfo | null = null;

  space: AddressSpace;
  onInterrupt: InterruptHandler;
  /** Supervisor/storage-control instruction support (the machine), or null (user process). */
  sys: SystemOps | null = null;

  // Soft TLB: tags are page-aligned (hi, lo) pairs; pages the resolved storage.
  private readonly rTagHi = new Int32Array(TLB_SIZE);
  private readonly rTagLo = new Int32Array(TLB_SIZE).fill(NO_TAG);
  private readonly rPage: PhysPage[] = new Array<PhysPage>(TLB_SIZE);
  private readonly wTagHi = new Int32Array(TLB_SIZE);
  private readonly wTagLo = new Int32Array(TLB_SIZE).fill(NO_TAG);
  private readonly wPage: PhysPage[] = new Array<PhysPage>(TLB_SIZE);
  private readonly xTagHi = new Int32Array(TLB_SIZE);
  private readonly xTagLo = new Int32Array(TLB_SIZE).fill(NO_TAG);
  private readonly xPage: PhysPage[] = new Array<PhysPage>(TLB_SIZE);

  constructor(id: number, space: AddressSpace, onInterrupt: InterruptHandler) {
    this.id = id;
    this.space = space;
    this.onInterrupt = onInterrupt;
    this.random = splitmix64(0x5eed0000 + id);
    const dummy = new PhysPage();
    this.rPage.fill(dummy);
    this.wPage.fill(dummy);
    this.xPage.fill(dummy);
  }

  addBreakpoint(addr: bigint): void {
    const hi = Number(BigInt.asUintN(64, addr) >> 32n) | 0;
    const lo = Number(addr & 0xffffffffn) | 0;
    const k = pageKey(hi, lo);
    let set = this.breakpoints.get(k);
    if (!set) this.breakpoints.set(k, (set = new Set()));
    set.add(lo & PAGE_MASK & ~3);
  }

  /** Removes a breakpoint; the page is re-decoded on next entry so the planted op goes away. */
  removeBreakpoint(addr: bigint): boolean {
    const hi = Number(BigInt.asUintN(64, addr) >> 32n) | 0;
    const lo = Number(addr & 0xffffffffn) | 0;
    const set = this.breakpoints.get(pageKey(hi, lo));
    if (!set || !set.delete(lo & PAGE_MASK & ~3)) return false;
    if (set.size === 0) this.breakpoints.delete(pageKey(hi, lo));
    const r = this.space.lookup(hi, lo & ~PAGE_MASK, Access.Exec);
    if (r instanceof PhysPage) r.decoded = null;
    return true;
  }

  /** Whether a breakpoint is set at (hi, lo). */
  isBreakpoint(hi: number, lo: number): boolean {
    const set = this.breakpoints.get(pageKey(hi, lo));
    return set !== undefined && set.has(lo & PAGE_MASK);
  }

  /**
   * The architected state and the run state, for the validator's explorer to come back to
   * (restore()). SPRs are kept sparsely: almost all of the 1024 are zero.
   */
  snapshot(): CpuSnapshot {
    // Only SPRs written since the machine was built can differ from their starting values.
    const sprs: number[] = [];
    for (const n of this.sprsWritten) sprs.push(n, this.sprHi[n]!, this.sprLo[n]!);
    let anyVsr = false;
    for (let i = 0; i < 256 && !anyVsr; i++) anyVsr = this.vsr[i] !== 0;
    return {
      hi: this.hi.slice(),
      lo: this.lo.slice(),
      vsr: anyVsr ? this.vsr.slice() : null,
      sprs,
      scalars: [this.cr, this.so, this.ov, this.ca, this.ov32, this.ca32, this.xerBytes, this.lrHi, this.lrLo, this.ctrHi, this.ctrLo, this.pcHi, this.pcLo, this.msrHi, this.msrLo, this.resValid ? 1 : 0, this.resHi, this.resLo, this.resOff, this.instructions, this.decValue, this.decTb, this.decPending ? 1 : 0, this.fpscr, this.vscr, this.vrsave],
      resPage: this.resPage,
      stop: this.stop,
      stopMessage: this.stopMessage,
      exitCode: this.exitCode,
    };
  }

  restore(s: CpuSnapshot): void {
    this.hi.set(s.hi);
    this.lo.set(s.lo);
    // SPRs first written after the snapshot go back to their starting values, the others to
    // the snapshot's.
    for (let k = 0; k < this.sprStart.length; k += 3) {
      this.sprHi[this.sprStart[k]!] = this.sprStart[k + 1]!;
      this.sprLo[this.sprStart[k]!] = this.sprStart[k + 2]!;
    }
    for (let k = 0; k < s.sprs.length; k += 3) {
      this.sprHi[s.sprs[k]!] = s.sprs[k + 1]!;
      this.sprLo[s.sprs[k]!] = s.sprs[k + 2]!;
    }
    const v = s.scalars;
    [this.cr, this.so, this.ov, this.ca, this.ov32, this.ca32, this.xerBytes, this.lrHi, this.lrLo, this.ctrHi, this.ctrLo, this.pcHi, this.pcLo, this.msrHi, this.msrLo] = v as [number, number, number, number, number, number, number, number, number, number, number, number, number, number, number];
    this.resValid = v[15] === 1;
    this.resHi = v[16]!;
    this.resLo = v[17]!;
    this.resOff = v[18]!;
    this.instructions = v[19]!;
    this.decValue = v[20]!;
    this.decTb = v[21]!;
    this.decPending = v[22] === 1;
    this.fpscr = v[23]!;
    this.vscr = v[24]!;
    this.vrsave = v[25]!;
    if (s.vsr) this.vsr.set(s.vsr);
    else this.vsr.fill(0);
    this.resPage = s.resPage;
    this.stop = s.stop;
    this.stopMessage = s.stopMessage;
    this.exitCode = s.exitCode;
    this.pending = null;
    this.codeDirty = true;
    this.yieldRequested = false;
    this.flushSoftTlb();
  }

  /** The Time Base (Book II 5.2): this CPU's completed instructions, so runs replay exactly. */
  timeBase(): number {
    return this.instructions + this.inRun;
  }

  /** DEC now, as a signed 32-bit value. */
  decNow(): number {
    return (this.decValue - (this.timeBase() - this.decTb)) | 0;
  }

  /** mtspr DEC (Book III 6.5; Linux kvm/emulate.c kvmppc_emulate_dec(): on POWER4 and later a
   * negative value raises the exception at once, a non-negative one clears a pending one). */
  setDec(v: number): void {
    this.decValue = v | 0;
    this.decTb = this.timeBase();
    this.decPending = this.decValue < 0;
  }

  /** Time Base value at which DEC goes from 0 to -1 (its bit 0 from 0 to 1): the exception. */
  decFiresAt(): number {
    return this.decValue >= 0 ? this.decTb + this.decValue + 1 : Infinity;
  }

  /** Latches the Decrementer exception if DEC has gone negative since it was last seen. */
  pollDec(): boolean {
    if (this.timeBase() >= this.decFiresAt()) {
      // Keep DEC's value, from a base where it is already negative: one exception per crossing.
      this.decValue = this.decNow();
      this.decTb = this.timeBase();
      this.decPending = true;
    }
    return this.decPending;
  }

  get le(): boolean {
    return (this.msrLo & MSR_LE) !== 0;
  }

  get pc(): bigint {
    return (BigInt(this.pcHi >>> 0) << 32n) | BigInt(this.pcLo >>> 0);
  }

  set pc(v: bigint) {
    const u = BigInt.asUintN(64, v);
    this.pcHi = Number(u >> 32n) | 0;
    this.pcLo = Number(u & 0xffffffffn) | 0;
  }

  /** SPR n <- (hi, lo), noting n in sprsWritten. Every write after the machine is built goes through here. */
  /**
   * A hash of the SPRs that differ from their starting values (a function of the state alone,
   * whatever was written in other branches), for state keys.
   */
  sprHash(h: number): number {
    for (let k = 0; k < this.sprStart.length; k += 3) {
      const n = this.sprStart[k]!;
      const hi = this.sprHi[n]!;
      const lo = this.sprLo[n]!;
      if (hi === this.sprStart[k + 1] && lo === this.sprStart[k + 2]) continue;
      h = Math.imul(Math.imul(Math.imul(h ^ n, 16777619) ^ hi, 16777619) ^ lo, 16777619);
    }
    return h;
  }

  writeSpr(n: number, hi: number, lo: number): void {
    if (this.sprWrittenMark[n] === 0) {
      this.sprWrittenMark[n] = 1;
      this.sprStart.push(n, this.sprHi[n]!, this.sprLo[n]!);
      this.sprsWritten.push(n);
      this.sprsWritten.sort((a, b) => a - b);
    }
    this.sprHi[n] = hi;
    this.sprLo[n] = lo;
  }

  getGpr(n: number): bigint {
    return (BigInt(this.hi[n]! >>> 0) << 32n) | BigInt(this.lo[n]! >>> 0);
  }

  setGpr(n: number, v: bigint): void {
    const u = BigInt.asUintN(64, v);
    this.hi[n] = Number(u >> 32n) | 0;
    this.lo[n] = Number(u & 0xffffffffn) | 0;
  }

  /** XER as a 64-bit value's low word (the high word is 0). */
  get xer(): number {
    return (
      ((this.so << 31) | (this.ov << 30) | (this.ca << 29) | (this.ov32 << 19) | (this.ca32 << 18) | this.xerBytes) >>> 0
    );
  }

  set xer(v: number) {
    this.so = (v >>> 31) & 1;
    this.ov = (v >>> 30) & 1;
    this.ca = (v >>> 29) & 1;
    this.ov32 = (v >>> 19) & 1;
    this.ca32 = (v >>> 18) & 1;
    this.xerBytes = v & 0x7f;
  }

  /** Drops every cached translation (any TLB/SLB/MSR change that could alter translation). */
  flushSoftTlb(): void {
    this.rTagLo.fill(NO_TAG);
    this.wTagLo.fill(NO_TAG);
    this.xTagLo.fill(NO_TAG);
  }

  /** Drops write entries for a page that now holds decoded instructions, or a reservation. */
  dropWriteEntries(page: PhysPage): void {
    for (let i = 0; i < TLB_SIZE; i++) if (this.wPage[i] === page) this.wTagLo[i] = NO_TAG;
  }

  // ---- translation miss path ----

  /** The page for an access of `n` bytes at (hi, lo), entered in the soft TLB unless it is watched. */
  private resolve(hi: number, lo: number, access: Access, n = 1): PhysPage {
    const pageLo = lo & ~PAGE_MASK;
    const r = this.space.lookup(hi, pageLo, access);
    if (r instanceof PhysPage) {
      const i = (lo >>> 12) & TLB_MASK;
      if (r.accessWatch !== null && access !== Access.Exec) {
        // A debugger watches this page's data accesses: report this one, cache nothing; stop
        // before the instruction (nothing of it done yet: its accesses come before its
        // register updates, as for a fault) when the watcher says so.
        if (r.accessWatch.access(this.id, r, lo & PAGE_MASK, n, access === Access.Write)) {
          this.pending = { vector: WATCH_STOP, cause: 0, ea: null, message: 'watchpoint', afterInsn: false };
          throw FAULT;
        }
        return r;
      }
      if (access === Access.Read) {
        this.rTagHi[i] = hi;
        this.rTagLo[i] = pageLo;
        this.rPage[i] = r;
      } else if (access === Access.Write) {
        // Pages holding decoded code, watched by the MMU or holding a reserved granule take the
        // slow path on every store.
        if (r.decoded === null && r.watcher === null && (this.reservations === null || !this.reservations.isReserved(r))) {
          this.wTagHi[i] = hi;
          this.wTagLo[i] = pageLo;
          this.wPage[i] = r;
        }
      } else {
        this.xTagHi[i] = hi;
        this.xTagLo[i] = pageLo;
        this.xPage[i] = r;
      }
      return r;
    }
    this.raiseFault(r, hi, lo);
  }

  /** The page for an access: the soft TLB when it holds the page, else a full lookup. */
  private pageFor(hi: number, lo: number, access: Access, n = 1): PhysPage {
    const i = (lo >>> 12) & TLB_MASK;
    const page = lo & ~PAGE_MASK;
    if (access === Access.Read && this.rTagLo[i] === page && this.rTagHi[i] === hi) return this.rPage[i]!;
    if (access === Access.Write && this.wTagLo[i] === page && this.wTagHi[i] === hi) return this.wPage[i]!;
    return this.resolve(hi, lo, access, n);
  }

  private raiseFault(f: Fault, hi: number, lo: number): never {
    const ea = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
    const { vector, message } = describeFault(f, ea);
    this.pending = {
      vector,
      cause: f.srr1 ?? 0,
      dsisr: f.dsisr,
      ea,
      message,
      afterInsn: false,
    };
    throw FAULT;
  }

  // ---- instruction fetch ----

  /** Decoded instructions of the page holding pc (decoding it on first use). */
  fetchPage(predecode: (p: PhysPage, le: boolean) => Int32Array): Int32Array {
    const hi = this.pcHi;
    const lo = this.pcLo;
    const i = (lo >>> 12) & TLB_MASK;
    let page: PhysPage;
    if (this.xTagLo[i] === (lo & ~PAGE_MASK) && this.xTagHi[i] === hi) page = this.xPage[i]!;
    else page = this.resolve(hi, lo, Access.Exec);
    const le = this.le;
    if (page.decoded !== null && page.decodedLE === le) return page.decoded;
    const d = predecode(page, le);
    this.dropWriteEntries(page);
    return d;
  }

  // ---- loads (Book I 3.3.2); byte order from MSR[LE] ----

  load8(hi: number, lo: number): number {
    const i = (lo >>> 12) & TLB_MASK;
    const p = this.rTagLo[i] === (lo & ~PAGE_MASK) && this.rTagHi[i] === hi ? this.rPage[i]! : this.resolve(hi, lo, Access.Read);
    return p.bytes[lo & PAGE_MASK]!;
  }

  load16(hi: number, lo: number): number {
    const o = lo & PAGE_MASK;
    if (o > PAGE_MASK - 1) return this.loadSlow(hi, lo, 2);
    const i = (lo >>> 12) & TLB_MASK;
    const p = this.rTagLo[i] === (lo & ~PAGE_MASK) && this.rTagHi[i] === hi ? this.rPage[i]! : this.resolve(hi, lo, Access.Read, 2);
    return p.dv.getUint16(o, (this.msrLo & MSR_LE) !== 0);
  }

  load32(hi: number, lo: number): number {
    const o = lo & PAGE_MASK;
    if (o > PAGE_MASK - 3) return this.loadSlow(hi, lo, 4);
    const i = (lo >>> 12) & TLB_MASK;
    const p = this.rTagLo[i] === (lo & ~PAGE_MASK) && this.rTagHi[i] === hi ? this.rPage[i]! : this.resolve(hi, lo, Access.Read, 4);
    return p.dv.getInt32(o, (this.msrLo & MSR_LE) !== 0);
  }

  /** 64-bit load: returns the high word and leaves the low word in `ldLo`. */
  ldLo = 0;
  load64(hi: number, lo: number): number {
    const le = (this.msrLo & MSR_LE) !== 0;
    const lo2 = (lo + 4) | 0;
    const hi2 = lo2 === 0 || (lo2 >>> 0) < (lo >>> 0) ? (hi + 1) | 0 : hi;
    const a = this.load32(hi, lo);
    const b = this.load32(hi2, lo2);
    if (le) {
      this.ldLo = a;
      return b;
    }
    this.ldLo = b;
    return a;
  }

  /** Multi-byte load crossing a page: byte by byte, each byte translated. */
  private loadSlow(hi: number, lo: number, n: number): number {
    let v = 0;
    const le = (this.msrLo & MSR_LE) !== 0;
    for (let k = 0; k < n; k++) {
      const l = (lo + k) | 0;
      const h = (l >>> 0) < (lo >>> 0) ? (hi + 1) | 0 : hi;
      const b = this.load8(h, l);
      v = le ? v | (b << (8 * k)) : (v << 8) | b;
    }
    return n === 4 ? v | 0 : v >>> 0;
  }

  // ---- stores ----

  store8(hi: number, lo: number, v: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.wTagLo[i] === (lo & ~PAGE_MASK) && this.wTagHi[i] === hi) this.wPage[i]!.bytes[lo & PAGE_MASK] = v;
    else this.storeSlow(hi, lo, v, 1);
  }

  store16(hi: number, lo: number, v: number): void {
    const o = lo & PAGE_MASK;
    const i = (lo >>> 12) & TLB_MASK;
    if (o <= PAGE_MASK - 1 && this.wTagLo[i] === (lo & ~PAGE_MASK) && this.wTagHi[i] === hi) {
      this.wPage[i]!.dv.setUint16(o, v, (this.msrLo & MSR_LE) !== 0);
    } else this.storeSlow(hi, lo, v, 2);
  }

  store32(hi: number, lo: number, v: number): void {
    const o = lo & PAGE_MASK;
    const i = (lo >>> 12) & TLB_MASK;
    if (o <= PAGE_MASK - 3 && this.wTagLo[i] === (lo & ~PAGE_MASK) && this.wTagHi[i] === hi) {
      this.wPage[i]!.dv.setInt32(o, v, (this.msrLo & MSR_LE) !== 0);
    } else this.storeSlow(hi, lo, v, 4);
  }

  store64(hi: number, lo: number, vh: number, vl: number): void {
    const o = lo & PAGE_MASK;
    const i = (lo >>> 12) & TLB_MASK;
    if (o <= PAGE_MASK - 7 && this.wTagLo[i] === (lo & ~PAGE_MASK) && this.wTagHi[i] === hi) {
      const le = (this.msrLo & MSR_LE) !== 0;
      const dv = this.wPage[i]!.dv;
      dv.setInt32(o, le ? vl : vh, le);
      dv.setInt32(o + 4, le ? vh : vl, le);
    } else this.store64Slow(hi, lo, vh, vl);
  }

  private store64Slow(hi: number, lo: number, vh: number, vl: number): void {
    const le = (this.msrLo & MSR_LE) !== 0;
    const lo2 = (lo + 4) | 0;
    const hi2 = (lo2 >>> 0) < (lo >>> 0) ? (hi + 1) | 0 : hi;
    // Check both ends are writable before changing anything (a store is all or nothing).
    const last = (lo + 7) | 0;
    const page = this.pageFor(hi, lo, Access.Write, 8);
    this.probeWrite((last >>> 0) < (lo >>> 0) ? (hi + 1) | 0 : hi, last);
    const o = lo & PAGE_MASK;
    if (page.watcher !== null && o <= PAGE_MASK - 7) {
      // One doubleword store, reported once (the MMU watches the page table).
      this.watchedStore(page, o, 8, () => {
        page.dv.setInt32(o, le ? vl : vh, le);
        page.dv.setInt32(o + 4, le ? vh : vl, le);
      });
      return;
    }
    this.store32(hi, lo, le ? vl : vh);
    this.store32(hi2, lo2, le ? vh : vl);
  }

  /** Faults now if a store to this byte would fault. */
  probeWrite(hi: number, lo: number): void {
    const i = (lo >>> 12) & TLB_MASK;
    if (this.wTagLo[i] === (lo & ~PAGE_MASK) && this.wTagHi[i] === hi) return;
    this.resolve(hi, lo, Access.Write);
  }

  /** Stores that cross a page or hit a page with decoded code, byte by byte. */
  private storeSlow(hi: number, lo: number, v: number, n: number): void {
    const le = (this.msrLo & MSR_LE) !== 0;
    const last = (lo + n - 1) | 0;
    // Translate both ends before any byte is written; the first byte's fault wins (DAR = EA).
    const first = this.pageFor(hi, lo, Access.Write, n);
    const lastPage = (lo & ~PAGE_MASK) === (last & ~PAGE_MASK) ? first : this.pageFor((last >>> 0) < (lo >>> 0) ? (hi + 1) | 0 : hi, last, Access.Write);
    const off = lo & PAGE_MASK;
    if (first.watcher !== null && off + n <= PAGE_MASK + 1) {
      this.watchedStore(first, off, n, () => {
        for (let k = 0; k < n; k++) first.bytes[off + k] = (v >>> (le ? 8 * k : 8 * (n - 1 - k))) & 0xff;
      });
      return;
    }
    // Byte k of the value (in storage order) goes to the first page while it lasts, then to the
    // next; each page's part is reported to its watcher, if it has one, as a store of its own.
    const inFirst = Math.min(n, PAGE_MASK + 1 - off);
    const part = (page: PhysPage, pageOff: number, from: number, count: number) => {
      const write = () => {
        for (let k = from; k < from + count; k++) page.bytes[pageOff + k - from] = (v >>> (le ? 8 * k : 8 * (n - 1 - k))) & 0xff;
      };
      if (page.watcher !== null) this.watchedStore(page, pageOff, count, write);
      else {
        write();
        this.stored(page, pageOff, count);
      }
    };
    part(first, off, 0, inFirst);
    if (inFirst < n) part(lastPage, 0, inFirst, n - inFirst);
  }

  /** After a slow-path store to `page`: its decoded instructions go, reservations hear of it. */
  private stored(page: PhysPage, off: number, n: number): void {
    touchPage(page);
    if (page.decoded !== null) {
      page.decoded = null;
      this.codeDirty = true;
    }
    this.reservations?.stored(this, page, off, n);
  }

  /** A store to a page the MMU watches (the page table), reported once around `write`. */
  private watchedStore(page: PhysPage, off: number, n: number, write: () => void): void {
    page.watcher!.before(this.id, page, off, n);
    write();
    this.stored(page, off, n);
    page.watcher!.after(this.id, page, off, n);
  }

  // ---- reservations (Book II 4.4.2) ----

  /** lwarx/ldarx at (hi, lo), after its load succeeded: this CPU now holds the granule. */
  reserve(hi: number, lo: number): void {
    this.clearReservation();
    this.resValid = true;
    this.resHi = hi;
    this.resLo = lo & ~(RES_GRANULE - 1);
    const t = this.reservations;
    if (t !== null) {
      const page = this.pageFor(hi, lo, Access.Read); // translated by the load: cannot fault
      this.resPage = page;
      this.resOff = lo & PAGE_MASK & ~(RES_GRANULE - 1);
      t.acquire(page);
    }
  }

  /** stwcx./stdcx. done, or another CPU stored to the granule: the reservation is lost. */
  clearReservation(): void {
    if (this.resPage !== null) {
      this.reservations?.release(this.resPage);
      this.resPage = null;
    }
    this.resValid = false;
  }

  /** icbi (Book II 4.3.1): drop decoded instructions of the block's page. */
  invalidateCode(hi: number, lo: number): void {
    const r = this.space.lookup(hi, lo & ~PAGE_MASK, Access.Read);
    if (r instanceof PhysPage && r.decoded !== null) {
      r.decoded = null;
      this.codeDirty = true;
    }
  }

  /**
   * Raises an interrupt and aborts the current instruction; the interpreter loop sets the pc
   * (this instruction, or the next one when `afterInsn`, as for sc) and calls onInterrupt.
   */
  interrupt(vector: number, cause: number, message: string, ea: bigint | null = null, afterInsn = false, toHypervisor = false): never {
    this.pending = { vector, cause, ea, message, afterInsn, toHypervisor };
    throw FAULT;
  }
}
