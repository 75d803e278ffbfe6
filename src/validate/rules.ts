// Static rules over each CPU's straight-line instruction sequence (the first layer of the
// flush-sequence validator). They need no execution: they read the order of page-table
// stores, barriers and invalidations, with the fixture's annotations (fixture.ts) saying which
// stores write the page table, where the tlbie lock is held and where something relies on
// the flushes. Sources: Power ISA v3.0B Book III 5.10 (Page Table Update Synchronization
// Requirements) and Linux arch/powerpc/mm/book3s64/hash_native.c.

import type { CpuModel } from '../cpu/models.js';
import { operandValues } from '../isa/decode.js';
import { Op } from '../isa/ops.js';
import type { Fixture, FixtureCpu, FixtureInsn } from './fixture.js';

export type RuleId = 'R1' | 'R2' | 'R3' | 'R4' | 'R5' | 'R6' | 'R7' | 'R8';
export type Severity = 'error' | 'warning';

export interface Finding {
  readonly id: RuleId;
  readonly severity: Severity;
  readonly cpu: number;
  readonly line: number;
  readonly message: string;
  readonly source: string;
}

export interface Rule {
  readonly id: RuleId;
  readonly severity: Severity;
  /** One-line statement of the requirement. */
  readonly title: string;
  readonly source: string;
  readonly check: (seq: Sequence, model: CpuModel) => Array<{ line: number; message: string }>;
}

const ISA_510 = 'Power ISA v3.0B Book III 5.10 Page Table Update Synchronization Requirements';

/** One CPU's sequence with the questions the rules ask of it. */
export class Sequence {
  readonly insns: readonly FixtureInsn[];
  constructor(readonly cpu: FixtureCpu) {
    this.insns = cpu.insns;
  }
  get length(): number {
    return this.insns.length;
  }
  op(i: number): Op {
    return this.insns[i]!.def.op;
  }
  line(i: number): number {
    return this.insns[i]!.line;
  }
  operand(i: number, name: string): number {
    const x = this.insns[i]!;
    const k = x.def.operands.findIndex((o) => o.def.name === name);
    return k < 0 ? 0 : operandValues(x.def, x.word)[k]!;
  }
  is(i: number, op: Op): boolean {
    return this.op(i) === op;
  }
  isPtesync(i: number): boolean {
    return this.is(i, Op.sync) && this.operand(i, 'L2') === 2;
  }
  /** eieio or any sync: orders a CPU's stores to ordinary storage (Book II 4.6.3). */
  isStoreBarrier(i: number): boolean {
    return this.is(i, Op.eieio) || this.is(i, Op.sync);
  }
  isStorageAccess(i: number): boolean {
    return this.insns[i]!.def.facility === 'loadstore';
  }
  isContextSync(i: number): boolean {
    const op = this.op(i);
    return op === Op.isync || op === Op.rfid || op === Op.hrfid || op === Op.sc;
  }
  pteStore(i: number): 'dw0' | 'dw1' | 'other' | null {
    for (const a of this.insns[i]!.annotations) if (a.kind === 'pte-store') return a.dw ?? 'other';
    return null;
  }
  /** The first `# relies` point after instruction i, else the end (an index: "before insns[p]"). */
  reliesPoint(i: number): { index: number; line: number | null } {
    for (const m of this.cpu.marks) if ((m.kind === 'relies' || m.kind === 'gone') && m.index > i) return { index: m.index, line: m.line };
    return { index: this.length, line: null };
  }
  find(from: number, to: number, pred: (i: number) => boolean): number {
    for (let i = from; i < to; i++) if (pred(i)) return i;
    return -1;
  }
  findLast(from: number, to: number, pred: (i: number) => boolean): number {
    for (let i = to - 1; i >= from; i--) if (pred(i)) return i;
    return -1;
  }
}

function where(p: { line: number | null }): string {
  return p.line === null ? 'the end of the sequence' : `the '# relies' point on line ${p.line}`;
}

