// The relations of a candidate execution that do not depend on the rf/co choice (program
// order, dependencies, fences, read-modify-write pairs), computed once per combination of
// thread traces, and those that do (rf, co, fr and their internal/external parts), computed
// per candidate. Definitions: Herding Cats (TOPLAS 2014) section 4 and herd7's stdlib
// (po-loc = po & loc; fr = rf^-1;co; rfe/rfi, coe, fre split by thread; initial writes
// belong to no thread, so anything from or to them is external).

import type { Barrier } from '../isa/effects.js';
import type { GraphEvent, ThreadTrace } from './execution.js';
import { EventSet, Rel } from './relation.js';

export interface StaticGraph {
  readonly n: number;
  readonly events: readonly GraphEvent[];
  /** Graph index of thread t's trace event k (-1 for fences and M events). */
  readonly indexOf: readonly (readonly number[])[];
  readonly R: EventSet;
  readonly W: EventSet;
  readonly EX: EventSet;
  readonly po: Rel;
  readonly poloc: Rel;
  readonly sameThread: Rel;
  readonly addr: Rel;
  readonly data: Rel;
  readonly ctrl: Rel;
  readonly ctrlisync: Rel;
  /** po;[F];po for each barrier kind (sync also holds ptesync, which orders as hwsync does). */
  readonly fences: Readonly<Record<'sync' | 'lwsync' | 'eieio', Rel>>;
  readonly rmw: Rel;
  /** Writes of each location, initial write first. */
  readonly writesOf: readonly (readonly number[])[];
}

export function buildGraph(locs: number, init: readonly bigint[], traces: readonly ThreadTrace[]): StaticGraph {
  const events: GraphEvent[] = [];
  for (let l = 0; l < locs; l++) events.push({ thread: -1, index: -1, kind: 'W', loc: l, value: init[l]!, exclusive: false });
  const indexOf: number[][] = traces.map((t, tid) =>
    t.events.map((e, k) => {
      if (e.kind === 'F' || e.kind === 'M') return -1;
      events.push({ thread: tid, index: k, kind: e.kind, loc: e.loc, value: e.value, exclusive: e.exclusive });
      return events.length - 1;
    }),
  );
  const n = events.length;
  const R = EventSet.of(n, (i) => events[i]!.kind === 'R');
  const W = EventSet.of(n, (i) => events[i]!.kind === 'W');
  const EX = EventSet.of(n, (i) => events[i]!.exclusive);
  const po = new Rel(n);
  const sameThread = Rel.from(n, (i, j) => events[i]!.thread >= 0 && events[i]!.thread === events[j]!.thread);
  const addr = new Rel(n);
  const data = new Rel(n);
  const ctrl = new Rel(n);
  const ctrlisync = new Rel(n);
  const rmw = new Rel(n);
  const fences = { sync: new Rel(n), lwsync: new Rel(n), eieio: new Rel(n) };
  const fenceKind = (b: Barrier): keyof typeof fences | null =>
    b === 'sync' || b === 'ptesync' ? 'sync' : b === 'lwsync' ? 'lwsync' : b === 'eieio' ? 'eieio' : null;

  traces.forEach((t, tid) => {
    const ix = indexOf[tid]!;
    const mem = t.events.map((_, k) => k).filter((k) => ix[k]! >= 0);
    for (let a = 0; a < mem.length; a++) for (let b = a + 1; b < mem.length; b++) po.add(ix[mem[a]!]!, ix[mem[b]!]!);
    const fromMask = (rel: Rel, mask: bigint, to: number) => {
      for (let k = 0; mask !== 0n; k++, mask >>= 1n) if (mask & 1n && ix[k]! >= 0) rel.add(ix[k]!, to);
    };
    t.events.forEach((e, k) => {
      if (e.kind === 'M') return;
      if (e.kind === 'F') {
        const f = fenceKind(e.fence!);
        if (!f) return;
        for (const a of mem) if (a < k) for (const b of mem) if (b > k) fences[f].add(ix[a]!, ix[b]!);
        return;
      }
      const g = ix[k]!;
      fromMask(addr, e.addr, g);
      fromMask(data, e.data, g);
      fromMask(ctrl, e.ctrl, g);
      fromMask(ctrlisync, e.ctrlisync, g);
      if (e.rmw >= 0) rmw.add(ix[e.rmw]!, g);
    });
  });
  const poloc = po.inter(Rel.from(n, (i, j) => events[i]!.loc === events[j]!.loc));
  const writesOf: number[][] = Array.from({ length: locs }, () => []);
  events.forEach((e, i) => {
    if (e.kind === 'W') writesOf[e.loc]!.push(i);
  });
  return { n, events, indexOf, R, W, EX, po, poloc, sameThread, addr, data, ctrl, ctrlisync, fences, rmw, writesOf };
}

/** rf, co and what follows from them for one candidate. */
export interface Communication {
  readonly rf: Rel;
  readonly co: Rel;
  readonly fr: Rel;
  readonly rfe: Rel;
  readonly rfi: Rel;
  readonly coe: Rel;
  readonly fre: Rel;
}

/**
 * `rfSource[i]` is the write graph event i reads from (for reads); `coOrder[l]` the writes of
 * location l in coherence order (initial write first).
 */
export function communication(g: StaticGraph, rfSource: readonly number[], coOrder: readonly (readonly number[])[]): Communication {
  const { n } = g;
  const rf = new Rel(n);
  for (let i = 0; i < n; i++) if (g.events[i]!.kind === 'R') rf.add(rfSource[i]!, i);
  const co = new Rel(n);
  for (const order of coOrder) for (let a = 0; a < order.length; a++) for (let b = a + 1; b < order.length; b++) co.add(order[a]!, order[b]!);
  const fr = rf.inverse().seq(co);
  const ext = (r: Rel) => r.minus(g.sameThread);
  const rfe = ext(rf);
  return { rf, co, fr, rfe, rfi: rf.minus(rfe), coe: ext(co), fre: ext(fr) };
}
