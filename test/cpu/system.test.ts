// User-mode system behaviour: sc and the Linux syscall subset (r0 = number, r3.. arguments,
// r3 = result, CR0[SO] = error), and interrupts turned into the signals Linux delivers, which
// end the process with exit status 128 + signo: Program interrupt for privileged instructions
// in problem state and for illegal instruction words (Power ISA v3.0B Book III 7.5.9) ->
// SIGILL (132); trap -> SIGTRAP (133); DSI/ISI for unmapped or protected storage -> SIGSEGV
// (139), with the faulting address in the diagnostic.

import { describe, expect, it } from 'vitest';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { CODE, DATA, gpr, runInsns, type Insn, crField } from '../helpers/run-words.js';

const HELLO = new TextEncoder().encode('hello, ppc64\n');

function text(chunks: Uint8Array[]): string {
  return chunks.map((c) => new TextDecoder().decode(c)).join('');
}

function expectSignal(p: UserProcess, name: string, status: number, pcOffset: number): string {
  expect(p.cpu.stop).toBe('unhandled-interrupt');
  expect(p.cpu.exitCode).toBe(status);
  expect(p.cpu.pc).toBe(CODE + BigInt(pcOffset));
  const diag = p.diagnostics.join('\n');
  expect(diag).toContain(name);
  return diag;
}

/** li r0,nr; sc, keeping r3 in r20 and CR in r21 afterwards. */
function syscall(nr: number): Insn[] {
  return [
    ['li', 0, nr],
    ['sc'],
    ['mr', 20, 3],
    ['mfcr', 21],
  ];
}

describe('system calls', () => {
  for (const le of [false, true]) {
    it(`write(1, buf, n) produces stdout and returns n with CR0[SO] clear (${le ? 'LE' : 'BE'})`, () => {
      const p = runInsns(
        [
          ['li', 3, 1],
          ['lis', 4, 0x1010], // DATA
          ['li', 5, HELLO.length],
          ...syscall(4),
          ['li', 3, 0],
        ],
        { le, data: HELLO, setup: (q) => (q.cpu.cr = 0x10000000) }, // SO set before: cleared
      );
      expect(p.cpu.stop).toBe('exit');
      expect(p.cpu.exitCode).toBe(0);
      expect(text(p.stdout)).toBe('hello, ppc64\n');
      expect(p.stderr).toEqual([]);
      expect(gpr(p, 20)).toBe(BigInt(HELLO.length));
      expect(Number(gpr(p, 21) >> 28n) & 1).toBe(0);
    });
  }
  it('write to stderr; the instruction after sc runs', () => {
    const p = runInsns(
      [['li', 3, 2], ['lis', 4, 0x1010], ['addi', 4, 4, 7], ['li', 5, 5], ...syscall(4), ['li', 22, 1], ['li', 3, 0]],
      { data: HELLO },
    );
    expect(text(p.stderr)).toBe('ppc64');
    expect(p.stdout).toEqual([]);
    expect(gpr(p, 20)).toBe(5n);
    expect(gpr(p, 22)).toBe(1n);
  });
  it('write errors: EBADF for another fd, EFAULT for an unmapped buffer, with CR0[SO] set', () => {
    let p = runInsns([['li', 3, 3], ['lis', 4, 0x1010], ['li', 5, 4], ...syscall(4), ['li', 3, 0]], { data: HELLO });
    expect(p.cpu.stop).toBe('exit');
    expect(gpr(p, 20)).toBe(9n); // EBADF
    expect(Number(gpr(p, 21) >> 28n) & 1).toBe(1);
    p = runInsns([['li', 3, 1], ['li', 4, 0x100], ['li', 5, 4], ...syscall(4), ['li', 3, 0]]);
    expect(p.cpu.stop).toBe('exit');
    expect(gpr(p, 20)).toBe(14n); // EFAULT
    expect(Number(gpr(p, 21) >> 28n) & 1).toBe(1);
    expect(p.stdout).toEqual([]);
  });
  it('an unknown syscall returns ENOSYS with CR0[SO]=1 and is reported once', () => {
    const p = runInsns([...syscall(999), ['li', 0, 999], ['sc'], ['li', 0, 998], ['sc'], ['li', 3, 0]]);
    expect(p.cpu.stop).toBe('exit');
    expect(gpr(p, 20)).toBe(38n);
    expect(Number(gpr(p, 21) >> 28n) & 0xf).toBe(0b0001);
    // CR0's other bits are untouched by the syscall
    const reports = p.diagnostics.filter((d) => d.includes('999'));
    expect(reports).toHaveLength(1);
    expect(reports[0]).toMatch(/syscall 999/);
    expect(p.diagnostics.filter((d) => d.includes('998'))).toHaveLength(1);
  });
  it('a syscall number is r0 as a whole 64-bit value: r0 = -1 is reported exactly, not rounded', () => {
    const p = runInsns([['li', 0, -1], ['sc'], ['li', 3, 0]]);
    expect(p.diagnostics.some((d) => d.startsWith('unsupported syscall 18446744073709551615 at pc'))).toBe(true);
  });
  it('the syscall keeps the other CR0 bits', () => {
    const p = runInsns([['li', 4, -1], ['cmpdi', 4, 0], ...syscall(999), ['li', 3, 0]]);
    expect(Number(gpr(p, 21) >> 28n) & 0xf).toBe(0b1001); // LT from cmpdi, SO from the error
  });
  it('exit(n) and exit_group(n) end the process with n & 0xff', () => {
    let p = runInsns([['li', 3, 42], ['li', 0, 1], ['sc'], ['li', 7, 1]], { regs: { 7: 0n } });
    expect(p.cpu.stop).toBe('exit');
    expect(p.cpu.exitCode).toBe(42);
    expect(gpr(p, 7)).toBe(0n);
    p = runInsns([['li', 3, 0x1ff]]); // the harness's exit_group
    expect(p.cpu.exitCode).toBe(0xff);
  });
});

