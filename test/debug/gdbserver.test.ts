// The GDB remote protocol: framing, the session's replies packet by packet (hand-computed),
// and gdb-multiarch itself attached to the server (skipped, with the reason, when absent).

import { execFile, spawn, spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBareMachine, loadUserProgram } from '../../src/cpu/load-program.js';
import { assemble, toElf } from '../../src/isa/index.js';
import { frame, PacketReader } from '../../src/debug/gdb/rsp.js';
import { serveGdb } from '../../src/debug/gdb/server.js';
import { GdbSession } from '../../src/debug/gdb/session.js';
import { machineTarget, processTarget } from '../../src/debug/target.js';
import { CLI, tempFiles } from '../helpers/cli.js';
import { LOOP_PROGRAM } from '../helpers/programs.js';

const PROG = LOOP_PROGRAM;

function open() {
  const dir = tempFiles({ 'p.s': PROG, 'p.elf': toElf(assemble(PROG, { fileName: 'p.s' })) });
  const path = join(dir, 'p.s');
  const proc = loadUserProgram(path);
  return { proc, path, target: processTarget(proc), sym: (n: string) => proc.image.symbols.get(n)! };
}

const text = (r: ReturnType<GdbSession['handle']>) => (r.kind === 'reply' ? r.payload : r.kind);

describe('RSP framing', () => {
  it('frames with a modulo-256 checksum and escapes $ # } *', () => {
    expect(frame('OK')).toBe('$OK#9a');
    expect(frame('')).toBe('$#00');
    expect(frame('a}b')).toBe('$a}]b#' + ((0x61 + 0x7d + 0x5d + 0x62) & 0xff).toString(16));
  });

  it('reads packets split across chunks, acks, interrupts and bad checksums', () => {
    const r = new PacketReader();
    expect(r.feed('+$g#6')).toEqual([{ kind: 'ack' }]);
    expect(r.feed('7\x03$m10,4#00-')).toEqual([{ kind: 'packet', payload: 'g' }, { kind: 'interrupt' }, { kind: 'bad-checksum' }, { kind: 'nak' }]);
    expect(r.feed('$a}]b#' + ((0x61 + 0x7d + 0x5d + 0x62) & 0xff).toString(16))).toEqual([{ kind: 'packet', payload: 'a}b' }]);
  });
});

