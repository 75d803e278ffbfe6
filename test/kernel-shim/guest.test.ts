import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/cpu/machine.js';
import { HashMmu } from '../../src/mmu/hash-mmu.js';
import { Guest, GuestCallError } from '../../src/kernel-shim/guest.js';

function machine(cpus = 2) {
  const m = new Machine({ cpus, model: 'power8', memorySize: 64n << 20n });
  const mmu = new HashMmu(m, { policy: 'isa' });
  mmu.events.recording = true;
  return { m, mmu, guest: new Guest(m, 0x100000n) };
}

const STORE = `
	std	r4, 0(r3)
	ld	r5, 0(r3)
	addi	r3, r5, 1
`;

describe('guest calls: the shim acts only through instructions on a CPU', () => {
  it('runs a sequence with arguments in r3.., returns r3..r10, restores the CPU', () => {
    const { m, guest } = machine();
    const cpu = m.cpus[1]!;
    cpu.setGpr(3, 0x1111n);
    cpu.setGpr(31, 0x3131n);
    cpu.pc = 0x4000n;
    const r = guest.call(cpu, 'store', STORE, [0x8000n, 0x1234n]);
    expect(r[0]).toBe(0x1235n);
    expect(r[2]).toBe(0x1234n); // r5
    expect(m.mem.read64(0x8000n, false)).toBe(0x1234n);
    expect(cpu.getGpr(3)).toBe(0x1111n);
    expect(cpu.getGpr(31)).toBe(0x3131n);
    expect(cpu.pc).toBe(0x4000n);
    expect(cpu.stop).toBeNull();
    // The sequence ran on cpu 1 only.
    expect(m.cpus[0]!.instructions).toBe(0);
    expect(cpu.instructions).toBe(3);
  });

  it('places each sequence once per CPU and reuses it', () => {
    const { m, guest } = machine();
    guest.call(m.cpus[0]!, 'store', STORE, [0x8000n, 1n]);
    guest.call(m.cpus[0]!, 'store', STORE, [0x8008n, 2n]);
    guest.call(m.cpus[1]!, 'store', STORE, [0x8010n, 3n]);
    expect([0x8000n, 0x8008n, 0x8010n].map((a) => m.mem.read64(a, false))).toEqual([1n, 2n, 3n]);
  });

  it('maintenance instructions take effect through the MMU with its timing (tlbie pending until tlbsync; ptesync)', () => {
    const { m, mmu, guest } = machine();
    guest.call(m.cpus[0]!, 'tlbie-only', `\tptesync\n\ttlbie\tr3, r0\n`, [0x1230000000n]);
    expect(mmu.pendingInvalidations()).toHaveLength(1);
    guest.call(m.cpus[0]!, 'complete', `\teieio\n\ttlbsync\n\tptesync\n`);
    expect(mmu.pendingInvalidations()).toHaveLength(0);
    const kinds = mmu.events.events.filter((e) => e.type === 'tlb-invalidate').map((e) => e.type === 'tlb-invalidate' && `${e.cpu}:${e.state}`);
    expect(kinds).toEqual(['0:pending', '1:pending', '0:completed', '1:completed']);
  });

  it('a sequence that faults with no handler is reported, and the CPU is restored', () => {
    const { m, guest } = machine();
    const cpu = m.cpus[0]!;
    cpu.pc = 0x4000n;
    // Data relocation on with no SLB entry: Data Segment interrupt to zeroed storage.
    expect(() => guest.call(cpu, 'bad', `\tld\tr4, 0(r3)\n`, [0x10000000n], { relocate: true })).toThrow(GuestCallError);
    expect(cpu.pc).toBe(0x4000n);
  });
});
