// Dynamic detection (the validator's second layer): while a fixture runs, every translation a
// CPU loads or holds is checked against what the software has declared gone, every PTE a walk
// loads against the PTEs the table really held, and tlbie concurrency against the model's
// LOCKLESS_TLBIE flag. It reads the MMU's event log (src/mmu/events.ts) and the TLBs; it never
// changes translation state.

import type { CpuModel } from '../cpu/models.js';
import type { HashMmu } from '../mmu/hash-mmu.js';
import type { MmuEvent } from '../mmu/events.js';
import { avaCompareMask } from '../mmu/hash.js';
import { decodeHpte, HPTE_BYTES, HPTE_R_C, HPTE_R_R, HPTE_V_SW, HPTES_PER_GROUP, hptePpp, hpteRealPageAddress, PTEG_BYTES } from '../mmu/hpte.js';
import { hptePageSizes, type PageShift } from '../mmu/page-sizes.js';
import type { PlacedPage } from './world-layout.js';
import { hex } from '../hex.js';

export type CheckId = 'D1' | 'D2' | 'D3' | 'D4' | 'D5';

export interface Check {
  readonly id: CheckId;
  readonly title: string;
  readonly source: string;
}

export const CHECKS: readonly Check[] = [
  {
    id: 'D1',
    title: 'no CPU holds or loads a translation after a point that relies on it being gone',
    source: 'Power ISA v3.0B Book III 5.10.1 (a TLB may keep a translation until an invalidation covering it completes)',
  },
  {
    id: 'D2',
    title: "a table walk loads only PTEs whose two doublewords the table held together, and for a .page only a real page it was declared with or the program wrote whole",
    source: 'Power ISA v3.0B Book III 5.10.1.1 (adding a PTE: dw1 must be visible before dw0 sets V); Linux hash_native.c native_hpte_insert()',
  },
  {
    id: 'D3',
    title: 'one tlbie in flight at a time on models without LOCKLESS_TLBIE',
    source: 'Linux hash_native.c tlbie() (native_tlbie_lock when !MMU_FTR_LOCKLESS_TLBIE)',
  },
  {
    id: 'D4',
    title: 'at most one valid PTE translates a virtual page',
    source: 'Power ISA v3.0B Book III 5.7.7 (software must not let two PTEs match one VA); Linux hpte_need_flush() before a PTE is rehashed',
  },
  { id: 'D5', title: "the fixture's assertions hold: # expect, # assert-valid, and .final at the end", source: 'the fixture' },
];

export interface Violation {
  readonly id: CheckId;
  readonly cpu: number;
  readonly message: string;
}

/** A translation taken out of the page table: the slot, its old PTE and real page. */
interface Removed {
  readonly slot: bigint;
  /** The old PTE's abbreviated VA (which virtual page it translated). */
  readonly ava: bigint;
  readonly ra: bigint;
  /** PP0||PP of the old PTE: a protection change removes the old translation too. */
  readonly pp: number;
  readonly by: number;
  /** Who declared it gone, where (for messages). */
  declaredBy?: string;
}

/** What a PTE translates: its virtual page (AVA, segment size, page sizes), real page, protection. */
interface Translation {
  readonly valid: boolean;
  readonly secondary: boolean;
  readonly ava: bigint;
  readonly b: number;
  /** Base and actual page shift ("b/a"), or "?" for an unknown L||LP encoding. */
  readonly sizes: string;
  readonly base: PageShift;
  readonly ra: bigint;
  /** PP0||PP as the TLB keeps it (hpte.ts hptePpp()), with N and the key: any change is a new translation. */
  readonly pp: number;
  readonly prot: string;
}

/** A PTE as the table held it, for D2: without the software bits (lock, bolted) and R and C. */
function heldKey(dw0: bigint, dw1: bigint): string {
  return `${(dw0 & ~HPTE_V_SW).toString(16)}:${(dw1 & ~(HPTE_R_R | HPTE_R_C)).toString(16)}`;
}

