// C programs written here (fixtures/user/glibc/*.c) compiled with the distribution's cross
// gcc against static glibc, run under qemu-ppc64 and under our emulator: stdout, stderr and
// the exit status must be identical. This is the path of a user's own test program: glibc's
// startup (auxiliary vector, TLS, brk, RELRO mprotect, IRELATIVE ifuncs), stdio, malloc on
// the heap and in mmap'd chunks, setjmp (FPR stores), string routines.
//
// Built big-endian with the default CPU and with -mcpu=power7, linked with libm. A source may
// name fewer CPUs in an "oracle-cpus:" comment (float-math.c: gcc's power7 code zeroes FPRs
// with VSX's xxlxor). Not yet: power8/power9 and little-endian (glibc and gcc then use VMX/VSX,
// which the subset lacks).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runElf } from '../../src/cpu/user-run.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'user', 'glibc');
const SOURCES = readdirSync(DIR).filter((f) => f.endsWith('.c')).sort();
const GCC = 'powerpc64-linux-gnu-gcc';
const QEMU = 'qemu-ppc64';
const CPUS: Array<string | null> = [null, 'power7'];

function why(): string | null {
  const missing = [GCC, QEMU].filter((t) => spawnSync(t, ['--version']).status !== 0);
  if (missing.length) return `not installed: ${missing.join(', ')}`;
  const probe = spawnSync(GCC, ['-static', '-xc', '-', '-o', '/dev/null'], { input: '#include <stdio.h>\nint main(void){return 0;}\n' });
  if (probe.status !== 0) return `${GCC} cannot link static glibc programs (install libc6-dev-ppc64-cross)`;
  return null;
}
const skip = why();
if (skip) console.warn(`glibc-static.test: skipping: ${skip}`);

describe.skipIf(skip !== null)('static glibc programs (BE, gcc -O2) against qemu-ppc64', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ppc64emu-glibc-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  for (const src of SOURCES) {
    const named = /oracle-cpus: ([\w ,]+)/.exec(readFileSync(join(DIR, src), 'utf8'))?.[1]!.split(/[ ,]+/);
    for (const cpu of CPUS.filter((c) => !named || named.includes(c ?? 'default'))) {
      it(`${src}${cpu ? ` -mcpu=${cpu}` : ''}`, () => {
        const name = src.replace(/\.c$/, '') + (cpu ? `-${cpu}` : '');
        const elf = join(dir, name);
        const b = spawnSync(GCC, ['-static', '-O2', ...(cpu ? [`-mcpu=${cpu}`] : []), '-o', elf, join(DIR, src), '-lm'], { encoding: 'utf8' });
        expect(b.status, b.stderr).toBe(0);
        const q = spawnSync(QEMU, [elf], { timeout: 60_000 });
        expect(q.status, `qemu-ppc64: ${q.stderr?.toString()}`).not.toBeNull();
        const r = runElf(new Uint8Array(readFileSync(elf)), { maxInsns: 200_000_000, fileName: elf });
        expect(r.diagnostics.filter((d) => !d.startsWith('unsupported syscall rseq')), 'emulator diagnostics').toEqual([]);
        expect(Buffer.from(r.stdout).toString('latin1')).toBe(q.stdout.toString('latin1'));
        expect(Buffer.from(r.stderr).toString('latin1')).toBe(q.stderr.toString('latin1'));
        expect(r.exitCode).toBe(q.status);
      });
    }
  }
});
