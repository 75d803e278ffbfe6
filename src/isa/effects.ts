// What an instruction reads and writes besides storage: GPRs, CR bits, XER bits, LR and CTR,
// and, for a storage access, which GPRs form its address and which its data. The memory model
// derives herd's syntactic dependencies (addr, data, ctrl) from this (Alglave, Maranget,
// Tautschnig, TOPLAS 2014, section 4.2: dependencies are register dataflow, so
// `xor r3,r1,r1` makes r3 depend on r1 although its value is always 0).
//
// Everything is derived from the table entry and its operand names, following Book I 1.7's
// operand conventions: RT is a target; RS, RB and (RA|0) are sources; RA is a source when
// the instruction also has RT, and the target of logical, shift and rotate forms that read
// RS ("RA <- f(RS)", Book I 3.3.13-3.3.14), except that rlwimi/rldimi also read it (insert)
// and update-form storage accesses both read it (base) and write it (EA). Over-approximating a
// read here would invent a dependency and forbid behaviour the hardware has, so each read
// below is one the ISA's pseudocode performs.

import { Op } from './ops.js';
import type { InsnDef } from './table.js';
import { flagValues, operandValues } from './decode.js';

/** XER bits as tracked for dataflow. */
export const XER_SO = 1;
export const XER_OV = 2;
export const XER_CA = 4;

/** The user-level SPR numbers (Book I 3.3.17): the interpreter's mfspr/mtspr use these too. */
export const SPR_XER = 1;
export const SPR_LR = 8;
export const SPR_CTR = 9;

/** b, bc, bclr, bcctr: the instructions that may change the flow (Book I 2.4). */
export function isBranch(def: InsnDef): boolean {
  return def.op === Op.b || def.op === Op.bc || def.op === Op.bclr || def.op === Op.bcctr;
}

export type StorageKind = 'load' | 'store' | 'larx' | 'stcx';

export interface StorageAccess {
  readonly kind: StorageKind;
  /** Bytes accessed. */
  readonly size: 1 | 2 | 4 | 8;
  /** GPRs the effective address is computed from ((RA|0) and RB). */
  readonly addr: readonly number[];
  /** GPR whose value is stored (stores and stcx.). */
  readonly data: number | null;
}

export type Barrier = 'sync' | 'lwsync' | 'ptesync' | 'eieio' | 'isync';

export interface Effects {
  readonly gprRead: readonly number[];
  readonly gprWrite: readonly number[];
  /** CR bits read and written: bit n of the mask is CR bit n (0 = CR0[LT]). */
  readonly crRead: number;
  readonly crWrite: number;
  readonly xerRead: number;
  readonly xerWrite: number;
  readonly lrRead: boolean;
  readonly lrWrite: boolean;
  readonly ctrRead: boolean;
  readonly ctrWrite: boolean;
  /** A conditional branch (its CR/CTR reads decide the path: herd's ctrl source). */
  readonly conditional: boolean;
  readonly access: StorageAccess | null;
  readonly barrier: Barrier | null;
  /**
   * Not modelled by the memory model's event view (storage effects other than plain accesses,
   * e.g. dcbz, lmw/stmw, tlbie): the litmus front end refuses them.
   */
  readonly unsupported: string | null;
}

const CR0 = 0xf; // CR bits 0-3

function fieldBits(f: number): number {
  return (0xf << (4 * f)) >>> 0;
}

/** CR fields selected by an FXM mask (bit 0x80 is CR0). */
function fxmBits(fxm: number): number {
  let m = 0;
  for (let f = 0; f < 8; f++) if (fxm & (0x80 >> f)) m |= fieldBits(f);
  return m >>> 0;
}