/** The doublewords of a slot that are the program's own: stored by a CPU, or initially valid. */
interface Owned {
  readonly dw0: Set<bigint>;
  readonly dw1: Set<bigint>;
}
const ownDw0 = (v: bigint) => v & ~HPTE_V_SW;
const ownDw1 = (v: bigint) => v & ~(HPTE_R_R | HPTE_R_C);
export interface CheckerSnapshot {
  /** The state's version (Checker.touch): equal versions, equal states. */
  readonly version: number;
  readonly violation: Violation | null;
  readonly pairs: ReadonlyMap<bigint, ReadonlySet<string>>;
  readonly removed: ReadonlyMap<number, readonly Removed[]>;
  readonly declared: readonly Removed[];
  readonly inflight: ReadonlyArray<'none' | 'issued' | 'synced'>;
  readonly owned: ReadonlyMap<bigint, Owned>;
  readonly completed: ReadonlyMap<bigint, ReadonlySet<string>>;
}

/** Versions of checker states, as the TLB's (mmu/tlb.ts). */
let checkerClock = 0;

export class Checker {
  violation: Violation | null = null;
  private version = ++checkerClock;
  private lastSnapshot: CheckerSnapshot | null = null;
  private lastKey: [number, string] | null = null;
  private readonly model: CpuModel;
  /** PTE pairs each slot has held (masked), from the initial table and every store. */
  private readonly pairs = new Map<bigint, Set<string>>();
  private readonly removed = new Map<number, Removed[]>();
  private declared: Removed[] = [];
  private readonly inflight: Array<'none' | 'issued' | 'synced'>;
  /** Per slot, doubleword values the program wrote (or the initial table held in a valid PTE). */
  private readonly owned = new Map<bigint, Owned>();
  /**
   * Per slot, the translations (`ava:ra`) it held as a whole valid PTE of the program's: valid
   * in the initial table, or valid with both doublewords the program's own. A walk loading a
   * `.page` translation to any other real page found a PTE made valid before its dw1 was
   * written: a torn or premature insert, whether or not the stores were annotated.
   */
  private readonly completed = new Map<bigint, Set<string>>();

  /**
   * Checks `mmu`'s machine from now on. `pages` are a fixture's `.page` translations (for
   * `assert-gone`); `initialSlots` the HPT slots the initial state wrote, whose contents count
   * as PTEs the table has held. Without them (a `run` or a scenario) every PTE in the table
   * was written by a CPU, which the checker sees.
   */
  constructor(
    private readonly mmu: HashMmu,
    private readonly pages: readonly PlacedPage[] = [],
    initialSlots: readonly bigint[] = [],
  ) {
    this.model = mmu.machine.model;
    const mem = mmu.machine.mem;
    for (const slot of initialSlots) {
      const dw0 = mem.read64(slot, false);
      const dw1 = mem.read64(slot + 8n, false);
      this.pair(slot, dw0, dw1);
      if (this.decode(dw0, dw1).valid) this.own(slot, 3, dw0, dw1);
    }
    this.inflight = mmu.machine.cpus.map(() => 'none');
    mmu.events.on((e) => this.event(e));
  }

  /** The PTE's fields in the model's layout (hpte.ts), with its page sizes and real page. */
  private decode(dw0: bigint, dw1: bigint): Translation {
    const f = decodeHpte(dw0, dw1, this.model.hpteLayout);
    const sizes = hptePageSizes(f.l, f.lp);
    return {
      valid: f.v,
      secondary: f.h,
      ava: f.ava,
      b: f.b,
      sizes: sizes ? `${sizes.base}/${sizes.actual}` : '?',
      base: sizes?.base ?? 12,
      ra: sizes ? hpteRealPageAddress(f, sizes.actual) : -1n,
      pp: hptePpp(f),
      prot: `${hptePpp(f)}:${f.n}:${f.key}`,
    };
  }

  /** The same translation: virtual page, real page and protection (R, C, software bits aside). */
  private static same(a: Translation, b: Translation): boolean {
    return a.ava === b.ava && a.b === b.b && a.sizes === b.sizes && a.ra === b.ra && a.prot === b.prot;
  }

  private pair(slot: bigint, dw0: bigint, dw1: bigint): void {
    let s = this.pairs.get(slot);
    if (!s) this.pairs.set(slot, (s = new Set([heldKey(0n, 0n)])));
    s.add(heldKey(dw0, dw1));
  }