describe('GDB session', () => {
  it('answers the queries GDB starts with', () => {
    const { target } = open();
    const s = new GdbSession(target);
    expect(text(s.handle('qSupported:multiprocess+;xmlRegisters=rs6000'))).toBe('PacketSize=4000;qXfer:features:read+');
    expect(text(s.handle('?'))).toBe('T05thread:1;');
    expect(text(s.handle('qfThreadInfo'))).toBe('m1');
    expect(text(s.handle('qC'))).toBe('QC1');
    expect(text(s.handle('vMustReplyEmpty'))).toBe('');
    const xml = text(s.handle('qXfer:features:read:target.xml:0,4000'));
    expect(xml.startsWith('l<?xml')).toBe(true);
    expect(xml).toContain('<architecture>powerpc:common64</architecture>');
    expect(xml).toContain('<reg name="pc" bitsize="64" regnum="64" type="code_ptr"/>');
    expect(xml).toContain('<reg name="xer" bitsize="32" regnum="69"/>');
    expect(xml).toContain('<feature name="org.ppc64emu.spr"><reg name="srr0" bitsize="64" regnum="71"/>');
    expect(xml).toContain('<reg name="dsisr" bitsize="32" regnum="74"/>');
    expect(xml).toContain('<reg name="dec" bitsize="32" regnum="88"/>');
    expect(text(s.handle('qXfer:features:read:target.xml:0,10'))).toBe('m<?xml version="1'); // 0x10 bytes
  });

  it('reads and writes registers and memory in the target byte order', () => {
    const { target, sym, proc } = open();
    const s = new GdbSession(target);
    const g = text(s.handle('g'));
    // 32 GPRs + 32 FPRs + pc + msr (8 bytes each), cr (4), lr, ctr (8), xer, fpscr (4); then
    // the SPRs: twelve of 8 bytes (srr0/1, dar, hsrr0/1, sprg0-3, sdr1, ptcr, lpcr) and six of
    // 4 (dsisr, lpidr, pid, pvr, pir, dec).
    expect(g.length).toBe(2 * (66 * 8 + 4 + 16 + 8 + 12 * 8 + 6 * 4));
    expect(g.slice(64 * 16, 65 * 16)).toBe(sym('_start').toString(16).padStart(16, '0'));
    expect(text(s.handle('p40'))).toBe(sym('_start').toString(16).padStart(16, '0'));
    expect(text(s.handle('P3=00000000000000ff'))).toBe('OK');
    expect(proc.cpu.getGpr(3)).toBe(0xffn);
    // f1 (GDB's 33 = 0x21) is the CPU's FPR: -2.5 is 0xc004000000000000.
    expect(text(s.handle('P21=c004000000000000'))).toBe('OK');
    expect([proc.cpu.vsr[1 << 2]! >>> 0, proc.cpu.vsr[(1 << 2) | 1]]).toEqual([0xc0040000, 0]);
    expect(text(s.handle('p21'))).toBe('c004000000000000');
    expect(text(s.handle('p42'))).toBe('00000000'); // cr
    expect(text(s.handle(`m${sym('val').toString(16)},8`))).toBe('1122334455667788');
    expect(text(s.handle(`M${sym('val').toString(16)},2:abcd`))).toBe('OK');
    expect(text(s.handle(`m${sym('val').toString(16)},4`))).toBe('abcd3344');
    expect(text(s.handle('m10,4'))).toBe('E01'); // unmapped
    expect(text(s.handle('p99'))).toBe('E01');
  });

  it('steps, stops at breakpoints, and reports the exit', () => {
    const { target, sym, proc } = open();
    const s = new GdbSession(target);
    expect(text(s.handle('s'))).toBe('T05thread:1;');
    expect(proc.cpu.pc).toBe(sym('_start') + 4n);
    expect(text(s.handle(`Z0,${sym('done').toString(16)},4`))).toBe('OK');
    expect(text(s.handle('c'))).toBe('running');
    expect(s.runSlice()).toBe('T05thread:1;');
    expect(proc.cpu.pc).toBe(sym('done'));
    expect(proc.cpu.getGpr(3)).toBe(9n); // 1 + 2 + 2 + 2 + 2
    expect(text(s.handle(`z0,${sym('done').toString(16)},4`))).toBe('OK');
    expect(text(s.handle('c'))).toBe('running');
    expect(s.runSlice()).toBe('W09'); // exit_group(r3 = 9)
    expect(text(s.handle('Z2,1000,4'))).toBe('E01'); // a write watchpoint on unmapped storage
    expect(text(s.handle('Z3,1000,4'))).toBe('E01'); // a read watchpoint on unmapped storage
    expect(s.handle('k').kind).toBe('close');
  });
});

describe('GDB session on a bare machine', () => {
  it('shows each CPU as a thread and stops a continue on interrupt', () => {
    const { machine, symbols } = loadBareMachine(join(__dirname, '../../fixtures/smp/invalidate.s'), { cpus: 2, model: 'power8', entry: 0x100n });
    const s = new GdbSession(machineTarget(machine, symbols));
    expect(text(s.handle('qfThreadInfo'))).toBe('m1,2');
    expect(text(s.handle('Hg2'))).toBe('OK');
    expect(text(s.handle('p41'))).toBe('9000000000001000'); // cpu 1's MSR: SF, HV, ME
    expect(text(s.handle('qThreadExtraInfo,2'))).toBe(Buffer.from('cpu 1').toString('hex'));
    expect(text(s.handle('T3'))).toBe('E01');
    expect(text(s.handle('c'))).toBe('running');
    expect(s.interrupt()).toBe('T02thread:2;');
    expect(s.interrupt()).toBeNull(); // not running any more
  });

  it('a bare machine halted by attn is a stop (T05) with its state kept, after a stepi too', () => {
    const { machine, symbols } = loadBareMachine(join(__dirname, '../../fixtures/smp/invalidate.s'), { cpus: 2, model: 'power8', entry: 0x100n });
    const s = new GdbSession(machineTarget(machine, symbols));
    expect(text(s.handle('s'))).toBe('T05thread:1;');
    expect(text(s.handle('c'))).toBe('running');
    let stop: string | null = null;
    for (let k = 0; k < 100 && stop === null; k++) stop = s.runSlice();
    expect(stop).toBe('T05thread:1;');
    expect(machine.stop).toBe('halt');
    expect(text(s.handle('Hg2'))).toBe('OK');
    expect(text(s.handle('p15'))).toBe('000000000000aaaa'); // cpu 1's r21: the stale read of case (a), still there
    expect(text(s.handle('?'))).toBe('T05thread:1;'); // the halted machine: reported on the first CPU
  });
});

