// The SLB and TLB instructions on a bare machine, with values computed by hand from
// Power ISA v3.0B Book III 5.9.3 (operand layouts in src/mmu/slb.ts and invalidation.ts).

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadBareMachine } from '../../src/cpu/load-program.js';
import type { HashMmu } from '../../src/mmu/hash-mmu.js';
import { Debugger } from '../../src/debug/debugger.js';
import { machineTarget } from '../../src/debug/target.js';
import { tempFiles } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/bare.js';
import { protection } from '../../src/mmu/hpt.js';

function bare(src: string, cpus = 1) {
  const dir = tempFiles({ 'p.s': src });
  const { machine, symbols } = loadBareMachine(join(dir, 'p.s'), { model: 'power8', cpus });
  machine.run(1_000_000);
  return { machine, symbols, mmu: machine.mmu as HashMmu, gpr: (r: number) => machine.cpus[0]!.getGpr(r) };
}

describe('SLB instructions', () => {
  it('slbmte, slbmfee, slbmfev, slbie, slbia', () => {
    const r = bare(`
	.org 0x100
	lis	r3, 0x12
	ori	r3, r3, 0x3c80		# VSID 0x123 << 12 | Ks | Kp | C
	lis	r4, 0x1800
	ori	r4, r4, 5		# ESID 1 | V | index 5
	slbmte	r3, r4
	lis	r5, 0x2800
	ori	r5, r5, 6		# ESID 2 | V | index 6
	slbmte	r3, r5
	li	r6, 5
	slbmfee	r10, r6			# ESID || V of entry 5
	slbmfev	r11, r6			# VSID data of entry 5
	li	r7, 7
	slbmfee	r12, r7			# empty entry
	lis	r8, 0x1000		# slbie ESID 1 (B = 0)
	slbie	r8
	slbmfee	r13, r6			# entry 5 is gone
	li	r9, 6
	slbmfee	r14, r9			# entry 6 is still there
	slbia	0			# every entry but 0
	slbmfee	r15, r9
	attn
`);
    expect(r.gpr(10)).toBe(0x18000000n);
    expect(r.gpr(11)).toBe(0x123c80n);
    expect(r.gpr(12)).toBe(0n);
    expect(r.gpr(13)).toBe(0n);
    expect(r.gpr(14)).toBe(0x28000000n);
    expect(r.gpr(15)).toBe(0n);
  });

  it('slbia 7 keeps the SLB (it only drops lookaside copies); slbia 0 keeps entry 0', () => {
    const r = bare(`
	.org 0x100
	lis	r3, 0x12
	lis	r4, 0x1800		# index 0
	slbmte	r3, r4
	lis	r5, 0x2800
	ori	r5, r5, 1		# index 1
	slbmte	r3, r5
	slbia	7
	li	r6, 1
	slbmfee	r10, r6
	slbia	0
	slbmfee	r11, r6
	li	r7, 0
	slbmfee	r12, r7
	attn
`);
    expect(r.gpr(10)).toBe(0x28000000n);
    expect(r.gpr(11)).toBe(0n);
    expect(r.gpr(12)).toBe(0x18000000n);
  });
});

describe('debugger views of the MMU', () => {
  it('tlb, slb and hpt show what translate.s left behind', () => {
    const { machine, symbols } = loadBareMachine(join(FIXTURES, 'bare/translate.s'), { entry: 0x10n, model: 'power8' });
    machine.cpus[0]!.addBreakpoint(symbols.get('done')!);
    machine.run(100_000);
    const mmu = machine.mmu as HashMmu;
    expect(mmu.tlb(machine.cpus[0]!).entries()).toHaveLength(1);
    const dbg = new Debugger(machineTarget(machine, symbols));
    expect(dbg.execute('tlb')).toBe(
      'cpu 0 TLB: 1 entries\n  va 0x00000000001230000000 4K  256M -> ra 0x0000000000200000 pp 0 C slot 0x00049180',
    );
    expect(dbg.execute('slb')).toBe('cpu 0 SLB:\n   0: esid 0x0000000010000000 256M vsid 0x0000000000123 4K');
    // dw1 0x200180: RA 0x200000, R (0x100) and C (0x80) set by the load and store above.
    const fields = 'B=0 AVPN=0x123000 SW=0 L=0 H=0 V=1 | RA=0x200000 PP=0b000 key=0 WIMG=0000 N=0 R=1 C=1';
    expect(dbg.execute('hpt 0x10000000').split('\n').slice(0, 3)).toEqual([
      'HPT at 0x0000000000040000, 2048 PTEGs; PTEGs for EA 0x0000000010000000 (primary, secondary) as cpu 0 sees it',
      '  slot 0x00049180: 0x0000000000123001 0x0000000000200180',
      `    ${fields}`,
    ]);
    expect(dbg.execute('hpt 0x49188')).toBe(
      `HPT slot 0x00049180 (PTEG 291, entry 0) as cpu 0 sees it: 0x0000000000123001 0x0000000000200180\n  ${fields}`,
    );
    // Set the TLB's congruence class of this page empty with tlbiel IS=3 (RB = set << 12 | 3 << 10).
    const tlb = mmu.tlb(machine.cpus[0]!);
    const set = tlb.setOf(0x1230000000n, 12);
    expect(set).toBe(0); // VPN 0x1230000 mod 512
    const n = tlb.invalidateSet(set);
    expect(n).toBe(1);
  });
});

describe('protection matrix (Book III 5.7.9.2)', () => {
  it('gives read/write per key and PP0||PP exactly as the ISA table', () => {
    // [pp, key 0 (read, write), key 1 (read, write)]; 4, 5, 7 are reserved: no access here.
    const table: Array<[number, [boolean, boolean], [boolean, boolean]]> = [
      [0, [true, true], [false, false]],
      [1, [true, true], [true, false]],
      [2, [true, true], [true, true]],
      [3, [true, false], [true, false]],
      [4, [false, false], [false, false]],
      [5, [false, false], [false, false]],
      [6, [true, false], [false, false]],
      [7, [false, false], [false, false]],
    ];
    for (const [pp, k0, k1] of table) {
      expect(protection(false, pp), `key 0 pp ${pp}`).toEqual(k0);
      expect(protection(true, pp), `key 1 pp ${pp}`).toEqual(k1);
    }
  });
});
