// The floating-point arithmetic, conversion, compare and FPSCR instructions on a CPU's FPRs
// (Book I 4.6.5-4.6.10): operands read from the FPR halves, the operation from float-fast.ts
// where the host's doubles give the exact result and from float-arith.ts otherwise, FRT and
// the FPSCR written back, CR1 for the Rc forms.

import { Op } from '../isa/ops.js';
import type { Cpu } from './cpu.js';
import * as F from './float-arith.js';
import { FAST, FAST_INT, HI, LO, fastArith, fastFromInteger, fastRoundToSingle, fastToInteger, hostDouble, imageOf } from './float-fast.js';

const fpr = (cpu: Cpu, r: number): bigint => (BigInt(cpu.vsr[r << 2]! >>> 0) << 32n) | BigInt(cpu.vsr[(r << 2) | 1]! >>> 0);

function setFpr(cpu: Cpu, r: number, v: bigint): void {
  cpu.vsr[r << 2] = Number(v >> 32n) | 0;
  cpu.vsr[(r << 2) | 1] = Number(v & 0xffffffffn) | 0;
}

/** FPR r as a host double (the fast path's operand). */
const fprD = (cpu: Cpu, r: number): number => hostDouble(cpu.vsr[r << 2]!, cpu.vsr[(r << 2) | 1]!);

/**
 * The host fast path's result (float-fast.ts) recorded as settle() would record it: XX when
 * inexact, FR, FI, FPRF; the result's image is left in float-fast's HI/LO.
 */
export function settleFast(cpu: Cpu): void {
  cpu.fpscr = F.record(cpu.fpscr, FAST.fi ? F.XX : 0, FAST.fr, FAST.fi, F.fprfOfHost(FAST.value)) | 0;
  imageOf(FAST.value);
}

/** The integer fast path's result recorded as settle() records a conversion to integer: XX when inexact, FR, FI; FPRF unchanged. */
export function settleFastInt(cpu: Cpu): void {
  cpu.fpscr = F.record(cpu.fpscr, FAST_INT.fi ? F.XX : 0, FAST_INT.fr, FAST_INT.fi, null) | 0;
}

const ARITH: Partial<Record<Op, [F.Arith, boolean, boolean]>> = {
  // op: [operation, single precision, negated]
  [Op.fadd]: ['add', false, false], [Op.fadds]: ['add', true, false],
  [Op.fsub]: ['sub', false, false], [Op.fsubs]: ['sub', true, false],
  [Op.fmul]: ['mul', false, false], [Op.fmuls]: ['mul', true, false],
  [Op.fdiv]: ['div', false, false], [Op.fdivs]: ['div', true, false],
  [Op.fsqrt]: ['sqrt', false, false], [Op.fsqrts]: ['sqrt', true, false],
  [Op.fmadd]: ['madd', false, false], [Op.fmadds]: ['madd', true, false],
  [Op.fmsub]: ['msub', false, false], [Op.fmsubs]: ['msub', true, false],
  [Op.fnmadd]: ['madd', false, true], [Op.fnmadds]: ['madd', true, true],
  [Op.fnmsub]: ['msub', false, true], [Op.fnmsubs]: ['msub', true, true],
};

/** fcti*: [bits, unsigned, toward zero]. */
const TO_INT: Partial<Record<Op, [32 | 64, boolean, boolean]>> = {
  [Op.fctiw]: [32, false, false], [Op.fctiwz]: [32, false, true],
  [Op.fctid]: [64, false, false], [Op.fctidz]: [64, false, true],
  [Op.fctiwu]: [32, true, false], [Op.fctiwuz]: [32, true, true],
  [Op.fctidu]: [64, true, false], [Op.fctiduz]: [64, true, true],
};

/** fcfid*: [unsigned, single]. */
const FROM_INT: Partial<Record<Op, [boolean, boolean]>> = {
  [Op.fcfid]: [false, false], [Op.fcfids]: [false, true], [Op.fcfidu]: [true, false], [Op.fcfidus]: [true, true],
};