describe('GDB session: MMU views and translated memory', () => {
  it('reads memory by EA through the CPU\'s translation (a stale TLB entry included) and answers monitor commands', () => {
    // fixtures/bare/stale.s at 0x198: the TLB maps EA 0x10000000 to page A (0xaaaa) while the
    // PTE already points at page B (0xbbbb), with MSR[DR] = 1.
    const { machine, symbols } = loadBareMachine(join(__dirname, '../../fixtures/bare/stale.s'), { cpus: 1, model: 'power8', entry: 0x100n });
    const s = new GdbSession(machineTarget(machine, symbols));
    expect(text(s.handle('Z0,198,4'))).toBe('OK');
    expect(text(s.handle('c'))).toBe('running');
    let stop: string | null = null;
    for (let k = 0; k < 100 && stop === null; k++) stop = s.runSlice();
    expect(stop).toBe('T05thread:1;');
    expect(text(s.handle('m10000000,4'))).toBe('0000aaaa');
    const monitor = (cmd: string) => Buffer.from(text(s.handle('qRcmd,' + Buffer.from(cmd).toString('hex'))), 'hex').toString();
    expect(monitor('translate 0x10000000')).toContain('  tlb: ra 0x200000 (4K page)\n  hpt: slot 0x49180 ra 0x300000 (4K page)\n  (the TLB entry is stale');
    expect(monitor('info tlb')).toMatch(/^cpu 0 TLB: 1 entries\n/);
    expect(monitor('xp/wx 0x300000')).toBe('0x300000: 0x0000bbbb\n');
    expect(monitor('stepi')).toMatch(/^monitor commands: tlb/);
    expect(monitor('pending')).toBe('no pending invalidations\nno page-table stores invisible to other CPUs\n');
    expect(text(s.handle('qRcmd,zz'))).toBe('E01');
  });
});

