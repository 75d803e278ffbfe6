import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Debugger } from '../../src/debug/debugger.js';
import { runScript } from '../../src/debug/repl.js';
import { loadUserProgram } from '../../src/cpu/load-program.js';
import { processTarget } from '../../src/debug/target.js';
import { cli, tempFiles } from '../helpers/cli.js';
import { LOOP_PROGRAM } from '../helpers/programs.js';

const PROG = LOOP_PROGRAM;

function open(): Debugger {
  const dir = tempFiles({ 'p.s': PROG });
  return new Debugger(processTarget(loadUserProgram(join(dir, 'p.s'))));
}

describe('debugger', () => {
  it('steps, shows registers and the next instruction', () => {
    const d = open();
    expect(d.execute('step')).toBe('0x0000000010000004: 38 80 00 02  li      r4,2');
    expect(d.execute('s 2')).toBe('0x000000001000000c: 2c 23 00 09  cmpdi   r3,9');
    const regs = d.execute('regs');
    expect(regs).toContain(' r3 0x0000000000000003');
    expect(regs).toContain(' r4 0x0000000000000002');
    expect(regs).toContain(' pc 0x000000001000000c');
  });

  it('next runs a call to its return; finish runs to the address in LR', () => {
    const CALL = '\t.abiversion 2\n\t.globl _start\n_start:\n\tli r3,1\n\tbl f\nback:\taddi r3,r3,10\n\tli r0,1\n\tsc\nf:\taddi r3,r3,5\n\taddi r3,r3,5\n\tblr\n';
    const at = () => {
      const dir = tempFiles({ 'c.s': CALL });
      return new Debugger(processTarget(loadUserProgram(join(dir, 'c.s'))));
    };
    const d = at();
    d.execute('step'); // li r3,1; now at bl f
    expect(d.execute('next')).toMatch(/^0x0+10000008 <back>: .*addi    r3,r3,10$/);
    expect(d.cpu.getGpr(3)).toBe(11n); // f ran: 1 + 5 + 5
    expect(d.execute('next')).toMatch(/^0x0+1000000c: .*li      r0,1$/); // not a call: one step
    const e = at();
    e.execute('step 2'); // into f
    expect(e.cpu.getGpr(3)).toBe(1n);
    expect(e.execute('finish')).toMatch(/^0x0+10000008 <back>: /);
    expect(e.cpu.getGpr(3)).toBe(11n);
    expect(e.execute('continue')).toBe('program exited with status 21');
  });

  it('watch stops a continue right after an instruction changes the watched bytes, not on a same-value store', () => {
    const W = '\t.abiversion 2\n\t.globl _start\n_start:\n\tlis r9,buf@ha\n\taddi r9,r9,buf@l\n\tli r3,0\nloop:\taddi r3,r3,1\n\tstw r3,0(r9)\n\tstw r3,0(r9)\n\tcmpdi r3,3\n\tblt loop\n\tli r0,1\n\tsc\n\t.data\nbuf:\t.long 0\n';
    const dir = tempFiles({ 'w.s': W });
    const d = new Debugger(processTarget(loadUserProgram(join(dir, 'w.s'))));
    expect(d.execute('watch buf 4')).toMatch(/^watchpoint 0x10010000 \(4 bytes\) <buf>: /);
    expect(d.execute('continue')).toMatch(/^watchpoint 0x10010000 \(4 bytes\): 0x00000000 -> 0x00000001\n0x0+10000014: .*stw     r3,0\(r9\)$/);
    // The second stw writes the same value: the next stop is the next iteration's first store.
    expect(d.execute('continue')).toMatch(/^watchpoint 0x10010000 \(4 bytes\): 0x00000001 -> 0x00000002\n0x0+10000014: /);
    expect(d.execute('info watchpoints')).toBe('0x10010000 (4 bytes)');
    expect(d.execute('unwatch')).toBe('deleted 1 watchpoint');
    expect(d.execute('continue')).toBe('program exited with status 3');
  });

  it('rwatch stops after a load of the watched bytes, awatch after loads and stores (a same-value store too)', () => {
    const W = '\t.abiversion 2\n\t.globl _start\n_start:\n\tlis r9,buf@ha\n\taddi r9,r9,buf@l\n\tli r3,0\nloop:\taddi r3,r3,1\n\tstw r3,0(r9)\n\tstw r3,0(r9)\n\tlwz r4,0(r9)\n\tcmpdi r3,2\n\tblt loop\n\tli r0,1\n\tsc\n\t.data\nbuf:\t.long 0\n';
    const dir = tempFiles({ 'w.s': W });
    const d = new Debugger(processTarget(loadUserProgram(join(dir, 'w.s'))));
    expect(d.execute('rwatch buf 4')).toMatch(/^read watchpoint 0x10010000 \(4 bytes\) <buf>: continue stops after an instruction loads from it/);
    expect(d.execute('continue')).toMatch(/^read watchpoint 0x10010000 \(4 bytes\): value 0x00000001 read\n0x0+1000001c: .*cmpdi/);
    expect(d.execute('unwatch')).toBe('deleted 1 watchpoint');
    expect(d.execute('awatch buf+2 1')).toMatch(/^access watchpoint 0x10010002 \(1 bytes\)/);
    expect(d.execute('info watchpoints')).toBe('access watchpoint 0x10010002 (1 bytes)');
    // Byte 2 of the word stays 0 as r3 counts (only byte 3 changes): each store to it is an access, not a change.
    expect(d.execute('continue')).toMatch(/^access watchpoint 0x10010002 \(1 bytes\): value 0x00 stored again\n0x0+10000014: /);
    expect(d.execute('continue')).toMatch(/^access watchpoint 0x10010002 \(1 bytes\): value 0x00 stored again\n0x0+10000018: /);
    expect(d.execute('continue')).toMatch(/^access watchpoint 0x10010002 \(1 bytes\): value 0x00 read\n0x0+1000001c: /);
    expect(d.execute('unwatch')).toBe('deleted 1 watchpoint');
    expect(d.execute('continue')).toBe('program exited with status 2');
  });

  it('display shows its expressions after every step, next and continue; undisplay drops one; a bad one is refused', () => {
    const d = open();
    expect(d.execute('display r3')).toBe('1: r3 = 0x0 (0)');
    expect(d.execute('display x/i pc')).toMatch(/^2: => 0x0+10000000 <_start>: .*li +r3,1$/); // disasm marks pc
    expect(d.execute('display nosuchlabel')).toBe('no symbol nosuchlabel');
    expect(d.execute('step').split('\n')).toEqual([
      '0x0000000010000004: 38 80 00 02  li      r4,2',
      '1: r3 = 0x1 (1)',
      expect.stringMatching(/^2: => 0x0+10000004: .*li +r4,2$/),
    ]);
    expect(d.execute('undisplay 2')).toBe('deleted display 2');
    expect(d.execute('s 2').split('\n')).toEqual(['0x000000001000000c: 2c 23 00 09  cmpdi   r3,9', '1: r3 = 0x3 (3)']);
    expect(d.execute('display')).toBe('1: r3 = 0x3 (3)');
    expect(d.execute('undisplay')).toBe('deleted 1 display');
    expect(d.execute('step')).toMatch(/^0x0+10000010: .*blt +0x10000008$/); // no displays left
  });

  it('print evaluates address expressions; x/Ni disassembles', () => {
    const d = open();
    d.execute('s 2'); // the second instruction is li r4,2
    expect(d.execute('p r4')).toBe('r4 = 0x2 (2)');
    expect(d.execute('print loop+4')).toBe('loop+4 = 0x1000000c (268435468)');
    expect(d.execute('x/2i loop')).toBe(d.execute('disasm loop 2'));
    expect(d.execute('x/i pc').split('\n')).toHaveLength(1);
    expect(d.execute('p')).toMatch(/^print needs an expression/);
  });

  it('breaks on a label, continues to it each loop iteration, deletes it, runs to exit', () => {
    const d = open();
    expect(d.execute('break loop')).toBe('breakpoint at 0x10000008 <loop>');
    expect(d.execute('continue')).toBe('breakpoint at 0x10000008\n0x0000000010000008 <loop>: 7c 63 22 14  add     r3,r3,r4');
    expect(d.execute('c').split('\n')[0]).toBe('breakpoint at 0x10000008');
    expect(d.cpu.getGpr(3)).toBe(3n);
    expect(d.execute('c').split('\n')[0]).toBe('breakpoint at 0x10000008');
    expect(d.cpu.getGpr(3)).toBe(5n);
    expect(d.execute('info breakpoints')).toBe('0x10000008 <loop>');
    expect(d.execute('delete loop')).toBe('deleted 1 breakpoint');
    expect(d.execute('continue')).toBe('program exited with status 9');
    expect(d.execute('step')).toBe('program exited with status 9');
  });

  it('examines memory and disassembles around pc', () => {
    const d = open();
    expect(d.execute('x/2w val')).toBe('0x10010000: 0x11223344 0x55667788');
    expect(d.execute('x/1g val')).toBe('0x10010000: 0x1122334455667788');
    expect(d.execute('x/3b val+1')).toBe('0x10010001: 0x22 0x33 0x44');
    const dis = d.execute('disasm pc 3').split('\n');
    expect(dis).toEqual([
      '=> 0x0000000010000000 <_start>: 38 60 00 01  li      r3,1',
      '   0x0000000010000004: 38 80 00 02  li      r4,2',
      '   0x0000000010000008 <loop>: 7c 63 22 14  add     r3,r3,r4',
    ]);
  });

  it('reports bad commands and addresses without throwing', () => {
    const d = open();
    expect(d.execute('frobnicate')).toBe('unknown command: frobnicate (try help)');
    expect(d.execute('break nowhere')).toBe('no symbol nowhere');
    expect(d.execute('x/4w 0x10')).toBe('cannot access memory at 0x10');
    expect(d.execute('break 0x10000002')).toBe('breakpoint address 0x10000002 is not word-aligned');
  });

  it('runs a command script and prints a transcript (debug --commands)', () => {
    const d = open();
    expect(runScript(d, ['step', '# comment', 'x/1w r1', 'quit', 'step'])).toBe(
      '(ppc64emu) step\n0x0000000010000004: 38 80 00 02  li      r4,2\n(ppc64emu) x/1w r1\n' +
        d.execute('x/1w r1') +
        '\n(ppc64emu) quit\n',
    );
  });

  it('the CLI drives it from a file', () => {
    const dir = tempFiles({ 'p.s': PROG, 'cmds': 'break done\ncontinue\nregs\ncontinue\n' });
    const r = cli(['debug', join(dir, 'p.s'), '--commands', join(dir, 'cmds')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(ppc64emu) continue\nbreakpoint at 0x10000014\n');
    expect(r.stdout).toContain(' r3 0x0000000000000009');
    expect(r.stdout).toContain('program exited with status 9');
  });
});

describe('debugger on a bare machine', () => {
  const SMP = `
	.org 0x100
_start:	mfspr	r3, 1023		# PIR
	sldi	r4, r3, 3
	addi	r4, r4, 0x800
	std	r3, 0(r4)
	cmpdi	r3, 0
	bne	2f
1:	ld	r5, 0x808(0)		# cpu 0 waits for cpu 1's store, then halts the machine
	cmpdi	r5, 1
	bne	1b
	attn
2:	b	2b
`;
  it('selects CPUs, steps one CPU alone, continues all, reads real memory', () => {
    const dir = tempFiles({ 'smp.s': SMP, cmds: 'cpu\ncpu 1\nstep 2\nregs\ncpu 0\nx/2g 0x800\ncontinue\nx/2g 0x800\ntlb\ncpu 7\n' });
    const r = cli(['debug', '--bare', '--cpus', '2', join(dir, 'smp.s'), '--commands', join(dir, 'cmds')]);
    expect(r.status).toBe(0);
    const out = r.stdout;
    expect(out).toContain('(ppc64emu) cpu\ncpu 0 of 2, pc 0x100\n');
    expect(out).toContain('(ppc64emu) cpu 1\ncpu 1 of 2, pc 0x100\n');
    // cpu 1 alone ran mfspr and sldi: r3 = 1, r4 = 8; cpu 0 has not moved
    expect(out).toContain(' r3 0x0000000000000001');
    expect(out).toContain(' r4 0x0000000000000008');
    expect(out).toContain('(ppc64emu) cpu 0\ncpu 0 of 2, pc 0x100\n');
    expect(out).toContain('(ppc64emu) x/2g 0x800\n0x800: 0x0000000000000000 0x0000000000000000\n');
    expect(out).toContain('(ppc64emu) continue\nprogram stopped: halt\n');
    expect(out).toContain('0x800: 0x0000000000000000 0x0000000000000001\n');
    expect(out).toContain('(ppc64emu) tlb\ncpu 0 TLB: 0 entries\n');
    expect(out).toContain('(ppc64emu) cpu 7\nno cpu 7 (this target has 2)\n');
  });

  it('x reads an EA as the CPU translates it (a stale TLB entry included), xp a real address, translate shows each step', () => {
    // fixtures/bare/stale.s at 0x198: EA 0x10000000 was loaded into the TLB as page A (RA
    // 0x200000, 0xaaaa); the PTE now points at page B (RA 0x300000, 0xbbbb), with no tlbie.
    const dir = tempFiles({ cmds: 'break 0x198\ncontinue\nx/wx 0x10000000\nxp/wx 0x300000\ntranslate 0x10000000\ntranslate 0x20000000\nx/wx 0x20000000\n' });
    const r = cli(['debug', join(__dirname, '..', '..', 'fixtures', 'bare', 'stale.s'), '--commands', join(dir, 'cmds')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('(ppc64emu) x/wx 0x10000000\n0x10000000: 0x0000aaaa\n');
    expect(r.stdout).toContain('(ppc64emu) xp/wx 0x300000\n0x300000: 0x0000bbbb\n');
    expect(r.stdout).toContain(
      [
        '(ppc64emu) translate 0x10000000',
        'cpu 0 ea 0x10000000 (MSR[DR]=1 MSR[IR]=0)',
        '  slb: esid 0x1 vsid 0x123 (256M segment), va 0x1230000000',
        '  tlb: ra 0x200000 (4K page)',
        '  hpt: slot 0x49180 ra 0x300000 (4K page)',
        '  (the TLB entry is stale: the table now maps this page elsewhere)',
        '  -> ra 0x200000 (through the TLB entry)',
        '(ppc64emu) translate 0x20000000',
        'cpu 0 ea 0x20000000 (MSR[DR]=1 MSR[IR]=0)',
        '  slb: no entry (a load or store takes a Data Segment interrupt)',
        '(ppc64emu) x/wx 0x20000000',
        'cannot access memory at 0x20000000 (no translation: see translate)',
      ].join('\n'),
    );
  });

  it('a breakpoint stops whichever CPU reaches it, and says which', () => {
    // Only cpu 1 reaches `idle`; cpu 0 is the selected CPU when the breakpoint is set.
    const dir = tempFiles({ 'smp.s': SMP.replace('2:\tb\t2b', 'idle:\n2:\tb\t2b'), cmds: 'break idle\ncontinue\ncpu\n' });
    const r = cli(['debug', '--bare', '--cpus', '2', join(dir, 'smp.s'), '--commands', join(dir, 'cmds')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\(ppc64emu\) continue\nbreakpoint at 0x(\w+) \(cpu 1\)\n0x0+\1 <idle>: /);
    expect(r.stdout).toContain('(ppc64emu) cpu\ncpu 1 of 2,');
  });
});

describe('interactive debugger on a terminal', () => {
  it('Ctrl-C stops a continue on a spinning program and returns to the prompt', async () => {
    const { spawn, spawnSync } = await import('node:child_process');
    if (spawnSync('script', ['--version']).status !== 0) {
      console.log('skipping: util-linux script is not installed (needed for a pseudo-terminal)');
      return;
    }
    const { CLI, tempFiles } = await import('../helpers/cli.js');
    const { join } = await import('node:path');
    const dir = tempFiles({ 'spin.s': '\t.abiversion 2\n\t.globl _start\n_start:\n1:\taddi r3,r3,1\n\tb 1b\n' });
    const child = spawn('script', ['-qfc', `${process.execPath} ${CLI} debug ${join(dir, 'spin.s')}`, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const wait = (re: RegExp) =>
      new Promise<void>((resolve, reject) => {
        const t0 = Date.now();
        const tick = () => (re.test(out) ? resolve() : Date.now() - t0 > 20_000 ? reject(new Error(`no ${re} in ${out}`)) : setTimeout(tick, 50));
        tick();
      });
    await wait(/\(ppc64emu\) /);
    child.stdin.write('c\n');
    await new Promise((r) => setTimeout(r, 500)); // it is running the endless loop now
    child.stdin.write('\x03');
    await wait(/interrupted/);
    child.stdin.write('regs\n');
    await wait(/r3 0x0*[1-9a-f][0-9a-f]*/);
    // An empty line repeats the last command (gdb's habit): a second step without typing it.
    const steps = () => (out.match(/\n0x0*1000000[04][ :<]/g) ?? []).length;
    const n0 = steps();
    const grow = async (from: number) => {
      const t0 = Date.now();
      while (steps() === from && Date.now() - t0 < 10_000) await new Promise((r) => setTimeout(r, 50));
    };
    child.stdin.write('step\n');
    await grow(n0);
    const n1 = steps();
    child.stdin.write('\n');
    await grow(n1);
    expect([n1 - n0, steps() - n1]).toEqual([1, 1]);
    child.stdin.write('quit\n');
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
    expect(out).toMatch(/interrupted\r?\n0x0*1000000[04] </); // the loop is two instructions
  });
});

describe("the guest's output under the debugger and the GDB server", () => {
  const HELLO = '\t.abiversion 2\n\t.globl _start\n_start:\n\tli r0,4\n\tli r3,1\n\tlis r4,msg@ha\n\taddi r4,r4,msg@l\n\tli r5,6\n\tsc\n\tli r0,1\n\tli r3,0\n\tsc\n\t.data\nmsg:\t.ascii "hello\\n"\n';
  it('debug shows what the program writes where it writes it', () => {
    const dir = tempFiles({ 'hello.s': HELLO, cmds: 'stepi 5\nc\n' });
    const r = cli(['debug', join(dir, 'hello.s'), '--commands', join(dir, 'cmds')]);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\(ppc64emu\) stepi 5\n.*\n\(ppc64emu\) c\nhello\nprogram exited with status 0\n$/);
  });
  it('gdbserver forwards it to its own stdout', async () => {
    const { spawn } = await import('node:child_process');
    const { connect } = await import('node:net');
    const { frame } = await import('../../src/debug/gdb/rsp.js');
    const { CLI } = await import('../helpers/cli.js');
    const dir = tempFiles({ 'hello.s': HELLO });
    const child = spawn(process.execPath, [CLI, 'gdbserver', '0', join(dir, 'hello.s')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const port = await new Promise<number>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
    });
    const reply = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(frame('c')));
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('#')) {
          sock.write('+' + frame('k'));
          resolve(buf);
        }
      });
    });
    expect(reply).toBe('+' + frame('W00'));
    await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(out).toBe('hello\n');
  });
});
