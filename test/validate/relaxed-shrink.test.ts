// Counterexamples under the Power model are shrunk (validate/relaxed/index.ts shrink): for
// every corpus fixture that fails dynamically under Power, the reported path fails the same
// check in its execution, and dropping any one of the MMU's own choices in it (an early
// completion, a publication, a speculative load) no longer does: 1-minimal in them.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validate } from '../../src/validate/index.js';
import type { RelaxedCounterexample } from '../../src/validate/relaxed/index.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'validate');

describe('Power counterexamples', () => {
  it('are 1-minimal in the MMU actions, on every failing corpus fixture', () => {
    let checked = 0;
    let mmuActions = 0;
    for (const f of readdirSync(DIR).filter((n) => n.startsWith('bad-') && n.endsWith('.s')).sort()) {
      const r = validate(readFileSync(join(DIR, f), 'utf8'), f, { explore: 'exhaustive', memoryModel: 'power' });
      const cx = r.exploration.counterexample as RelaxedCounterexample | null;
      if (!cx) continue;
      expect(cx.fails, f).toBeTypeOf('function');
      expect(cx.fails!(cx.path), f).toBe(true);
      cx.path.forEach((a, i) => {
        if (a.kind === 'event') return;
        mmuActions++;
        expect(cx.fails!([...cx.path.slice(0, i), ...cx.path.slice(i + 1)]), `${f}: action ${i} (${a.kind}) can be dropped`).toBe(false);
      });
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(10);
    expect(mmuActions).toBeGreaterThan(0);
  }, 120_000);
});
