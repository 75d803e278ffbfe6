// Bad paths and files of the wrong kind: one clear line and exit status 2, checked before any
// work is done; never a stack trace or an "internal error".
import { spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, tempFiles } from '../helpers/cli.js';

const PROG = '\t.abiversion 2\n\t.globl _start\n_start:\n\tli r3,0\n\tli r0,1\n\tsc\n';
const LOOP = '\t.abiversion 2\n\t.globl _start\n_start:\n1:\taddi r3,r3,1\n\tb 1b\n';

function oneLine(r: { status: number | null; stderr: string }, pattern: RegExp): void {
  expect(r.status).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/internal error|at .*\.js:\d+/);
}

describe('output files', () => {
  const dir = tempFiles({ 'p.s': PROG, 'loop.s': LOOP });
  const p = join(dir, 'p.s');
  it('bad --events, --state-out and --trace paths are refused before the run', () => {
    oneLine(cli(['run', p, '--events', '/nonexistent/e.jsonl']), /^ppc64emu: --events \/nonexistent\/e\.jsonl: cannot write: no such directory$/);
    oneLine(cli(['run', p, '--state-out', '/nonexistent/dir/x.json']), /^ppc64emu: --state-out \/nonexistent\/dir\/x\.json: cannot write: no such directory$/);
    oneLine(cli(['run', p, '--trace', '/nonexistent/t']), /^ppc64emu: --trace \/nonexistent\/t: cannot write: no such directory$/);
    oneLine(cli(['run', p, '--state-out', dir]), /cannot write: is a directory$/);
  });
  it('asm -o to a missing directory or a directory is refused; executables are written 0755', () => {
    oneLine(cli(['asm', p, '-o', '/nonexistent/x']), /^ppc64emu: -o \/nonexistent\/x: cannot write: no such directory$/);
    oneLine(cli(['asm', p, '-o', dir]), /cannot write: is a directory$/);
    const out = join(dir, 'p.elf');
    writeFileSync(out, 'old', { mode: 0o600 });
    expect(cli(['asm', p, '-o', out]).status).toBe(0);
    expect(statSync(out).mode & 0o111).not.toBe(0);
    expect(readFileSync(out).subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
  });
  it('a trace to a pipe closed early ends quietly', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${CLI}" run "${join(dir, 'loop.s')}" --max-insns 200000 --trace /dev/stdout | head -1`], { encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|internal error|at .*\.js:\d+/);
  });
});

describe('files of the wrong kind', () => {
  const elf = (() => {
    const d = tempFiles({ 'p.s': PROG });
    expect(cli(['asm', join(d, 'p.s'), '-o', join(d, 'p.elf')]).status).toBe(0);
    return readFileSync(join(d, 'p.elf'));
  })();
  const flipped = Buffer.from(elf);
  flipped[5] = 1; // EI_DATA: little-endian, on a big-endian file
  const dir = tempFiles({ 'p.s': PROG, 'p.elf': elf, 'flipped.elf': flipped, 'empty.s': '', 'comments.s': '# nothing here\n\t.cpu 0\n' });
  it('validate of an ELF, and of a fixture without instructions', () => {
    oneLine(cli(['validate', join(dir, 'p.elf')]), /p\.elf: is an ELF executable; validate reads a fixture source/);
    oneLine(cli(['validate', join(dir, 'empty.s')]), /empty\.s:1:1: no instructions: the fixture has nothing to validate$/);
    oneLine(cli(['validate', join(dir, 'comments.s')]), /comments\.s:\d+:1: no instructions/);
  });
  it('disasm of a text file; run --bare of an ELF', () => {
    oneLine(cli(['disasm', join(dir, 'p.s')]), /p\.s: is a text file \(assembly source\?\), not a binary: assemble it first/);
    oneLine(cli(['run', join(dir, 'p.elf'), '--bare']), /p\.elf: is an ELF executable; --bare loads a raw image or a \.s source/);
  });
  it('an ELF whose byte-order byte is wrong says so', () => {
    oneLine(cli(['run', join(dir, 'flipped.elf')]), /flipped\.elf: EI_DATA \(byte 5\) says little-endian, but the header is big-endian/);
  });
});

