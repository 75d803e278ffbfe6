// The privileged machine through the library (no QEMU): N CPUs and their identities, attn,
// breakpoints on every CPU, the scheduler (round-robin and seeded random), reservations shared
// between CPUs (Book II v3.0B 4.4.2: a store by another CPU to the reservation granule
// clears the reservation), the architected interrupts (Book III v3.0B chapter 7: SRR0, SRR1,
// DAR, new MSR), the mtmsrd/rfid rules (Book III 4.4) and storage beyond the end of memory.
// Every expected value is worked out by hand in the comments next to it.

import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Machine, type MachineOptions, type Translator } from '../../src/cpu/machine.js';
import { assemble, toBinary } from '../../src/isa/index.js';
import { SPR } from '../../src/cpu/interrupts.js';
import type { Cpu } from '../../src/cpu/cpu.js';
import type { Fault } from '../../src/cpu/memory.js';
import { cli, tempFiles } from '../helpers/cli.js';

interface Booted {
  m: Machine;
  sym: (name: string) => bigint;
}

/** Assembles `src` as a raw image at 0, loads it and starts every CPU at `_start`. */
function boot(src: string, opts: MachineOptions = {}): Booted {
  const r = assemble(src, { fileName: 'machine-test.s', format: 'bin' });
  const m = new Machine(opts);
  m.load(0n, toBinary(r));
  const sym = (name: string): bigint => {
    const v = r.symbols.get(name);
    if (v === undefined) throw new Error(`no symbol ${name}`);
    return v;
  };
  m.start(sym('_start'));
  return { m, sym };
}

const spr = (cpu: Cpu, n: number): bigint => (BigInt(cpu.sprHi[n]! >>> 0) << 32n) | BigInt(cpu.sprLo[n]! >>> 0);
const msr = (cpu: Cpu): bigint => (BigInt(cpu.msrHi >>> 0) << 32n) | BigInt(cpu.msrLo >>> 0);
const word = (m: Machine, a: bigint): number => new DataView(m.mem.read(a, 4)!.buffer).getUint32(0);
const dword = (m: Machine, a: bigint): bigint => new DataView(m.mem.read(a, 8)!.buffer).getBigUint64(0);

// MSR bits (Book III 4.2.1) as 64-bit values.
const SF = 1n << 63n;
const HV = 1n << 60n;
const EE = 0x8000n;
const PR = 0x4000n;
const ME = 0x1000n;
const IR = 0x20n;
const DR = 0x10n;
const RI = 0x2n;
const LE = 0x1n;
/** SRR1 cause bits of the Program interrupt (Book III 7.5.9): 44 illegal, 45 privileged, 46 trap. */
const SRR1_PRIV = 1n << (63n - 45n);
const SRR1_TRAP = 1n << (63n - 46n);
/** The machine's start state: 64-bit hypervisor real mode, machine checks enabled. */
const START_MSR = SF | HV | ME;

/**
 * Identity translation for relocated accesses (MSR[IR]/MSR[DR] = 1): problem state always
 * relocates (PR=1 forces IR and DR on), so the problem-state tests need one. The MMU's own
 * tests cover real translation.
 */
function identity(m: Machine): Translator {
  return {
    translate: (_cpu, hi, pageLo, access): ReturnType<Translator['translate']> => {
      const page = m.mem.page((BigInt(hi >>> 0) << 32n) | BigInt(pageLo >>> 0));
      return page ?? ({ kind: 'beyond-storage', access, hi, lo: pageLo, vector: 0x200 } satisfies Fault);
    },
  };
}