/**
 * Records an operation's exceptions, FR, FI and FPRF in the FPSCR (Book I 4.4) and returns the
 * result to write, or null when an enabled exception suppresses the write. The VSX scalar
 * instructions (vector-exec.ts) settle through here too.
 */
export function settleInto(cpu: Cpu, r: F.FpResult): bigint | null {
  const s = F.settle(cpu.fpscr, r);
  cpu.fpscr = s.fpscr | 0;
  return s.bits;
}

/**
 * fcmpu/fcmpo and xscmpudp/xscmpodp of doubleword 0 of VSRs xa and xb (FPRs xa, xb): CR field
 * BF and FPSCR[FPCC] get the code (4.6.8); FR, FI and FPRF's C bit stay. Two numbers compare
 * on the host (exact, no exception); a NaN takes the exact path for its exceptions.
 */
export function compareInto(cpu: Cpu, bf: number, xa: number, xb: number, ordered: boolean): void {
  const x = fprD(cpu, xa);
  const y = fprD(cpu, xb);
  let code: number;
  let fpscr = cpu.fpscr;
  if (x === x && y === y) code = x < y ? 8 : x > y ? 4 : 2;
  else {
    const r = F.compare(fpr(cpu, xa), fpr(cpu, xb), ordered, cpu.fpscr >>> 0);
    fpscr = F.settle(cpu.fpscr, { raised: r.raised, fr: false, fi: false, bits: null, fprf: null }, false).fpscr;
    code = r.code;
  }
  cpu.fpscr = ((fpscr & ~F.FPCC) | (code << 12)) | 0;
  const shift = 28 - 4 * bf;
  cpu.cr = ((cpu.cr & ~(0xf << shift)) | (code << shift)) | 0;
}

/** FRT <- an exact-path result, after settling the FPSCR (nothing when an enabled exception suppresses it). */
function writeResult(cpu: Cpu, r: F.FpResult, target: number): void {
  const bits = settleInto(cpu, r);
  if (bits !== null) setFpr(cpu, target, bits);
}

/**
 * Runs one of the instructions above; `v` are its operand values in the table's order. The
 * host fast path (float-fast.ts) is tried first where it applies; the exact path otherwise.
 */
