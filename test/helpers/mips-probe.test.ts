// Temporary probe: prints interpreter MIPS under vitest. No timing assertion.
import { it } from 'vitest';
import { readFileSync } from 'node:fs';
import { assemble, toElf, runElf } from '../../src/index.js';

it('mips probe', () => {
  const src = readFileSync(new URL('../../bench/alu.s', import.meta.url), 'utf8').replace('8000000', '300000');
  const elf = toElf(assemble(src, { fileName: 'alu.s' }));
  let best = Infinity, insns = 0;
  for (let k = 0; k < 3; k++) {
    const t0 = performance.now();
    const r = runElf(elf, { fileName: 'alu' });
    const s = (performance.now() - t0) / 1000;
    insns = r.instructions; best = Math.min(best, s);
  }
  console.log(`PROBE alu: ${insns} insns, ${(insns / best / 1e6).toFixed(1)} MIPS`);
});