const SIZES: Partial<Record<Op, 1 | 2 | 4 | 8>> = {
  [Op.lbz]: 1, [Op.lbzu]: 1, [Op.lbzx]: 1, [Op.lbzux]: 1, [Op.stb]: 1, [Op.stbu]: 1, [Op.stbx]: 1, [Op.stbux]: 1,
  [Op.lhz]: 2, [Op.lhzu]: 2, [Op.lha]: 2, [Op.lhau]: 2, [Op.lhzx]: 2, [Op.lhzux]: 2, [Op.lhax]: 2, [Op.lhaux]: 2,
  [Op.sth]: 2, [Op.sthu]: 2, [Op.sthx]: 2, [Op.sthux]: 2, [Op.lhbrx]: 2, [Op.sthbrx]: 2,
  [Op.lwz]: 4, [Op.lwzu]: 4, [Op.lwa]: 4, [Op.lwzx]: 4, [Op.lwzux]: 4, [Op.lwax]: 4, [Op.lwaux]: 4,
  [Op.stw]: 4, [Op.stwu]: 4, [Op.stwx]: 4, [Op.stwux]: 4, [Op.lwbrx]: 4, [Op.stwbrx]: 4,
  [Op.lwarx]: 4, [Op.stwcx_]: 4,
  [Op.ld]: 8, [Op.ldu]: 8, [Op.ldx]: 8, [Op.ldux]: 8, [Op.std]: 8, [Op.stdu]: 8, [Op.stdx]: 8, [Op.stdux]: 8,
  [Op.ldbrx]: 8, [Op.stdbrx]: 8, [Op.ldarx]: 8, [Op.stdcx_]: 8,
};

/** Instructions that read XER[CA] (Book I 3.3.9: the "extended" adds and subtracts). */
const READS_CA = new Set<Op>([Op.adde, Op.addze, Op.addme, Op.subfe, Op.subfze, Op.subfme]);
/** Instructions that set XER[CA] (carrying adds and subtracts, algebraic shifts). */
const WRITES_CA = new Set<Op>([
  Op.addic, Op.addic_, Op.subfic, Op.addc, Op.adde, Op.addze, Op.addme, Op.subfc, Op.subfe, Op.subfze, Op.subfme,
  Op.sraw, Op.srawi, Op.srad, Op.sradi,
]);
/** Logical/shift/rotate forms that also read RA (insert under mask, Book I 3.3.14). */
const READS_RA_TARGET = new Set<Op>([Op.rlwimi, Op.rldimi]);
/** Record forms without an Rc flag bit: the mnemonic ends in "." (Book I 3.3.8). */
const ALWAYS_RECORD = new Set<Op>([Op.andi_, Op.andis_, Op.addic_]);

const cache = new Map<number, Effects>();

/** The effects of one instruction word decoded as `def`. */
export function effectsOf(def: InsnDef, word: number): Effects {
  const hit = cache.get(word);
  if (hit) return hit;
  const e = compute(def, word);
  if (cache.size < 65536) cache.set(word, e);
  return e;
}

