// The Decrementer (Power ISA v3.0B Book III 6.5) and its interrupt (7.5.11, vector 0x900):
// DEC counts down with the Time Base (here: completed instructions, so every count below is
// exact), the exception is latched when DEC goes from 0 to -1 or when a negative value is
// written (POWER4 and later), cleared by writing a non-negative value, and taken between
// instructions once MSR[EE] = 1.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBareMachine } from '../../src/cpu/load-program.js';
import { SPR } from '../../src/cpu/interrupts.js';
import { tempFiles } from '../helpers/cli.js';

const HANDLER = `
	.org	0x900
	mfspr	r8, 26			# SRR0
	mfspr	r9, 27			# SRR1
	attn
`;

function run(body: string) {
  const dir = tempFiles({ 'p.s': `\t.org\t0x100\n_start:\n${body}\n${HANDLER}` });
  const { machine, symbols } = loadBareMachine(join(dir, 'p.s'), { model: 'power8' });
  machine.run(100_000);
  const cpu = machine.cpus[0]!;
  return { machine, cpu, sym: (n: string) => symbols.get(n)!, r: (n: number) => cpu.getGpr(n) };
}

const EE = '\tli\tr4, 0\n\tori\tr4, r4, 0x8000\n';

describe('decrementer', () => {
  it('counts down with the Time Base; an exception latched with EE=0 is taken right after mtmsrd sets EE', () => {
    const t = run(`	li	r3, 100
	mtspr	22, r3			# DEC = 100 at TB 1
	li	r5, 0
${EE}1:	addi	r5, r5, 1
	cmpdi	r5, 200
	blt	1b
	mfspr	r6, 22			# TB 605: DEC = 100 - 604
	mtmsrd	r4, 1
after:	li	r7, 1
	attn`);
    expect(t.r(6)).toBe(BigInt(-504 >>> 0)); // 32-bit DEC in the low word
    expect(t.r(8)).toBe(t.sym('after')); // SRR0: the next instruction
    expect(t.r(9) & 0x8000n).toBe(0x8000n); // SRR1 has the MSR with EE
    expect(t.r(7)).toBe(0n);
    expect(t.cpu.pc).toBe(0x90cn); // stopped at the handler's attn (pc after attn)
    expect(t.cpu.decPending).toBe(false); // taken: no longer pending
  });

  it('with EE=1 the interrupt comes right after the instruction that takes DEC below 0', () => {
    const t = run(`${EE}	mtmsrd	r4, 1
	li	r3, 30
	mtspr	22, r3			# DEC = 30 at TB 4: fires when TB reaches 35
	li	r5, 0
1:	addi	r5, r5, 1
	b	1b`);
    // TB 5 is the li; the loop's addi/b pairs are TB 6,7, 8,9, ...: 35 is the 15th addi done
    // and the b after it not yet.
    expect(t.r(5)).toBe(15n);
    expect(t.r(8)).toBe(t.sym('_start') + 4n * 7n); // SRR0 = the b (8th instruction)
  });

  it('writing a negative DEC raises the exception at once; a non-negative write clears it', () => {
    const now = run(`${EE}	mtmsrd	r4, 1
	li	r3, -1
	mtspr	22, r3
next:	li	r7, 1
	attn`);
    expect(now.r(8)).toBe(now.sym('next'));
    expect(now.r(7)).toBe(0n);
    const cleared = run(`	li	r3, -1
	mtspr	22, r3			# pending, EE = 0
	lis	r3, 1
	mtspr	22, r3			# DEC = 0x10000: clears it
${EE}	mtmsrd	r4, 1
	li	r7, 1
	attn`);
    expect(cleared.r(7)).toBe(1n);
    expect(cleared.machine.stopMessage).toMatch(/attn on cpu 0/);
    expect(cleared.cpu.sprLo[SPR.SRR0]).toBe(0);
  });

  it('DEC is -1 with nothing pending until software writes it', () => {
    const t = run(`${EE}	mtmsrd	r4, 1
	mfspr	r6, 22
	li	r7, 1
	attn`);
    expect(t.r(7)).toBe(1n);
    expect(t.r(6)).toBe(0xffffffffn - 3n); // -1 at TB 0, read at TB 3
  });
});
