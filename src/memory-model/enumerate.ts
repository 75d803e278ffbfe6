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

/**
 * Groups of runs the search for viable combinations may examine (about 6 s per 10^9 on the
 * 2-core machine of BENCHMARKS.md): the search is a product over threads, pruned, and a
 * program whose combinations are almost all not viable could otherwise run for hours.
 */
export const MAX_GROUP_SCANS = 2_000_000_000;

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
export function* viableCombinations(
  init: readonly bigint[],
  traceLists: readonly (readonly ThreadTrace[])[],
  maxScans = MAX_GROUP_SCANS,
): Generator<ThreadTrace[]> {
  // Each (location, value) pair gets a bit; summaries are bit sets of W 32-bit words, and the
  // search below is a loop over an explicit stack (it visits up to the product of the group
  // counts, so neither BigInt masks nor a generator per step are affordable).
  const ids = new Map<string, number>();
  const id = (loc: number, v: bigint) => {
    const k = `${loc}:${v}`;
    let n = ids.get(k);
    if (n === undefined) ids.set(k, (n = ids.size));
    return n;
  };
  const raw = traceLists.map((list) =>
    list.map((t) => {
      const needs: number[] = [];
      const gives: number[] = [];
      for (const e of t.events) {
        if (e.kind === 'W') gives.push(id(e.loc, e.value));
        else if (e.kind === 'R' && e.value !== init[e.loc]) needs.push(id(e.loc, e.value));
      }
      return { t, needs, gives };
    }),
  );
  const W = Math.max(1, (ids.size + 31) >>> 5);
  const bits = (xs: readonly number[]) => {
    const m = new Uint32Array(W);
    for (const x of xs) m[x >>> 5]! |= 1 << (x & 31);
    return m;
  };
  type Group = { needs: Uint32Array; gives: Uint32Array; runs: ThreadTrace[] };
  const groups = raw.map((list) => {
    const bySummary = new Map<string, Group>();
    for (const r of list) {
      const gives = bits(r.gives);
      const needs = bits(r.needs);
      for (let w = 0; w < W; w++) needs[w]! &= ~gives[w]!;
      const k = `${needs.join(',')}/${gives.join(',')}`;
      const g = bySummary.get(k);
      if (g) g.runs.push(r.t);
      else bySummary.set(k, { needs, gives, runs: [r.t] });
    }
    return [...bySummary.values()];
  });
  const T = groups.length;
  if (T === 0) return void (yield []);
  if (groups.some((g) => g.length === 0)) return;
  // Everything each suffix of threads could give, to cut the search early.
  const canGive = Array.from({ length: T + 1 }, () => new Uint32Array(W));
  for (let t = T - 1; t >= 0; t--) {
    for (let w = 0; w < W; w++) canGive[t]![w] = canGive[t + 1]![w]!;
    for (const g of groups[t]!) for (let w = 0; w < W; w++) canGive[t]![w]! |= g.gives[w]!;
  }
  // Each thread's group masks in one flat array (group k's word w at k*W + w): the scan
  // below is the hot loop of a lock-heavy test.
  const flatNeeds = groups.map((list) => {
    const a = new Uint32Array(list.length * W);
    list.forEach((g, k) => a.set(g.needs, k * W));
    return a;
  });
  const flatGives = groups.map((list) => {
    const a = new Uint32Array(list.length * W);
    list.forEach((g, k) => a.set(g.gives, k * W));
    return a;
  });
  // needs/gives at t*W: the union over the groups chosen for threads before t.
  const needs = new Uint32Array((T + 1) * W);
  const gives = new Uint32Array((T + 1) * W);
  const later = new Uint32Array((T + 1) * W);
  canGive.forEach((m, t) => later.set(m, t * W));
  const choice = new Array<number>(T).fill(-1);
  let scans = 0;
  let t = 0;
  while (t >= 0) {
    const count = groups[t]!.length;
    const gn = flatNeeds[t]!;
    const gg = flatGives[t]!;
    const base = t * W;
    const next = base + W;
    let k = choice[t]! + 1;
    // The next group of thread t whose needs the chosen ones plus the later threads can meet.
    for (; k < count; k++) {
      if (++scans > maxScans) throw new TooManyCandidates(maxScans);
      let w = 0;
      for (; w < W; w++) {
        const n = needs[base + w]! | gn[k * W + w]!;
        const v = gives[base + w]! | gg[k * W + w]! | later[next + w]!;
        if ((n & ~v) !== 0) break;
      }
      if (w === W) break;
    }
    if (k === count) {
      choice[t] = -1;
      t--;
      continue;
    }
    choice[t] = k;
    for (let w = 0; w < W; w++) {
      needs[next + w] = needs[base + w]! | gn[k * W + w]!;
      gives[next + w] = gives[base + w]! | gg[k * W + w]!;
    }
    if (t + 1 < T) {
      t++;
      continue;
    }
    // canGive[T] is empty, so the check above already made every need met.
    yield* product(choice.map((c, u) => groups[u]![c]!.runs));
  }
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