describe('CPUs and their identities', () => {
  it('every CPU reads its own PIR (SPR 1023) and they share storage', () => {
    // Each CPU stores PIR+1 into table[PIR] and spins; 4 CPUs, round-robin.
    const { m, sym } = boot(`
	.org	0x100
_start:	mfspr	r3, 1023
	addi	r4, r3, 1
	sldi	r5, r3, 3
	lis	r6, table@ha
	addi	r6, r6, table@l
	stdx	r4, r6, r5
done:	b	.
	.org	0x1000
table:	.space	32
`, { cpus: 4 });
    m.run(1000);
    expect(m.cpus.map((c) => c.getGpr(3))).toEqual([0n, 1n, 2n, 3n]);
    expect([0n, 1n, 2n, 3n].map((k) => dword(m, sym('table') + 8n * k))).toEqual([1n, 2n, 3n, 4n]);
    // The start state: 64-bit hypervisor real mode with ME, at _start, model's PVR.
    for (const c of m.cpus) {
      expect(msr(c)).toBe(START_MSR);
      expect(c.pc).toBe(sym('done'));
      expect(spr(c, SPR.PVR)).toBe(0x004e1202n); // power9 default model
    }
  });

  it('attn on one CPU halts every CPU: stopReason halt', () => {
    // CPU 2 counts to 3 and executes attn; the others spin. Round-robin, quantum 16.
    const { m, sym } = boot(`
	.org	0x100
_start:	mfspr	r3, 1023
	cmpdi	r3, 2
	bne	spin
	li	r4, 3
	mtctr	r4
count:	addi	r5, r5, 1
	bdnz	count
stop:	attn
	li	r6, 1			# never reached
spin:	b	.
`, { cpus: 3 });
    m.run(100_000);
    expect(m.stop).toBe('halt');
    expect(m.stopMessage).toBe('attn on cpu 2');
    expect(m.cpus.map((c) => c.stop)).toEqual(['halt', 'halt', 'halt']);
    expect(m.cpus[2]!.getGpr(5)).toBe(3n);
    expect(m.cpus[2]!.getGpr(6)).toBe(0n);
    expect(m.cpus[0]!.pc).toBe(sym('spin'));
  });

  it('a breakpoint planted on every CPU stops the machine at whichever CPU reaches it first', () => {
    // Only CPU 1 reaches `target` (CPU 0 and 2 spin first): the machine stops with CPU 1 there.
    const src = `
	.org	0x100
_start:	mfspr	r3, 1023
	cmpdi	r3, 1
	bne	spin
	li	r4, 7
target:	li	r5, 8
	b	.
spin:	b	.
`;
    const { m, sym } = boot(src, { cpus: 3 });
    for (const c of m.cpus) c.addBreakpoint(sym('target'));
    m.run(10_000);
    expect(m.stop).toBe('breakpoint');
    expect(m.cpus[1]!.pc).toBe(sym('target'));
    expect(m.cpus[1]!.getGpr(4)).toBe(7n);
    expect(m.cpus[1]!.getGpr(5)).toBe(0n); // stopped before executing target

    // The CLI does the same for --stop-at LABEL with --cpus N: stopReason "stop-at".
    const dir = tempFiles({ 'stop.s': src });
    const out = join(dir, 'state.json');
    const r = cli(['run', '--bare', join(dir, 'stop.s'), '--cpus', '3', '--stop-at', 'target', '--max-insns', '10000', '--state-out', out]);
    expect(r.status, r.stderr).toBe(0);
    const s = JSON.parse(readFileSync(out, 'utf8'));
    expect(s.stopReason).toBe('stop-at');
    expect(s.cpus[1].pc).toBe('0x' + sym('target').toString(16).padStart(16, '0'));
    expect(s.cpus[1].gpr[4]).toBe('0x0000000000000007');
  });
});

/** N CPUs each add 1 to a shared counter `iters` times with lwarx/stwcx.; the last one out halts. */
const COUNTER = (iters: number) => `
	.org	0x100
_start:	lis	r10, counter@ha
	addi	r10, r10, counter@l
	li	r4, ${iters}
	mtctr	r4
again:	lwarx	r5, 0, r10
	addi	r5, r5, 1
	stwcx.	r5, 0, r10
	bne	again
	bdnz	again
	lis	r11, finished@ha
	addi	r11, r11, finished@l
	mfspr	r12, 1023
fin:	lwarx	r6, 0, r11
	addi	r6, r6, 1
	stwcx.	r6, 0, r11
	bne	fin
	cmpdi	r6, NCPUS
	bne	spin
	attn
spin:	b	.
	.org	0x1000
counter:	.long	0
	.org	0x1100
finished:	.long	0
`;

