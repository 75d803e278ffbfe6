import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, tempFiles } from '../helpers/cli.js';

const HELLO = `
	.abiversion 2
	.text
	.globl _start
_start:
	li	r0, 4
	li	r3, 1
	lis	r4, msg@ha
	addi	r4, r4, msg@l
	li	r5, 6
	sc
	li	r3, 42
	li	r0, 234
	sc
	.data
msg:	.ascii "hello\\n"
`;

describe('ppc64emu run', () => {
  it('runs an assembly source: guest stdout and exit status pass through, both byte orders', () => {
    const dir = tempFiles({ 'hello.s': HELLO });
    for (const le of [[], ['--le']]) {
      const r = cli(['run', join(dir, 'hello.s'), ...le]);
      expect(r.stdout).toBe('hello\n');
      expect(r.status).toBe(42);
    }
  });

  it('writes --state-out JSON as the contract says', () => {
    const dir = tempFiles({ 'hello.s': HELLO });
    const out = join(dir, 'state.json');
    const r = cli(['run', join(dir, 'hello.s'), '--state-out', out]);
    expect(r.status).toBe(42);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    expect(s.stopReason).toBe('exit');
    expect(s.exitCode).toBe(42);
    expect(s.instructions).toBe(9);
    expect(s.cpus).toHaveLength(1);
    const c = s.cpus[0];
    expect(Object.keys(c).sort()).toEqual(
      ['id', 'pc', 'msr', 'cr', 'xer', 'lr', 'ctr', 'gpr', 'srr0', 'srr1', 'dar', 'dsisr'].sort(),
    );
    expect(c.gpr).toHaveLength(32);
    expect(c.gpr[3]).toBe('0x000000000000002a');
    expect(c.gpr[0]).toBe('0x00000000000000ea');
    expect(c.cr).toMatch(/^[0-9a-f]{8}$/);
    for (const k of ['pc', 'msr', 'xer', 'lr', 'ctr', 'srr0']) expect(c[k]).toMatch(/^0x[0-9a-f]{16}$/);
    // pc is after the final sc: 9 instructions from _start = 0x10000000 (the default .text base)
    expect(c.pc).toBe('0x0000000010000024');
  });

  it('--max-insns and --stop-at stop early with the contract stop reasons', () => {
    const dir = tempFiles({ 'hello.s': HELLO });
    const out = join(dir, 'state.json');
    let r = cli(['run', join(dir, 'hello.s'), '--max-insns', '3', '--state-out', out]);
    expect(r.status).toBe(0);
    let s = JSON.parse(readFileSync(out, 'utf8'));
    expect(s.stopReason).toBe('max-insns');
    expect(s.instructions).toBe(3);
    expect(s.cpus[0].pc).toBe('0x000000001000000c');
    r = cli(['run', join(dir, 'hello.s'), '--stop-at', '0x10000014', '--state-out', out]);
    s = JSON.parse(readFileSync(out, 'utf8'));
    expect(s.stopReason).toBe('stop-at');
    expect(s.instructions).toBe(5);
    expect(r.stdout).toBe('');
    r = cli(['run', join(dir, 'hello.s'), '--stop-at', '_start', '--state-out', out]);
    s = JSON.parse(readFileSync(out, 'utf8'));
    expect(s.instructions).toBe(0);
  });

  it('--trace writes one line per instruction with the disassembly', () => {
    const dir = tempFiles({ 'hello.s': HELLO });
    const tr = join(dir, 'trace.txt');
    cli(['run', join(dir, 'hello.s'), '--trace', tr]);
    const lines = readFileSync(tr, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(9);
    expect(lines[0]).toBe('0x0000000010000000: 38000004  li      r0,4');
    expect(lines[8]).toBe('0x0000000010000020: 44000002  sc');
  });

  it('--events writes JSON lines for the syscalls taken', () => {
    const dir = tempFiles({ 'hello.s': HELLO });
    const ev = join(dir, 'events.jsonl');
    cli(['run', join(dir, 'hello.s'), '--events', ev]);
    const events = readFileSync(ev, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(events.map((e) => e.syscall)).toEqual([4, 234]);
    expect(events.map((e) => e.name)).toEqual(['write', 'exit_group']);
    expect(events[0].vector).toBe('0xc00');
  });

  it('a guest fault ends with the signal status and a one-line diagnostic', () => {
    const dir = tempFiles({ 'bad.s': '\t.abiversion 2\n_start:\n\tli r4, 0\n\tld r3, 8(r4)\n' });
    const r = cli(['run', join(dir, 'bad.s')]);
    expect(r.status).toBe(139);
    expect(r.stderr).toBe(
      'ppc64emu: SIGSEGV at pc 0x0000000010000004: load from unmapped address 0x0000000000000008\n',
    );
  });

  it('--bare runs the annotation-free dynamic checks: two valid PTEs for one VA is D4, exit 1', () => {
    const insert = (offset: number, raHi: string) =>
      `\tlis\tr7, ${raHi}\n\tstd\tr7, ${offset + 8}(r5)\n\teieio\n\tstd\tr6, ${offset}(r5)\n`;
    const prog = (second: boolean) =>
      '\t.org\t0x100\n\tlis\tr3, 0x4\n\tmtsdr1\tr3\n\tlis\tr5, 0x4\n\tori\tr5, r5, 0x9180\n\tlis\tr6, 0x12\n\tori\tr6, r6, 0x3001\n' +
      insert(0, '0x20') + (second ? insert(16, '0x30') : '') + '\tptesync\n\tattn\n';
    const dir = tempFiles({ 'dup.s': prog(true), 'one.s': prog(false) });
    const bad = cli(['run', '--bare', join(dir, 'dup.s'), '--cpu-model', 'power8']);
    expect(bad.status).toBe(1);
    expect(bad.stderr.split('\n')[0]).toBe(
      'ppc64emu: cpu 0: dynamic check D4 (at most one valid PTE translates a virtual page): cpu 0 made slot 0x49190 valid while slot 0x49180 still holds a valid PTE for the same virtual page (dw0 0x123001): two PTEs match one VA',
    );
    const ok = cli(['run', '--bare', join(dir, 'one.s'), '--cpu-model', 'power8']);
    expect(ok.status).toBe(0);
    // No check fails: only the end-of-run summary (stop reason, then each CPU's pc, MSR, GPRs).
    expect(ok.stderr).toMatch(/^ppc64emu: halted \(attn\) after 12 instructions\n  cpu 0: pc 0x[0-9a-f]+ msr 0x9000000000001000 r3=0x40000 r5=0x49180 r6=0x123001 r7=0x200000\n$/);
  });

  it('a reader that closes the pipe early ends the output quietly (exit 0, no stack trace)', async () => {
    const child = spawn(process.execPath, [CLI, 'disasm', '--hex', ...Array.from({ length: 2000 }, () => '7c0802a6')], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy(); // as `| head` does once it has what it wants
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('bad input: exit 2 and one line, never a stack trace', () => {
    const dir = tempFiles({ 'bad.s': '_start:\n\taddi r3, r4\n', 'junk.elf': new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3]) });
    const cases: Array<[string[], RegExp]> = [
      [['run', join(dir, 'bad.s')], /bad\.s:2:\d+: /],
      [['run', join(dir, 'junk.elf')], /junk\.elf: /],
      [['run', join(dir, 'missing.s')], /missing\.s: no such file/],
      [['run', join(dir, 'bad.s'), '--cpu-model', 'power5'], /power5/],
      [['run', join(dir, 'bad.s'), '--max-insns', 'ten'], /ten/],
      [['run', join(dir, 'bad.s'), '--entry', '0x10'], /--entry and --load-addr need --bare/],
      [['run', join(dir, 'bad.s'), '--bare'], /bad\.s:2:\d+: /],
      [['run', join(dir, 'junk.elf'), '--cpus', '2'], /--cpus 2: a user-mode program runs on one CPU/],
      [['run', join(dir, 'junk.elf'), '--cpus', '65'], /65/],
      [['nonsense'], /nonsense/],
      [['disasm', '--hex', 'zz'], /zz/],
    ];
    for (const [args, re] of cases) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr, args.join(' ')).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe('ppc64emu asm and disasm', () => {
  it('assembles to a raw image and disassembles it back in objdump style', () => {
    const dir = tempFiles({ 'a.s': '_start:\n\tli r3, 5\n\tmflr r0\n\tbeq cr1, _start\n\tblr\n' });
    const bin = join(dir, 'a.bin');
    expect(cli(['asm', join(dir, 'a.s'), '-o', bin, '--format', 'bin']).status).toBe(0);
    expect(Array.from(readFileSync(bin))).toEqual([
      0x38, 0x60, 0x00, 0x05, 0x7c, 0x08, 0x02, 0xa6, 0x41, 0x86, 0xff, 0xf8, 0x4e, 0x80, 0x00, 0x20,
    ]);
    const r = cli(['disasm', bin]);
    expect(r.status).toBe(0);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      '       0:\t38 60 00 05 \tli      r3,5',
      '       4:\t7c 08 02 a6 \tmflr    r0',
      '       8:\t41 86 ff f8 \tbeq     cr1,0x0',
      '       c:\t4e 80 00 20 \tblr',
    ]);
  });

  it('disasm --hex takes words, in either byte order', () => {
    expect(cli(['disasm', '--hex', '7c0004ac', '0x4c00012c']).stdout).toBe(
      '       0:\t7c 00 04 ac \thwsync\n       4:\t4c 00 01 2c \tisync\n',
    );
    expect(cli(['disasm', '--le', '--hex', '7c4004ac']).stdout).toBe('       0:\tac 04 40 7c \tptesync\n');
  });
});
