// The bit-matrix relations against a naive reference: relations as sets of pairs, with
// composition, closure and cycle search written the obvious way.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EventSet, Rel } from '../../src/memory-model/relation.js';

type Pairs = Set<string>;
const key = (i: number, j: number) => `${i},${j}`;

function toRel(n: number, pairs: Array<[number, number]>): Rel {
  const r = new Rel(n);
  for (const [i, j] of pairs) r.add(i, j);
  return r;
}
function toPairs(r: Rel): Pairs {
  const s = new Set<string>();
  for (let i = 0; i < r.n; i++) for (let j = 0; j < r.n; j++) if (r.has(i, j)) s.add(key(i, j));
  return s;
}
function naiveSeq(n: number, a: Pairs, b: Pairs): Pairs {
  const s = new Set<string>();
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) if (a.has(key(i, j)) && b.has(key(j, k))) s.add(key(i, k));
  return s;
}
function naivePlus(n: number, a: Pairs): Pairs {
  let cur = new Set(a);
  for (;;) {
    const next = new Set([...cur, ...naiveSeq(n, cur, a)]);
    if (next.size === cur.size) return cur;
    cur = next;
  }
}

const relArb = fc.integer({ min: 1, max: 40 }).chain((n) =>
  fc.tuple(
    fc.constant(n),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 }),
    fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 60 }),
  ),
);

describe('Rel', () => {
  it('composition, closure, union, intersection, difference and inverse agree with sets of pairs', () => {
    fc.assert(
      fc.property(relArb, ([n, pa, pb]) => {
        const a = toRel(n, pa);
        const b = toRel(n, pb);
        const A = toPairs(a);
        const B = toPairs(b);
        expect(toPairs(a.seq(b))).toEqual(naiveSeq(n, A, B));
        expect(toPairs(a.plus())).toEqual(naivePlus(n, A));
        expect(toPairs(a.union(b))).toEqual(new Set([...A, ...B]));
        expect(toPairs(a.inter(b))).toEqual(new Set([...A].filter((p) => B.has(p))));
        expect(toPairs(a.minus(b))).toEqual(new Set([...A].filter((p) => !B.has(p))));
        expect(toPairs(a.inverse())).toEqual(new Set([...A].map((p) => p.split(',').reverse().join(','))));
        const cyclic = [...naivePlus(n, A)].some((p) => p.split(',')[0] === p.split(',')[1]);
        expect(a.acyclic()).toBe(!cyclic);
        const c = a.cycle();
        if (!cyclic) expect(c).toBeNull();
        else {
          expect(c).not.toBeNull();
          for (let k = 0; k < c!.length; k++) expect(a.has(c![k]!, c![(k + 1) % c!.length]!)).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sets, products and restriction', () => {
    const s = EventSet.of(70, (i) => i % 3 === 0);
    const t = EventSet.of(70, (i) => i > 60);
    const p = Rel.product(s, t);
    expect(p.has(3, 61)).toBe(true);
    expect(p.has(4, 61)).toBe(false);
    expect(p.has(3, 60)).toBe(false);
    const all = Rel.from(70, () => true);
    expect(all.restrict(s, t).equals(p)).toBe(true);
    expect(Rel.id(s).has(66, 66)).toBe(true);
    expect(Rel.id(s).has(67, 67)).toBe(false);
    expect(Rel.identity(5).star().equals(Rel.identity(5))).toBe(true);
  });
});