function runCounter(cpus: number, iters: number, opts: MachineOptions): { m: Machine; count: number; insns: number[] } {
  const { m, sym } = boot(COUNTER(iters).replace('NCPUS', String(cpus)), { cpus, ...opts });
  m.run(5_000_000);
  expect(m.stop).toBe('halt');
  return { m, count: word(m, sym('counter')), insns: m.cpus.map((c) => c.instructions) };
}

describe('scheduler and reservations', () => {
  it('round-robin: CPUs incrementing a shared counter with lwarx/stwcx. get the exact total', () => {
    // Quanta of 16 and 3 instructions end turns between lwarx and stwcx., so another CPU's
    // successful stwcx. must make the first CPU's stwcx. fail, or an increment is lost.
    for (const quantum of [16, 3, 1]) {
      for (const cpus of [2, 3]) {
        const r = runCounter(cpus, 200, { quantum });
        expect(r.count, `quantum ${quantum}, ${cpus} CPUs`).toBe(200 * cpus);
      }
    }
  });

  it('seeded random interleaving: exact total; same seed, same run; other seeds may differ', () => {
    const runs = [1, 2, 3, 4, 5].map((seed) => runCounter(2, 300, { seed }));
    for (const r of runs) expect(r.count).toBe(600);
    const again = runCounter(2, 300, { seed: 3 });
    expect(again.insns).toEqual(runs[2]!.insns);
    // Instruction counts per CPU differ between at least two of the seeds (interleavings differ).
    expect(new Set(runs.map((r) => r.insns.join(','))).size).toBeGreaterThan(1);
  });

  /**
   * CPU 0 takes a reservation on `target`, tells CPU 1 (flag a), waits for CPU 1 (flag b), then
   * tries stwcx.; CR0 goes to r7, the stwcx. data is 0x77. CPU 1 waits for flag a, runs the
   * given code (r10 = target, r9 = 0x55), then sets flag b. The flags are in the same page as
   * the target but other 128-byte granules, so they themselves never clear the reservation.
   */
  function reservationRace(cpu1Code: string, quantum = 4) {
    const { m, sym } = boot(`
	.org	0x100
_start:	lis	r10, target@ha
	addi	r10, r10, target@l
	addi	r11, r10, 0x200		# flag a
	addi	r12, r10, 0x400		# flag b
	li	r9, 0x55
	li	r8, 1
	mfspr	r3, 1023
	cmpdi	r3, 0
	bne	cpu1
cpu0:	lwarx	r5, 0, r10
	stw	r8, 0(r11)		# flag a
wait_b:	lwz	r4, 0(r12)
	cmpwi	r4, 1
	bne	wait_b
	li	r6, 0x77
	stwcx.	r6, 0, r10
	mfcr	r7
	attn
cpu1:	lwz	r4, 0(r11)
	cmpwi	r4, 1
	bne	cpu1
${cpu1Code}
	stw	r8, 0(r12)		# flag b
	b	.
	.org	0x2000
target:	.long	0x11111111
`, { cpus: 2, quantum });
    m.run(100_000);
    expect(m.stop).toBe('halt');
    const cr0 = (m.cpus[0]!.getGpr(7) >> 28n) & 0xfn;
    return { m, sym, ok: (cr0 & 2n) !== 0n, target: word(m, sym('target')) };
  }

  it("another CPU's store to the reservation granule makes stwcx. fail", () => {
    // A store to a different word of the same 128-byte granule (target+4) clears it too.
    for (const store of ['stw r9, 0(r10)', 'stw r9, 4(r10)', 'stb r9, 127(r10)', 'std r9, 120(r10)']) {
      const r = reservationRace(`\t${store}`);
      expect(r.ok, store).toBe(false);
      expect(r.target, store).toBe(store === 'stw r9, 0(r10)' ? 0x55 : 0x11111111);
    }
  });

  it('the granule is a real address: a store through another effective address of it counts', () => {
    // Hypervisor real mode ignores EA bits 0:3: 0x8000000000000000 + target is target.
    const r = reservationRace('\tli r13, 1\n\trldicr r13, r13, 63, 0\n\tstwx r9, r13, r10');
    expect(r.ok).toBe(false);
    expect(r.target).toBe(0x55);
  });

  it("another CPU's successful stwcx. to the granule clears the reservation; its failed one does not", () => {
    const won = reservationRace('\tlwarx r14, 0, r10\n\tstwcx. r9, 0, r10');
    expect(won.ok).toBe(false);
    expect(won.target).toBe(0x55);
    // CPU 1 without a reservation: its stwcx. stores nothing and CPU 0's reservation stays.
    const lost = reservationRace('\tstwcx. r9, 0, r10');
    expect(lost.ok).toBe(true);
    expect(lost.target).toBe(0x77);
  });

  it('stores outside the granule, and loads, leave the reservation alone', () => {
    // target+128 is the next granule (same page); target+0x1000 another page.
    for (const code of ['\tstw r9, 128(r10)', '\tstw r9, -4(r10)', '\tlwz r15, 0(r10)\n\tlwarx r15, 0, r10', '\taddis r13, r10, 1\n\tstw r9, 0(r13)']) {
      const r = reservationRace(code);
      expect(r.ok, code).toBe(true);
      expect(r.target, code).toBe(0x77);
    }
  });

  it('the same races give the same answers whatever the quantum', () => {
    for (const quantum of [1, 2, 7, 16, 1000]) {
      expect(reservationRace('\tstw r9, 8(r10)', quantum).ok).toBe(false);
      expect(reservationRace('\tstw r9, 256(r10)', quantum).ok).toBe(true);
    }
  });
});