describe('GDB session: watchpoints stop before the access (Z2, Z3, Z4)', () => {
  // r3 counts 1, 2, 3: each iteration stores it twice to buf, loads it back into r4, and loads
  // byte 7 (the second word's last) into r5. As POWER's data address breakpoint and QEMU's
  // gdbstub for PowerPC, the stop comes before the accessing instruction (pc at it, nothing of
  // it done); GDB then steps over it itself (z, s, Z) and, for `watch`, compares the value.
  const W = '\t.abiversion 2\n\t.globl _start\n_start:\n\tlis r9,buf@ha\n\taddi r9,r9,buf@l\n\tli r3,0\nloop:\taddi r3,r3,1\n\tstw r3,0(r9)\n\tstw r3,0(r9)\n\tlwz r4,0(r9)\n\tlbz r5,7(r9)\n\tcmpdi r3,3\n\tblt loop\n\tli r0,1\n\tsc\n\t.data\nbuf:\t.long 0\n\t.long 0\n';
  const session = () => new GdbSession(processTarget(loadUserProgram(join(tempFiles({ 'w.s': W }), 'w.s'))));
  const cont = (s: GdbSession) => {
    expect(text(s.handle('c'))).toBe('running');
    let stop: string | null = null;
    for (let k = 0; k < 1000 && stop === null; k++) stop = s.runSlice();
    return stop;
  };
  it('Z2 stops before every store to the watched bytes, the same-value one too (GDB compares)', () => {
    const s = session();
    expect(text(s.handle('Z2,10010000,4'))).toBe('OK');
    expect(cont(s)).toBe('T05watch:10010000;thread:1;');
    expect(text(s.handle('p40'))).toBe('0000000010000010'); // at the first stw
    expect(text(s.handle('m10010000,4'))).toBe('00000000'); // not yet stored
    // GDB's step over the access: remove, step, insert.
    expect(text(s.handle('z2,10010000,4'))).toBe('OK');
    expect(text(s.handle('s'))).toBe('T05thread:1;');
    expect(text(s.handle('m10010000,4'))).toBe('00000001');
    expect(text(s.handle('Z2,10010000,4'))).toBe('OK');
    expect(cont(s)).toBe('T05watch:10010000;thread:1;');
    expect(text(s.handle('p40'))).toBe('0000000010000014'); // the second stw
    // A continue straight from a watch stop runs that instruction first, then stops at the next store.
    expect(cont(s)).toBe('T05watch:10010000;thread:1;');
    expect(text(s.handle('p40'))).toBe('0000000010000010');
    expect(text(s.handle('m10010000,4'))).toBe('00000001');
    expect(text(s.handle('z2,10010000,4'))).toBe('OK');
    expect(cont(s)).toBe('W03');
  });
  it('Z3 stops before each load of a watched byte (not at stores, not at loads of other bytes)', () => {
    const s = session();
    expect(text(s.handle('Z3,10010000,4'))).toBe('OK');
    expect(cont(s)).toBe('T05rwatch:10010000;thread:1;');
    expect(text(s.handle('p40'))).toBe('0000000010000018'); // at the lwz
    expect(text(s.handle('p4'))).toBe('0000000000000000'); // r4 not loaded yet
    expect(cont(s)).toBe('T05rwatch:10010000;thread:1;'); // the lbz of byte 7 is outside: next iteration's lwz
    expect(text(s.handle('p4'))).toBe('0000000000000001');
    expect(text(s.handle('z3,10010000,4'))).toBe('OK');
    expect(cont(s)).toBe('W03');
  });
  it('Z4 stops before every load and store of a watched byte', () => {
    const s = session();
    expect(text(s.handle('Z4,10010004,4'))).toBe('OK'); // the second word: only the lbz touches it
    expect(cont(s)).toBe('T05awatch:10010004;thread:1;');
    expect(text(s.handle('p40'))).toBe('000000001000001c'); // at the lbz
    expect(text(s.handle('z4,10010004,4'))).toBe('OK');
    expect(text(s.handle('Z4,10010000,1'))).toBe('OK');
    const pcs: string[] = [];
    for (let k = 0; k < 3; k++) {
      expect(cont(s)).toBe('T05awatch:10010000;thread:1;');
      pcs.push(text(s.handle('p40')));
    }
    // the next iteration's two stw and its lwz
    expect(pcs).toEqual(['0000000010000010', '0000000010000014', '0000000010000018']);
  });
  it('on a bare machine, breakpoints and watchpoints resume (a continue after a stop runs on)', () => {
    const B = '\t.org 0x100\n_start:\tli 3,0\nloop:\taddi 3,3,1\n\tstw 3,0x800(0)\n\tlwz 4,0x800(0)\n\tcmpdi 3,5\n\tblt loop\n\tattn\n';
    const { machine, symbols } = loadBareMachine(join(tempFiles({ 'b.s': B }), 'b.s'), { cpus: 1, model: 'power8', entry: 0x100n });
    const s = new GdbSession(machineTarget(machine, symbols));
    expect(text(s.handle('Z0,104,4'))).toBe('OK');
    const regs = () => [text(s.handle('p40')), text(s.handle('p3')), text(s.handle('p4'))].map((x) => Number(BigInt('0x' + x)));
    expect([cont(s), ...regs()]).toEqual(['T05thread:1;', 0x104, 0, 0]);
    expect([cont(s), ...regs()]).toEqual(['T05thread:1;', 0x104, 1, 1]);
    expect(text(s.handle('z0,104,4'))).toBe('OK');
    expect(text(s.handle('Z3,800,4'))).toBe('OK');
    expect([cont(s), ...regs()]).toEqual(['T05rwatch:800;thread:1;', 0x10c, 2, 1]);
    expect([cont(s), ...regs()]).toEqual(['T05rwatch:800;thread:1;', 0x10c, 3, 2]);
  });
});

