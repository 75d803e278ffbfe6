// Floating-point oracle: probe programs (fp-probe.ts) of random cases for every FP arithmetic,
// rounding, conversion, compare and FPSCR instruction, assembled with GNU as, run under
// qemu-ppc64 (and qemu-ppc64le for one seed) and under our emulator: FRT, the FPSCR and the CR
// after each case must be identical, except the FPSCR bits qemuBlindBits() names, where QEMU
// 7.2 departs from the ISA (those are pinned by test/cpu/float-arith.test.ts instead).
// PPC64EMU_FP_SEEDS=a..b picks other seeds (default 1..3, 4,000 cases each).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runElf } from '../../src/cpu/user-run.js';
import { fpCases, probeSource, recordDiff } from './fp-probe.js';

const TOOLS = ['powerpc64-linux-gnu-as', 'powerpc64-linux-gnu-ld', 'powerpc64le-linux-gnu-as', 'powerpc64le-linux-gnu-ld', 'qemu-ppc64', 'qemu-ppc64le'];
const missing = TOOLS.filter((t) => spawnSync(t, ['--version']).status !== 0);
if (missing.length) console.warn(`float-qemu.test: skipping the floating-point oracle: not installed: ${missing.join(', ')}`);

const [lo, hi] = (process.env.PPC64EMU_FP_SEEDS ?? '1..3').split('..').map(Number) as [number, number?];
const SEEDS = Array.from({ length: (hi ?? lo) - lo + 1 }, (_, k) => lo + k);
const CASES = 4000;

describe.skipIf(missing.length > 0)('floating point against qemu-ppc64', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ppc64emu-fp-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (seed: number, le: boolean) => {
    const cases = fpCases(seed, CASES);
    const base = join(dir, `fp-${seed}-${le ? 'le' : 'be'}`);
    writeFileSync(`${base}.s`, probeSource(cases));
    const as = le ? ['powerpc64le-linux-gnu-as', '-mpower9'] : ['powerpc64-linux-gnu-as', '-a64', '-mpower9'];
    const built = spawnSync(as[0]!, [...as.slice(1), '-o', `${base}.o`, `${base}.s`]);
    expect(built.status, built.stderr?.toString()).toBe(0);
    const linked = spawnSync(le ? 'powerpc64le-linux-gnu-ld' : 'powerpc64-linux-gnu-ld', ['-o', base, `${base}.o`]);
    expect(linked.status, linked.stderr?.toString()).toBe(0);
    const q = spawnSync(le ? 'qemu-ppc64le' : 'qemu-ppc64', [base], { maxBuffer: 1 << 26 });
    expect(q.status, q.stderr?.toString()).toBe(0);
    const ours = runElf(new Uint8Array(readFileSync(base)), { fileName: base });
    expect(ours.exitCode).toBe(0);
    expect(recordDiff(cases, new Uint8Array(q.stdout), ours.stdout, le)).toBeNull();
  };
  for (const seed of SEEDS) it(`seed ${seed}: ${CASES} cases, big-endian`, () => check(seed, false), 120_000);
  it(`seed ${SEEDS[0]}: ${CASES} cases, little-endian`, () => check(SEEDS[0]!, true), 120_000);
});