/** A single-CPU program with handlers that save SRR0/SRR1/DAR/MSR and return past the instruction. */
const HANDLERS = `
	.org	0x600			# Alignment
	mfsrr0	r20
	mfsrr1	r21
	mfdar	r22
	mfmsr	r23
	addi	r24, r24, 1
	addi	r25, r20, 4
	mtsrr0	r25
	rfid
	.org	0x700			# Program
	mfsrr0	r20
	mfsrr1	r21
	mfmsr	r23
	addi	r26, r26, 1
	addi	r25, r20, 4
	mtsrr0	r25
	rfid
	.org	0xc00			# System Call
	mfsrr0	r20
	mfsrr1	r21
	mfmsr	r23
	addi	r27, r27, 1
	rfid
	.org	0xe40			# Hypervisor Emulation Assistance
	mfspr	r20, 314
	mfspr	r21, 315
	mfmsr	r23
	addi	r28, r28, 1
	addi	r25, r20, 4
	mtctr	r25
	bctr
`;

function single(body: string, opts: { translate?: boolean } = {}): Booted & { cpu: Cpu } {
  const b = boot(`${HANDLERS}\n\t.org\t0x2000\n_start:\n${body}\ndone:\tb\t.\n\t.org\t0x3000\ndata:\t.quad\t0x1122334455667788\n`);
  if (opts.translate) b.m.translator = identity(b.m);
  for (const c of b.m.cpus) c.addBreakpoint(b.sym('done'));
  b.m.run(10_000);
  expect(b.m.stop).toBe('breakpoint');
  return { ...b, cpu: b.m.cpus[0]! };
}