function compute(def: InsnDef, word: number): Effects {
  const vals = operandValues(def, word);
  const v: Record<string, number> = {};
  def.operands.forEach((o, k) => (v[o.def.name] = vals[k]!));
  const has = (n: string) => def.operands.some((o) => o.def.name === n);
  const fl = flagValues(def, word);
  const gprRead: number[] = [];
  const gprWrite: number[] = [];
  let crRead = 0;
  let crWrite = 0;
  let xerRead = 0;
  let xerWrite = 0;
  let lrRead = false;
  let lrWrite = false;
  let ctrRead = false;
  let ctrWrite = false;
  let conditional = false;
  let access: StorageAccess | null = null;
  let barrier: Barrier | null = null;
  let unsupported: string | null = null;
  const rd = (r: number | undefined) => {
    if (r !== undefined && !gprRead.includes(r)) gprRead.push(r);
  };
  const ra0 = () => (has('RA0') && v.RA0 !== 0 ? [v.RA0!] : has('RA') ? [v.RA!] : []);
  const record = () => {
    crWrite |= CR0;
    xerRead |= XER_SO; // CR0[SO] is a copy of XER[SO]
  };

  switch (def.facility) {
    case 'branch': {
      if (isBranch(def)) {
        if (fl.lk) lrWrite = true;
        if (def.op !== Op.b) {
          const bo = v.BO!;
          if ((bo & 4) === 0) {
            ctrRead = ctrWrite = conditional = true; // BO[2]=0: decrement CTR and test it
          }
          if ((bo & 0x10) === 0) {
            crRead |= (1 << v.BI!) >>> 0; // BO[0]=0: test CR bit BI
            conditional = true;
          }
          if (def.op === Op.bclr) lrRead = true;
          if (def.op === Op.bcctr) ctrRead = true;
        }
      } else if (def.op === Op.mcrf) {
        crRead |= fieldBits(v.BFA!);
        crWrite |= fieldBits(v.BF!);
      } else {
        // CR logical: BT <- f(BA, BB) (Book I 2.5.1)
        crRead |= ((1 << v.BA!) | (1 << v.BB!)) >>> 0;
        crWrite |= (1 << v.BT!) >>> 0;
      }
      break;
    }
    case 'fixed': {
      if (def.op === Op.cmp || def.op === Op.cmpl || def.op === Op.cmpi || def.op === Op.cmpli) {
        rd(v.RA);
        if (has('RB')) rd(v.RB);
        crWrite |= fieldBits(v.BF!);
        xerRead |= XER_SO;
      } else if (def.op === Op.tw || def.op === Op.td || def.op === Op.twi || def.op === Op.tdi) {
        rd(v.RA);
        if (has('RB')) rd(v.RB);
      } else if (def.op === Op.mtcrf || def.op === Op.mtocrf) {
        rd(v.RS);
        crWrite |= fxmBits(v.FXM!);
      } else if (def.op === Op.mfcr || def.op === Op.mfocrf) {
        gprWrite.push(v.RT!);
        crRead |= def.op === Op.mfcr ? 0xffffffff : fxmBits(v.FXM!);
      } else if (def.op === Op.mfspr) {
        gprWrite.push(v.RT!);
        if (v.SPR === SPR_XER) xerRead |= XER_SO | XER_OV | XER_CA;
        else if (v.SPR === SPR_LR) lrRead = true;
        else if (v.SPR === SPR_CTR) ctrRead = true;
        else if (v.SPR !== 268 && v.SPR !== 269) unsupported = `mfspr of SPR ${v.SPR} (privileged; thread runs are in user mode)`; // TB, TBU: user-readable (Book II 5.2)
      } else if (def.op === Op.mtspr) {
        rd(v.RS);
        if (v.SPR === SPR_XER) xerWrite |= XER_SO | XER_OV | XER_CA;
        else if (v.SPR === SPR_LR) lrWrite = true;
        else if (v.SPR === SPR_CTR) ctrWrite = true;
        else unsupported = `mtspr of SPR ${v.SPR} (privileged; thread runs are in user mode)`;
      } else if (def.op === Op.cmprb || def.op === Op.cmpeqb) {
        rd(v.RA);
        rd(v.RB);
        crWrite |= fieldBits(v.BF!); // SO bit cleared, not copied from XER
      } else if (def.op === Op.setb) {
        crRead |= fieldBits(v.BFA!);
        gprWrite.push(v.RT!);
      } else if (def.op === Op.isel) {
        for (const r of ra0()) rd(r);
        rd(v.RB);
        crRead |= (1 << v.BC!) >>> 0;
        gprWrite.push(v.RT!);
      } else if (has('RT')) {
        for (const r of ra0()) rd(r);
        if (has('RB')) rd(v.RB);
        if (has('RC')) rd(v.RC);
        gprWrite.push(v.RT!);
      } else {
        // RA <- f(RS[, RB])
        if (READS_RA_TARGET.has(def.op)) rd(v.RA);
        rd(v.RS);
        if (has('RB')) rd(v.RB);
        gprWrite.push(v.RA!);
      }
      if (READS_CA.has(def.op)) xerRead |= XER_CA;
      if (WRITES_CA.has(def.op)) xerWrite |= XER_CA;
      if (fl.oe) {
        xerWrite |= XER_OV | XER_SO;
        xerRead |= XER_SO; // SO is sticky: SO <- SO | OV
      }
      if (fl.rc || ALWAYS_RECORD.has(def.op)) record();
      break;
    }
    case 'loadstore': {
      const size = SIZES[def.op];
      const addr = [...ra0(), ...(has('RB') ? [v.RB!] : [])];
      const update = has('RA') && !has('RA0');
      if (size === undefined) {
        // cache management (dcbf, dcbst, dcbt, dcbtst, icbi) reads its address registers only;
        // dcbz stores a whole block and lmw/stmw several registers
        for (const r of addr) rd(r);
        if (def.op === Op.dcbz) unsupported = 'dcbz (a block store)';
        if (def.op === Op.lmw || def.op === Op.stmw) unsupported = `${def.name} (multiple registers)`;
        if (def.op === Op.lmw) gprWrite.push(...range(v.RT!, 31));
        if (def.op === Op.stmw) for (const r of range(v.RS!, 31)) rd(r);
        break;
      }
      for (const r of addr) rd(r);
      const isStore = has('RS');
      const kind: StorageKind =
        def.op === Op.lwarx || def.op === Op.ldarx ? 'larx' : def.op === Op.stwcx_ || def.op === Op.stdcx_ ? 'stcx' : isStore ? 'store' : 'load';
      if (isStore) rd(v.RS);
      else gprWrite.push(v.RT!);
      if (update) gprWrite.push(v.RA!);
      if (kind === 'stcx') record();
      access = { kind, size, addr, data: isStore ? v.RS! : null };
      break;
    }
    case 'float': {
      // FPRs are not tracked, so a floating-point access is refused by the memory model (a
      // value moving through an FPR could carry a dependency this view would not see).
      for (const r of [...ra0(), ...(has('RB') ? [v.RB!] : [])]) rd(r);
      if (has('RA') && !has('RA0')) gprWrite.push(v.RA!); // update forms (Book I 4.6.2/4.6.3)
      unsupported = `${def.name} (floating point)`;
      break;
    }
    case 'vector': {
      // VSRs are not tracked either: refused like floating point. The GPR operands are still
      // named (addresses, and the GPR side of the moves) for the messages' sake.
      def.operands.forEach((o, k) => {
        if (o.def.kind !== 'gpr' && o.def.kind !== 'gpr0') return;
        if (o.def.name === 'RT' || (o.def.name === 'RA' && def.operands[0] === o)) gprWrite.push(vals[k]!);
        else if (o.def.kind === 'gpr' || vals[k] !== 0) rd(vals[k]);
      });
      if (def.name.startsWith('vcmp') && def.name.endsWith('.')) crWrite |= fieldBits(6);
      unsupported = `${def.name} (vector)`;
      break;
    }
    case 'system': {
      if (def.op === Op.sync) {
        const l = v.L2 ?? 0;
        barrier = l === 1 ? 'lwsync' : l === 2 ? 'ptesync' : 'sync';
      } else if (def.op === Op.eieio) barrier = 'eieio';
      else if (def.op === Op.isync) barrier = 'isync';
      else if (def.op === Op.mfmsr || def.op === Op.slbmfee || def.op === Op.slbmfev) {
        if (has('RB')) rd(v.RB);
        gprWrite.push(v.RT!);
        if (def.op !== Op.mfmsr) unsupported = def.name;
      } else {
        for (const o of def.operands) if (o.def.kind === 'gpr') rd(vals[def.operands.indexOf(o)]);
        unsupported = def.name;
      }
      break;
    }
  }
  return { gprRead, gprWrite, crRead: crRead >>> 0, crWrite: crWrite >>> 0, xerRead, xerWrite, lrRead, lrWrite, ctrRead, ctrWrite, conditional, access, barrier, unsupported };
}

function range(from: number, to: number): number[] {
  const r: number[] = [];
  for (let k = from; k <= to; k++) r.push(k);
  return r;
}
