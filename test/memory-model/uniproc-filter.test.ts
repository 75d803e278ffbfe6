// The uniproc read filter (memory-model/widen.ts, thread-runs.ts RunBounds.uniproc): a read
// returns only its location's initial value or its thread's last store there, or another
// thread's value. Checked against the unfiltered enumeration on every test of the litmus corpus
// under both models: the same final states and the same numbers of allowed executions on each
// side of the condition (the runs left out are in no execution), and never more runs.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLitmus, runLitmus } from '../../src/litmus/index.js';
import { DEFAULT_BOUNDS } from '../../src/memory-model/thread-runs.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'litmus');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();

describe('uniproc read filter', () => {
  it('gives the unfiltered final states and counts on the whole litmus corpus, with fewer candidates on the tests where threads reread what they stored', () => {
    let fewer = 0;
    for (const f of FILES) {
      const t = parseLitmus(readFileSync(join(DIR, f), 'utf8'), f);
      for (const model of ['power', 'sc'] as const) {
        const on = runLitmus(t, { model });
        const off = runLitmus(t, { model, bounds: { ...DEFAULT_BOUNDS, uniproc: false } });
        const show = (o: typeof on) => o.states.map((s) => JSON.stringify(s, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));
        expect(show(on), `${f} ${model}`).toEqual(show(off));
        expect([on.positive, on.negative], `${f} ${model}`).toEqual([off.positive, off.negative]);
        expect(on.candidates, `${f} ${model}`).toBeLessThanOrEqual(off.candidates);
        if (on.candidates < off.candidates) fewer++;
      }
    }
    expect(fewer).toBeGreaterThan(0);
  }, 120_000);
});
