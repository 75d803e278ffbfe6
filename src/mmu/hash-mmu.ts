// The hash MMU of a machine: per-CPU SLB and TLB, HPT walks, protection, R/C updates, the
// storage-control instructions, and the two timing policies:
//   eager — every effect immediate (what QEMU does);
//   isa   — every effect as late as Power ISA v3.0B allows: a tlbie's effect on other CPUs
//           waits for the issuer's tlbsync then ptesync (Book III 5.10.1), a tlbiel's for the
//           issuer's ptesync, and a store to the page table is invisible to other CPUs' table
//           walks until the storing CPU's next ptesync or sync (Book III 5.10.1, "Page Table
//           Update Synchronization Requirements").

import { Op } from '../isa/ops.js';
import { Cpu, MSR_PR } from '../cpu/cpu.js';
import { SPR } from '../cpu/interrupts.js';
import { DSISR_NOPTE, DSISR_PROT, DSISR_STORE, SRR1_ISI_NOEXEC, SRR1_ISI_NOPTE, SRR1_ISI_PROT } from '../cpu/interrupts.js';
import { VEC } from '../cpu/cpu.js';
import type { Machine, Translator } from '../cpu/machine.js';
import { Access, PAGE_MASK, PAGE_SHIFT, type Fault, type PhysPage, type StoreWatcher } from '../cpu/memory.js';
import type { MmuOps, TranslationProbe } from '../cpu/privileged.js';
import { EventLog } from './events.js';
import { ptegAddress, pteMatchesVa, primaryHash, secondaryHash, va as virtualAddress, type HtabGeometry } from './hash.js';
import { decodeHpte, HPTE_BYTES, HPTE_R_C, HPTE_R_G, HPTE_R_R, HPTE_V_VALID, hptePpp, hpteRealPageAddress } from './hpte.js';
import { hptLocation, protection } from './hpt.js';
import { decodeRb, type PendingInvalidation } from './invalidation.js';
import { Slb, type SlbEntry } from './slb.js';
import { Tlb, type TlbEntry, type TlbSnapshot } from './tlb.js';
import { renderHpt, renderPending, renderSlb, renderTlb } from './views.js';
import { eaOfHpte } from './hpte-ea.js';

export type MmuPolicy = 'eager' | 'isa';

/** What HashMmu.snapshot() keeps. */
export interface MmuSnapshot {
  readonly per: ReadonlyArray<{ slb: ReturnType<Slb['snapshot']>; tlb: TlbSnapshot; history: bigint[] }>;
  readonly pending: readonly PendingInvalidation[];
  readonly issued: number;
  readonly invisible: ReadonlyMap<number, Map<bigint, InvisibleStore>>;
  readonly deferred: ReadonlySet<number>;
  readonly epochs: readonly number[];
  readonly hashed: ReadonlySet<bigint>;
}

export interface HashMmuOptions {
  policy?: MmuPolicy;
  /** Let the scheduler load translations speculatively (seeded through the machine's seed). */
  speculate?: boolean;
  /** Probability of a speculative load before each scheduling quantum when speculating. */
  speculateRate?: number;
  /**
   * Policy isa only: leave every effect the ISA lets happen early (an invalidation reaching a
   * CPU before its completion point, a page-table store becoming visible before the storing
   * CPU's sync, a speculative TLB load) to an outside driver, the validator's explorer, which
   * calls completeOn(), publish() and speculativeLoad(). Only the forced effects happen here.
   */
  manual?: boolean;
}

/** A page-table store not yet visible to other CPUs' table walks. */
interface InvisibleStore {
  /** The doubleword's value before the store, which other CPUs' walks still read. */
  old: bigint;
  /**
   * The storing CPU's ordering epoch at the time of the store: eieio, lwsync and hwsync end an
   * epoch (Book II 1.7.1: they order the CPU's earlier stores before its later ones), so a
   * store can become visible only once no store of an earlier epoch is still invisible.
   */
  epoch: number;
}

interface CpuMmu {
  slb: Slb;
  tlb: Tlb;
  /** EAs (page-aligned) this CPU has translated: candidates for speculative reloads. */
  history: bigint[];
}

const HISTORY = 64;

