// The run-combination filter of enumerate.ts against its definition: a combination (one run
// per thread) is kept exactly when every read's value is its location's initial value or the
// value of some write of the combination to that location (otherwise it has no candidate
// execution: no write to read from). Checked on random runs against a plain filter of the
// full product.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TooManyCandidates, viableCombinations } from '../../src/memory-model/enumerate.js';
import type { ThreadTrace, TraceEvent } from '../../src/memory-model/execution.js';

const event = (kind: 'R' | 'W', loc: number, value: bigint): TraceEvent => ({
  kind, loc, value, fence: null, exclusive: false, rmw: -1, addr: 0n, data: 0n, ctrl: 0n, ctrlisync: 0n, insn: 0,
});

const traceArb = fc.array(fc.record({ w: fc.boolean(), loc: fc.nat(2), value: fc.nat(2) }), { maxLength: 4 }).map(
  (es): ThreadTrace => ({ events: es.map((e) => event(e.w ? 'W' : 'R', e.loc, BigInt(e.value))), regs: [] }),
);

function* product<T>(lists: T[][], k = 0, acc: T[] = []): Generator<T[]> {
  if (k === lists.length) return yield acc.slice();
  for (const x of lists[k]!) yield* product(lists, k + 1, [...acc, x]);
}

const satisfiable = (init: bigint[], combo: ThreadTrace[]) =>
  combo.every((t) => t.events.every((e) => e.kind !== 'R' || e.value === init[e.loc] || combo.some((u) => u.events.some((w) => w.kind === 'W' && w.loc === e.loc && w.value === e.value))));

describe('viableCombinations', () => {
  it('keeps exactly the combinations whose every read some write or the initial state provides', () => {
    fc.assert(
      fc.property(fc.array(fc.array(traceArb, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }), (lists, initNums) => {
        const init = initNums.map(BigInt);
        const key = (c: ThreadTrace[]) => c.map((t, i) => lists[i]!.indexOf(t)).join(',');
        const got = [...viableCombinations(init, lists)].map(key).sort();
        const want = [...product(lists)].filter((c) => satisfiable(init, c)).map(key).sort();
        expect(got).toEqual(want);
      }),
      { numRuns: 300 },
    );
  });

  it('gives up, as too large, once it has examined more groups of runs than its bound', () => {
    const runs = [0, 1, 2].map((v): ThreadTrace => ({ events: [event('W', 0, BigInt(v + 1))], regs: [] }));
    expect([...viableCombinations([0n], [runs, runs], 12)]).toHaveLength(9); // 3 + 3 * 3 scans
    expect(() => [...viableCombinations([0n], [runs, runs], 11)]).toThrow(TooManyCandidates);
  });
});
