// C programs written here (fixtures/user/glibc/*.c) compiled with the distribution's cross
// gcc against static glibc, run under qemu-ppc64(le) and under our emulator: stdout, stderr
// and the exit status must be identical. This is the path of a user's own test program:
// glibc's startup (auxiliary vector, TLS, brk, RELRO mprotect, IRELATIVE ifuncs), stdio,
// malloc on the heap and in mmap'd chunks, setjmp (FPR stores), string routines, and the
// VMX/VSX code gcc emits for POWER7-9 (and little-endian glibc, built for POWER8, throughout).
//
// Built -O2 and linked with libm: big-endian for the default CPU and -mcpu=power7, power8,
// power9; little-endian for the default CPU (POWER8) and -mcpu=power9. A source may name fewer
// builds in an "oracle-cpus:" comment, and another optimisation level in a "cflags: -O3" one.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runElf } from '../../src/cpu/user-run.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'user', 'glibc');
const SOURCES = readdirSync(DIR).filter((f) => f.endsWith('.c')).sort();
interface Target {
  readonly le: boolean;
  readonly gcc: string;
  readonly qemu: string;
  readonly libc: string;
  /** The -mcpu values built (null: the compiler's default). */
  readonly cpus: ReadonlyArray<string | null>;
}
const TARGETS: readonly Target[] = [
  { le: false, gcc: 'powerpc64-linux-gnu-gcc', qemu: 'qemu-ppc64', libc: 'libc6-dev-ppc64-cross', cpus: [null, 'power7', 'power8', 'power9'] },
  { le: true, gcc: 'powerpc64le-linux-gnu-gcc', qemu: 'qemu-ppc64le', libc: 'libc6-dev-ppc64el-cross', cpus: [null, 'power9'] },
];

function why(t: Target): string | null {
  const missing = [t.gcc, t.qemu].filter((x) => spawnSync(x, ['--version']).status !== 0);
  if (missing.length) return `not installed: ${missing.join(', ')}`;
  const probe = spawnSync(t.gcc, ['-static', '-xc', '-', '-o', '/dev/null'], { input: '#include <stdio.h>\nint main(void){return 0;}\n' });
  if (probe.status !== 0) return `${t.gcc} cannot link static glibc programs (install ${t.libc})`;
  return null;
}

for (const t of TARGETS) {
  const skip = why(t);
  if (skip) console.warn(`glibc-static.test: skipping ${t.le ? 'little' : 'big'}-endian: ${skip}`);
  const [GCC, QEMU, CPUS] = [t.gcc, t.qemu, t.cpus];
  const tag = t.le ? 'le' : 'be';

  describe.skipIf(skip !== null)(`static glibc programs (${tag.toUpperCase()}, gcc -O2) against ${QEMU}`, () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'ppc64emu-glibc-'));
    });
    afterAll(() => {
      if (dir) rmSync(dir, { recursive: true, force: true });
    });
    for (const src of SOURCES) {
      const text = readFileSync(join(DIR, src), 'utf8');
      const named = /oracle-cpus: ([\w ,]+)/.exec(text)?.[1]!.split(/[ ,]+/);
      const opt = /cflags: (-O\w)/.exec(text)?.[1] ?? '-O2';
      for (const cpu of CPUS.filter((c) => !named || named.includes(c ?? 'default'))) {
        it(`${src}${cpu ? ` -mcpu=${cpu}` : ''}`, () => {
          const name = `${src.replace(/\.c$/, '')}-${tag}${cpu ? `-${cpu}` : ''}`;
          const elf = join(dir, name);
          const b = spawnSync(GCC, ['-static', opt, ...(cpu ? [`-mcpu=${cpu}`] : []), '-o', elf, join(DIR, src), '-lm'], { encoding: 'utf8' });
          expect(b.status, b.stderr).toBe(0);
          const q = spawnSync(QEMU, [elf], { timeout: 60_000 });
          expect(q.status, `${QEMU}: ${q.stderr?.toString()}`).not.toBeNull();
          const r = runElf(new Uint8Array(readFileSync(elf)), { maxInsns: 200_000_000, fileName: elf });
          expect(r.diagnostics.filter((d) => !d.startsWith('unsupported syscall rseq')), 'emulator diagnostics').toEqual([]);
          expect(Buffer.from(r.stdout).toString('latin1')).toBe(q.stdout.toString('latin1'));
          expect(Buffer.from(r.stderr).toString('latin1')).toBe(q.stderr.toString('latin1'));
          expect(r.exitCode).toBe(q.status);
        });
      }
    }
  });
}