/** A pending invalidation's part of HashMmu.stateKey(), computed once per (immutable) entry. */
const pendingKeys = new WeakMap<PendingInvalidation, string>();
function pendingKey(p: PendingInvalidation): string {
  let k = pendingKeys.get(p);
  if (k === undefined) {
    k = `P${p.issuer}${p.op}${p.rb.rb.raw.toString(16)}:${[...p.targets].sort().join(',')}${p.tlbsynced ? 's' : ''}${p.unordered ? 'u' : ''}`;
    pendingKeys.set(p, k);
  }
  return k;
}

export class HashMmu implements Translator, MmuOps, StoreWatcher {
  readonly policy: MmuPolicy;
  readonly speculate: boolean;
  readonly events = new EventLog();
  private readonly speculateRate: number;
  private readonly per: CpuMmu[];
  readonly manual: boolean;
  private readonly pending: PendingInvalidation[] = [];
  private issued = 0;
  /** Page-table stores not yet visible to other CPUs' walks: storing CPU -> dword RA -> store. */
  private readonly invisible = new Map<number, Map<bigint, InvisibleStore>>();
  /** Each CPU's store-ordering epoch (see InvisibleStore.epoch). */
  private readonly epochs: number[];
  /**
   * Stores a completed ptesync left invisible for one more scheduling turn because no ptesync
   * ordered them before a tlbie that this ptesync completed (see barrier()).
   */
  private readonly deferred = new Set<number>();
  private watched: PhysPage[] = [];
  /** Slots last written with a valid PTE: where speculation looks for loadable translations. */
  private readonly hashed = new Set<bigint>();
  private beforeHpte: bigint[] = [];
  private lastLocationKey = '';

  constructor(
    readonly machine: Machine,
    opts: HashMmuOptions = {},
  ) {
    this.policy = opts.policy ?? 'eager';
    this.speculate = opts.speculate ?? false;
    this.speculateRate = opts.speculateRate ?? 0.25;
    this.manual = this.policy === 'isa' && (opts.manual ?? false);
    this.epochs = machine.cpus.map(() => 0);
    const m = machine.model;
    this.per = machine.cpus.map(() => ({ slb: new Slb(), tlb: new Tlb(m.tlbSets, m.tlbWays), history: [] }));
    machine.translator = this;
    machine.mmu = this;
  }

  slb(cpu: Cpu): Slb {
    return this.per[cpu.id]!.slb;
  }

  tlb(cpu: Cpu): Tlb {
    return this.per[cpu.id]!.tlb;
  }

  // ---------------------------------------------------------------- HPT location and reads

  private sprValue(cpu: Cpu, spr: number): bigint {
    return (BigInt(cpu.sprHi[spr]! >>> 0) << 32n) | BigInt(cpu.sprLo[spr]! >>> 0);
  }

  location(cpu: Cpu): HtabGeometry | null {
    return hptLocation(this.machine.model, this.sprValue(cpu, SPR.SDR1), this.sprValue(cpu, SPR.PTCR), (ra) => {
      try {
        return this.machine.mem.read64(ra, false);
      } catch {
        return null;
      }
    });
  }

  /** A page-table doubleword as `cpu`'s table walk sees it (policy isa hides others' stores). */
  private readDw(cpu: Cpu, ra: bigint): bigint {
    if (this.policy === 'isa') {
      for (const [storer, stores] of this.invisible) {
        if (storer === cpu.id) continue;
        const st = stores.get(ra);
        if (st !== undefined) return st.old;
      }
    }
    return this.machine.mem.read64(ra, false);
  }

  /** Watches the page-table pages so stores to them are seen (visibility, events). */
  private watchTable(loc: HtabGeometry | null): void {
    const key = loc ? `${loc.htaborg}:${loc.ptegs}` : '';
    if (key === this.lastLocationKey) return;
    this.lastLocationKey = key;
    for (const p of this.watched) p.watcher = null;
    this.watched = [];
    if (!loc) return;
    for (let a = loc.htaborg; a < loc.htaborg + loc.bytes; a += BigInt(PAGE_MASK + 1)) {
      const p = this.machine.mem.page(a);
      if (!p) break;
      p.watcher = this;
      this.watched.push(p);
    }
    for (const c of this.machine.cpus) c.flushSoftTlb();
  }

  sprWritten(cpu: Cpu, spr: number): void {
    if (spr === SPR.SDR1 || spr === SPR.PTCR) this.watchTable(this.location(cpu));
    for (const c of this.machine.cpus) c.flushSoftTlb();
  }

