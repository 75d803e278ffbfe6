// The dataflow the memory model derives dependencies from (src/isa/effects.ts), checked
// against what the interpreter actually does: for random words of every non-storage
// instruction and random register state, changing a register the effects do not list as read
// changes no result, and nothing the effects do not list as written changes. (The converse —
// that every listed read is real — is what review of effects.ts against the ISA's pseudocode
// covers: a spurious read would be a spurious dependency.)
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cpu } from '../../src/cpu/cpu.js';
import { run } from '../../src/cpu/interp.js';
import { PhysPage, type AddressSpace } from '../../src/cpu/memory.js';
import { INSNS, type InsnDef } from '../../src/isa/table.js';
import { decode } from '../../src/isa/decode.js';
import { effectsOf, XER_CA, XER_OV, XER_SO } from '../../src/isa/effects.js';

const CODE = 0x10000;

function machine(word: number): Cpu {
  const page = new PhysPage();
  page.dv.setUint32(0, word, false);
  const space: AddressSpace = { lookup: (hi, lo, access) => (hi === 0 && lo === CODE ? page : { kind: 'unmapped', access, hi, lo }) };
  const cpu = new Cpu(0, space, (c) => (c.stop = 'unhandled-interrupt'));
  return cpu;
}

interface State {
  gpr: bigint[];
  cr: number;
  so: number;
  ov: number;
  ca: number;
  lr: bigint;
  ctr: bigint;
  pc: bigint;
}

function setState(cpu: Cpu, s: State): void {
  s.gpr.forEach((v, r) => cpu.setGpr(r, v));
  cpu.cr = s.cr;
  cpu.so = s.so;
  cpu.ov = s.ov;
  cpu.ca = s.ca;
  cpu.lrHi = Number(s.lr >> 32n) | 0;
  cpu.lrLo = Number(s.lr & 0xffffffffn) | 0;
  cpu.ctrHi = Number(s.ctr >> 32n) | 0;
  cpu.ctrLo = Number(s.ctr & 0xffffffffn) | 0;
  cpu.pc = BigInt(CODE);
}

function getState(cpu: Cpu): State {
  return {
    gpr: Array.from({ length: 32 }, (_, r) => cpu.getGpr(r)),
    cr: cpu.cr >>> 0,
    so: cpu.so,
    ov: cpu.ov,
    ca: cpu.ca,
    lr: (BigInt(cpu.lrHi >>> 0) << 32n) | BigInt(cpu.lrLo >>> 0),
    ctr: (BigInt(cpu.ctrHi >>> 0) << 32n) | BigInt(cpu.ctrLo >>> 0),
    pc: cpu.pc,
  };
}

function step(word: number, s: State): State | null {
  const cpu = machine(word);
  setState(cpu, s);
  run(cpu, 1);
  return cpu.stop ? null : getState(cpu);
}

/** CR bit n (0 = MSB) of a CR value. */
const crBit = (cr: number, n: number) => (cr >>> (31 - n)) & 1;

const candidates = INSNS.filter(
  (d: InsnDef) =>
    (d.facility === 'fixed' || d.facility === 'branch') && d.privilege === 'user' && d.name !== 'tw' && d.name !== 'td' && d.name !== 'twi' && d.name !== 'tdi',
);

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const stateArb = fc.record({
  gpr: fc.array(fc.oneof(u64, fc.bigInt({ min: 0n, max: 70n })), { minLength: 32, maxLength: 32 }),
  cr: fc.integer({ min: 0, max: 0xffffffff }),
  so: fc.integer({ min: 0, max: 1 }),
  ov: fc.integer({ min: 0, max: 1 }),
  ca: fc.integer({ min: 0, max: 1 }),
  lr: u64.map((v) => v & ~3n),
  ctr: fc.oneof(u64, fc.bigInt({ min: 0n, max: 3n })),
  pc: fc.constant(BigInt(CODE)),
});

