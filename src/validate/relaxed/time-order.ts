// When the events of one allowed execution can happen, for the MMU: a partial order over
// every event of every CPU's run (storage accesses, barriers, MMU instructions, marks,
// faulting accesses) that the schedule (schedule.ts) linearises in every possible way.
//
// Between storage accesses it is ppc.cat's happens-before, hb = ppo | fences | rfe (Herding
// Cats, TOPLAS 2014, section 6): the order in which the hardware must perform them, acyclic in
// every allowed execution (the no-thin-air axiom). The other events are placed by what the
// ISA says about when they execute:
//   - barriers and MMU instructions of a CPU stay in program order among themselves (the
//     MMU layer models what may overtake what between them: early completion of tlbie,
//     page-table stores not yet visible to walks);
//   - sync and ptesync wait for every earlier access and hold back every later one (Book II
//     1.7.1: a storage access after sync is not performed until sync completes);
//   - eieio and lwsync sit after the CPU's earlier stores and before its later ones (they order
//     stores, which is what the MMU layer's store epochs need);
//   - isync waits for the loads the branches before it depend on, and no later access is
//     performed before it (Book II 1.7.1: isync waits for all earlier instructions to
//     complete and discards prefetched ones), which is how a lock acquired with
//     lwarx/stwcx./bne/isync keeps the tlbie after it behind the load that saw the lock free;
//   - an MMU instruction waits for the loads its register operands depend on; a faulting
//     access for those its address depends on;
//   - a mark (a fixture's point in program order) waits for its CPU's earlier accesses, where
//     the execution allows: an earlier access the rest of the order already puts after the
//     mark (the CPU performed it late, as Power lets it) stays after it. Later accesses
//     performed before the mark are the checker's business (Checker.performedEarly).
// Every edge added between accesses this way is already in hb (an access reaches a later one
// only through a sync, or through a ctrl+isync from a load), so the order stays acyclic; the
// edges into marks are added one at a time, each only when it closes no cycle.

import type { AllowedExecution } from '../../memory-model/enumerate.js';
import type { TraceEvent } from '../../memory-model/execution.js';
import { happensBefore } from '../../memory-model/power.js';

export interface Unit {
  readonly thread: number;
  /** Index in the thread's trace (program order). */
  readonly index: number;
  readonly ev: TraceEvent;
  /** Graph event (storage accesses), else -1. */
  readonly graph: number;
}

export interface TimeOrder {
  readonly units: readonly Unit[];
  /** Units that must be done before unit u can be (bit v: unit v). */
  readonly preds: readonly bigint[];
}

const bit = (u: number) => 1n << BigInt(u);

export function timeOrder(x: AllowedExecution): TimeOrder {
  const units: Unit[] = [];
  const first: number[] = [];
  x.traces.forEach((t, thread) => {
    first.push(units.length);
    t.events.forEach((ev, index) => units.push({ thread, index, ev, graph: x.graph.indexOf[thread]![index]! }));
  });
  const preds = units.map(() => 0n);
  const unitOfGraph = new Map<number, number>();
  units.forEach((u, k) => u.graph >= 0 && unitOfGraph.set(u.graph, k));
  const { hb } = happensBefore(x.graph, x.comm);
  for (const [a, ua] of unitOfGraph) for (const [b, ub] of unitOfGraph) if (hb.has(a, b)) preds[ub] |= bit(ua);
  const isAccess = (e: TraceEvent) => e.kind === 'R' || e.kind === 'W' || (e.kind === 'M' && (e.payload as { kind?: string }).kind === 'fault');
  x.traces.forEach((t, thread) => {
    const base = first[thread]!;
    const fromReads = (mask: bigint) => {
      let m = 0n;
      for (let k = 0; mask !== 0n; k++, mask >>= 1n) if (mask & 1n) m |= bit(base + k);
      return m;
    };
    let chainLast = -1;
    t.events.forEach((e, k) => {
      const u = base + k;
      if (e.kind === 'M' && (e.payload as { kind?: string }).kind === 'fault') preds[u] |= fromReads(e.addr);
      if (e.kind === 'M' && (e.payload as { kind?: string }).kind === 'sys') preds[u] |= fromReads(e.addr);
      if (e.kind !== 'F' && !(e.kind === 'M' && (e.payload as { kind?: string }).kind !== 'fault')) return;
      // A barrier, an MMU instruction or a mark: the CPU's chain.
      if (chainLast >= 0) preds[u] |= bit(chainLast);
      chainLast = u;
      if (e.kind !== 'F') return;
      const f = e.fence!;
      const before = (pred: (x: TraceEvent) => boolean) => t.events.forEach((y, j) => j < k && pred(y) && (preds[u] |= bit(base + j)));
      const after = (pred: (x: TraceEvent) => boolean) => t.events.forEach((y, j) => j > k && pred(y) && (preds[base + j] |= bit(u)));
      if (f === 'sync' || f === 'ptesync') {
        before(isAccess);
        after(isAccess);
      } else if (f === 'eieio' || f === 'lwsync') {
        before((y) => y.kind === 'W');
        after((y) => y.kind === 'W');
      } else if (f === 'isync') {
        preds[u] |= fromReads(e.ctrl);
        after(isAccess);
      }
    });
  });
  marksAfterEarlierAccesses(units, first, preds, isAccess);
  return { units, preds };
}

const isMark = (e: TraceEvent) => e.kind === 'M' && (e.payload as { kind?: string }).kind === 'mark';

function marksAfterEarlierAccesses(units: readonly Unit[], first: readonly number[], preds: bigint[], isAccess: (e: TraceEvent) => boolean): void {
  if (!units.some((u) => isMark(u.ev))) return;
  // reach[v]: the units v must come before (descendants), from the predecessor masks.
  const n = units.length;
  const succ = units.map(() => 0n);
  preds.forEach((m, v) => {
    for (let u = 0; m !== 0n; u++, m >>= 1n) if (m & 1n) succ[u] |= bit(v);
  });
  const reach = units.map(() => -1n);
  const visit = (v: number): bigint => {
    if (reach[v]! >= 0n) return reach[v]!;
    let r = 0n;
    let m = succ[v]!;
    for (let w = 0; m !== 0n; w++, m >>= 1n) if (m & 1n) r |= bit(w) | visit(w);
    return (reach[v] = r);
  };
  for (let v = 0; v < n; v++) visit(v);
  units.forEach((mk, m) => {
    if (!isMark(mk.ev)) return;
    for (let a = first[mk.thread]!; a < m; a++) {
      if (!isAccess(units[a]!.ev) || (reach[a]! & bit(m)) !== 0n || (reach[m]! & bit(a)) !== 0n) continue;
      preds[m] |= bit(a);
      const gained = bit(m) | reach[m]!;
      for (let v = 0; v < n; v++) if (v === a || (reach[v]! & bit(a)) !== 0n) reach[v] = reach[v]! | gained;
    }
  });
}