  // StoreWatcher: stores by CPUs to the page table.
  before(cpuId: number, page: PhysPage, offset: number, length: number): void {
    const base = (BigInt(page.frame) << BigInt(PAGE_SHIFT)) + BigInt(offset);
    const first = base & ~7n;
    const slot = base & ~15n;
    this.beforeHpte = [this.machine.mem.read64(slot, false), this.machine.mem.read64(slot + 8n, false)];
    if (this.policy !== 'isa') return;
    this.deferred.delete(cpuId);
    let mine = this.invisible.get(cpuId);
    if (!mine) this.invisible.set(cpuId, (mine = new Map()));
    for (let a = first; a < base + BigInt(length); a += 8n) {
      const prev = mine.get(a);
      if (prev) prev.epoch = this.epochs[cpuId]!;
      else mine.set(a, { old: this.machine.mem.read64(a, false), epoch: this.epochs[cpuId]! });
    }
  }

  after(cpuId: number, page: PhysPage, offset: number, length: number): void {
    const slot = ((BigInt(page.frame) << BigInt(PAGE_SHIFT)) + BigInt(offset)) & ~15n;
    const o = offset & 15;
    if (this.machine.mem.read64(slot, false) & 1n) this.hashed.add(slot);
    else this.hashed.delete(slot);
    this.events.emit({
      type: 'hpt-store',
      cpu: cpuId,
      slot,
      dwords: (o < 8 ? 1 : 0) | (o + length > 8 ? 2 : 0),
      oldDw0: this.beforeHpte[0]!,
      oldDw1: this.beforeHpte[1]!,
      newDw0: this.machine.mem.read64(slot, false),
      newDw1: this.machine.mem.read64(slot + 8n, false),
    });
    // Any CPU's cached translations of this page-table data may now be stale in its soft TLB
    // only where a walk would differ; the architectural TLB is untouched (that is the point).
  }

  /** Translations loaded into the CPUs' TLBs so far (walk fills and speculative loads). */
  fills(): number {
    return this.per.reduce((n, st) => n + st.tlb.fillCount, 0);
  }

  // ---------------------------------------------------------------- translation

  translate(cpu: Cpu, hi: number, pageLo: number, access: Access): PhysPage | Fault {
    const ea = (BigInt(hi >>> 0) << 32n) | BigInt(pageLo >>> 0);
    const st = this.per[cpu.id]!;
    const seg = st.slb.find(ea);
    if (!seg) {
      return {
        kind: 'segment',
        access,
        hi,
        lo: pageLo,
        vector: access === Access.Exec ? VEC.ISEG : VEC.DSEG,
      };
    }
    const va = this.va(seg, ea);
    let entry = st.tlb.lookup(va, seg.ssize);
    if (!entry) {
      const found = this.walk(cpu, seg, ea, va);
      if (!found) return this.fault(access, hi, pageLo, 'no-pte');
      entry = this.fill(cpu, seg, ea, va, found, false);
    }
    // Protection and no-execute (Book III 5.7.9): key from the SLB by MSR[PR].
    const key = (cpu.msrLo & MSR_PR) !== 0 ? seg.kp : seg.ks;
    const [r, w] = protection(key, entry.pp);
    if (access === Access.Exec && (entry.noExec || seg.noExec)) return this.fault(access, hi, pageLo, 'no-exec');
    if ((access === Access.Write && !w) || (access !== Access.Write && !r)) return this.fault(access, hi, pageLo, 'protection');
    // Reference and change recording (Book III 5.7.8): C must be set in the PTE before a store
    // through this translation; hardware does it with a byte store to doubleword 1.
    if (access === Access.Write && !entry.changed) {
      this.setRC(entry.slot, HPTE_R_R | HPTE_R_C);
      entry = st.tlb.setChanged(entry);
    }
    this.remember(st, ea);
    const ra = entry.ra + (ea & ((1n << BigInt(entry.actualShift)) - 1n));
    const page = this.machine.mem.page(ra);
    if (!page) return { kind: 'beyond-storage', access, hi, lo: pageLo, vector: VEC.MCHECK };
    if (this.events.active) this.events.emit({
      type: 'tlb-use',
      cpu: cpu.id,
      ea,
      ra,
      slot: entry.slot,
      access: access === Access.Read ? 'load' : access === Access.Write ? 'store' : 'fetch',
    });
    return page;
  }

  private va(seg: SlbEntry, ea: bigint): bigint {
    return virtualAddress(seg.vsid, ea, seg.ssize);
  }