describe('the isa policy\'s own state (monitor pending)', () => {
  it('shows a tlbie not yet applied anywhere, and page-table stores not yet visible', () => {
    // fixtures/smp/invalidate.s case (b) under --mmu-policy isa: at 0x27c CPU 0 has stored the
    // new PTE's dw1 (0x49108), eieio, then dw0 (0x49100), no ptesync yet; at 0x2e8 its tlbie
    // has been issued and, before tlbsync, may not have reached either CPU.
    const at = (stopAt: bigint) => {
      const { machine, symbols } = loadBareMachine(join(__dirname, '../../fixtures/smp/invalidate.s'), { cpus: 2, model: 'power8', entry: 0x120n, policy: 'isa' });
      const s = new GdbSession(machineTarget(machine, symbols));
      expect(text(s.handle(`Z0,${stopAt.toString(16)},4`))).toBe('OK');
      expect(text(s.handle('c'))).toBe('running');
      for (let k = 0; k < 100 && s.runSlice() === null; k++);
      return Buffer.from(text(s.handle('qRcmd,' + Buffer.from('pending').toString('hex'))), 'hex').toString();
    };
    expect(at(0x27cn)).toBe('no pending invalidations\npage-table stores other CPUs cannot see yet:\n  cpu 0: doubleword at 0x49100 (ordering epoch 1)\n  cpu 0: doubleword at 0x49108 (ordering epoch 0)\n');
    expect(at(0x2e8n)).toBe('pending invalidations:\n  #0 tlbie from cpu 0: VA 0x1230000000 4K B=0; not yet applied on cpu 0, 1\nno page-table stores invisible to other CPUs\n');
  });
});

describe('ppc64emu gdbserver', () => {
  it('listens on 127.0.0.1, answers packets, and exits when GDB kills the target', async () => {
    const { path } = open();
    const child = spawn(process.execPath, [CLI, 'gdbserver', '0', path], { stdio: ['ignore', 'pipe', 'pipe'] });
    const port = await new Promise<number>((resolve) => {
      child.stderr.on('data', (d: Buffer) => {
        const m = /listening on 127\.0\.0\.1:(\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
    });
    const got = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write('$?#3f'));
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('#')) {
          sock.write('+$k#6b');
          resolve(buf);
        }
      });
    });
    expect(got).toBe('+' + frame('T05thread:1;'));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });
});

describe('gdb server transport', () => {
  it('a continue runs until GDB interrupts it (0x03): stop reply SIGINT', async () => {
    const dir = tempFiles({ 'spin.s': '\t.abiversion 2\n\t.text\n\t.globl _start\n_start:\n1:\taddi\tr3, r3, 1\n\tb\t1b\n' });
    const target = processTarget(loadUserProgram(join(dir, 'spin.s')));
    const port = await new Promise<number>((resolve) => serveGdb(target, { port: 0, onListening: resolve }));
    const replies = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(frame('c')));
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf === '+') setTimeout(() => sock.write('\x03'), 50); // acked, running: interrupt it
        if (buf.includes('#')) {
          sock.write('+' + frame('k'));
          resolve(buf);
        }
      });
    });
    expect(replies).toBe('+' + frame('T02thread:1;'));
    expect(target.cpus[0]!.getGpr(3)).toBeGreaterThan(0n); // it did run
  });
});

describe('malformed input never ends the server', () => {
  it('malformed packets get E01 and the session keeps answering', () => {
    const { target } = open();
    const s = new GdbSession(target);
    for (const bad of ['mzz,4', 'm-1,4', 'm10', 'm,', 'Z0', 'Z0,zz,4', 'z0,,', 'Z9,10,4', 'czz', 'c-1', 'szz', 'pzz', 'P=00', 'Pzz=00', 'Hgzz', 'Tzz', 'M10,zz:00', 'qXfer:features:read:target.xml:zz,10', 'm11223344556677889,4']) {
      expect(text(s.handle(bad)), bad).toBe('E01');
    }
    expect(text(s.handle('Z4,1000,4'))).toBe('E01'); // an access watchpoint where nothing is mapped
    expect(text(s.handle('?'))).toBe('T05thread:1;');
  });

  it('an endless packet is dropped with a nak in linear time; the next packet is read', () => {
    const r = new PacketReader();
    const out = [];
    out.push(...r.feed('$'));
    for (let k = 0; k < 64; k++) out.push(...r.feed('a'.repeat(4096)));
    expect(out).toEqual([{ kind: 'bad-checksum' }]);
    expect(r.feed('#00' + frame('g'))).toEqual([{ kind: 'packet', payload: 'g' }]);
  });

  it('over the socket: malformed packets, then continue, interrupt and detach end cleanly with nothing left running', async () => {
    const dir = tempFiles({ 'spin.s': '\t.abiversion 2\n\t.text\n\t.globl _start\n_start:\n1:\taddi\tr3, r3, 1\n\tb\t1b\n' });
    const target = processTarget(loadUserProgram(join(dir, 'spin.s')));
    let closed = false;
    const port = await new Promise<number>((resolve) => serveGdb(target, { port: 0, onListening: resolve, onClose: () => (closed = true) }));
    const replies = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(frame('mzz,4') + frame('czz') + frame('c')));
      let buf = '';
      let interrupted = false;
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (!interrupted && buf.split('#').length === 3) {
          interrupted = true;
          setTimeout(() => sock.write('\x03'), 50); // both errors answered, running: interrupt
        }
        if (buf.includes('T02')) sock.write('+' + frame('D'));
      });
      sock.on('end', () => {
        sock.end();
        resolve(buf);
      });
    });
    expect(replies).toBe('+' + frame('E01') + '+' + frame('E01') + '+' + frame('T02thread:1;') + '+' + frame('OK'));
    await new Promise((r) => setTimeout(r, 20));
    expect(closed).toBe(true);
    // Nothing is rescheduled once the session is over (it used to spin on setImmediate).
    const real = globalThis.setImmediate;
    let calls = 0;
    globalThis.setImmediate = ((fn: () => void) => {
      calls++;
      return real(fn);
    }) as typeof setImmediate;
    await new Promise((r) => setTimeout(r, 100));
    globalThis.setImmediate = real;
    expect(calls).toBe(0);
  });
});

