// The rf and co choices of one location that pass the per-location axioms, found before the
// product over locations is taken. Both uniproc axioms are about one location at a time:
// sc-per-location is acyclic(po-loc | rf | co | fr) and every one of those relations links
// events of one location (Herding Cats, TOPLAS 2014, section 4.5), and atomic,
// empty(rmw & (fre;coe)), links a reservation's read to its store through writes of that read's
// location (Sarkar et al., PLDI 2012, section 3). A candidate execution passes both iff its
// restriction to each location does, so filtering the choices per location and multiplying
// the survivors yields exactly the candidates that pass uniproc, at the cost of the sum of the
// per-location products instead of their product.

import type { StaticGraph } from './graph.js';

/** One location's part of a candidate: a source for each of its reads, and its coherence order. */
export interface LocationChoice {
  /** `sources[k]` is the write that `reads[k]` of the location's `LocationChoices` reads from. */
  readonly sources: readonly number[];
  /** The location's writes in coherence order, initial write first. */
  readonly co: readonly number[];
}

export interface LocationChoices {
  readonly reads: readonly number[];
  /** The choices that pass both per-location axioms. */
  readonly coherent: LocationChoice[];
  /** How many choices there were, and how many were acyclic (before the atomic check). */
  total: number;
  acyclic: number;
}

/** Every way to pick one element of each list, in odometer order. */
export function* product<T>(lists: readonly (readonly T[])[]): Generator<T[]> {
  if (lists.some((l) => l.length === 0)) return;
  const idx = lists.map(() => 0);
  for (;;) {
    yield idx.map((k, i) => lists[i]![k]!);
    let d = lists.length - 1;
    while (d >= 0 && ++idx[d]! === lists[d]!.length) idx[d--] = 0;
    if (d < 0) return;
  }
}

/**
 * Every (rf, co) choice of location `loc` with its verdict: `sourcesOf(read)` lists the writes a
 * read may read from (same value), `coOrders` the coherence orders to try. `count` is called
 * once per choice examined (it may throw to bound the work).
 */
export function locationChoices(
  g: StaticGraph,
  loc: number,
  reads: readonly number[],
  sourceLists: readonly (readonly number[])[],
  coOrders: readonly (readonly number[])[],
  count: () => void,
): LocationChoices {
  const writes = g.writesOf[loc]!;
  const events = [...writes, ...reads];
  const local = new Map<number, number>();
  events.forEach((e, k) => local.set(e, k));
  const m = events.length;
  // po-loc between consecutive same-thread events of the location (graph indices follow
  // program order within a thread); transitivity is left to the cycle check.
  const poEdges: Array<[number, number]> = [];
  const byThread = new Map<number, number[]>();
  for (const e of [...events].sort((a, b) => a - b)) {
    const t = g.events[e]!.thread;
    if (t < 0) continue;
    const seq = byThread.get(t);
    if (seq) {
      poEdges.push([local.get(seq[seq.length - 1]!)!, local.get(e)!]);
      seq.push(e);
    } else byThread.set(t, [e]);
  }
  // Reservation pairs whose read and store are both on this location.
  const rmw: Array<[number, number]> = [];
  for (const r of reads) for (const w of writes) if (g.rmw.has(r, w)) rmw.push([r, w]);
  const readPos = new Map<number, number>();
  reads.forEach((r, k) => readPos.set(r, k));

  const out: LocationChoices = { reads, coherent: [], total: 0, acyclic: 0 };
  const succ: number[][] = Array.from({ length: m }, () => []);
  const indeg = new Int32Array(m);
  const coPos = new Map<number, number>();
  for (const sources of product(sourceLists)) {
    for (const co of coOrders) {
      count();
      out.total++;
      co.forEach((w, k) => coPos.set(w, k));
      for (const s of succ) s.length = 0;
      indeg.fill(0);
      const edge = (a: number, b: number) => {
        succ[a]!.push(b);
        indeg[b]!++;
      };
      for (const [a, b] of poEdges) edge(a, b);
      for (let k = 1; k < co.length; k++) edge(local.get(co[k - 1]!)!, local.get(co[k]!)!);
      reads.forEach((r, k) => {
        const src = sources[k]!;
        edge(local.get(src)!, local.get(r)!);
        // fr to the source's coherence successor; the rest follows through co.
        const next = co[coPos.get(src)! + 1];
        if (next !== undefined) edge(local.get(r)!, local.get(next)!);
      });
      // Kahn: acyclic iff every node can be removed.
      const ready: number[] = [];
      for (let i = 0; i < m; i++) if (indeg[i] === 0) ready.push(i);
      let removed = 0;
      while (ready.length > 0) {
        const i = ready.pop()!;
        removed++;
        for (const j of succ[i]!) if (--indeg[j]! === 0) ready.push(j);
      }
      if (removed < m) continue;
      out.acyclic++;
      // atomic: no other thread's write lies in coherence between the write the reservation's
      // read saw and the store conditional.
      const broken = rmw.some(([r, w]) => {
        const from = coPos.get(sources[readPos.get(r)!]!)!;
        const to = coPos.get(w)!;
        const t = g.events[r]!.thread;
        for (let k = from + 1; k < to; k++) if (g.events[co[k]!]!.thread !== t) return true;
        return false;
      });
      if (broken) continue;
      out.coherent.push({ sources, co });
    }
  }
  return out;
}