  private fault(access: Access, hi: number, lo: number, why: 'no-pte' | 'protection' | 'no-exec'): Fault {
    if (access === Access.Exec) {
      const srr1 = why === 'no-pte' ? SRR1_ISI_NOPTE : why === 'no-exec' ? SRR1_ISI_NOEXEC : SRR1_ISI_PROT;
      return { kind: why === 'no-pte' ? 'no-pte' : 'protection', access, hi, lo, vector: VEC.ISI, srr1 };
    }
    const dsisr = (why === 'no-pte' ? DSISR_NOPTE : DSISR_PROT) | (access === Access.Write ? DSISR_STORE : 0);
    return { kind: why === 'no-pte' ? 'no-pte' : 'protection', access, hi, lo, vector: VEC.DSI, dsisr };
  }

  /** Searches the primary then the secondary PTEG (Book III 5.7.7.3). */
  private walk(cpu: Cpu, seg: SlbEntry, ea: bigint, va: bigint): { slot: bigint; dw0: bigint; dw1: bigint; shift: number } | null {
    const loc = this.location(cpu);
    if (!loc) return null;
    this.watchTable(loc);
    const h = primaryHash(seg.vsid, ea, seg.ssize, seg.baseShift);
    for (const secondary of [false, true]) {
      const pteg = ptegAddress(loc, secondary ? secondaryHash(h) : h);
      for (let i = 0n; i < 8n; i++) {
        const slot = pteg + i * HPTE_BYTES;
        const dw0 = this.readDw(cpu, slot);
        if ((dw0 & HPTE_V_VALID) === 0n) continue; // not valid (Book III 5.7.7.2): cannot match, dw1 unread
        const dw1 = this.readDw(cpu, slot + 8n);
        const m = pteMatchesVa(dw0, dw1, this.machine.model.hpteLayout, va, seg.ssize, seg.baseShift, secondary);
        if (m !== null) return { slot, dw0, dw1, shift: m.actual };
      }
    }
    return null;
  }

  private fill(cpu: Cpu, seg: SlbEntry, ea: bigint, va: bigint, f: { slot: bigint; dw0: bigint; dw1: bigint; shift: number }, speculative: boolean): TlbEntry {
    const pte = decodeHpte(f.dw0, f.dw1, this.machine.model.hpteLayout);
    if (!speculative && !pte.r) this.setRC(f.slot, HPTE_R_R);
    const entry = this.per[cpu.id]!.tlb.insert({
      vpn: va >> BigInt(f.shift),
      actualShift: f.shift,
      baseShift: seg.baseShift,
      ssize: seg.ssize,
      ra: hpteRealPageAddress(pte, f.shift),
      pp: hptePpp(pte),
      // No-execute: N, or guarded storage (Book III 5.7.9.3).
      noExec: pte.n || (BigInt(pte.wimg) & HPTE_R_G) !== 0n,
      changed: pte.c,
      slot: f.slot,
      speculative,
    });
    if (this.events.active) this.events.emit({
      type: 'tlb-fill',
      cpu: cpu.id,
      ea: ea & ~((1n << BigInt(f.shift)) - 1n),
      va: va & ~((1n << BigInt(f.shift)) - 1n),
      ra: entry.ra,
      slot: f.slot,
      dw0: f.dw0,
      dw1: f.dw1,
      speculative,
    });
    return entry;
  }

  /** R/C update: single-byte stores into doubleword 1 (bytes 6 and 7, big-endian table). */
  private setRC(slot: bigint, bits: bigint): void {
    const dw1 = slot + 8n;
    const cur = this.machine.mem.read(dw1 + 6n, 2)!;
    const v = (BigInt(cur[0]!) << 8n) | BigInt(cur[1]!) | bits;
    this.machine.mem.write(dw1 + 6n, new Uint8Array([Number((v >> 8n) & 0xffn), Number(v & 0xffn)]));
  }

  private remember(st: CpuMmu, ea: bigint): void {
    if (!this.speculate) return;
    const page = ea & ~BigInt(PAGE_MASK);
    if (st.history.includes(page)) return;
    st.history.push(page);
    if (st.history.length > HISTORY) st.history.shift();
  }