export const RULES: readonly Rule[] = [
  {
    id: 'R1',
    severity: 'error',
    title: 'tlbie/tlbiel must be preceded by ptesync after the last page-table store',
    source: `${ISA_510}; Linux hash_native.c tlbie() (ptesync before __tlbie/__tlbiel)`,
    check(s) {
      const out = [];
      for (let i = 0; i < s.length; i++) {
        if (!s.is(i, Op.tlbie) && !s.is(i, Op.tlbiel)) continue;
        const store = s.findLast(0, i, (j) => s.pteStore(j) !== null);
        if (s.find(store + 1, i, (j) => s.isPtesync(j)) >= 0) continue;
        const name = s.insns[i]!.def.name;
        out.push({
          line: s.line(i),
          message:
            store >= 0
              ? `${name} is not preceded by ptesync after the page-table store on line ${s.line(store)}`
              : `${name} is not preceded by ptesync (earlier page-table stores may not be seen by the invalidation)`,
        });
      }
      return out;
    },
  },
  {
    id: 'R2',
    severity: 'error',
    title: "tlbie must be followed by eieio; tlbsync; ptesync before anything relies on it",
    source: `${ISA_510}; Linux hash_native.c tlbie() ("eieio; tlbsync; ptesync")`,
    check(s) {
      const out = [];
      for (let i = 0; i < s.length; i++) {
        if (!s.is(i, Op.tlbie)) continue;
        const p = s.reliesPoint(i);
        const e = s.find(i + 1, p.index, (j) => s.is(j, Op.eieio));
        const t = e < 0 ? -1 : s.find(e + 1, p.index, (j) => s.is(j, Op.tlbsync));
        const q = t < 0 ? -1 : s.find(t + 1, p.index, (j) => s.isPtesync(j));
        if (q >= 0) continue;
        const missing = e < 0 ? 'eieio' : t < 0 ? 'tlbsync' : 'ptesync';
        const after = e < 0 ? '' : t < 0 ? ` after the eieio on line ${s.line(e)}` : ` after the tlbsync on line ${s.line(t)}`;
        out.push({ line: s.line(i), message: `tlbie is not completed before ${where(p)}: no ${missing}${after} (need eieio; tlbsync; ptesync)` });
      }
      return out;
    },
  },
  {
    id: 'R3',
    severity: 'error',
    title: 'tlbiel must be followed by ptesync before anything relies on it',
    source: `${ISA_510}; Linux hash_native.c tlbie() (ppc_after_tlbiel_barrier: ptesync)`,
    check(s) {
      const out = [];
      for (let i = 0; i < s.length; i++) {
        if (!s.is(i, Op.tlbiel)) continue;
        const p = s.reliesPoint(i);
        if (s.find(i + 1, p.index, (j) => s.isPtesync(j)) >= 0) continue;
        out.push({ line: s.line(i), message: `tlbiel is not followed by ptesync before ${where(p)}` });
      }
      return out;
    },
  },
  {
    id: 'R4',
    severity: 'warning',
    title: 'tlbsync does not complete tlbiel (tlbsync after tlbiel with no tlbie)',
    source: `${ISA_510} (tlbsync waits for tlbie only; tlbiel is completed by ptesync)`,
    check(s) {
      const out = [];
      let from = 0;
      for (let k = 0; k < s.length; k++) {
        if (!s.is(k, Op.tlbsync)) continue;
        const local = s.find(from, k, (j) => s.is(j, Op.tlbiel));
        if (local >= 0 && s.find(from, k, (j) => s.is(j, Op.tlbie)) < 0) {
          out.push({
            line: s.line(k),
            message: `tlbsync after the tlbiel on line ${s.line(local)} with no tlbie: tlbsync does not complete tlbiel, ptesync does`,
          });
        }
        from = k + 1;
      }
      return out;
    },
  },
  {
    id: 'R5',
    severity: 'error',
    title: 'HPTE insert: store dw1, then eieio, then the dw0 store that sets V',
    source: `${ISA_510}; Linux hash_native.c native_hpte_insert() (hptep->r, eieio, hptep->v)`,
    check(s) {
      const out = [];
      let prevDw0 = -1;
      for (let i = 0; i < s.length; i++) {
        if (s.pteStore(i) !== 'dw0') continue;
        const dw1 = s.findLast(prevDw0 + 1, i, (j) => s.pteStore(j) === 'dw1');
        if (dw1 < 0) {
          out.push({ line: s.line(i), message: 'the dw0 store that sets V is not preceded by the store of dw1' });
        } else if (s.find(dw1 + 1, i, (j) => s.isStoreBarrier(j)) < 0) {
          out.push({ line: s.line(i), message: `no eieio between the dw1 store on line ${s.line(dw1)} and the dw0 store that sets V` });
        }
        prevDw0 = i;
      }
      return out;
    },
  },
  {
    id: 'R6',
    severity: 'error',
    title: 'with the POWER9 tlbie store-queue erratum, the last tlbie before tlbsync must be repeated after a ptesync',
    source: 'Linux hash_native.c fixup_tlbie_vpn() under CPU_FTR_P9_TLBIE_STQ_BUG (ptesync; the same tlbie again)',
    check(s, model) {
      if (!model.features.P9_TLBIE_STQ_BUG) return [];
      const out = [];
      // Only register arithmetic and branches may sit between the pieces of the fixup.
      const neutral = (j: number) => {
        const f = s.insns[j]!.def.facility;
        return f === 'fixed' || f === 'branch';
      };
      const back = (j: number) => {
        let k = j - 1;
        while (k >= 0 && neutral(k)) k--;
        return k;
      };
      let from = 0;
      for (let k = 0; k <= s.length; k++) {
        if (k < s.length && !s.is(k, Op.tlbsync)) continue;
        const last = s.findLast(from, k, (j) => s.is(j, Op.tlbie));
        from = k + 1;
        if (last < 0) continue;
        const p = back(last);
        const t = p >= 0 && s.isPtesync(p) ? back(p) : -1;
        if (t >= 0 && s.is(t, Op.tlbie) && s.insns[t]!.word === s.insns[last]!.word) continue;
        out.push({
          line: s.line(last),
          message: `${model.name} has the tlbie store-queue erratum: this tlbie needs the fixup 'ptesync; tlbie' (same operands) before ${k < s.length ? `the tlbsync on line ${s.line(k)}` : 'the end of the sequence'}`,
        });
      }
      return out;
    },
  },
  {
    id: 'R7',
    severity: 'error',
    title: 'without LOCKLESS_TLBIE, tlbie..tlbsync must be inside the tlbie lock',
    source: 'Linux hash_native.c tlbie() (native_tlbie_lock taken when !MMU_FTR_LOCKLESS_TLBIE)',
    check(s, model) {
      if (model.features.LOCKLESS_TLBIE) return [];
      const out = [];
      const marks = s.cpu.marks.filter((m) => m.kind === 'lock' || m.kind === 'unlock');
      const heldBefore = (i: number) => {
        let held = false;
        for (const m of marks) if (m.index <= i) held = m.kind === 'lock';
        return held;
      };
      for (let i = 0; i < s.length; i++) {
        if (!s.is(i, Op.tlbie)) continue;
        const sync = s.find(i + 1, s.length, (j) => s.is(j, Op.tlbsync));
        const end = sync < 0 ? i : sync;
        const released = marks.find((m) => m.kind === 'unlock' && m.index > i && m.index <= end);
        if (!heldBefore(i)) {
          out.push({ line: s.line(i), message: `${model.name} without LOCKLESS_TLBIE: tlbie outside the tlbie lock ('# lock' before it)` });
        } else if (released) {
          out.push({
            line: s.line(i),
            message: `${model.name} without LOCKLESS_TLBIE: the tlbie lock is released on line ${released.line} before the tlbsync${sync >= 0 ? ` on line ${s.line(sync)}` : ''}`,
          });
        }
      }
      return out;
    },
  },
  {
    id: 'R8',
    severity: 'error',
    title: 'slbie/slbia/slbmte/mtmsrd must be followed by isync or rfid before a storage access relies on it',
    source: 'Power ISA v3.0B Book III 5.9.3 (SLB management) and 10.1 (context synchronisation); Linux slb.c (isync after slbie/slbmte)',
    check(s) {
      const out = [];
      for (let i = 0; i < s.length; i++) {
        const op = s.op(i);
        const changes =
          op === Op.slbie || op === Op.slbia || op === Op.slbmte || (op === Op.mtmsrd && s.operand(i, 'L15') === 0);
        if (!changes) continue;
        const relies = s.reliesPoint(i);
        const stop = s.find(i + 1, s.length, (j) => s.isContextSync(j) || s.isStorageAccess(j));
        const name = s.insns[i]!.def.name;
        if (stop >= 0 && s.isContextSync(stop) && stop < relies.index) continue;
        if (relies.line !== null && (stop < 0 || relies.index <= stop)) {
          out.push({ line: s.line(i), message: `${name} is not followed by isync or rfid before the '# relies' point on line ${relies.line}` });
        } else if (stop >= 0 && !s.isContextSync(stop)) {
          out.push({
            line: s.line(i),
            message: `${name} is not followed by isync or rfid before the storage access on line ${s.line(stop)}`,
          });
        }
      }
      return out;
    },
  },
];

/** Runs every rule over every CPU; findings in CPU, then line, then rule order. */
export function runRules(fixture: Fixture, model: CpuModel): Finding[] {
  const findings: Finding[] = [];
  for (const cpu of fixture.cpus) {
    const seq = new Sequence(cpu);
    for (const rule of RULES) {
      for (const f of rule.check(seq, model)) {
        findings.push({ id: rule.id, severity: rule.severity, cpu: cpu.id, line: f.line, message: f.message, source: rule.source });
      }
    }
  }
  return findings.sort((a, b) => a.cpu - b.cpu || a.line - b.line || a.id.localeCompare(b.id));
}
