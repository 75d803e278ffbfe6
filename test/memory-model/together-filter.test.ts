// The "taken together" read filter (memory-model/widen.ts, thread-runs.ts RunBounds.together):
// a read gets another thread's value only while one path of that thread stored every value the
// run has taken from it. Checked against the enumeration without it on every test of the
// litmus corpus under both models (the same final states and allowed-execution counts), and
// on a test built so that it must cut runs: P1 reads x twice, and P0 stores 1 or 2 there
// depending on what it read, never both in one run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLitmus, runLitmus } from '../../src/litmus/index.js';
import { buildProgram } from '../../src/litmus/program.js';
import { DEFAULT_BOUNDS, threadRuns, type RunBounds } from '../../src/memory-model/thread-runs.js';
import { widenDomains } from '../../src/memory-model/widen.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'litmus');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();

const EITHER = `PPC either
{ 0:r5=x; 0:r6=y; 1:r5=x; 1:r6=y; }
 P0              | P1           ;
 lwz r1,0(r6)    | lwz r3,0(r5) ;
 cmpwi r1,0      | lwz r4,0(r5) ;
 beq L0          | li r7,1      ;
 li r2,2         | stw r7,0(r6) ;
 stw r2,0(r5)    |              ;
 b L1            |              ;
 L0:             |              ;
 li r2,1         |              ;
 stw r2,0(r5)    |              ;
 L1:             |              ;
exists (1:r3=1 /\\ 1:r4=2)
`;

function runsOf(src: string, bounds: RunBounds) {
  const t = parseLitmus(src, 'either.litmus');
  const p = buildProgram(t);
  const domains = p.init.map((v) => [v]);
  return widenDomains(
    domains,
    (foreign) => p.threads.map((th, k) => threadRuns(th, { names: p.names, sizes: p.names.map(() => 0) }, domains, bounds, undefined, foreign(k))),
    () => new Error('too many values'),
  );
}

describe('the taken-together read filter', () => {
  it('gives the unfiltered final states and counts on the whole litmus corpus', () => {
    for (const f of FILES) {
      const t = parseLitmus(readFileSync(join(DIR, f), 'utf8'), f);
      for (const model of ['power', 'sc'] as const) {
        const on = runLitmus(t, { model });
        const off = runLitmus(t, { model, bounds: { ...DEFAULT_BOUNDS, together: false } });
        const show = (o: typeof on) => o.states.map((s) => JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
        expect(show(on), `${f} ${model}`).toEqual(show(off));
        expect([on.positive, on.negative], `${f} ${model}`).toEqual([off.positive, off.negative]);
      }
    }
  }, 120_000);

  it('cuts the runs that need values no single run of the other thread stores, and no outcome', () => {
    // P1's reads of x: 0, 1 or 2 each (9 runs); 1 then 2 or 2 then 1 needs both of P0's runs.
    const off = runsOf(EITHER, { ...DEFAULT_BOUNDS, together: false });
    const on = runsOf(EITHER, DEFAULT_BOUNDS);
    expect(off[1]!.traces.length).toBe(9);
    expect(on[1]!.traces.length).toBe(7);
    const pairs = (r: typeof on) => r[1]!.traces.map((x) => `${x.regs[3]},${x.regs[4]}`).sort();
    expect(pairs(off).filter((p) => !pairs(on).includes(p))).toEqual(['1,2', '2,1']);
    // P0's runs store x=1 (it read y=0) or x=2 (it read P1's y=1): each path's stores are kept.
    expect(on[0]!.storeSets.map((s) => [...s].sort().join(' ')).sort()).toEqual(['0:1', '0:2']);
    const t = parseLitmus(EITHER, 'either.litmus');
    for (const model of ['power', 'sc'] as const) {
      const a = runLitmus(t, { model });
      const b = runLitmus(t, { model, bounds: { ...DEFAULT_BOUNDS, together: false } });
      expect(a.positive, model).toBe(0); // 1:r3=1 /\ 1:r4=2 needs both stores of P0
      expect([a.positive, a.negative, a.states.length], model).toEqual([b.positive, b.negative, b.states.length]);
    }
  });
});