export function execFloat(cpu: Cpu, op: Op, v0: number, v1: number, v2: number, v3: number, rc: boolean): void {
  const arith = ARITH[op];
  const toInt = TO_INT[op];
  const fromInt = FROM_INT[op];
  if (arith) {
    const [what, single, negate] = arith;
    const fmt = single ? F.SINGLE : F.DOUBLE;
    // Operand order in the table: A-form FRT,FRA,FRB / FRT,FRA,FRC / FRT,FRA,FRC,FRB / FRT,FRB.
    const fa = what === 'sqrt' ? 0 : fprD(cpu, v1);
    const fb = what === 'sqrt' ? fprD(cpu, v1) : what === 'mul' ? 0 : fprD(cpu, what === 'madd' || what === 'msub' ? v3 : v2);
    const fc = what === 'mul' || what === 'madd' || what === 'msub' ? fprD(cpu, v2) : 0;
    if (fastArith(what, fa, fb, fc, single, cpu.fpscr)) {
      // fnmadd/fnmsub negate the rounded result (4.6.6); under RN that is also the rounded negation, FR and FI unchanged.
      if (negate) FAST.value = -FAST.value;
      settleFast(cpu);
      cpu.vsr[v0 << 2] = HI;
      cpu.vsr[(v0 << 2) | 1] = LO;
      if (rc) cpu.cr = (cpu.cr & ~0x0f000000) | ((cpu.fpscr >>> 4) & 0x0f000000);
      return;
    }
    let a = 0n, b = 0n, c = 0n;
    if (what === 'sqrt') b = fpr(cpu, v1);
    else if (what === 'mul') (a = fpr(cpu, v1)), (c = fpr(cpu, v2));
    else if (what === 'madd' || what === 'msub') (a = fpr(cpu, v1)), (c = fpr(cpu, v2)), (b = fpr(cpu, v3));
    else (a = fpr(cpu, v1)), (b = fpr(cpu, v2));
    writeResult(cpu, F.arith(what, a, b, c, fmt, cpu.fpscr >>> 0, negate), v0);
  } else if (toInt) {
    if (fastToInteger(fprD(cpu, v1), toInt[0], toInt[1], toInt[2], cpu.fpscr)) {
      settleFastInt(cpu);
      cpu.vsr[v0 << 2] = FAST_INT.hi;
      cpu.vsr[(v0 << 2) | 1] = FAST_INT.lo;
    } else writeResult(cpu, F.toInteger(fpr(cpu, v1), toInt[0], toInt[1], toInt[2], cpu.fpscr >>> 0), v0);
  } else if (fromInt) {
    if (fastFromInteger(cpu.vsr[v1 << 2]!, cpu.vsr[(v1 << 2) | 1]!, fromInt[0], fromInt[1], cpu.fpscr)) {
      settleFast(cpu);
      cpu.vsr[v0 << 2] = HI;
      cpu.vsr[(v0 << 2) | 1] = LO;
    } else writeResult(cpu, F.fromInteger(fpr(cpu, v1), fromInt[0], fromInt[1] ? F.SINGLE : F.DOUBLE, cpu.fpscr >>> 0), v0);
  } else {
    switch (op) {
      case Op.fre:
      case Op.fres:
      case Op.frsqrte:
      case Op.frsqrtes:
        writeResult(cpu, F.estimate(op === Op.frsqrte || op === Op.frsqrtes, fpr(cpu, v1), op === Op.fres || op === Op.frsqrtes ? F.SINGLE : F.DOUBLE, cpu.fpscr >>> 0), v0);
        break;
      case Op.frsp:
        if (fastRoundToSingle(fprD(cpu, v1), cpu.fpscr)) {
          settleFast(cpu);
          cpu.vsr[v0 << 2] = HI;
          cpu.vsr[(v0 << 2) | 1] = LO;
        } else writeResult(cpu, F.roundToSingle(fpr(cpu, v1), cpu.fpscr >>> 0), v0);
        break;
      case Op.frin:
      case Op.friz:
      case Op.frip:
      case Op.frim:
        writeResult(cpu, F.roundToIntegral(fpr(cpu, v1), op === Op.frin ? 0 : op === Op.friz ? 1 : op === Op.frip ? 2 : 3), v0);
        break;
      case Op.fcmpu:
      case Op.fcmpo:
        compareInto(cpu, v0, v1, v2, op === Op.fcmpo);
        return; // no Rc form
      case Op.ftdiv:
      case Op.ftsqrt: {
        // Software divide / square-root tests (4.6.8): CR[BF] <- 0b1 || fg || fe || 0; no FPSCR change.
        const [fe, fg] = op === Op.ftdiv ? F.testDivide(fpr(cpu, v1), fpr(cpu, v2)) : F.testSqrt(fpr(cpu, v1));
        const shift = 28 - 4 * v0;
        cpu.cr = ((cpu.cr & ~(0xf << shift)) | ((8 | (fg ? 4 : 0) | (fe ? 2 : 0)) << shift)) | 0;
        return;
      }
      case Op.mcrfs: {
        // CR[BF] <- FPSCR field BFA; the exception bits copied (FX included) are cleared (4.6.10).
        const shift = 28 - 4 * v1;
        const field = (cpu.fpscr >>> shift) & 0xf;
        cpu.cr = ((cpu.cr & ~(0xf << (28 - 4 * v0))) | (field << (28 - 4 * v0))) | 0;
        cpu.fpscr = F.recompute((cpu.fpscr & ~(F.CLEARED_BY_MCRFS & (0xf << shift))) >>> 0) | 0;
        return;
      }
      case Op.fsel: {
        // FRT <- FRC if FRA >= 0 (either zero included), else FRB; a NaN FRA selects FRB (4.6.9). No FPSCR change.
        const u = F.unpack(fpr(cpu, v1));
        const ge = u.kind === 'zero' || ((u.kind === 'finite' || u.kind === 'inf') && u.sign === 0);
        setFpr(cpu, v0, fpr(cpu, ge ? v2 : v3));
        break;
      }
      case Op.fneg:
        setFpr(cpu, v0, fpr(cpu, v1) ^ (1n << 63n));
        break;
      case Op.fabs:
        setFpr(cpu, v0, fpr(cpu, v1) & ~(1n << 63n));
        break;
      case Op.fnabs:
        setFpr(cpu, v0, fpr(cpu, v1) | (1n << 63n));
        break;
      case Op.fcpsgn:
        setFpr(cpu, v0, (fpr(cpu, v1) & (1n << 63n)) | (fpr(cpu, v2) & ~(1n << 63n)));
        break;
      case Op.mffs:
        // FRT <- FPSCR; its high word (DRN and reserved bits here) reads as 0.
        setFpr(cpu, v0, BigInt(cpu.fpscr >>> 0));
        break;
      case Op.mffsce:
        // FRT <- FPSCR, then the enable bits VE OE UE ZE XE cleared (v3.0B 4.6.10).
        setFpr(cpu, v0, BigInt(cpu.fpscr >>> 0));
        cpu.fpscr = F.recompute((cpu.fpscr & ~F.ENABLES) >>> 0) | 0;
        break;
      case Op.mffsl:
        // The lightweight read: FR, FI, FPRF, the enables, NI and RN; other bits 0 (DRN is not modelled).
        setFpr(cpu, v0, BigInt((cpu.fpscr & (F.FR | F.FI | F.FPRF | F.CONTROLS)) >>> 0));
        break;
      case Op.mffscrn:
      case Op.mffscrni: {
        // FRT <- the control bits (enables, NI, RN); then RN <- FRB[62:63] or the immediate.
        // FRB is read first: glibc's fesetround runs mffscrn f0,f0.
        const rn = (op === Op.mffscrn ? cpu.vsr[(v1 << 2) | 1]! : v1) & F.RN;
        setFpr(cpu, v0, BigInt((cpu.fpscr & F.CONTROLS) >>> 0));
        cpu.fpscr = (cpu.fpscr & ~F.RN) | rn;
        break;
      }
      case Op.mtfsf: {
        // FLM,FRB,L,W: L = 1 writes the whole FPSCR; W = 1 names the high word's fields (DRN), not modelled: no change.
        let mask = 0;
        if (v2) mask = 0xffffffff;
        else if (!v3) for (let i = 0; i < 8; i++) if (v0 & (0x80 >> i)) mask |= 0xf0000000 >>> (4 * i);
        cpu.fpscr = F.moveToFpscr(cpu.fpscr, mask >>> 0, cpu.vsr[(v1 << 2) | 1]! >>> 0) | 0;
        break;
      }
      case Op.mtfsfi:
        // BF,U,W: field BF <- U (W = 1: a high-word field, not modelled).
        if (!v2) cpu.fpscr = F.moveToFpscr(cpu.fpscr, 0xf0000000 >>> (4 * v0), (v1 << (28 - 4 * v0)) >>> 0) | 0;
        break;
      case Op.mtfsb0:
      case Op.mtfsb1: {
        // FPSCR bit 32 + BT; FEX and VX (BT = 1, 2) cannot be altered explicitly (recomputed).
        const bit = 0x80000000 >>> v0;
        cpu.fpscr = F.moveToFpscr(cpu.fpscr, bit, op === Op.mtfsb1 ? bit : 0) | 0;
        break;
      }
      default:
        throw new Error(`internal: execFloat of op ${op}`);
    }
  }
  // Rc = 1: CR1 <- FPSCR[FX, FEX, VX, OX] (4.3.1).
  if (rc) cpu.cr = (cpu.cr & ~0x0f000000) | ((cpu.fpscr >>> 4) & 0x0f000000);
}