  private own(slot: bigint, dwords: number, dw0: bigint, dw1: bigint): void {
    let o = this.owned.get(slot);
    if (!o) this.owned.set(slot, (o = { dw0: new Set(), dw1: new Set() }));
    if (dwords & 1) o.dw0.add(ownDw0(dw0));
    if (dwords & 2) o.dw1.add(ownDw1(dw1));
    const t = this.decode(dw0, dw1);
    if (t.valid && o.dw0.has(ownDw0(dw0)) && o.dw1.has(ownDw1(dw1))) {
      let c = this.completed.get(slot);
      if (!c) this.completed.set(slot, (c = new Set()));
      c.add(`${t.ava.toString(16)}:${t.ra.toString(16)}`);
    }
  }

  /** D2's second half: a `.page` translated to a real page the program never wrote whole. */
  private premature(e: Extract<MmuEvent, { type: 'tlb-fill' }>, t: Translation): void {
    const p = this.pages.find((x) => e.ea >= x.ea && e.ea < x.ea + (1n << BigInt(x.shift)));
    if (!p || t.ra === p.ra) return;
    if (this.completed.get(e.slot)?.has(`${t.ava.toString(16)}:${t.ra.toString(16)}`)) return;
    this.fail(
      'D2',
      e.cpu,
      `cpu ${e.cpu} ${e.speculative ? 'speculatively loaded' : 'loaded'} EA ${hex(e.ea)} -> RA ${hex(e.ra)} from slot ${hex(e.slot)}: ${p.name} is declared at RA ${hex(p.ra)} and no store made a whole valid PTE with RA ${hex(t.ra)} (dw0 made valid before the matching dw1 was stored: a premature or torn insert)`,
    );
  }

  private fail(id: CheckId, cpu: number, message: string): void {
    if (this.violation) return;
    this.touch();
    this.violation = { id, cpu, message };
  }

  /**
   * Marks the checker's state changed (every mutation calls it first): a new version, so an
   * unchanged checker's snapshot, restore and key are free (the explorer takes one per state).
   */
  private touch(): void {
    this.version = ++checkerClock;
  }

  private event(e: MmuEvent): void {
    switch (e.type) {
      case 'hpt-store':
        return this.hptStore(e);
      case 'tlb-fill': {
        const held = this.pairs.get(e.slot) ?? new Set([heldKey(0n, 0n)]);
        if (!held.has(heldKey(e.dw0, e.dw1))) {
          this.fail('D2', e.cpu, `cpu ${e.cpu} loaded a torn PTE from slot ${hex(e.slot)}: dw0 ${hex(e.dw0)} with dw1 ${hex(e.dw1)}, which the table never held together (EA ${hex(e.ea)} -> RA ${hex(e.ra)})`);
        }
        const t = this.decode(e.dw0, e.dw1);
        this.premature(e, t);
        const d = this.declared.find((r) => r.slot === e.slot && r.ra === e.ra && r.pp === t.pp && r.ava === t.ava);
        if (d) {
          this.fail('D1', e.cpu, `cpu ${e.cpu} ${e.speculative ? 'speculatively loaded' : 'loaded'} EA ${hex(e.ea)} -> RA ${hex(e.ra)} from slot ${hex(e.slot)} after ${d.declaredBy} declared that translation gone`);
        }
        return;
      }
      case 'tlb-invalidate':
        if (e.cause === 'tlbie' && e.state === 'pending' && e.cpu === e.by) {
          if (!this.model.features.LOCKLESS_TLBIE) {
            const other = this.inflight.findIndex((s, c) => c !== e.by && s !== 'none');
            if (other >= 0) {
              this.fail('D3', e.by, `cpu ${e.by} issued tlbie while cpu ${other}'s tlbie was still in flight (not completed by its tlbsync; ptesync), on a model without LOCKLESS_TLBIE`);
            }
          }
          this.touch();
          this.inflight[e.by] = 'issued';
        }
        return;
      case 'sync':
        if (e.op === 'tlbsync' && this.inflight[e.cpu] === 'issued') this.touch(), (this.inflight[e.cpu] = 'synced');
        else if (e.op === 'ptesync' && this.inflight[e.cpu] === 'synced') this.touch(), (this.inflight[e.cpu] = 'none');
        return;
      default:
        return;
    }
  }

