// Single-CPU bare-metal fixtures with translation. Every expected value below was computed by
// hand (see each fixture's header) and, where QEMU models the behaviour, checked to equal
// qemu-system-ppc64 -M powernv8/powernv9 (registers and memory via gdb-multiarch), apart from
// MSR[ME], which our machine sets at reset and QEMU does not.

import { describe, expect, it } from 'vitest';
import { runBare } from '../helpers/bare.js';

describe('translation on one CPU', () => {
  it('translate.s: store and load through an HPT entry; R and C set by byte stores', () => {
    const r = runBare('bare/translate.s', { entry: 0x10n, model: 'power8', stopAt: 'done' });
    expect(r.machine.stop).toBe('breakpoint');
    expect(r.gpr(0, 13)).toBe(0x77n);
    expect(r.gpr(0, 15)).toBe(0x0000007700000055n);
    expect(r.gpr(0, 17)).toBe(0x0000007700000055n); // the same bytes by real address
    expect(r.gpr(0, 18)).toBe(0x200180n); // dw1 with R (0x100) and C (0x80)
    expect(r.dw(0x200000n)).toBe(0x0000007700000055n);
    expect(r.dw(0x49180n)).toBe(0x123001n);
  });

  it('pages.s: 64 KiB and 16 MiB pages, a 1 TB segment, the secondary hash', () => {
    const r = runBare('bare/pages.s', { entry: 0x10n, model: 'power8', stopAt: 'done' });
    expect([20, 21, 22, 23].map((n) => r.gpr(0, n))).toEqual([0x6464n, 0x1616n, 0x7474n, 0x2525n]);
    // R set by the walks (dw1 | 0x100); loads do not set C.
    expect(r.dw(0x62b88n)).toBe(0x401100n);
    expect(r.dw(0x7c408n)).toBe(0x1000100n);
    expect(r.dw(0x40308n)).toBe(0x500100n);
    expect(r.dw(0x76c08n)).toBe(0x204100n);
  });

  it('ptcr.s: POWER9 finds the HPT through PTCR and partition-table entry 0, not SDR1', () => {
    const r = runBare('bare/ptcr.s', { entry: 0x10n, model: 'power9', stopAt: 'done' });
    expect(r.gpr(0, 13)).toBe(0x99n);
    expect(r.dw(0x49188n)).toBe(0x200180n);
    // The same program on POWER8 (which reads SDR1 = 0) has no page table: the load faults
    // and the CPU ends in an interrupt loop on zeroed vectors.
    const p8 = runBare('bare/ptcr.s', { entry: 0x10n, model: 'power8', stopAt: 'done' });
    expect(p8.machine.stop).toBe('unhandled-interrupt');
    expect(p8.machine.stopMessage).toMatch(/interrupt loop/);
  });

  it('faults.s: DSI (no PTE, protection, store bits), Data and Instruction Segment interrupts', () => {
    const r = runBare('bare/faults.s', { entry: 0x10n, model: 'power8', stopAt: 'done' });
    expect(r.gpr(0, 22)).toBe(0x99n);
    const rec = (k: number) => [0, 8, 16, 24, 32].map((o) => r.dw(0x3000n + BigInt(k * 64 + o)));
    const SRR1_DR = 0x9000000000001010n; // SF|HV|ME|DR saved from the MSR
    expect(rec(0)).toEqual([0x300n, 0x10003000n, 0x40000000n, 0x108cn, SRR1_DR]); // load, no PTE
    expect(rec(1)).toEqual([0x300n, 0x10003000n, 0x42000000n, 0x1090n, SRR1_DR]); // store, no PTE
    expect(rec(2)).toEqual([0x300n, 0x10002000n, 0x0a000000n, 0x1098n, SRR1_DR]); // store, read-only
    expect(rec(3)[0]).toBe(0x380n); // no SLB entry for 0x20000000
    expect(rec(3)[1]).toBe(0x20000000n);
    expect(rec(4)[0]).toBe(0x380n); // after slbie
    expect(rec(4)[1]).toBe(0x10000000n);
    expect(rec(5)[0]).toBe(0x480n); // instruction fetch with IR on, no segment
    expect(rec(5)[3]).toBe(0x20000000n);
  });

  it('protect.s: key 1 in problem state (PP 0 no access, PP 1 read-only) and no-execute', () => {
    const r = runBare('bare/protect.s', { entry: 0x10n, model: 'power8', stopAt: 'done' });
    expect(r.machine.stop).toBe('breakpoint');
    const rec = (k: number) => [0, 8, 16, 24, 32].map((o) => r.dw(0x6000n + BigInt(k * 64 + o)));
    expect(rec(0)).toEqual([0x300n, 0x3000n, 0x0a000000n, 0x10a8n, 0n]); // store to PP 1: PROT|STORE
    expect(rec(1)).toEqual([0x300n, 0x2000n, 0x08000000n, 0x10b0n, 0n]); // load from PP 0: PROT
    expect(rec(2)[0]).toBe(0x400n); // fetch from an N page: ISI, SRR1 bit 35
    expect(rec(2)[3]).toBe(0x4000n);
    expect(rec(2)[4]).toBe(0x10000000n);
    expect(r.dw(0x60c0n)).toBe(0n); // nothing else faulted
  });

  it('stale.s: a changed PTE without tlbie keeps the old page until a tlbie names it', () => {
    for (const policy of ['eager', 'isa'] as const) {
      const r = runBare('bare/stale.s', { model: 'power8', policy });
      expect(r.machine.stop).toBe('halt');
      expect([20, 21, 22, 23, 24, 25].map((n) => r.gpr(0, n)), policy).toEqual([
        0xaaaan, 0xaaaan, 0xaaaan, 0xbbbbn, 0xbbbbn, 0xaaaan,
      ]);
    }
  });
});