  /**
   * A speculative TLB load (Book III 5.7.5: an implementation may load any translation the
   * SLB and the visible page table allow, at any time): before a quantum, with probability
   * speculateRate, load one of them — a page this CPU has used before, or any 4 KiB page with
   * a valid PTE (as this CPU's walk sees the table) in a segment of its SLB, used or not.
   */
  tick(cpu: Cpu, random: () => number): void {
    if (this.deferred.delete(cpu.id)) this.makeVisible(cpu);
    if (!this.speculate || random() >= this.speculateRate) return;
    const candidates = [...this.per[cpu.id]!.history, ...this.hashedEas(cpu)];
    if (candidates.length === 0) return;
    this.speculativeLoad(cpu, candidates[Math.floor(random() * candidates.length)]!);
  }

  /** EAs of the valid 4 KiB PTEs CPUs have stored that this CPU's SLB and view of the table allow it to load. */
  hashedEas(cpu: Cpu): bigint[] {
    const loc = this.location(cpu);
    if (!loc || this.hashed.size === 0) return [];
    const segs = this.per[cpu.id]!.slb.entries.filter((e): e is SlbEntry => e !== null && e.valid);
    const out: bigint[] = [];
    for (const slot of this.hashed) {
      const dw0 = this.readDw(cpu, slot);
      if ((dw0 & 1n) === 0n) continue;
      const dw1 = this.readDw(cpu, slot + 8n);
      for (const seg of segs) {
        const ea = eaOfHpte(slot, dw0, dw1, this.machine.model.hpteLayout, loc, seg);
        if (ea !== null) out.push(ea);
      }
    }
    return out;
  }

  /**
   * Loads the translation of `ea` into `cpu`'s TLB as a speculative load would (Book III
   * 5.7.5): only when the SLB translates it, the TLB does not hold it yet, and the page table
   * as this CPU's walk sees it has a matching PTE. Returns whether it loaded one.
   */
  speculativeLoad(cpu: Cpu, ea: bigint): boolean {
    const t = this.loadable(cpu, ea);
    if (!t) return false;
    this.fill(cpu, t.seg, ea, t.va, t.found, true);
    cpu.flushSoftTlb();
    return true;
  }

  /** The translation of `ea` a table walk by `cpu` would find now (SLB, then the table as this CPU sees it), or null. */
  walkEa(cpu: Cpu, ea: bigint): { slot: bigint; ra: bigint; shift: number } | null {
    const seg = this.per[cpu.id]!.slb.find(ea);
    if (!seg) return null;
    const found = this.walk(cpu, seg, ea, this.va(seg, ea));
    if (!found) return null;
    const pte = decodeHpte(found.dw0, found.dw1, this.machine.model.hpteLayout);
    return { slot: found.slot, ra: hpteRealPageAddress(pte, found.shift), shift: found.shift };
  }

  /**
   * How `cpu` would translate `ea` now, without filling the TLB or setting R/C: the SLB entry,
   * then the TLB entry if there is one (Book III 5.7.6: a translation in the TLB is used as
   * it is), else what the table walk would find. For the debugger's `translate` and `x`.
   */
  probe(cpu: Cpu, ea: bigint): TranslationProbe {
    const st = this.per[cpu.id]!;
    const seg = st.slb.find(ea);
    if (!seg) return { segment: null, tlb: null, walk: null, ra: null };
    const va = this.va(seg, ea);
    const e = st.tlb.lookup(va, seg.ssize);
    const tlb = e ? { ra: e.ra, shift: e.actualShift } : null;
    const walk = this.walkEa(cpu, ea);
    const use = tlb ?? walk;
    const ra = use ? use.ra + (ea & ((1n << BigInt(use.shift)) - 1n)) : null;
    return { segment: { esid: seg.esid, vsid: seg.vsid, ssize: seg.ssize, va }, tlb, walk, ra };
  }

  /** Whether speculativeLoad(cpu, ea) would load something now (no side effects). */
  canSpeculate(cpu: Cpu, ea: bigint): boolean {
    return this.loadable(cpu, ea) !== null;
  }

  /** What a speculative load of `ea` on `cpu` would load: SLB entry, VA and the PTE found, or null. */
  private loadable(cpu: Cpu, ea: bigint): { seg: SlbEntry; va: bigint; found: NonNullable<ReturnType<HashMmu['walk']>> } | null {
    const st = this.per[cpu.id]!;
    const seg = st.slb.find(ea);
    if (!seg) return null;
    const va = this.va(seg, ea);
    if (st.tlb.lookup(va, seg.ssize)) return null;
    const found = this.walk(cpu, seg, ea, va);
    return found ? { seg, va, found } : null;
  }