describe('interrupts (Book III v3.0B chapter 7)', () => {
  it('System Call: SRR0 = the next instruction, SRR1 = MSR, new MSR keeps only SF, HV, ME', () => {
    // EE and RI on first (mtmsrd L=1); the interrupt saves them in SRR1 and clears them.
    const { cpu, sym } = single(`
	li	r3, 0
	ori	r3, r3, 0x8002
	mtmsrd	r3, 1
sc_at:	sc
	li	r4, 1`);
    expect(cpu.getGpr(27)).toBe(1n);
    expect(cpu.getGpr(20)).toBe(sym('sc_at') + 4n);
    expect(cpu.getGpr(21)).toBe(START_MSR | EE | RI);
    expect(cpu.getGpr(23)).toBe(START_MSR);
    // rfid restored EE|RI from SRR1.
    expect(msr(cpu)).toBe(START_MSR | EE | RI);
    expect(cpu.getGpr(4)).toBe(1n);
  });

  it('Program, trap: SRR0 = the trap, SRR1 = MSR | bit 46', () => {
    const { cpu, sym } = single(`
	li	r3, 5
t:	tdi	4, r3, 5`);
    expect(cpu.getGpr(26)).toBe(1n);
    expect(cpu.getGpr(20)).toBe(sym('t'));
    expect(cpu.getGpr(21)).toBe(START_MSR | SRR1_TRAP);
    expect(cpu.getGpr(23)).toBe(START_MSR);
  });

  // Since v2.06 an illegal instruction causes the Hypervisor Emulation Assistance interrupt
  // (v3.0B 7.5.18): vector 0xE40, HSRR0 = the instruction, HSRR1 = MSR; QEMU agrees (see
  // fixtures/bare/program-illegal.s).
  it('illegal instruction: Hypervisor Emulation Assistance, not Program', () => {
    const { cpu, sym } = single(`
ill:	.long	0`);
    expect(cpu.getGpr(26)).toBe(0n); // no Program interrupt
    expect(cpu.getGpr(28)).toBe(1n);
    expect(cpu.getGpr(20)).toBe(sym('ill'));
    expect(cpu.getGpr(21)).toBe(START_MSR);
  });

  it('Program, privileged instruction in problem state: SRR1 bit 45; PR=1 forced EE, IR, DR on', () => {
    // rfid to `user` with SRR1 = SF|PR|ME (HV cleared): MSR becomes SF|EE|PR|ME|IR|DR
    // (= 0x800000000000d030). mfmsr there is privileged: Program, SRR1 = that MSR | bit 45; the
    // new MSR is SF|ME (HV stays 0: Program is not a hypervisor interrupt). The handler returns
    // with rfid to the next instruction in problem state; mtspr SRR0 (SPR 26, privileged) traps
    // the same way; then sc takes us to 0xC00 with SRR1 = the problem-state MSR.
    const { cpu, sym } = single(`
	li	r3, 1
	rldicr	r3, r3, 63, 0
	ori	r3, r3, 0x5000		# SF | PR | ME
	mtsrr1	r3
	lis	r4, user@ha
	addi	r4, r4, user@l
	mtsrr0	r4
	rfid
user:	mfmsr	r5
	li	r6, 6
p2:	mtsrr0	r6
	li	r7, 7
	mr	r30, r21		# SRR1 of the second Program interrupt
sc_at:	sc
	li	r8, 8`, { translate: true });
    const userMsr = SF | EE | PR | ME | IR | DR;
    expect(userMsr).toBe(0x800000000000d030n);
    expect(cpu.getGpr(26)).toBe(2n);
    expect(cpu.getGpr(5)).toBe(0n); // mfmsr did not execute
    expect(cpu.getGpr(30)).toBe(userMsr | SRR1_PRIV);
    expect(cpu.getGpr(27)).toBe(1n);
    expect(cpu.getGpr(20)).toBe(sym('sc_at') + 4n);
    expect(cpu.getGpr(21)).toBe(userMsr);
    expect(cpu.getGpr(23)).toBe(SF | ME); // new MSR of the System Call interrupt (HV still 0)
    expect(cpu.getGpr(6)).toBe(6n);
    expect(cpu.getGpr(7)).toBe(7n);
    expect(cpu.getGpr(8)).toBe(8n);
    expect(msr(cpu)).toBe(userMsr); // rfid from the sc handler went back to problem state
    expect(spr(cpu, SPR.SRR0)).toBe(sym('sc_at') + 4n);
  });

  it('Alignment: lwarx/ldarx at a misaligned EA, SRR0 = the instruction, DAR = the EA, nothing loaded', () => {
    const { cpu, sym } = single(`
	lis	r10, data@ha
	addi	r10, r10, data@l
	li	r5, -1
a1:	lwarx	r5, 0, r10		# aligned: loads
	addi	r11, r10, 2
a2:	lwarx	r6, 0, r11		# data+2
	mr	r12, r20
	mr	r13, r22
	addi	r11, r10, 12
a3:	ldarx	r7, 0, r11`);
    expect(cpu.getGpr(5)).toBe(0x11223344n); // aligned lwarx loaded
    expect(cpu.getGpr(24)).toBe(2n);
    expect(cpu.getGpr(12)).toBe(sym('a2'));
    expect(cpu.getGpr(13)).toBe(sym('data') + 2n);
    expect(cpu.getGpr(20)).toBe(sym('a3'));
    expect(cpu.getGpr(22)).toBe(sym('data') + 12n);
    expect(spr(cpu, SPR.DAR)).toBe(sym('data') + 12n);
    expect(cpu.getGpr(21)).toBe(START_MSR);
    expect(cpu.getGpr(23)).toBe(START_MSR);
    expect(cpu.getGpr(6)).toBe(0n);
    expect(cpu.getGpr(7)).toBe(0n);
  });

  it('interrupts clear IR, DR, EE, RI, PR and set SF; LE comes from LPCR[ILE]', () => {
    // A trap at MSR = SF|HV|ME|EE|RI with LPCR[ILE] (bit 38, 0x2000000) set: the interrupt
    // MSR is SF|HV|ME|LE. The state is read at the vector, before its first instruction.
    const { m, sym } = boot(`
	.org	0x100
_start:	li	r3, 0
	ori	r3, r3, 0x8002
	mtmsrd	r3, 1
	lis	r4, 0x200
	mtspr	318, r4			# LPCR[ILE]
t:	tw	31, r0, r0
	.org	0x700
	.long	0
`);
    const cpu = m.cpus[0]!;
    cpu.addBreakpoint(0x700n);
    m.run(100);
    expect(m.stop).toBe('breakpoint');
    expect(cpu.pc).toBe(0x700n);
    expect(spr(cpu, SPR.SRR0)).toBe(sym('t'));
    expect(spr(cpu, SPR.SRR1)).toBe(START_MSR | EE | RI | SRR1_TRAP);
    expect(msr(cpu)).toBe(START_MSR | LE);
  });
});

