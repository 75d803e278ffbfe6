// `npm run bench:vitest`: interpreter speed under vitest's transform (src/, not dist/), to compare
// with `npm run bench` (dist/). Not part of `npm test`; prints MIPS, asserts nothing.
// bench/alu.s with ITER lowered to 1,000,000 (17M instructions per run).

import { readFileSync } from 'node:fs';
import { bench } from 'vitest';
import { assemble, runElf, toElf } from '../../src/index.js';

const src = readFileSync(new URL('../../bench/alu.s', import.meta.url), 'utf8').replace('8000000', '1000000');
const elf = toElf(assemble(src, { fileName: 'alu.s' }));
let best = Infinity;

bench('alu (interp, src/ via vitest)', () => {
  const t0 = performance.now();
  const r = runElf(elf, { fileName: 'alu' });
  const s = (performance.now() - t0) / 1000;
  if (s < best) {
    best = s;
    console.log(`alu: ${r.instructions} instructions, ${(r.instructions / s / 1e6).toFixed(1)} MIPS`);
  }
}, { iterations: 3, warmupIterations: 1, time: 0, warmupTime: 0 });