describe('privileged instructions in problem state raise SIGILL', () => {
  const PRIV: Insn[] = [
    ['mfmsr', 6],
    ['mtmsrd', 6],
    ['mtmsrd', 6, 1],
    ['rfid'],
    ['tlbie', 4, 5],
    ['tlbiel', 4],
    ['tlbsync'],
    ['slbie', 4],
    ['slbia'],
    ['slbmte', 4, 5],
    ['slbmfee', 6, 4],
    ['slbmfev', 6, 4],
    ['mfspr', 6, 26], // SRR0
    ['mtspr', 27, 4], // SRR1
    ['mfspr', 6, 19], // DAR
    ['mtspr', 22, 4], // DEC
    ['mfsdr1', 6],
    ['attn'],
    ['stop'], // qemu-ppc64 -cpu power9 also delivers SIGILL for it
  ];
  for (const insn of PRIV) {
    it(insn.join(' '), () => {
      const p = runInsns([['li', 7, 1], insn, ['li', 7, 2]], { regs: { 6: 0x55n } });
      const diag = expectSignal(p, 'SIGILL', 132, 4);
      expect(diag).toMatch(/privileged/);
      expect(gpr(p, 7)).toBe(1n); // completed before, not after
      expect(gpr(p, 6)).toBe(0x55n); // no result written
    });
  }
});

describe('illegal instruction words raise SIGILL', () => {
  const WORDS: Array<[number, string]> = [
    [0x00000000, 'all zeros'],
    [0x7fffffff, 'primary 31 with extended opcode 1023'],
    [0x1000018a, 'vexptefp (a vector floating-point estimate, not in the subset)'],
    [0xec000004, 'dadd (decimal floating point, not in the subset)'],
    [0x04000000, 'primary opcode 1'],
  ];
  for (const [word, what] of WORDS) {
    for (const le of [false, true]) {
      it(`0x${word.toString(16).padStart(8, '0')} ${what} (${le ? 'LE' : 'BE'})`, () => {
        const p = runInsns([['li', 7, 1], word, ['li', 7, 2]], { le });
        const diag = expectSignal(p, 'SIGILL', 132, 4);
        expect(diag).toContain(word.toString(16).padStart(8, '0'));
        if (word === 0xec000004) expect(diag).toContain('illegal instruction 0xec000004 (dadd, a floating-point single or decimal floating-point instruction: not in the subset)');
        expect(gpr(p, 7)).toBe(1n);
      });
    }
  }
});

