// scv (System Call Vectored, Power ISA v3.0B Book I 3.3.1, Book III 7.5). In a user process it
// follows Linux's scv 0 ABI (Documentation/powerpc/syscall64-abi.rst): r0 number, r3.. args,
// an error returned as r3 = -errno with CR0 untouched; scv 1-127 end the process with SIGILL
// (exceptions-64s.S system_call_vectored_sigill). On the bare machine the interrupt goes to
// 0x17000 + 32 * LEV with LR = the next instruction and CTR = the caller's MSR, no SRR0/SRR1
// (QEMU ppc_excp POWERPC_EXCP_SYSCALL_VECTORED). QEMU 7.2 user mode raises SIGILL for scv,
// so these expectations are computed by hand.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBareMachine } from '../../src/cpu/load-program.js';
import { tempFiles } from '../helpers/cli.js';
import { CODE, gpr, runInsns } from '../helpers/run-words.js';

const HELLO = new TextEncoder().encode('hi\n');

describe('scv in a user process', () => {
  it('scv 0 write(1) returns the count; write(99) returns -EBADF and leaves CR0 as it was; LR is the next instruction', () => {
    const p = runInsns(
      [
        ['li', 3, 1], ['lis', 4, 0x1010], ['li', 5, 3], ['li', 0, 4], ['scv', 0], ['mr', 20, 3], ['mflr', 23],
        ['li', 3, 99], ['li', 0, 4], ['scv', 0], ['mr', 21, 3], ['mfcr', 22],
        ['li', 3, 0],
      ],
      { data: HELLO, setup: (q) => (q.cpu.cr = 0x20000000) },
    );
    expect(p.cpu.stop).toBe('exit');
    expect(new TextDecoder().decode(p.stdout[0])).toBe('hi\n');
    expect(gpr(p, 20)).toBe(3n);
    expect(gpr(p, 23)).toBe(CODE + 5n * 4n); // the mr after the first scv
    expect(gpr(p, 21)).toBe(BigInt.asUintN(64, -9n)); // -EBADF
    expect(Number(gpr(p, 22) >> 28n)).toBe(0b0010); // CR0 as set before: no SO
  });

  it('scv 1 is SIGILL at the scv', () => {
    const p = runInsns([['li', 0, 1], ['scv', 1], ['li', 3, 0]]);
    expect(p.cpu.stop).toBe('unhandled-interrupt');
    expect(p.cpu.exitCode).toBe(132);
    expect(p.cpu.pc).toBe(CODE + 4n);
    expect(p.diagnostics.join('\n')).toContain('SIGILL');
  });
});

describe('scv on the bare machine', () => {
  it('goes to 0x17000 + 32 * LEV with LR = next instruction and CTR = MSR, SRR0 untouched', () => {
    const src = `	.org	0x100
_start:
	li	r9, 0x55
	mtspr	26, r9			# SRR0: must stay
	mfmsr	r5
	scv	2
after:	attn
	.org	0x17040
	mflr	r6
	mfctr	r7
	mfmsr	r8
	mfspr	r10, 26
	attn
`;
    const dir = tempFiles({ 'p.s': src });
    const { machine, symbols } = loadBareMachine(join(dir, 'p.s'), { model: 'power9' });
    machine.run(10_000);
    const c = machine.cpus[0]!;
    expect(c.getGpr(6)).toBe(symbols.get('after')!);
    expect(c.getGpr(7)).toBe(c.getGpr(5)); // CTR = the MSR before the interrupt
    expect(c.getGpr(8)).toBe(c.getGpr(5) & 0x9000000000009003n); // SF set; HV, EE, ME, RI kept; LE from LPCR[ILE] (0)
    expect(c.getGpr(10)).toBe(0x55n);
  });
});