describe('mtmsrd and rfid (Book III v3.0B 4.4)', () => {
  it('mtmsrd L=1 changes EE and RI only; L=0 leaves HV, ME and LE alone', () => {
    const { cpu } = single(`
	li	r3, -1
	li	r4, 0
	ori	r4, r4, 0x8000
	andc	r3, r3, r4		# all ones but EE
	mtmsrd	r3, 1
	mfmsr	r5			# + RI
	li	r3, 0
	mtmsrd	r3, 1
	mfmsr	r6			# back to the start MSR
	li	r3, 1
	rldicr	r3, r3, 63, 0		# SF only: HV, ME, LE as they were (LE 0)
	ori	r3, r3, 1		# LE requested: ignored
	mtmsrd	r3, 0
	mfmsr	r7`);
    expect(cpu.getGpr(5)).toBe(START_MSR | RI);
    expect(cpu.getGpr(6)).toBe(START_MSR);
    expect(cpu.getGpr(7)).toBe(START_MSR);
  });

  it('mtmsrd L=0 with PR=1 forces EE, IR and DR on', () => {
    // Then the next instruction (mfmsr, privileged) raises Program with that MSR in SRR1.
    const { cpu } = single(`
	li	r3, 1
	rldicr	r3, r3, 63, 0
	ori	r3, r3, 0x4000		# SF | PR
	mtmsrd	r3, 0
	mfmsr	r5`, { translate: true });
    expect(cpu.getGpr(26)).toBe(1n);
    expect(cpu.getGpr(21)).toBe(START_MSR | PR | EE | IR | DR | SRR1_PRIV);
    expect(cpu.getGpr(23)).toBe(START_MSR); // HV was kept, so the interrupt keeps it
  });

  it('rfid: NIA = SRR0 with the low 2 bits 0, MSR = SRR1 without the cause bits; HV can only be cleared', () => {
    // SRR1 = SF|HV|ME|RI plus the cause bits 33:36 and 42:47 (0x783f0000): they are not MSR bits.
    // SRR0 = next+3: rfid goes to `next`.
    const { cpu } = single(`
	li	r3, 1
	rldicr	r3, r3, 63, 0
	oris	r3, r3, 0x783f
	ori	r3, r3, 0x1002		# ME | RI
	li	r4, 1
	rldicr	r4, r4, 60, 3		# HV
	or	r3, r3, r4
	mtsrr1	r3
	lis	r4, next@ha
	addi	r4, r4, next@l
	addi	r4, r4, 3
	mtsrr0	r4
	rfid
	li	r9, 9			# skipped
next:	mfmsr	r5
	li	r3, 1
	rldicr	r3, r3, 63, 0
	ori	r3, r3, 0x1000		# SF | ME: leave hypervisor state
	mtsrr1	r3
	lis	r4, guest@ha
	addi	r4, r4, guest@l
	mtsrr0	r4
	rfid
guest:	mfmsr	r6
	li	r3, 1
	rldicr	r3, r3, 63, 0
	ori	r3, r3, 0x1000
	li	r4, 1
	rldicr	r4, r4, 60, 3
	or	r3, r3, r4		# SF | HV | ME: rfid cannot set HV
	mtsrr1	r3
	lis	r4, guest2@ha
	addi	r4, r4, guest2@l
	mtsrr0	r4
	rfid
guest2:	mfmsr	r7`);
    expect(cpu.getGpr(9)).toBe(0n);
    expect(cpu.getGpr(5)).toBe(START_MSR | RI);
    expect(cpu.getGpr(6)).toBe(SF | ME);
    expect(cpu.getGpr(7)).toBe(SF | ME);
  });

  // rfid in privileged non-hypervisor state leaves MSR[ME] alone (v3.0B rfid:
  // MSR51 <- (MSR3 & SRR1 51) | (!MSR3 & MSR51)).
  it('rfid outside hypervisor state cannot change ME', () => {
    const { cpu } = single(`
	li	r3, 1
	rldicr	r3, r3, 63, 0
	ori	r3, r3, 0x1000		# SF | ME
	mtsrr1	r3
	lis	r4, guest@ha
	addi	r4, r4, guest@l
	mtsrr0	r4
	rfid
guest:	li	r3, 1
	rldicr	r3, r3, 63, 0		# SF only: ME requested off
	mtsrr1	r3
	lis	r4, guest2@ha
	addi	r4, r4, guest2@l
	mtsrr0	r4
	rfid
guest2:	mfmsr	r7`);
    expect(cpu.getGpr(7)).toBe(SF | ME);
  });
});