describe('large inputs', () => {
  it('disasm of an ELF with 200,000 instructions lists them all (a spread into push() overflowed the stack)', () => {
    const dir = tempFiles({ 'big.s': '\t.abiversion 2\n\t.globl _start\n_start:\n\t.rept 200000\n\tnop\n\t.endr\n' });
    expect(cli(['asm', join(dir, 'big.s'), '-o', join(dir, 'big.elf')]).status).toBe(0);
    const r = spawnSync(process.execPath, [CLI, 'disasm', join(dir, 'big.elf')], { encoding: 'utf8', maxBuffer: 1 << 26 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.endsWith('\tnop')).length).toBe(200000);
  });
});

describe('gdbserver', () => {
  it('a port in use is bad input', async () => {
    const server = createServer();
    const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
    const dir = tempFiles({ 'p.s': PROG });
    const r = await new Promise<{ status: number | null; stderr: string }>((resolve) => {
      const c = spawnSync(process.execPath, [CLI, 'gdbserver', String(port), join(dir, 'p.s')], { encoding: 'utf8', timeout: 20_000 });
      resolve({ status: c.status, stderr: c.stderr });
    });
    server.close();
    oneLine(r, new RegExp(`^ppc64emu: gdbserver: cannot listen on 127\\.0\\.0\\.1:${port}: port in use$`));
  });
});

describe('program headers and bounds', () => {
  it('a fixture carries its own options (# run:); the command line overrides them', () => {
    const r = cli(['run', join(__dirname, '..', '..', 'fixtures', 'smp', 'invalidate.s')]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^ppc64emu: halted \(attn\) after \d+ instructions\n  cpu 0: .*\n  cpu 1: .*r21=0xaaaa/); // (a) tlbiel only: CPU 1 kept the stale page
    const bare = cli(['run', join(__dirname, '..', '..', 'fixtures', 'bare', 'translate.s')]);
    expect(bare.status, bare.stderr).toBe(0);
    expect(bare.stderr).toMatch(/^ppc64emu: cpu 0 stopped at 0x[0-9a-f]+ \(--stop-at\) after \d+ instructions\n/);
    const over = cli(['run', join(__dirname, '..', '..', 'fixtures', 'smp', 'invalidate.s'), '--cpus', '1', '--max-insns', '500']);
    expect(over.stderr).toMatch(/^ppc64emu: stopped after 500 instructions \(--max-insns\)\n  cpu 0: /);
  });
  it('a bare run that never halts stops at the default bound and says so', () => {
    const dir = tempFiles({ 'spin.s': '# run: --bare\n\t.org 0x100\n1:\tb 1b\n' });
    const r = cli(['run', join(dir, 'spin.s')]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^ppc64emu: stopped after 200000000 instructions \(the default bound of a --bare run; --max-insns N to change it\)\n  cpu 0: pc 0x100 /);
  });
  it('a # run: line that is not options is bad input at its position', () => {
    const dir = tempFiles({ 'bad.s': '# comment\n#   run: bare\n\tnop\n' });
    oneLine(cli(['run', join(dir, 'bad.s')]), /bad\.s:2:10: a '# run:' line holds options/);
  });
});

describe('--trace on a bare machine', () => {
  it('one line per executed instruction, each CPU named, and the run unchanged by tracing', () => {
    const fx = join(__dirname, '..', '..', 'fixtures', 'smp', 'invalidate.s');
    const dir = tempFiles({});
    const plain = cli(['run', fx, '--state-out', join(dir, 'a.json')]);
    const traced = cli(['run', fx, '--state-out', join(dir, 'b.json'), '--trace', join(dir, 't.txt')]);
    expect(traced.status).toBe(0);
    const a = JSON.parse(readFileSync(join(dir, 'a.json'), 'utf8'));
    expect(JSON.parse(readFileSync(join(dir, 'b.json'), 'utf8'))).toEqual(a);
    const lines = readFileSync(join(dir, 't.txt'), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(a.instructions);
    expect(lines[0]).toMatch(/^cpu 0 0x0000000000000100: 3be00000  li      r31,0$/);
    expect(lines.some((l) => l.startsWith('cpu 1 '))).toBe(true);
    expect(plain.stderr).toBe(traced.stderr);
  });
});