const gdbSkipReason = spawnSync('gdb-multiarch', ['--version']).status === 0 ? null : 'gdb-multiarch is not installed';
if (gdbSkipReason) console.warn(`gdbserver.test: skipping the gdb-multiarch session: ${gdbSkipReason}`);

describe('gdb-multiarch attached to the server', () => {
  it.skipIf(gdbSkipReason !== null)(`breaks, reads registers and memory, steps and continues to the exit${gdbSkipReason ? ` (skipped: ${gdbSkipReason})` : ''}`, async () => {
    const { target, sym, path } = open();
    const port = await new Promise<number>((resolve) => serveGdb(target, { port: 0, onListening: resolve }));
    const done = sym('done').toString(16);
    const args = [
      '-batch', '-nx',
      '-ex', 'set confirm off',
      '-ex', `target remote 127.0.0.1:${port}`,
      '-ex', `break *0x${done}`,
      '-ex', 'continue',
      '-ex', 'info registers r3 r4',
      '-ex', 'stepi',
      '-ex', 'info registers pc r0',
      '-ex', `x/1gx 0x${sym('val').toString(16)}`,
      '-ex', 'p/x $srr0',
      '-ex', 'p/x $pvr',
      '-ex', 'continue',
      path.replace(/\.s$/, '.elf'), // the same program as an ELF: gdb takes byte order and symbols from it
    ];
    const out = await new Promise<string>((resolve) => execFile('gdb-multiarch', args, { timeout: 60_000 }, (_e, stdout, stderr) => resolve(stdout + stderr)));
    expect(out).toMatch(new RegExp(`Breakpoint 1, 0x0*${done} in done \\(\\)`));
    expect(out).toMatch(/r3 +0x9 +9/);
    expect(out).toMatch(/r4 +0x2 +2/);
    expect(out).toMatch(new RegExp(`pc +0x${(sym('done') + 4n).toString(16)}`));
    expect(out).toMatch(/r0 +0xea +234/);
    expect(out).toMatch(/0x1122334455667788/);
    expect(out).toMatch(/\$\d+ = 0x0\n\$\d+ = 0x0\n/); // SPRs are registers GDB knows (they were void)
    expect(out).toMatch(/exited with code 011/); // octal 9
  });
});

