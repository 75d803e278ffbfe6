// The litmus corpus (fixtures/litmus, written here): every test under the Power model and
// under sequential consistency, against the Observation its file states with the published
// source of that verdict (the `(* expect: power=... sc=...; source: ... *)` comment).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLitmus, runLitmus } from '../../src/litmus/index.js';
import { observationOf } from '../../src/litmus/log.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'litmus');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.litmus')).sort();
const EXPECT = /\(\*\s*expect:\s*power=(Never|Sometimes|Always)\s+sc=(Never|Sometimes|Always);\s*source:\s*([^*]+?)\s*\*\)/;

describe('litmus corpus', () => {
  it('has at least 150 tests, each stating its verdicts and their source', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(150);
    for (const f of FILES) expect(EXPECT.exec(readFileSync(join(DIR, f), 'utf8')), f).not.toBeNull();
  });
  for (const f of FILES) {
    it(f, () => {
      const text = readFileSync(join(DIR, f), 'utf8');
      const m = EXPECT.exec(text);
      expect(m, 'expect comment').not.toBeNull();
      const t = parseLitmus(text, f);
      expect(`${t.name}.litmus`).toBe(f);
      expect(observationOf(runLitmus(t, { model: 'power' })), 'power').toBe(m![1]);
      expect(observationOf(runLitmus(t, { model: 'sc' })), 'sc').toBe(m![2]);
    });
  }
});

describe('bounded work', () => {
  it('a test with more candidate executions than the bound is bad input, not a hang', () => {
    const text = readFileSync(join(DIR, 'Inc3+rmws.litmus'), 'utf8');
    expect(() => runLitmus(parseLitmus(text, 'Inc3+rmws.litmus'), { model: 'power', maxCandidates: 50 })).toThrow(
      /^Inc3\+rmws\.litmus:1:1: Inc3\+rmws has more than 50 steps of candidate enumeration: too large to enumerate$/,
    );
  });
});
