// Enumerates the candidate executions of a set of thread runs, as herd7 does (Herding Cats,
// TOPLAS 2014, section 8): one run per thread, a write for each read to read from (same
// location, same value), and a coherence order per location (initial write first, each
// thread's writes in program order: any other order breaks sc-per-location anyway), then
// keeps those the model allows.

import { buildGraph, communication, type Communication, type StaticGraph } from './graph.js';
import type { ThreadTrace } from './execution.js';
import { locationChoices, product, type LocationChoices } from './per-location.js';
import { checkPower, checkSc, type Axiom } from './power.js';

export type Model = 'power' | 'sc';

export interface AllowedExecution {
  readonly traces: readonly ThreadTrace[];
  readonly graph: StaticGraph;
  readonly comm: Communication;
  /** Final value of each location: its coherence-last write. */
  readonly memory: readonly bigint[];
}

export interface EnumerationStats {
  /** Candidate executions examined (rf/co choices over every combination of runs). */
  candidates: number;
  allowed: number;
  /** Candidates refused, by the axiom that refused them. */
  refused: Partial<Record<Axiom, number>>;
}

/** Steps (run combinations, per-location choices, whole candidates) one enumeration may take before it gives up (bounded time). */
export const MAX_CANDIDATES = 2_000_000;

/** Thrown when enumerating a program's candidate executions takes more steps than the bound. */
export class TooManyCandidates extends Error {
  constructor(readonly bound: number) {
    super(`more than ${bound} steps of candidate enumeration`);
  }
}

export function checkerOf(model: Model): (g: StaticGraph, c: Communication) => Axiom | null {
  return model === 'power' ? checkPower : checkSc;
}

/** Interleavings of per-thread sequences (each kept in order), all prefixed by `first`. */
function interleavings(first: number, seqs: number[][]): number[][] {
  const out: number[][] = [];
  const pos = seqs.map(() => 0);
  const cur = [first];
  const total = seqs.reduce((s, q) => s + q.length, 0);
  const go = () => {
    if (cur.length === total + 1) {
      out.push(cur.slice());
      return;
    }
    for (let t = 0; t < seqs.length; t++) {
      if (pos[t]! >= seqs[t]!.length) continue;
      cur.push(seqs[t]![pos[t]!]!);
      pos[t]!++;
      go();
      pos[t]!--;
      cur.pop();
    }
  };
  go();
  return out;
}

/**
 * The combinations of runs (one per thread) in which every read's value is written by some
 * write of the combination or is its location's initial value: the others have no candidate
 * execution at all (no write to read from). Each run is summarised by the (location, value)
 * pairs it stores and those it reads that neither it nor the initial state provides; runs with
 * the same summary are interchangeable here, so the pairing is done on summaries.
 */
export function* viableCombinations(init: readonly bigint[], traceLists: readonly (readonly ThreadTrace[])[]): Generator<ThreadTrace[]> {
  const ids = new Map<string, number>();
  const id = (loc: number, v: bigint) => {
    const k = `${loc}:${v}`;
    let n = ids.get(k);
    if (n === undefined) ids.set(k, (n = ids.size));
    return BigInt(n);
  };
  type Group = { needs: bigint; gives: bigint; runs: ThreadTrace[] };
  const groups = traceLists.map((list) => {
    const bySummary = new Map<string, Group>();
    for (const t of list) {
      let needs = 0n;
      let gives = 0n;
      for (const e of t.events) {
        if (e.kind === 'W') gives |= 1n << id(e.loc, e.value);
        else if (e.kind === 'R' && e.value !== init[e.loc]) needs |= 1n << id(e.loc, e.value);
      }
      needs &= ~gives;
      const k = `${needs}/${gives}`;
      const g = bySummary.get(k);
      if (g) g.runs.push(t);
      else bySummary.set(k, { needs, gives, runs: [t] });
    }
    return [...bySummary.values()];
  });
  // Everything each suffix of threads could give, to cut the search early.
  const canGive = groups.map(() => 0n);
  for (let t = groups.length - 1; t >= 0; t--) canGive[t] = groups[t]!.reduce((m, g) => m | g.gives, 0n) | (canGive[t + 1] ?? 0n);
  const chosen: Group[] = [];
  function* pick(t: number, needs: bigint, gives: bigint): Generator<ThreadTrace[]> {
    if (t === groups.length) {
      if ((needs & ~gives) === 0n) yield* product(chosen.map((g) => g.runs));
      return;
    }
    for (const g of groups[t]!) {
      const n = needs | g.needs;
      const v = gives | g.gives;
      if ((n & ~(v | (canGive[t + 1] ?? 0n))) !== 0n) continue;
      chosen.push(g);
      yield* pick(t + 1, n, v);
      chosen.pop();
    }
  }
  yield* pick(0, 0n, 0n);
}