describe('storage beyond the end of memory', () => {
  it('a load beyond storage stops the machine (unhandled machine check), naming the address', () => {
    const { m, sym } = boot(`
	.org	0x100
_start:	li	r3, 1
	lis	r4, 0x10		# 1 MiB: the first byte beyond a 1 MiB machine
at:	lwz	r5, 0(r4)
	li	r6, 6
`, { memorySize: 1n << 20n });
    m.run(1000);
    expect(m.stop).toBe('unhandled-interrupt');
    expect(m.stopMessage).toContain('machine check on cpu 0');
    expect(m.stopMessage).toContain('0x0000000000100000');
    const cpu = m.cpus[0]!;
    expect(cpu.pc).toBe(sym('at'));
    expect(cpu.getGpr(6)).toBe(0n);
  });

  it('a store (on any CPU) or an instruction fetch beyond storage stops the machine too', () => {
    const store = boot(`
	.org	0x100
_start:	lis	r4, 0x10
	mfspr	r3, 1023
	cmpdi	r3, 1
	bne	spin
	stw	r3, 8(r4)
spin:	b	.
`, { memorySize: 1n << 20n, cpus: 2 });
    store.m.run(1000);
    expect(store.m.stop).toBe('unhandled-interrupt');
    expect(store.m.stopMessage).toContain('machine check on cpu 1');
    expect(store.m.stopMessage).toContain('store to real address beyond storage 0x0000000000100008');
    const fetch = boot(`
	.org	0x100
_start:	lis	r4, 0x10
	mtctr	r4
	bctr
`, { memorySize: 1n << 20n });
    fetch.m.run(1000);
    expect(fetch.m.stop).toBe('unhandled-interrupt');
    expect(fetch.m.stopMessage).toContain('instruction fetch from real address beyond storage 0x0000000000100000');
  });
});