describe('gdb-multiarch watchpoints on the server', () => {
  it.skipIf(gdbSkipReason !== null)(`watch, rwatch and awatch report as on POWER hardware${gdbSkipReason ? ` (skipped: ${gdbSkipReason})` : ''}`, async () => {
    // r3 counts 1..3; each iteration stores it twice to buf and loads it back into r4.
    const W = '\t.abiversion 2\n\t.globl _start\n_start:\n\tlis r9,buf@ha\n\taddi r9,r9,buf@l\n\tli r3,0\nloop:\taddi r3,r3,1\n\tstw r3,0(r9)\n\tstw r3,0(r9)\n\tlwz r4,0(r9)\n\tcmpdi r3,3\n\tblt loop\n\tli r0,1\n\tsc\n\t.data\nbuf:\t.long 0\n';
    const dir = tempFiles({ 'w.s': W, 'w.elf': toElf(assemble(W, { fileName: 'w.s' })) });
    const target = processTarget(loadUserProgram(join(dir, 'w.s')));
    const port = await new Promise<number>((resolve) => serveGdb(target, { port: 0, onListening: resolve }));
    const ex = (...cmds: string[]) => cmds.flatMap((c) => ['-ex', c]);
    const args = [
      '-batch', '-nx', ...ex('set confirm off', `target remote 127.0.0.1:${port}`),
      ...ex('watch *(int*)&buf', 'continue', 'continue', 'delete'),
      ...ex('rwatch *(int*)&buf', 'continue', 'p $r4', 'delete'),
      ...ex('awatch *(int*)&buf', 'continue', 'continue', 'delete', 'continue'),
      join(dir, 'w.elf'),
    ];
    const out = await new Promise<string>((resolve) => execFile('gdb-multiarch', args, { timeout: 60_000 }, (_e, stdout, stderr) => resolve(stdout + stderr)));
    // watch: a change stops right after the store that made it (0x10000014 is the second stw);
    // the second store of the same value does not stop.
    expect(out).toMatch(/Old value = 0\nNew value = 1\n0x0+10000014 in loop/);
    expect(out).toMatch(/Old value = 1\nNew value = 2\n0x0+10000014 in loop/);
    // rwatch: after the lwz, whose value r4 now holds.
    expect(out).toMatch(/Hardware read watchpoint \d+: \*\(int\*\)&buf\n\nValue = 2\n0x0+1000001c in loop \(\)\n\$\d+ = 2/);
    // awatch: the next store (a change), then the same-value store as an access.
    expect(out).toMatch(/Old value = 2\nNew value = 3\n0x0+10000014 in loop[^]*Value = 3\n0x0+10000018 in loop/);
    expect(out).toMatch(/exited with code 03/);
  });
});

describe('the guest\'s output as console packets (--console)', () => {
  const HELLO = '\t.abiversion 2\n\t.text\n\t.globl _start\n_start:\n\tli r0,4\n\tli r3,1\n\tlis r4,msg@ha\n\taddi r4,r4,msg@l\n\tli r5,3\n\tsc\n' +
    '\tli r0,1\n\tli r3,0\n\tsc\n\t.data\nmsg:\t.ascii "hi\\n"\n';
  it('O packets (hex) come just before the stop reply that ends the continue, and also go to onOutput', async () => {
    const dir = tempFiles({ 'hi.s': HELLO, 'hi.elf': toElf(assemble(HELLO, { fileName: 'hi.s' })) });
    const target = processTarget(loadUserProgram(join(dir, 'hi.s')));
    const seen: string[] = [];
    const port = await new Promise<number>((resolve) =>
      serveGdb(target, { port: 0, console: true, onListening: resolve, onOutput: (o) => seen.push(...o.map((b) => Buffer.from(b).toString())) }),
    );
    const replies = await new Promise<string>((resolve) => {
      const sock = connect(port, '127.0.0.1', () => sock.write(frame('c')));
      let buf = '';
      sock.on('data', (d) => {
        buf += d.toString('latin1');
        if (buf.includes('$W')) {
          sock.end();
          resolve(buf);
        }
      });
    });
    expect(replies).toBe('+' + frame('O68690a') + frame('W00'));
    expect(seen).toEqual(['hi\n']);
  });
  it.skipIf(gdbSkipReason !== null)(`gdb-multiarch prints it${gdbSkipReason ? ` (skipped: ${gdbSkipReason})` : ''}`, async () => {
    const dir = tempFiles({ 'hi.s': HELLO, 'hi.elf': toElf(assemble(HELLO, { fileName: 'hi.s' })) });
    const target = processTarget(loadUserProgram(join(dir, 'hi.s')));
    const port = await new Promise<number>((resolve) => serveGdb(target, { port: 0, console: true, onListening: resolve }));
    const args = ['-batch', '-nx', '-ex', `target remote 127.0.0.1:${port}`, '-ex', 'continue', join(dir, 'hi.elf')];
    const out = await new Promise<string>((resolve) => execFile('gdb-multiarch', args, { timeout: 60_000 }, (_e, stdout, stderr) => resolve(stdout + stderr)));
    expect(out).toMatch(/^hi$/m);
    expect(out).toMatch(/exited normally/);
  });
});
