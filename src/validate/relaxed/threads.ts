// A validation fixture's CPUs as threads of the memory model (memory-model/thread-runs.ts):
// every run of each CPU's code for every value its loads may return and every translation its
// accesses through `.page` mappings may use. Accesses through the kernel linear mapping are
// to real storage at EA - LINEAR (world-layout.ts: bolted, never changed by a fixture); an
// access through any other EA is to one of the real pages some valid PTE the program or the
// initial table holds could map it to, or takes an interrupt; which of those the MMU really
// gives at the time the access is performed is the schedule's business (schedule.ts). Each
// real location is a naturally aligned access of one size; its initial value is the world's.

import type { Cpu } from '../../cpu/cpu.js';
import { InputError } from '../../errors.js';
import { effectsOf } from '../../isa/effects.js';
import { Op } from '../../isa/ops.js';
import type { InsnDef } from '../../isa/table.js';
import { ptegAddress, primaryHash, pteMatchesVa, secondaryHash, va as virtualAddress } from '../../mmu/hash.js';
import { decodeHpte, HPTE_BYTES, HPTES_PER_GROUP, hpteRealPageAddress, PTEG_BYTES } from '../../mmu/hpte.js';
import { hptePageSizes } from '../../mmu/page-sizes.js';
import { DEFAULT_BOUNDS, threadRuns, type RunEnv, type ThreadRuns } from '../../memory-model/thread-runs.js';
import { widenDomains } from '../../memory-model/widen.js';
import type { Fixture, FixtureCpu, FixtureMark } from '../fixture.js';
import type { World } from '../world.js';
import { tableMove } from '../session.js';
import { HTAB, LINEAR, MEMORY_SIZE } from '../world-layout.js';
import { hex } from '../../hex.js';

/** An access's placement: its EA, the real address it uses, whether through a `.page` translation. */
export interface AccessPayload {
  readonly kind: 'access';
  readonly ea: bigint;
  readonly ra: bigint;
  readonly write: boolean;
  readonly translated: boolean;
  readonly line: number;
}

/** An MMU instruction (tlbie, tlbiel, tlbsync, slbie, slbia, slbmte), with the values of the GPRs it reads. */
export interface SysPayload {
  readonly kind: 'sys';
  readonly def: InsnDef;
  readonly word: number;
  readonly gprs: ReadonlyMap<number, bigint>;
  readonly line: number;
}

/** A fixture mark reached by the run; for `expect`, the register's value there. */
export interface MarkPayload {
  readonly kind: 'mark';
  readonly mark: FixtureMark;
  readonly actual: bigint | null;
}

/** An access through a translation that takes an interrupt: the CPU stops. */
export interface FaultPayload {
  readonly kind: 'fault';
  readonly ea: bigint;
  readonly write: boolean;
  readonly line: number;
}

export type Payload = AccessPayload | SysPayload | MarkPayload | FaultPayload;

/** The real locations the runs use, their initial values and the values their reads may see. */
export class RealLocations {
  readonly ra: bigint[] = [];
  readonly names: string[] = [];
  readonly sizes: number[] = [];
  readonly init: bigint[] = [];
  readonly domains: bigint[][] = [];
  private readonly at = new Map<bigint, number>();

  constructor(
    private readonly world: World,
    private readonly fileName: string,
  ) {}

  /** The location of a `size`-byte access at real address `ra` (created on first use). */
  locate(ra: bigint, size: number, line: number): number {
    const known = this.at.get(ra);
    if (known !== undefined && this.sizes[known] === size) return known;
    const overlap = this.ra.findIndex((r, l) => r < ra + BigInt(size) && ra < r + BigInt(this.sizes[l]!));
    if (overlap >= 0) {
      throw new InputError(
        `${this.fileName}:${line}: ${size}-byte access to real address ${hex(ra)} overlaps the ${this.sizes[overlap]}-byte location at ${hex(this.ra[overlap]!)}: mixed-size accesses are not modelled by the Power model (use --model sc)`,
      );
    }
    const bytes = this.world.machine.readReal(ra, size) ?? new Uint8Array(size);
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    const l = this.ra.length;
    this.ra.push(ra);
    this.names.push(hex(ra));
    this.sizes.push(size);
    this.init.push(v);
    this.domains.push([v]);
    this.at.set(ra, l);
    return l;
  }