describe('SPRs written after the machine is built are listed (what a state key must hash)', () => {
  it('mtspr and an interrupt note their SPRs; the others keep the values the machine started with', () => {
    // mtspr SPRG1 (273), then a trap: the Program interrupt writes SRR0 (26) and SRR1 (27).
    const { m } = boot('_start:\tli 3,5\n\tmtspr 273,3\n\ttw 31,0,0\n\t.org 0x700\n\tattn\n');
    const cpu = m.cpus[0]!;
    expect(cpu.sprsWritten).toEqual([]);
    m.run(100);
    expect(cpu.sprsWritten).toEqual([26, 27, 273]);
    expect(spr(cpu, 273)).toBe(5n);
    expect(spr(cpu, SPR.PVR)).not.toBe(0n); // set when the machine was built: not listed
  });
  it('a snapshot restores the SPRs written before it, and those first written after it to their starting values', () => {
    const { m } = boot('_start:\tli 3,5\n\tmtspr 273,3\n\tli 3,6\n\tmtspr 274,3\n\tmtspr 273,3\n\tattn\n');
    const cpu = m.cpus[0]!;
    m.run(2); // SPRG1 = 5
    const snap = cpu.snapshot();
    m.run(100); // SPRG2 = 6, SPRG1 = 6
    expect([spr(cpu, 273), spr(cpu, 274)]).toEqual([6n, 6n]);
    cpu.restore(snap);
    expect([spr(cpu, 273), spr(cpu, 274), spr(cpu, SPR.PVR) !== 0n]).toEqual([5n, 0n, true]);
  });
});

describe('the SPR part of a state key', () => {
  it('depends on the state alone: an SPR written in another branch and restored counts as unwritten', () => {
    const { m } = boot('_start:\tli 3,5\n\tmtspr 273,3\n\tattn\n');
    const cpu = m.cpus[0]!;
    const snap = cpu.snapshot();
    const before = cpu.sprHash(1);
    m.run(100); // SPRG1 = 5 in this branch
    expect(cpu.sprHash(1)).not.toBe(before);
    cpu.restore(snap); // back: SPRG1 at its starting value, though now in sprsWritten
    expect(cpu.sprsWritten).toEqual([273]);
    expect(cpu.sprHash(1)).toBe(before);
  });
});

describe('a store crossing into a watched page', () => {
  it('reports each page part to that page\'s watcher (the validator tracks pages by these reports)', () => {
    // stw at 0x1ffe writes bytes 0x1ffe-0x1fff and 0x2000-0x2001.
    const { m } = boot('_start:\tlis 3,0x1122\n\tori 3,3,0x3344\n\tli 4,0x1ffe\n\tstw 3,0(4)\n\tattn\n');
    const seen: Array<[number, number, number]> = [];
    const page = m.mem.page(0x2000n)!;
    page.watcher = { before: () => {}, after: (_c, p, off, n) => void seen.push([p.frame, off, n]) };
    m.run(100);
    expect(seen).toEqual([[2, 0, 2]]);
    expect(word(m, 0x1ffcn) & 0xffff).toBe(0x1122);
    expect(word(m, 0x2000n) >>> 16).toBe(0x3344);
  });
});
