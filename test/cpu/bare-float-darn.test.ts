// The bare machine's side of this subset's FP storage access and darn: with MSR[FP] = 0 (as
// every CPU starts) an FP load takes the Floating-Point Unavailable interrupt at 0x800 with
// SRR0 at the instruction (Book III 7.5.11); once MSR[FP] is set it runs. darn draws from a
// per-CPU stream seeded by the machine's seed, so the same seed replays the same numbers.
// VMX and VSX instructions with MSR[VEC] or MSR[VSX] = 0 take the Vector (0xf20) and VSX
// (0xf40) Unavailable interrupts (Book III 7.5.15, 7.5.16); stop is a no-op here.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../src/cpu/cpu.js';
import { SPR } from '../../src/cpu/interrupts.js';
import { loadBareMachine } from '../../src/cpu/load-program.js';
import { tempFiles } from '../helpers/cli.js';

const spr = (cpu: Cpu, n: number): bigint => (BigInt(cpu.sprHi[n]! >>> 0) << 32n) | BigInt(cpu.sprLo[n]! >>> 0);

const FP = `
	.org 0x100
	li	r4, 0x200
	lfd	f1, 0(r4)		# MSR[FP] = 0: FP Unavailable
	attn
	.org 0x200
	.quad	0xc004000000000000	# -2.5
	.org 0x800
	mfmsr	r5			# the handler sets MSR[FP] and returns to the lfd
	ori	r5, r5, 0x2000
	mtsrr1	r5
	addi	r6, r6, 1
	rfid
`;

describe('bare machine', () => {
  it('an FP load with MSR[FP] = 0 takes FP Unavailable (0x800, SRR0 = the load); after MSR[FP] is set it loads', () => {
    const dir = tempFiles({ 'fp.s': FP });
    const { machine } = loadBareMachine(join(dir, 'fp.s'), { cpus: 1, model: 'power8', entry: 0x100n });
    machine.run(1000);
    const cpu = machine.cpus[0]!;
    expect(machine.stop).toBe('halt');
    expect(cpu.getGpr(6)).toBe(1n); // the handler ran once
    expect(spr(cpu, SPR.SRR0)).toBe(0x104n); // the lfd itself
    expect([cpu.vsr[1 << 2]! >>> 0, cpu.vsr[(1 << 2) | 1]]).toEqual([0xc0040000, 0]);
  });

  it('darn: each CPU its own stream from the seed; the same seed, the same numbers', () => {
    const dir = tempFiles({ 'd.s': '\t.org 0x100\n\tdarn\tr3, 1\n\tdarn\tr4, 1\n\tattn\n' });
    const run = (seed: number) => {
      const { machine } = loadBareMachine(join(dir, 'd.s'), { cpus: 2, model: 'power9', entry: 0x100n, seed });
      machine.run(100);
      return machine.cpus.map((c) => [c.getGpr(3), c.getGpr(4)]);
    };
    const a = run(5);
    expect(run(5)).toEqual(a);
    expect(run(6)).not.toEqual(a);
    expect(a[0]).not.toEqual(a[1]); // two CPUs, two streams
  });

  it('VSX with MSR[VSX] = 0 takes 0xf40, VMX with MSR[VEC] = 0 takes 0xf20, each with SRR0 at the instruction; stop falls through', () => {
    const src = `
	.org 0x100
	xxlxor	vs1, vs1, vs1		# MSR[VSX] = 0: VSX Unavailable
	vxor	v2, v2, v2		# MSR[VEC] = 0: Vector Unavailable
	stop
	li	r7, 1
	attn
	.org 0xf20
	mfsrr0	r8
	mfmsr	r5
	oris	r5, r5, 0x0200		# MSR[VEC] (bit 38)
	mtsrr1	r5
	addi	r6, r6, 1
	rfid
	.org 0xf40
	mfsrr0	r9
	mfmsr	r5
	oris	r5, r5, 0x0080		# MSR[VSX] (bit 40)
	mtsrr1	r5
	addi	r6, r6, 0x10
	rfid
`;
    const dir = tempFiles({ 'v.s': src });
    const { machine } = loadBareMachine(join(dir, 'v.s'), { cpus: 1, model: 'power9', entry: 0x100n });
    machine.run(1000);
    const cpu = machine.cpus[0]!;
    expect(machine.stop).toBe('halt');
    expect(cpu.getGpr(6)).toBe(0x11n); // each handler once
    expect(cpu.getGpr(9)).toBe(0x100n); // SRR0 = the xxlxor
    expect(cpu.getGpr(8)).toBe(0x104n); // SRR0 = the vxor
    expect(cpu.getGpr(7)).toBe(1n); // stop fell through
  });
});
