// Floating-point oracle: probe programs (fp-probe.ts) of random cases for every FP arithmetic,
// rounding, conversion, compare and FPSCR instruction, assembled with GNU as, run under
// qemu-ppc64 (and qemu-ppc64le for one seed) and under our emulator: FRT, the FPSCR and the CR
// after each case must be identical, except the FPSCR bits qemuBlindBits() names, where QEMU
// 7.2 departs from the ISA (those are pinned by test/cpu/float-arith.test.ts instead).
// PPC64EMU_FP_SEEDS=a..b picks other seeds (default 1..3, 4,000 cases each).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fpCases, probeSource, recordDiff } from './fp-probe.js';
import { missingProbeTools, runProbe } from './probe-run.js';

const missing = missingProbeTools();
if (missing.length) console.warn(`float-qemu.test: skipping the floating-point oracle: not installed: ${missing.join(', ')}`);

const [lo, hi] = (process.env.PPC64EMU_FP_SEEDS ?? '1..3').split('..').map(Number) as [number, number?];
const SEEDS = Array.from({ length: (hi ?? lo) - lo + 1 }, (_, k) => lo + k);
const CASES = 4000;

describe.skipIf(missing.length > 0)('floating point against qemu-ppc64', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ppc64emu-fp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (seed: number, le: boolean) => {
    const cases = fpCases(seed, CASES);
    const { qemu, ours } = runProbe(join(dir, `fp-${seed}-${le ? 'le' : 'be'}`), probeSource(cases), le);
    expect(recordDiff(cases, qemu, ours, le)).toBeNull();
  };
  for (const seed of SEEDS) it(`seed ${seed}: ${CASES} cases, big-endian`, () => check(seed, false), 120_000);
  it(`seed ${SEEDS[0]}: ${CASES} cases, little-endian`, () => check(SEEDS[0]!, true), 120_000);
});