describe('instruction dataflow (effects.ts) against the interpreter', () => {
  it('unlisted registers are neither read nor written', () => {
    fc.assert(
      fc.property(fc.constantFrom(...candidates), fc.integer({ min: 0, max: 0xffffffff }), stateArb, fc.integer({ min: 0, max: 31 }), (def, bits, s0, pick) => {
        const word = ((def.match | (bits & ~def.mask)) >>> 0) | 0;
        const d = decode(word >>> 0);
        if (d !== def) return;
        const e = effectsOf(def, word >>> 0);
        const out = step(word, s0);
        if (!out) return; // an invalid form raised an interrupt
        // Writes: every change is listed.
        for (let r = 0; r < 32; r++) if (out.gpr[r] !== s0.gpr[r]) expect(e.gprWrite, `${def.name} writes r${r}`).toContain(r);
        for (let b = 0; b < 32; b++) if (crBit(out.cr, b) !== crBit(s0.cr, b)) expect((e.crWrite >>> b) & 1, `${def.name} writes CR bit ${b}`).toBe(1);
        if (out.ca !== s0.ca) expect(e.xerWrite & XER_CA, `${def.name} writes CA`).not.toBe(0);
        if (out.ov !== s0.ov) expect(e.xerWrite & XER_OV, `${def.name} writes OV`).not.toBe(0);
        if (out.so !== s0.so) expect(e.xerWrite & XER_SO, `${def.name} writes SO`).not.toBe(0);
        if (out.lr !== s0.lr) expect(e.lrWrite, `${def.name} writes LR`).toBe(true);
        if (out.ctr !== s0.ctr) expect(e.ctrWrite, `${def.name} writes CTR`).toBe(true);
        // Reads: perturbing an unlisted source changes nothing else.
        const same = (a: State, b: State, except: { gpr?: number; crBit?: number; xer?: 'so' | 'ov' | 'ca'; lr?: boolean; ctr?: boolean }) => {
          for (let r = 0; r < 32; r++) if (r !== except.gpr) expect(a.gpr[r], `${def.name}: r${r} after perturbing ${JSON.stringify(except)}`).toBe(b.gpr[r]);
          const mask = except.crBit === undefined ? 0xffffffff : ~(1 << (31 - except.crBit)) >>> 0;
          expect((a.cr & mask) >>> 0, `${def.name}: CR`).toBe((b.cr & mask) >>> 0);
          if (except.xer !== 'so') expect(a.so).toBe(b.so);
          if (except.xer !== 'ov') expect(a.ov).toBe(b.ov);
          if (except.xer !== 'ca') expect(a.ca).toBe(b.ca);
          if (!except.lr) expect(a.lr, `${def.name}: LR`).toBe(b.lr);
          if (!except.ctr) expect(a.ctr, `${def.name}: CTR`).toBe(b.ctr);
          expect(a.pc, `${def.name}: next pc`).toBe(b.pc);
        };
        const r = pick;
        if (!e.gprRead.includes(r)) {
          const s1 = { ...s0, gpr: s0.gpr.map((v, k) => (k === r ? v ^ 0x8000000000000101n : v)) };
          const o1 = step(word, s1);
          if (o1) same(o1, out, { gpr: e.gprWrite.includes(r) ? -1 : r });
        }
        if (((e.crRead >>> r) & 1) === 0) {
          const o1 = step(word, { ...s0, cr: (s0.cr ^ (1 << (31 - r))) >>> 0 });
          if (o1) same(o1, out, { crBit: (e.crWrite >>> r) & 1 ? -1 : r });
        }
        if ((e.xerRead & XER_CA) === 0) {
          const o1 = step(word, { ...s0, ca: s0.ca ^ 1 });
          if (o1) same(o1, out, { xer: e.xerWrite & XER_CA ? undefined : 'ca' });
        }
        if ((e.xerRead & XER_SO) === 0) {
          const o1 = step(word, { ...s0, so: s0.so ^ 1 });
          if (o1) same(o1, out, { xer: e.xerWrite & XER_SO ? undefined : 'so' });
        }
        if (!e.lrRead) {
          const o1 = step(word, { ...s0, lr: s0.lr ^ 0x100n });
          if (o1) same(o1, out, { lr: !e.lrWrite });
        }
        if (!e.ctrRead) {
          const o1 = step(word, { ...s0, ctr: s0.ctr ^ 0x5n });
          if (o1) same(o1, out, { ctr: !e.ctrWrite });
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('storage accesses name their address and data registers and their size', () => {
    const lwzx = INSNS.find((d) => d.name === 'lwzx')!;
    const w = (lwzx.match | (4 << 21) | (3 << 16) | (5 << 11)) >>> 0; // lwzx r4,r3,r5
    expect(effectsOf(lwzx, w).access).toEqual({ kind: 'load', size: 4, addr: [3, 5], data: null });
    expect(effectsOf(lwzx, w).gprWrite).toEqual([4]);
    const stdu = INSNS.find((d) => d.name === 'stdu')!;
    const s = (stdu.match | (7 << 21) | (1 << 16) | 0x10) >>> 0; // stdu r7,16(r1)
    expect(effectsOf(stdu, s).access).toEqual({ kind: 'store', size: 8, addr: [1], data: 7 });
    expect(effectsOf(stdu, s).gprWrite).toEqual([1]);
    const stwcx = INSNS.find((d) => d.name === 'stwcx.')!;
    const c = (stwcx.match | (1 << 21) | (0 << 16) | (2 << 11)) >>> 0; // stwcx. r1,0,r2
    expect(effectsOf(stwcx, c).access).toEqual({ kind: 'stcx', size: 4, addr: [2], data: 1 });
    expect(effectsOf(stwcx, c).crWrite).toBe(0xf);
    const sync = INSNS.find((d) => d.name === 'sync')!;
    expect(effectsOf(sync, sync.match).barrier).toBe('sync');
    expect(effectsOf(sync, (sync.match | (1 << 21)) >>> 0).barrier).toBe('lwsync');
    expect(effectsOf(sync, (sync.match | (2 << 21)) >>> 0).barrier).toBe('ptesync');
  });
});
