// The freestanding C fixture (fixtures/user/c-hello.c), compiled by gcc as a big-endian ELFv1
// static executable, must print the same text and exit with the same status under qemu-ppc64
// and under our emulator.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf64 } from '../../src/cpu/elf-loader.js';
import { runElf } from '../../src/cpu/user-run.js';

const SRC = join(__dirname, '..', '..', 'fixtures', 'user', 'c-hello.c');
const GCC = 'powerpc64-linux-gnu-gcc';
const QEMU = 'qemu-ppc64';
const missing = [GCC, QEMU].filter((t) => spawnSync(t, ['--version']).status !== 0);
if (missing.length) console.warn(`c-fixture.test: skipping: not installed: ${missing.join(', ')}`);

describe.skipIf(missing.length > 0)('freestanding C fixture (BE ELFv1, gcc -O2)', () => {
  let dir = '';
  let elf = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ppc64emu-cfix-'));
    elf = join(dir, 'c-hello');
    const r = spawnSync(GCC, ['-O2', '-nostdlib', '-static', '-ffreestanding', '-fno-stack-protector', '-o', elf, SRC], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`${GCC} failed:\n${r.stderr}`);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('is an ELFv1 executable entered through its .opd descriptor', () => {
    const img = parseElf64(new Uint8Array(readFileSync(elf)), 'c-hello');
    expect(img.abiVersion).toBe(1);
    expect(img.littleEndian).toBe(false);
    expect(img.toc).not.toBeNull();
    expect(img.symbols.get('_start')).toBe(img.entry);
  });

  it('prints the same output and exits with the same status as under qemu-ppc64', () => {
    const q = spawnSync(QEMU, [elf], { timeout: 30_000 });
    expect(q.status, `qemu-ppc64 stderr: ${q.stderr?.toString()}`).not.toBeNull();
    const want = q.stdout.toString('latin1');
    expect(want).toContain('hello from freestanding C on ppc64');

    const r = runElf(new Uint8Array(readFileSync(elf)), { maxInsns: 10_000_000, fileName: 'c-hello' });
    expect(r.stopReason).toBe('exit');
    expect(Buffer.from(r.stdout).toString('latin1')).toBe(want);
    expect(Buffer.from(r.stderr).toString('latin1')).toBe(q.stderr.toString('latin1'));
    expect(r.exitCode).toBe(q.status);
  });
});
