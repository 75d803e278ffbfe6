// VMX/VSX oracle: probe programs (vector-probe.ts) of random cases for every vector entry of
// the table, assembled with GNU as, run under qemu-ppc64/qemu-ppc64le -cpu power9 and under our
// emulator: target registers, storage, CR, VSCR, FPSCR and GPRs after each case must be
// identical, except the bytes vectorBlind() names. PPC64EMU_VEC_SEEDS=a..b picks other seeds.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingProbeTools, runProbe } from './probe-run.js';
import { vecCases, vecProbeSource, vecRecordDiff } from './vector-probe.js';

const missing = missingProbeTools();
if (missing.length) console.warn(`vector-qemu.test: skipping the vector oracle: not installed: ${missing.join(', ')}`);

const [lo, hi] = (process.env.PPC64EMU_VEC_SEEDS ?? '1..2').split('..').map(Number) as [number, number?];
const SEEDS = Array.from({ length: (hi ?? lo) - lo + 1 }, (_, k) => lo + k);
const PER_ENTRY = 12;

describe.skipIf(missing.length > 0)('VMX and VSX against qemu -cpu power9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ppc64emu-vec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (seed: number, le: boolean) => {
    const cases = vecCases(seed, PER_ENTRY);
    const { qemu, ours } = runProbe(join(dir, `vec-${seed}-${le ? 'le' : 'be'}`), vecProbeSource(cases), le, ['-cpu', 'power9']);
    expect(vecRecordDiff(cases, qemu, ours, le)).toBeNull();
  };
  for (const seed of SEEDS) it(`seed ${seed}: ${PER_ENTRY} cases per instruction, big-endian`, () => check(seed, false), 120_000);
  it(`seed ${SEEDS[0]}: ${PER_ENTRY} cases per instruction, little-endian`, () => check(SEEDS[0]!, true), 120_000);
});