  /** The values the dw0/dw1 doubleword at `ra` may hold: its domain, or the initial table's word. */
  words(ra: bigint): readonly bigint[] {
    const l = this.at.get(ra);
    if (l !== undefined && this.sizes[l] === 8) return this.domains[l]!;
    const bytes = this.world.machine.readReal(ra, 8) ?? new Uint8Array(8);
    let v = 0n;
    for (const b of bytes) v = (v << 8n) | BigInt(b);
    return [v];
  }
}

/** Is `ra` in the hashed page table? */
export function inHtab(ra: bigint): boolean {
  return ra >= HTAB.htaborg && ra < HTAB.htaborg + HTAB.ptegs * PTEG_BYTES;
}

/** MMU instructions a run records for the schedule to execute (they change no register). */
const SCHEDULED_SYSTEM = new Set<Op>([Op.tlbie, Op.tlbiel, Op.tlbsync, Op.slbie, Op.slbia, Op.slbmte]);

/**
 * The real pages an access at `ea` by `cpu` may be translated to: each valid PTE matching its
 * VA (Book III 5.7.7.3, hash.ts pteMatchesVa) that the words the program stores, or the
 * initial table holds, may form in the slots of its primary and secondary PTEGs. The VA is the
 * CPU's initial SLB's; when some CPU's code writes SLB entries (slbmte), any valid PTE the
 * program's words form in any slot counts. A superset either way: the schedule keeps only what
 * the MMU really gives when the access is performed.
 */
function candidateRas(fixture: Fixture, world: World, locs: RealLocations, cpuId: number, ea: bigint, slbChanges: boolean): bigint[] {
  const layout = fixture.runModel.hpteLayout;
  const out = new Set<bigint>();
  const add = (slot: bigint, match: (dw0: bigint, dw1: bigint) => number | null) => {
    for (const dw0 of locs.words(slot)) {
      if ((dw0 & 1n) === 0n) continue;
      for (const dw1 of locs.words(slot + 8n)) {
        const shift = match(dw0, dw1);
        if (shift === null) continue;
        const ra = hpteRealPageAddress(decodeHpte(dw0, dw1, layout), shift) + (ea & ((1n << BigInt(shift)) - 1n));
        if (ra < MEMORY_SIZE) out.add(ra);
      }
    }
  };
  if (slbChanges) {
    const slots = new Set<bigint>(fixture.pages.map((p) => p.slot));
    locs.ra.forEach((ra) => inHtab(ra) && slots.add(ra & ~15n));
    for (const slot of slots) {
      add(slot, (dw0, dw1) => {
        const f = decodeHpte(dw0, dw1, layout);
        return hptePageSizes(f.l, f.lp)?.actual ?? null;
      });
    }
  } else {
    const seg = world.mmu.slb(world.machine.cpus[cpuId]!).find(ea);
    if (!seg) return [];
    const v = virtualAddress(seg.vsid, ea, seg.ssize);
    const h = primaryHash(seg.vsid, ea, seg.ssize, seg.baseShift);
    for (const secondary of [false, true]) {
      const pteg = ptegAddress(HTAB, secondary ? secondaryHash(h) : h);
      for (let i = 0n; i < HPTES_PER_GROUP; i++) {
        add(pteg + i * HPTE_BYTES, (dw0, dw1) => pteMatchesVa(dw0, dw1, layout, v, seg.ssize, seg.baseShift, secondary)?.actual ?? null);
      }
    }
  }
  return [...out].sort((a, b) => (a < b ? -1 : 1));
}

