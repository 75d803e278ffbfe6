// enumerate.ts filters rf and co choices per location (memory-model/per-location.ts) before
// taking their product. Checked against the plain product of every rf and co choice, each
// candidate checked whole by the model: on random runs (with reservations, fences and
// dependencies) the same allowed executions, the same number of candidates and the same
// refusals per axiom, under both models.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { enumerateExecutions, type EnumerationStats } from '../../src/memory-model/enumerate.js';
import type { ThreadTrace, TraceEvent } from '../../src/memory-model/execution.js';
import { buildGraph, communication } from '../../src/memory-model/graph.js';
import { checkPower, checkSc } from '../../src/memory-model/power.js';

const LOCS = 2;

function* product<T>(lists: readonly (readonly T[])[], k = 0, acc: T[] = []): Generator<T[]> {
  if (k === lists.length) return yield acc.slice();
  for (const x of lists[k]!) yield* product(lists, k + 1, [...acc, x]);
}

/** Every order of `ws` (after the initial write) that keeps each thread's writes in program order. */
function coOrders(g: ReturnType<typeof buildGraph>, l: number): number[][] {
  const [init, ...rest] = g.writesOf[l]!;
  const perms = (xs: number[]): number[][] => (xs.length === 0 ? [[]] : xs.flatMap((x, i) => perms([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p])));
  return perms(rest)
    .filter((p) => p.every((a, i) => p.slice(i + 1).every((b) => g.events[a]!.thread !== g.events[b]!.thread || a < b)))
    .map((p) => [init!, ...p]);
}

function reference(init: bigint[], lists: ThreadTrace[][], model: 'power' | 'sc') {
  const check = model === 'power' ? checkPower : checkSc;
  const stats: EnumerationStats = { candidates: 0, allowed: 0, refused: {} };
  const allowed: string[] = [];
  for (const traces of product(lists)) {
    const g = buildGraph(LOCS, init, traces);
    const reads = g.events.flatMap((e, i) => (e.kind === 'R' ? [i] : []));
    const srcs = reads.map((r) => g.writesOf[g.events[r]!.loc]!.filter((w) => g.events[w]!.value === g.events[r]!.value));
    if (srcs.some((s) => s.length === 0)) continue;
    const cos = Array.from({ length: LOCS }, (_, l) => coOrders(g, l));
    for (const pick of product(srcs)) {
      const rf = new Array<number>(g.n).fill(-1);
      pick.forEach((w, k) => (rf[reads[k]!] = w));
      for (const co of product(cos)) {
        stats.candidates++;
        const failed = check(g, communication(g, rf, co));
        if (failed) stats.refused[failed] = (stats.refused[failed] ?? 0) + 1;
        else {
          stats.allowed++;
          allowed.push(`${lists.map((l, t) => l.indexOf(traces[t]!)).join(',')}|${rf.join(',')}|${co.map((o) => o.join(' ')).join('/')}`);
        }
      }
    }
  }
  return { stats, allowed: allowed.sort() };
}

const plain = { fence: null, exclusive: false, rmw: -1, addr: 0n, data: 0n, ctrl: 0n, ctrlisync: 0n, insn: 0 } as const;

// A thread run: up to 4 accesses and fences; a write may complete a reservation on an earlier
// read of its location; dependency masks pick earlier reads.
const traceArb = fc
  .array(fc.record({ kind: fc.constantFrom('R', 'W', 'W', 'R', 'F'), loc: fc.nat(LOCS - 1), value: fc.nat(1), fence: fc.constantFrom('sync', 'lwsync', 'eieio'), ex: fc.boolean(), dep: fc.nat(15) }), { maxLength: 4 })
  .map((raw): ThreadTrace => {
    const events: TraceEvent[] = [];
    raw.forEach((r, k) => {
      const earlierReads = BigInt(r.dep) & events.reduce((m, e, i) => (e.kind === 'R' ? m | (1n << BigInt(i)) : m), 0n);
      if (r.kind === 'F') return void events.push({ ...plain, kind: 'F', loc: -1, value: 0n, fence: r.fence });
      if (r.kind === 'R') return void events.push({ ...plain, kind: 'R', loc: r.loc, value: BigInt(r.value), exclusive: r.ex, addr: earlierReads, insn: k });
      const res = r.ex ? events.findIndex((e) => e.kind === 'R' && e.exclusive && e.loc === r.loc) : -1;
      events.push({ ...plain, kind: 'W', loc: r.loc, value: BigInt(r.value + 1), exclusive: res >= 0, rmw: res, data: earlierReads, insn: k });
    });
    return { events, regs: [] };
  });

describe('per-location filtering of rf and co', () => {
  for (const model of ['power', 'sc'] as const) {
    it(`gives the plain product's allowed executions, candidate count and refusals (${model})`, () => {
      fc.assert(
        fc.property(fc.array(fc.array(traceArb, { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 3 }), (lists) => {
          const init = [0n, 0n];
          const got: string[] = [];
          const stats = enumerateExecutions(LOCS, init, lists, model, (x) => {
            const rf = new Array<number>(x.graph.n).fill(-1);
            for (let i = 0; i < x.graph.n; i++) for (let w = 0; w < x.graph.n; w++) if (x.comm.rf.has(w, i)) rf[i] = w;
            const co = x.graph.writesOf.map((ws) => [...ws].sort((a, b) => (x.comm.co.has(a, b) ? -1 : x.comm.co.has(b, a) ? 1 : 0)));
            got.push(`${lists.map((l, t) => l.indexOf(x.traces[t]!)).join(',')}|${rf.join(',')}|${co.map((o) => o.join(' ')).join('/')}`);
          });
          const want = reference(init, lists, model);
          expect(got.sort()).toEqual(want.allowed);
          expect(stats).toEqual(want.stats);
        }),
        { numRuns: 400 },
      );
    });
  }
});
