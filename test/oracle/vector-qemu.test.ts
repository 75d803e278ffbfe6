// VMX/VSX oracle: probe programs (vector-probe.ts) of random cases for every vector entry of
// the table, assembled with GNU as, run under qemu-ppc64/qemu-ppc64le -cpu power9 and under our
// emulator: target registers, storage, CR, VSCR, FPSCR and GPRs after each case must be
// identical, except the bytes vectorBlind() names. PPC64EMU_VEC_SEEDS=a..b picks other seeds.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runElf } from '../../src/cpu/user-run.js';
import { vecCases, vecProbeSource, vecRecordDiff } from './vector-probe.js';

const TOOLS = ['powerpc64-linux-gnu-as', 'powerpc64-linux-gnu-ld', 'powerpc64le-linux-gnu-as', 'powerpc64le-linux-gnu-ld', 'qemu-ppc64', 'qemu-ppc64le'];
const missing = TOOLS.filter((t) => spawnSync(t, ['--version']).status !== 0);
if (missing.length) console.warn(`vector-qemu.test: skipping the vector oracle: not installed: ${missing.join(', ')}`);

const [lo, hi] = (process.env.PPC64EMU_VEC_SEEDS ?? '1..2').split('..').map(Number) as [number, number?];
const SEEDS = Array.from({ length: (hi ?? lo) - lo + 1 }, (_, k) => lo + k);
const PER_ENTRY = 12;

describe.skipIf(missing.length > 0)('VMX and VSX against qemu -cpu power9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ppc64emu-vec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const check = (seed: number, le: boolean) => {
    const cases = vecCases(seed, PER_ENTRY);
    const base = join(dir, `vec-${seed}-${le ? 'le' : 'be'}`);
    writeFileSync(`${base}.s`, vecProbeSource(cases));
    const as = le ? ['powerpc64le-linux-gnu-as', '-mpower9'] : ['powerpc64-linux-gnu-as', '-a64', '-mpower9'];
    const built = spawnSync(as[0]!, [...as.slice(1), '-o', `${base}.o`, `${base}.s`]);
    expect(built.status, built.stderr?.toString()).toBe(0);
    const linked = spawnSync(le ? 'powerpc64le-linux-gnu-ld' : 'powerpc64-linux-gnu-ld', ['-o', base, `${base}.o`]);
    expect(linked.status, linked.stderr?.toString()).toBe(0);
    const q = spawnSync(le ? 'qemu-ppc64le' : 'qemu-ppc64', ['-cpu', 'power9', base], { maxBuffer: 1 << 26 });
    expect(q.status, q.stderr?.toString()).toBe(0);
    const ours = runElf(new Uint8Array(readFileSync(base)), { fileName: base });
    expect(ours.diagnostics).toEqual([]);
    expect(ours.exitCode).toBe(0);
    expect(vecRecordDiff(cases, new Uint8Array(q.stdout), ours.stdout, le)).toBeNull();
  };
  for (const seed of SEEDS) it(`seed ${seed}: ${PER_ENTRY} cases per instruction, big-endian`, () => check(seed, false), 120_000);
  it(`seed ${SEEDS[0]}: ${PER_ENTRY} cases per instruction, little-endian`, () => check(SEEDS[0]!, true), 120_000);
});