  private hptStore(e: Extract<MmuEvent, { type: 'hpt-store' }>): void {
    this.touch();
    this.pair(e.slot, e.newDw0, e.newDw1);
    this.own(e.slot, e.dwords, e.newDw0, e.newDw1);
    const before = this.decode(e.oldDw0, e.oldDw1);
    const after = this.decode(e.newDw0, e.newDw1);
    const same = Checker.same(before, after);
    if (before.valid && !(after.valid && same)) {
      let list = this.removed.get(e.cpu);
      if (!list) this.removed.set(e.cpu, (list = []));
      list.push({ slot: e.slot, ava: before.ava, ra: before.ra, pp: before.pp, by: e.cpu });
    }
    if (after.valid && !(before.valid && same)) {
      // Re-inserting a translation declared gone makes it valid again.
      this.declared = this.declared.filter((r) => !(r.slot === e.slot && r.ra === after.ra && r.pp === after.pp && r.ava === after.ava));
      this.duplicates(e.cpu, e.slot, after);
    }
  }

  /**
   * D4: another valid PTE for the same virtual page — same AVA (as a search compares it for the
   * base page size), segment size and page sizes — in the two PTEGs the VA hashes to, with the
   * H bit that puts it there (Book III 5.7.7.3).
   */
  private duplicates(cpu: number, slot: bigint, t: Translation): void {
    const geom = this.mmu.location(this.mmu.machine.cpus[cpu]!);
    if (!geom) return;
    const group = (slot - geom.htaborg) / PTEG_BYTES;
    const other = ~group & geom.hashMask;
    const mask = avaCompareMask(t.base);
    const mem = this.mmu.machine.mem;
    for (const [g, secondary] of [
      [group, t.secondary],
      [other, !t.secondary],
    ] as const) {
      for (let i = 0n; i < HPTES_PER_GROUP; i++) {
        const s = geom.htaborg + g * PTEG_BYTES + i * HPTE_BYTES;
        if (s === slot) continue;
        const dw0 = mem.read64(s, false);
        const u = this.decode(dw0, mem.read64(s + 8n, false));
        if (!u.valid || u.secondary !== secondary || u.b !== t.b || u.sizes !== t.sizes || (u.ava & mask) !== (t.ava & mask)) continue;
        this.fail('D4', cpu, `cpu ${cpu} made slot ${hex(slot)} valid while slot ${hex(s)} still holds a valid PTE for the same virtual page (dw0 ${hex(dw0)}): two PTEs match one VA`);
        return;
      }
    }
  }

  /**
   * A point where software relies on translations being gone: `relies` (everything `cpu`
   * itself took out of the table so far) or `gone` (the translation of one `.page`). Any CPU
   * still holding one is a violation now; loading one later is a violation then.
   */
  declare(cpu: number, line: number, page: string | null): void {
    this.touch();
    const who = `cpu ${cpu} line ${line}`;
    let fresh: Removed[];
    if (page === null) {
      fresh = (this.removed.get(cpu) ?? []).filter((r) => !this.declared.includes(r));
    } else {
      const p = this.pages.find((x) => x.name === page)!;
      const placed = this.decode(p.dw0, p.dw1);
      fresh = [{ slot: p.slot, ava: placed.ava, ra: p.ra, pp: placed.pp, by: cpu }];
      const mem = this.mmu.machine.mem;
      const cur = this.decode(mem.read64(p.slot, false), mem.read64(p.slot + 8n, false));
      if (cur.valid && cur.ava === placed.ava) {
        this.fail('D1', cpu, `at ${who} (assert-gone ${page}) the PTE of ${page} is still valid in slot ${hex(p.slot)}`);
      }
    }
    for (const r of fresh) {
      r.declaredBy = page === null ? `${who} ('# relies')` : `${who} (assert-gone ${page})`;
      this.declared.push(r);
      for (const c of this.mmu.machine.cpus) {
        const e = this.mmu.tlb(c).entries().find((t) => t.slot === r.slot && t.ra === r.ra && t.pp === r.pp);
        if (e) {
          this.fail('D1', c.id, `at ${r.declaredBy} cpu ${c.id}'s TLB still holds the translation of slot ${hex(r.slot)} -> RA ${hex(r.ra)} (${e.speculative ? 'loaded speculatively' : 'loaded by an access'}): the invalidation has not completed on cpu ${c.id}`);
          return;
        }
      }
    }
  }