function env(fixture: Fixture, world: World, fc: FixtureCpu, locs: RealLocations, slbChanges: boolean): RunEnv {
  const lineOf = (word: number) => fc.insns[indexOfWord.get(word) ?? -1]?.line ?? fc.line;
  const marksAt = new Map<number, FixtureMark[]>();
  for (const m of fc.marks) marksAt.set(m.index, [...(marksAt.get(m.index) ?? []), m]);
  // Marks are keyed by instruction index; the run reports points by word index.
  const indexOfWord = new Map(fc.insns.map((x, i) => [Number(x.addr / 4n), i]));
  const end = Number(fc.codeEnd / 4n);
  let current = 0; // the word the run is at (point() is called before each), for messages
  return {
    locate(ea, size, write, pick) {
      const line = lineOf(current);
      if (ea >> 60n === LINEAR >> 60n) {
        const ra = ea - LINEAR;
        if (ra + BigInt(size) > MEMORY_SIZE) return { fault: { kind: 'fault', ea, write, line } satisfies FaultPayload };
        const payload: AccessPayload = { kind: 'access', ea, ra, write, translated: false, line };
        return { loc: locs.locate(ra, size, line), payload };
      }
      const ras = candidateRas(fixture, world, locs, fc.id, ea, slbChanges);
      const k = pick(ras.length + 1);
      if (k === ras.length) return { fault: { kind: 'fault', ea, write, line } satisfies FaultPayload };
      const ra = ras[k]!;
      const payload: AccessPayload = { kind: 'access', ea, ra, write, translated: true, line };
      return { loc: locs.locate(ra, size, line), payload, observable: true };
    },
    system(k, def, word, cpu: Cpu) {
      if (!SCHEDULED_SYSTEM.has(def.op)) {
        const what = effectsOf(def, word).unsupported ?? def.name;
        throw new InputError(`${fixture.fileName}:${lineOf(k)}:1: ${what} is not modelled under --model power (--model sc explores it with sequentially consistent accesses)`);
      }
      const gprs = new Map<number, bigint>();
      for (const r of effectsOf(def, word).gprRead) gprs.set(r, cpu.getGpr(r));
      return { kind: 'sys', def, word, gprs, line: lineOf(k) } satisfies SysPayload;
    },
    pointReads(k) {
      const index = k === end ? fc.insns.length : indexOfWord.get(k);
      return index === undefined ? [] : (marksAt.get(index) ?? []).flatMap((mark) => (mark.expect ? [mark.expect.reg] : []));
    },
    point(k, cpu, from) {
      current = k;
      const index = k === end ? fc.insns.length : indexOfWord.get(k);
      if (index === undefined) return [];
      // A mark after an instruction is passed only by going on from that instruction.
      const fromIndex = from < 0 ? -1 : (indexOfWord.get(from) ?? -2);
      return (marksAt.get(index) ?? []).filter((mark) => mark.after === undefined || mark.after === fromIndex).map((mark): MarkPayload => ({ kind: 'mark', mark, actual: mark.expect ? cpu.getGpr(mark.expect.reg) : null }));
    },
  };
}

export interface FixtureRuns {
  /** Runs of each fixture CPU, in fixture.cpus order. */
  readonly runs: readonly ThreadRuns[];
  readonly locations: RealLocations;
}

/** Every run of every CPU of `fixture` on `world`'s initial storage, the read domains widened to a fixpoint. */
export function fixtureRuns(fixture: Fixture, world: World): FixtureRuns {
  const locs = new RealLocations(world, fixture.fileName);
  for (const fc of fixture.cpus) {
    for (const x of fc.insns) {
      const moves = tableMove(fixture, fc.id, x);
      if (moves) throw moves;
    }
  }
  const programs = fixture.cpus.map((fc) => {
    const words = new Uint32Array(Number(fc.codeEnd / 4n));
    const dv = new DataView(fc.image.buffer, fc.image.byteOffset, fc.image.byteLength);
    for (let k = 0; k < words.length; k++) words[k] = dv.getUint32(k * 4, false);
    const byAddr = new Map(fc.insns.map((x) => [Number(x.addr / 4n), x.line]));
    const regsInit: bigint[] = new Array<bigint>(32).fill(0n);
    for (const r of fc.regs) regsInit[r.reg] = r.value;
    return {
      fc,
      prog: { thread: fc.id, words, regs: regsInit, where: (k: number) => `${fixture.fileName}:${byAddr.get(k) ?? fc.line}:1` },
    };
  });
  const slbChanges = fixture.cpus.some((c) => c.insns.some((x) => x.def.op === Op.slbmte));
  const runs = widenDomains(
    locs.domains,
    (foreign) => programs.map(({ fc, prog }, t) => threadRuns(prog, locs, locs.domains, DEFAULT_BOUNDS, env(fixture, world, fc, locs, slbChanges), foreign(t))),
    (l, max) => new InputError(`${fixture.fileName}:1:1: real address ${hex(locs.ra[l]!)} takes more than ${max} values`),
  );
  return { runs, locations: locs };
}