/**
 * Calls `visit` for every allowed execution. `traceLists[t]` holds every complete run of
 * thread t (from thread-runs of the code with every read value of the domain).
 */
export function enumerateExecutions(
  locs: number,
  init: readonly bigint[],
  traceLists: readonly (readonly ThreadTrace[])[],
  model: Model,
  visit: (x: AllowedExecution) => void,
  stats: EnumerationStats = { candidates: 0, allowed: 0, refused: {} },
  maxCandidates = MAX_CANDIDATES,
): EnumerationStats {
  const check = checkerOf(model);
  // The bound is on work: combinations of runs, per-location choices and whole candidates checked.
  let examined = 0;
  const work = () => {
    if (++examined > maxCandidates) throw new TooManyCandidates(maxCandidates);
  };
  for (const traces of viableCombinations(init, traceLists)) {
    work();
    const g = buildGraph(locs, init, traces);
    const perLocation: LocationChoices[] = [];
    let total = 1;
    let acyclic = 1;
    for (let l = 0; l < locs; l++) {
      const reads: number[] = [];
      const sourceLists: number[][] = [];
      for (let i = 0; i < g.n; i++) {
        const e = g.events[i]!;
        if (e.kind !== 'R' || e.loc !== l) continue;
        reads.push(i);
        sourceLists.push(g.writesOf[l]!.filter((w) => g.events[w]!.value === e.value));
      }
      const ws = g.writesOf[l]!;
      const byThread = new Map<number, number[]>();
      for (const w of ws.slice(1)) {
        const t = g.events[w]!.thread;
        if (!byThread.has(t)) byThread.set(t, []);
        byThread.get(t)!.push(w);
      }
      const choices = locationChoices(g, l, reads, sourceLists, interleavings(ws[0]!, [...byThread.values()]), work);
      perLocation.push(choices);
      total *= choices.total;
      acyclic *= choices.acyclic;
    }
    // The candidates refused per location, counted as the whole-candidate check would have
    // counted them (sc-per-location is checked before atomic).
    const coherent = perLocation.reduce((p, c) => p * c.coherent.length, 1);
    stats.candidates += total;
    if (total > acyclic) stats.refused['sc-per-location'] = (stats.refused['sc-per-location'] ?? 0) + total - acyclic;
    if (acyclic > coherent) stats.refused.atomic = (stats.refused.atomic ?? 0) + acyclic - coherent;
    if (coherent === 0) continue;
    const rfSource = new Array<number>(g.n).fill(-1);
    for (const pick of product(perLocation.map((c) => c.coherent))) {
      work();
      const co = pick.map((c, l) => {
        const reads = perLocation[l]!.reads;
        c.sources.forEach((w, k) => (rfSource[reads[k]!] = w));
        return c.co;
      });
      const comm = communication(g, rfSource, co);
      const failed = check(g, comm);
      if (failed) {
        stats.refused[failed] = (stats.refused[failed] ?? 0) + 1;
        continue;
      }
      stats.allowed++;
      visit({ traces, graph: g, comm, memory: co.map((order) => g.events[order[order.length - 1]!]!.value) });
    }
  }
  return stats;
}