  // ---------------------------------------------------------------- early effects (manual)

  /**
   * Completes pending invalidation `id` on CPU `target` before it must complete: an
   * invalidation may take effect on any CPU at any time between its issue and the completion
   * point (Book III 5.10.1: guaranteed only after the issuer's tlbsync and ptesync).
   */
  completeOn(id: number, target: number): void {
    const index = this.pending.findIndex((p) => p.id === id);
    const p = this.pending[index];
    if (!p || !p.targets.has(target)) throw new Error(`internal: no pending invalidation ${id} for cpu ${target}`);
    const left = this.apply(p, [target]);
    if (left.targets.size === 0) this.pending.splice(index, 1);
    else this.pending[index] = left;
  }

  /**
   * Page-table doublewords of `cpu` that may become visible to other CPUs next: the oldest
   * ordering epoch's (stores ordered by eieio/lwsync/hwsync are performed in order, Book II
   * 1.7.1; a store may be seen by other CPUs' table walks before the storer's ptesync, Book III
   * 5.10.1).
   */
  publishable(cpuId: number): bigint[] {
    const mine = this.invisible.get(cpuId);
    if (!mine || mine.size === 0) return [];
    let min = Infinity;
    for (const s of mine.values()) min = Math.min(min, s.epoch);
    return [...mine].filter(([, s]) => s.epoch === min).map(([ra]) => ra);
  }

  /** Page-table stores other CPUs' table walks cannot see yet, by storing CPU (for the debugger). */
  invisibleStores(): Array<{ cpu: number; ra: bigint; epoch: number }> {
    const out: Array<{ cpu: number; ra: bigint; epoch: number }> = [];
    for (const [cpu, m] of this.invisible) for (const [ra, s] of m) out.push({ cpu, ra, epoch: s.epoch });
    return out.sort((a, b) => a.cpu - b.cpu || (a.ra < b.ra ? -1 : 1));
  }

  /** Makes one invisible page-table store of `cpu` visible to every table walk. */
  publish(cpuId: number, ra: bigint): void {
    const mine = this.invisible.get(cpuId);
    if (!mine?.delete(ra)) throw new Error(`internal: no invisible store at 0x${ra.toString(16)} by cpu ${cpuId}`);
    this.events.emit({ type: 'hpt-visible', cpu: cpuId, stores: 1 });
  }

