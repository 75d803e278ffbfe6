// Building and running a probe program (fp-probe.ts, vector-probe.ts) both ways: GNU as and
// ld for the byte order, then qemu-ppc64(le) and the emulator on the same ELF. The probes
// print their records to stdout, which the caller compares.

import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { runElf } from '../../src/cpu/user-run.js';

/** The tools a probe needs; the oracle tests skip (with this list) when one is missing. */
export const PROBE_TOOLS = ['powerpc64-linux-gnu-as', 'powerpc64-linux-gnu-ld', 'powerpc64le-linux-gnu-as', 'powerpc64le-linux-gnu-ld', 'qemu-ppc64', 'qemu-ppc64le'];

export function missingProbeTools(): string[] {
  return PROBE_TOOLS.filter((t) => spawnSync(t, ['--version']).status !== 0);
}

/** Assembles `source` at `base` (.s, .o, the ELF), runs it under QEMU (with `qemuArgs`) and here; both must exit 0. */
export function runProbe(base: string, source: string, le: boolean, qemuArgs: string[] = []): { qemu: Uint8Array; ours: Uint8Array } {
  writeFileSync(`${base}.s`, source);
  const as = le ? ['powerpc64le-linux-gnu-as', '-mpower9'] : ['powerpc64-linux-gnu-as', '-a64', '-mpower9'];
  const built = spawnSync(as[0]!, [...as.slice(1), '-o', `${base}.o`, `${base}.s`]);
  expect(built.status, built.stderr?.toString()).toBe(0);
  const linked = spawnSync(le ? 'powerpc64le-linux-gnu-ld' : 'powerpc64-linux-gnu-ld', ['-o', base, `${base}.o`]);
  expect(linked.status, linked.stderr?.toString()).toBe(0);
  const q = spawnSync(le ? 'qemu-ppc64le' : 'qemu-ppc64', [...qemuArgs, base], { maxBuffer: 1 << 26 });
  expect(q.status, q.stderr?.toString()).toBe(0);
  const ours = runElf(new Uint8Array(readFileSync(base)), { fileName: base });
  expect(ours.diagnostics).toEqual([]);
  expect(ours.exitCode).toBe(0);
  return { qemu: new Uint8Array(q.stdout), ours: ours.stdout };
}
