// sc LEV=1, a hypervisor call (Power ISA v3.0B Book III 7.5.14): the System Call interrupt at
// 0xC00 that also sets MSR[HV]; sc LEV=0 from a partition leaves HV 0. Hand-computed MSRs.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBareMachine } from '../../src/cpu/load-program.js';
import { tempFiles } from '../helpers/cli.js';

function run(lev: 0 | 1) {
  const src = `	.org	0x100
_start:
	li	r3, 0
	oris	r3, r3, 0x8000		# SRR1: SF, ME, no HV (MSR bit 3 clear)
	sldi	r3, r3, 32
	ori	r3, r3, 0x1000
	mtspr	27, r3
	lis	r4, 0
	ori	r4, r4, guest
	mtspr	26, r4
	rfid				# to privileged, non-hypervisor state
	.org	0x200
guest:
	mfmsr	r5			# HV 0 here
	sc	${lev}
after:	attn
	.org	0xc00
	mfmsr	r6			# in the handler
	mfspr	r7, 26			# SRR0
	mfspr	r8, 27			# SRR1
	attn
`;
  const dir = tempFiles({ 'p.s': src });
  const { machine, symbols } = loadBareMachine(join(dir, 'p.s'), { model: 'power8' });
  machine.run(10_000);
  const c = machine.cpus[0]!;
  return { r: (n: number) => c.getGpr(n), after: symbols.get('after')! };
}

describe('sc LEV', () => {
  it('sc 1 enters hypervisor state; SRR0/SRR1 hold the return point and the caller MSR', () => {
    const t = run(1);
    expect(t.r(5)).toBe(0x8000000000001000n); // the guest: SF, ME
    expect(t.r(6)).toBe(0x9000000000001000n); // handler: SF, HV, ME
    expect(t.r(7)).toBe(t.after);
    expect(t.r(8)).toBe(0x8000000000001000n);
  });

  it('sc 0 from a partition stays out of hypervisor state', () => {
    const t = run(0);
    expect(t.r(6)).toBe(0x8000000000001000n);
    expect(t.r(7)).toBe(t.after);
  });
});