  /**
   * The translation state as a canonical string, for the explorer's visited-state set: every
   * CPU's TLB and SLB, pending invalidations, invisible stores (epochs relative to the oldest).
   */
  stateKey(): string {
    const parts: string[] = [];
    this.per.forEach((st, id) => {
      parts.push(`T${id}`, st.tlb.key(), `S${id}`, st.slb.key());
    });
    for (const p of this.pending) parts.push(pendingKey(p));
    for (const [cpu, mine] of [...this.invisible].sort((a, b) => a[0] - b[0])) {
      if (mine.size === 0) continue;
      let min = Infinity;
      for (const s of mine.values()) min = Math.min(min, s.epoch);
      const list = [...mine].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([ra, s]) => `${ra.toString(16)}=${s.old.toString(16)}^${s.epoch - min}`);
      parts.push(`I${cpu}:${list.join(',')}`);
    }
    return parts.join(' ');
  }

  // ---------------------------------------------------------------- storage control

  exec(cpu: Cpu, op: Op, v0: number, v1: number, _v2: number, _v3: number, _v4: number): void {
    const st = this.per[cpu.id]!;
    const reg = (n: number) => cpu.getGpr(n);
    switch (op) {
      case Op.slbmte: {
        const index = st.slb.slbmte(reg(v0), reg(v1));
        this.events.emit({ type: 'slb-change', cpu: cpu.id, op: 'slbmte', index, esid: st.slb.entries[index]!.esid });
        cpu.flushSoftTlb();
        return;
      }
      case Op.slbmfee:
        cpu.setGpr(v0, st.slb.slbmfee(reg(v1)));
        return;
      case Op.slbmfev:
        cpu.setGpr(v0, st.slb.slbmfev(reg(v1)));
        return;
      case Op.slbie: {
        const index = st.slb.slbie(reg(v0), this.policy === 'isa');
        this.events.emit({ type: 'slb-change', cpu: cpu.id, op: 'slbie', index, esid: null });
        cpu.flushSoftTlb();
        return;
      }
      case Op.slbia:
        st.slb.slbia(v0);
        this.events.emit({ type: 'slb-change', cpu: cpu.id, op: 'slbia', index: null, esid: null });
        cpu.flushSoftTlb();
        return;
      case Op.tlbie:
      case Op.tlbiel:
        this.invalidate(cpu, op === Op.tlbie ? 'tlbie' : 'tlbiel', reg(v0));
        return;
      case Op.tlbsync:
        // tlbsync (Book III 5.9.3.3): the issuer's earlier tlbie are complete on all other
        // CPUs once a following ptesync completes.
        this.pending.forEach((p, k) => p.issuer === cpu.id && p.op === 'tlbie' && !p.tlbsynced && (this.pending[k] = { ...p, tlbsynced: true }));
        this.events.emit({ type: 'sync', cpu: cpu.id, op: 'tlbsync' });
        return;
      default:
        throw new Error(`internal: MMU asked to execute op ${op}`);
    }
  }

  private invalidate(cpu: Cpu, op: 'tlbie' | 'tlbiel', rb: bigint): void {
    const d = decodeRb(rb, op);
    const targets = op === 'tlbie' ? this.machine.cpus.map((c) => c.id) : [cpu.id];
    // Page-table stores of the issuer not yet made visible by a ptesync are not ordered
    // before this invalidation (Book III 5.10.1 requires ptesync between them).
    const unordered = (this.invisible.get(cpu.id)?.size ?? 0) > 0;
    const p: PendingInvalidation = { id: this.issued++, issuer: cpu.id, op, rb: d, targets: new Set(targets), tlbsynced: false, unordered };
    if (this.policy === 'eager') {
      this.apply(p, targets);
      return;
    }
    for (const t of targets) {
      this.events.emit({ type: 'tlb-invalidate', cpu: t, by: cpu.id, cause: op, state: 'pending', va: d.va, entries: 0 });
    }
    this.pending.push(p);
  }

  /** Applies an invalidation to some of its target CPUs' TLBs; what is left of it. */
  private apply(p: PendingInvalidation, cpus: Iterable<number>): PendingInvalidation {
    const left = new Set(p.targets);
    for (const t of cpus) {
      const tlb = this.per[t]!.tlb;
      // Scopes (tlbie-rb.ts tlbInvalidateScope): by VA; one congruence class (tlbiel IS=2/3);
      // everything of the partition (tlbie IS=2/3, one partition here); PID (radix only: none).
      const scope = p.rb.scope;
      let n = 0;
      if (scope === 'va') n = tlb.invalidate(p.rb.matches);
      else if (scope === 'set-lpid' || scope === 'set-all') n = tlb.invalidateSet(p.rb.rb.set);
      else if (scope === 'lpid' || scope === 'all') n = tlb.invalidateAll();
      left.delete(t);
      this.machine.cpus[t]!.flushSoftTlb();
      this.events.emit({ type: 'tlb-invalidate', cpu: t, by: p.issuer, cause: p.op, state: 'completed', va: p.rb.va, entries: n });
    }
    return left.size === p.targets.size ? p : { ...p, targets: left };
  }

  private makeVisible(cpu: Cpu): void {
    const mine = this.invisible.get(cpu.id);
    if (mine && mine.size > 0) {
      this.events.emit({ type: 'hpt-visible', cpu: cpu.id, stores: mine.size });
      mine.clear();
    }
  }

  barrier(cpu: Cpu, op: Op, l: number): void {
    let deferVisibility = false;
    if (op === Op.sync && l === 2) {
      // ptesync completes the issuer's tlbiel and its own part of tlbie; after tlbsync it also
      // completes the tlbie on every other CPU (Book III 5.10.1).
      this.pending.forEach((p, k) => {
        if (p.issuer !== cpu.id) return;
        const remote = p.tlbsynced ? [...p.targets] : p.targets.has(cpu.id) ? [cpu.id] : [];
        if (remote.length > 0 && p.unordered) deferVisibility = true;
        if (remote.length > 0) this.pending[k] = this.apply(p, remote);
      });
      for (let k = this.pending.length - 1; k >= 0; k--) if (this.pending[k]!.targets.size === 0) this.pending.splice(k, 1);
    }
    // eieio, lwsync and hwsync order this CPU's earlier stores before its later ones.
    if (op === Op.eieio || op === Op.sync) this.epochs[cpu.id]!++;
    if (op === Op.sync && (l === 0 || l === 2)) {
      // Page-table stores of this CPU become visible to all table walks (Book III 5.10.1) —
      // but when they were not ordered before an invalidation this ptesync completes, the ISA
      // lets the invalidation take effect first: the stores become visible only when this CPU
      // next runs, and its turn ends here, so other CPUs can walk the old entries in between.
      if (this.policy === 'isa' && deferVisibility && !this.manual) {
        this.deferred.add(cpu.id);
        cpu.yieldRequested = true;
      } else this.makeVisible(cpu);
    }
    const name = op === Op.eieio ? 'eieio' : op === Op.isync ? 'isync' : l === 2 ? 'ptesync' : l === 1 ? 'lwsync' : 'hwsync';
    this.events.emit({ type: 'sync', cpu: cpu.id, op: name });
  }

  /** Everything this MMU holds, for the validator's explorer to come back to. */
  snapshot(): MmuSnapshot {
    return {
      per: this.per.map((st) => ({ slb: st.slb.snapshot(), tlb: st.tlb.snapshot(), history: [...st.history] })),
      pending: [...this.pending], // immutable entries: shared
      issued: this.issued,
      invisible: new Map([...this.invisible].map(([c, m]) => [c, new Map([...m].map(([ra, st]) => [ra, { ...st }]))])),
      deferred: new Set(this.deferred),
      epochs: [...this.epochs],
      hashed: new Set(this.hashed),
    };
  }

  restore(s: MmuSnapshot): void {
    s.per.forEach((x, i) => {
      const st = this.per[i]!;
      st.slb.restore(x.slb);
      st.tlb.restore(x.tlb);
      st.history = [...x.history];
    });
    this.pending.splice(0, this.pending.length, ...s.pending);
    this.issued = s.issued;
    this.invisible.clear();
    for (const [c, m] of s.invisible) this.invisible.set(c, new Map([...m].map(([ra, st]) => [ra, { ...st }])));
    this.deferred.clear();
    for (const c of s.deferred) this.deferred.add(c);
    s.epochs.forEach((e, i) => (this.epochs[i] = e));
    this.hashed.clear();
    for (const x of s.hashed) this.hashed.add(x);
    for (const c of this.machine.cpus) c.flushSoftTlb();
  }

  /** Invalidations issued but not complete everywhere (for views and the validator). */
  pendingInvalidations(): readonly PendingInvalidation[] {
    return this.pending;
  }

  // ---------------------------------------------------------------- debugger views

  view(name: string, cpu: Cpu, arg: string | undefined): string {
    if (name === 'tlb') return renderTlb(cpu.id, this.tlb(cpu).entries(), this.pending);
    if (name === 'slb') return renderSlb(cpu.id, this.slb(cpu));
    if (name === 'pending') return renderPending(this.pending, this.invisibleStores());
    return renderHpt(this, cpu, arg);
  }

  /** The PTEs at these slots as `cpu`'s table walk would read them. */
  hptSlots(cpu: Cpu, slots: bigint[]): Array<{ slot: bigint; dw0: bigint; dw1: bigint }> {
    return slots.map((slot) => ({ slot, dw0: this.readDw(cpu, slot), dw1: this.readDw(cpu, slot + 8n) }));
  }

  /** Valid PTEs of the table as `cpu` sees it, or those of the PTEGs `ea` hashes to. */
  hptEntries(cpu: Cpu, ea: bigint | null): Array<{ slot: bigint; dw0: bigint; dw1: bigint }> {
    const loc = this.location(cpu);
    if (!loc) return [];
    const out: Array<{ slot: bigint; dw0: bigint; dw1: bigint }> = [];
    const scan = (pteg: bigint) => {
      for (let i = 0n; i < 8n; i++) {
        const slot = pteg + i * HPTE_BYTES;
        const dw0 = this.readDw(cpu, slot);
        if (ea !== null || dw0 & 1n) out.push({ slot, dw0, dw1: this.readDw(cpu, slot + 8n) });
      }
    };
    if (ea !== null) {
      const seg = this.per[cpu.id]!.slb.find(ea);
      if (!seg) return [];
      const h = primaryHash(seg.vsid, ea, seg.ssize, seg.baseShift);
      scan(ptegAddress(loc, h));
      scan(ptegAddress(loc, secondaryHash(h)));
    } else for (let g = 0n; g < loc.ptegs; g++) scan(loc.htaborg + g * 128n);
    return out;
  }
}
