// The values each read of a thread run may return (thread-runs.ts takes them as domains), found
// by widening: a read may return any value some run stores to its location, or its initial
// value. Stored values can depend on read values (an atomic increment stores what it read plus
// one), so the domains grow round by round until no run stores a value outside them. A value
// first stored in round k was computed from a value first stored in round k-1, so an
// execution that reads it contains k writes of k distinct values: once k exceeds the most
// writes one execution can have (the sum over threads of their runs' largest write count), the
// new values can appear in no execution and widening stops.

import type { ThreadRuns } from './thread-runs.js';

/** Values one location may take before the program is refused. */
export const MAX_VALUES = 64;

/**
 * Runs `runAll` until its runs store no value outside `domains` (one array per location,
 * initial value first; widened in place; `runAll` may append locations it discovers).
 * `tooMany(loc, MAX_VALUES)` is thrown when a location's domain outgrows the bound.
 */
export function widenDomains(domains: bigint[][], runAll: () => ThreadRuns[], tooMany: (loc: number, max: number) => Error): ThreadRuns[] {
  for (let round = 1; ; round++) {
    const runs = runAll();
    const maxWrites = runs.reduce((sum, r) => sum + Math.max(0, ...r.traces.map((x) => x.events.filter((e) => e.kind === 'W').length)), 0);
    const fresh = domains.map(() => new Set<bigint>());
    runs.forEach((r) => r.written.forEach((vals, l) => vals.forEach((v) => domains[l]!.includes(v) || fresh[l]!.add(v))));
    if (fresh.every((f) => f.size === 0) || round > maxWrites) return runs;
    fresh.forEach((f, l) => {
      domains[l]!.push(...f);
      if (domains[l]!.length > MAX_VALUES) throw tooMany(l, MAX_VALUES);
    });
  }
}