  /**
   * D1 for accesses a relaxed schedule performed before a point that precedes them in program
   * order (memory-model ppo lets a load after a flag check without isync run first): `uses`
   * are such accesses of `cpu`, each with the translation it used. Call after declare().
   */
  performedEarly(cpu: number, uses: readonly { slot: bigint; ra: bigint; pp: number; line: number }[]): void {
    for (const u of uses) {
      const d = this.declared.find((r) => r.slot === u.slot && r.ra === u.ra && r.pp === u.pp);
      if (!d) continue;
      this.fail('D1', cpu, `cpu ${cpu}'s access on line ${u.line} comes after ${d.declaredBy} in program order, but was performed before it, through the translation of slot ${hex(u.slot)} -> RA ${hex(u.ra)} declared gone there`);
      return;
    }
  }

  snapshot(): CheckerSnapshot {
    // `violation` is also set from outside (session.ts: D5 assertions and final checks).
    if (this.lastSnapshot?.version === this.version && this.lastSnapshot.violation === this.violation) return this.lastSnapshot;
    return (this.lastSnapshot = {
      version: this.version,
      violation: this.violation,
      pairs: new Map([...this.pairs].map(([k, v]) => [k, new Set(v)])),
      removed: new Map([...this.removed].map(([c, l]) => [c, l.map((r) => ({ ...r }))])),
      declared: this.declared.map((r) => ({ ...r })),
      inflight: [...this.inflight],
      owned: new Map([...this.owned].map(([k, o]) => [k, { dw0: new Set(o.dw0), dw1: new Set(o.dw1) }])),
      completed: new Map([...this.completed].map(([k, v]) => [k, new Set(v)])),
    });
  }

  restore(s: CheckerSnapshot): void {
    this.violation = s.violation;
    if (s.version === this.version) return; // the same state otherwise
    this.version = s.version;
    this.lastSnapshot = s;
    this.violation = s.violation;
    this.pairs.clear();
    for (const [k, v] of s.pairs) this.pairs.set(k, new Set(v));
    this.removed.clear();
    for (const [c, l] of s.removed) this.removed.set(c, l.map((r) => ({ ...r })));
    this.declared = s.declared.map((r) => ({ ...r }));
    s.inflight.forEach((x, i) => (this.inflight[i] = x));
    this.owned.clear();
    for (const [k, o] of s.owned) this.owned.set(k, { dw0: new Set(o.dw0), dw1: new Set(o.dw1) });
    this.completed.clear();
    for (const [k, v] of s.completed) this.completed.set(k, new Set(v));
  }

  /** The checker's own state, for the explorer's visited-state key. */
  key(): string {
    if (this.lastKey?.[0] === this.version) return this.lastKey[1];
    const k = this.computeKey();
    this.lastKey = [this.version, k];
    return k;
  }

  private computeKey(): string {
    const d = this.declared.map((r) => `${r.slot.toString(16)}:${r.ra.toString(16)}`).join(',');
    const rm = [...this.removed].map(([c, l]) => `${c}:${l.map((r) => `${r.slot.toString(16)}/${r.ra.toString(16)}`).join(';')}`).join(',');
    const done = [...this.completed].map(([k, v]) => `${k.toString(16)}:${[...v].join('/')}`).join(',');
    const own = [...this.owned].map(([k, o]) => `${k.toString(16)}:${[...o.dw0].map((x) => x.toString(16)).join('/')}:${[...o.dw1].map((x) => x.toString(16)).join('/')}`).join(',');
    return `${this.inflight.join(',')}|${d}|${rm}|${done}|${own}`;
  }
}
