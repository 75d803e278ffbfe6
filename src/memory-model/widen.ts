// The values each read of a thread run may return (thread-runs.ts takes them as domains), found
// by widening: a read may return its location's initial value, the value its own thread last
// stored there, or a value some other thread's runs store there. Stored values can depend on
// read values (an atomic increment stores what it read plus one), so the sets grow round by
// round until no run stores a value it did not store in the round before. A value first
// stored by a thread in round k was computed from a value that became readable in round k-1,
// stored by another thread first in round k-1; so an execution that reads it contains k writes
// whose (thread, location, value) first appeared in k different rounds, k distinct writes:
// once k exceeds the most writes one execution can have (the sum over threads of their runs'
// largest write count), the new values can appear in no execution and widening stops.
//
// Why a thread's own stores are left out of what it may read (except the last one before the
// read): a read that reads from a po-later write of its thread, or from an earlier one that a
// later one of its thread overwrote, or from the initial value after the thread has stored to
// the location, makes a cycle in po-loc and com, which ppc.cat's uniproc (SC PER LOCATION)
// axiom forbids (Alglave, Maranget, Tautschnig, "Herding cats", TOPLAS 2014, section 4.5) and
// which sequential consistency forbids too. So the runs left out are in no execution of either
// model; thread-runs.ts applies the rule (ThreadRuns.foreign).

// Why a read's other-thread values are also checked together (Foreign.stores): a run that
// reads k values from thread u can be in an execution only if one run of u stores all k, so a
// read is given another thread's value only while some path u explored in the round before
// stored every value the run has so far taken from u (for three or more threads: the values
// only u provides; a value several threads store is not checked, which keeps the rule sound).
// Paths count whether they completed or not (a prefix provides what it stored). Exactness for
// ppc.cat's allowed executions, by induction on hb (acyclic in them, TOPLAS 2014 section 4.6
// "NO THIN AIR"): let N be writes of one run x_u of an allowed execution. Whether x_u reaches
// them, at which locations and with which values, depends only on the reads of x_u that are
// ppo-before one of them (register dataflow into a branch before them is ctrl to a write,
// into an address or value addr or data, through an own store rfi: all in ppc.cat's ppo); the
// other reads may return the thread's own last value (always readable, never checked). So a
// path storing N exists once the writes those reads read from other threads are provided,
// and those are hb-before N. Writes at the end of hb chains of length r are provided by round
// r+1, so every run of an allowed execution is found by round maxWrites + 1, the same bound
// as for values (below); rounds stop earlier when neither values nor store sets grew.

import type { ThreadRuns } from './thread-runs.js';

/** Values one location may take before the program is refused. */
export const MAX_VALUES = 64;

/** Per location, the values the other threads' runs store there (thread-runs.ts's `foreign`). */
export type ForeignValues = ReadonlyArray<ReadonlySet<bigint> | undefined>;

/** A store of one path: `loc:value`. */
export type StoreKey = string;

export const storeKey = (loc: number, value: bigint): StoreKey => `${loc}:${value}`;

/** What the other threads' runs of the round before stored. */
export interface Foreign {
  readonly values: ForeignValues;
  /** Per other thread: the set of stores of each path it explored (complete or not). */
  readonly stores: ReadonlyArray<readonly ReadonlySet<StoreKey>[]>;
}

/**
 * Runs `runAll` until no thread's runs store a value, or a set of values on one path, they did
 * not store in the round before. `domains` (one array per location, initial value first) is
 * kept as the union of every value stored, widened in place; `runAll` may append locations it
 * discovers. `runAll(foreign)` runs each thread t with `foreign(t)`. `tooMany(loc,
 * MAX_VALUES)` is thrown when a location's union outgrows the bound.
 */
export function widenDomains(
  domains: bigint[][],
  runAll: (foreign: (thread: number) => Foreign) => ThreadRuns[],
  tooMany: (loc: number, max: number) => Error,
): ThreadRuns[] {
  let stored: ReadonlyArray<ReadonlyArray<ReadonlySet<bigint>>> = [];
  let paths: ReadonlyArray<readonly ReadonlySet<StoreKey>[]> = [];
  const foreign = (t: number): Foreign => {
    const out: Set<bigint>[] = [];
    stored.forEach((locs, u) => {
      if (u === t) return;
      locs.forEach((vals, l) => vals.forEach((v) => (out[l] ??= new Set()).add(v)));
    });
    return { values: out, stores: paths.map((p, u) => (u === t ? [] : p)) };
  };
  const pathKeys = (r: ThreadRuns) => new Set(r.storeSets.map((s) => [...s].sort().join(' ')));
  for (let round = 1; ; round++) {
    const runs = runAll(foreign);
    const maxWrites = runs.reduce((sum, r) => sum + Math.max(0, ...r.traces.map((x) => x.events.filter((e) => e.kind === 'W').length)), 0);
    const grewValues = runs.some((r, t) => r.written.some((vals, l) => [...vals].some((v) => !stored[t]?.[l]?.has(v))));
    const before = paths.map((p) => new Set(p.map((s) => [...s].sort().join(' '))));
    const grewPaths = runs.some((r, t) => [...pathKeys(r)].some((k) => !before[t]?.has(k)));
    if ((!grewValues && !grewPaths) || round > maxWrites) return runs;
    stored = runs.map((r) => r.written.map((s) => new Set(s)));
    paths = runs.map((r) => r.storeSets);
    runs.forEach((r) =>
      r.written.forEach((vals, l) => {
        for (const v of vals) if (!domains[l]!.includes(v)) domains[l]!.push(v);
        if (domains[l]!.length > MAX_VALUES) throw tooMany(l, MAX_VALUES);
      }),
    );
  }
}