describe('reserved fields are ignored (Book I 1.3.3)', () => {
  // "Reserved fields in instructions are ignored by the processor": each word below is an
  // instruction of the subset with a reserved ("/") bit set, and runs as that instruction.
  // QEMU 7.2 agrees for cmpi (decodetree) and lwzx; its legacy decoder raises an illegal
  // instruction for isel, sync and mfcr with reserved bits set (checked by hand, not here).
  for (const le of [false, true]) {
    it(`cmpdi with bit 9, isel with bit 31, sync with bit 31, mfcr with bits 12-20 (${le ? 'LE' : 'BE'})`, () => {
      const p = runInsns(
        [
          ['li', 21, 100],
          0x2cf567fc, // cmpdi cr1,r21,26620 with bit 9 set: 100 < 26620, CR1 = LT
          ['li', 2, 5],
          ['li', 3, 7],
          0x7c22181f, // isel r1,r2,r3,lt (CR bit 0; CR0 is 0 here) with bit 31 set: r1 = r3
          0x7c0004ad, // hwsync with bit 31 set
          0x7c8ff826, // mfcr r4 with bits 12-20 set (bit 11 stays 0: that is mfocrf)
          ['li', 7, 2],
        ],
        { le },
      );
      expect(p.diagnostics).toEqual([]);
      expect(crField(p, 1)).toBe(0b1000);
      expect(gpr(p, 1)).toBe(7n);
      expect(gpr(p, 4)).toBe(0x08000000n); // CR1 is CR bits 4-7; LT is its first: 0x08000000
      expect(gpr(p, 7)).toBe(2n);
    });
  }
});

describe('traps raise SIGTRAP', () => {
  it('trap', () => {
    const p = runInsns([['li', 7, 1], ['trap'], ['li', 7, 2]]);
    expectSignal(p, 'SIGTRAP', 133, 4);
    expect(gpr(p, 7)).toBe(1n);
  });
  it('tdi not taken, then twi taken', () => {
    const p = runInsns([['tdi', 31 - 4, 4, 5], ['li', 7, 1], ['twi', 4, 4, 5], ['li', 7, 2]], { regs: { 4: 5n } });
    expectSignal(p, 'SIGTRAP', 133, 8);
    expect(gpr(p, 7)).toBe(1n);
  });
});

describe('storage faults raise SIGSEGV with the address', () => {
  it('load from an unmapped address', () => {
    const p = runInsns([['li', 4, 0x1234], ['li', 7, 1], ['lwz', 5, 0, 4], ['li', 7, 2]], { regs: { 5: 9n } });
    const diag = expectSignal(p, 'SIGSEGV', 139, 8);
    expect(diag).toContain('0x0000000000001234');
    expect(diag).toMatch(/load/);
    expect(gpr(p, 7)).toBe(1n);
    expect(gpr(p, 5)).toBe(9n);
  });
  it('store to an unmapped 64-bit address', () => {
    const p = runInsns([['std', 4, 8, 5]], { regs: { 5: 0x123456789abc0000n } });
    const diag = expectSignal(p, 'SIGSEGV', 139, 0);
    expect(diag).toContain('0x123456789abc0008');
    expect(diag).toMatch(/store/);
  });
  it('an update-form load that faults does not update RA', () => {
    const p = runInsns([['ldu', 6, 16, 4]], { regs: { 4: 0x2000n } });
    expectSignal(p, 'SIGSEGV', 139, 0);
    expect(gpr(p, 4)).toBe(0x2000n);
  });
  it('a store that straddles into an unmapped page writes nothing', () => {
    // DATA region is 64 KiB: DATA+0x10000 is unmapped
    const p = runInsns([['std', 6, 0, 4]], { regs: { 4: DATA + 0xfffcn, 6: -1n } });
    const diag = expectSignal(p, 'SIGSEGV', 139, 0);
    // The reported address is a byte of the access (Book III 7.5.3 lets the DAR name the
    // start of the access or a byte in the page that faulted).
    const addr = BigInt(/address (0x[0-9a-f]{16})/.exec(diag)![1]!);
    expect(addr >= DATA + 0xfffcn && addr <= DATA + 0x10003n, `0x${addr.toString(16)}`).toBe(true);
    expect([...p.space.read(DATA + 0xfffcn, 4)!]).toEqual([0, 0, 0, 0]);
  });
  it('instruction fetch from an unmapped address', () => {
    const p = runInsns([['li', 4, 0x2000], ['mtctr', 4], ['bctr']]);
    expect(p.cpu.stop).toBe('unhandled-interrupt');
    expect(p.cpu.exitCode).toBe(139);
    expect(p.cpu.pc).toBe(0x2000n);
    expect(p.diagnostics.join('\n')).toMatch(/SIGSEGV.*fetch.*0x0000000000002000/);
  });
  it('instruction fetch from a non-executable (data) page', () => {
    const p = runInsns([['lis', 4, 0x1010], ['mtctr', 4], ['bctr']]);
    expect(p.cpu.exitCode).toBe(139);
    expect(p.cpu.pc).toBe(DATA);
    expect(p.diagnostics.join('\n')).toMatch(/SIGSEGV.*0x0000000010100000/);
  });
});
