// VMX (AltiVec) floating point (Power ISA v3.0B Book I chapter 6, the vector floating-point
// instructions): four single-precision elements per VR, rounded to nearest even whatever
// FPSCR[RN] says, and no FPSCR bit read or set. VSCR[NJ] = 1 (6.3.3; the non-Java mode
// Linux starts a process in) treats a denormal operand as a zero of its sign and delivers a
// denormal result as one; NJ = 0 is IEEE (Linux emulates the Java-mode cases that trap on some
// implementations: arch/powerpc/kernel/vecemu.c). The arithmetic goes through float-fast.ts
// and float-arith.ts (the exact path) at SINGLE with a default FPSCR; NaN results are the
// first NaN operand quieted (VRA, VRB, VRC) or the default QNaN 0x7fc00000.

import { Op } from '../isa/ops.js';
import { VSCR_NJ, VSCR_SAT, type Cpu } from './cpu.js';
import * as F from './float-arith.js';
import { FAST, fastArith, hostSingle, roundHalfEven, singleImage } from './float-fast.js';
import { doubleImageToSingle as word, singleToDoubleImage as image } from './float-format.js';

/** The result of the last instruction (the caller sets CR6 from it for the compares' "." forms). */
export const VMX_RESULT = new Int32Array(4);
const T = VMX_RESULT;

/** A single-format word with a denormal replaced by a zero of its sign when NJ is set. */
function flush(w: number, nj: boolean): number {
  return nj && (w & 0x7f800000) === 0 ? w & 0x80000000 : w;
}

/** One element of add/sub/madd/nmsub/re/rsqrte: the rounded single, flushed as NJ says. */
function arith(op: F.Arith, a: number, b: number, c: number, nj: boolean, negate: boolean): number {
  const [x, y, z] = [flush(a, nj), flush(b, nj), flush(c, nj)];
  let r: number;
  if (op !== 'madd' && op !== 'msub' && fastArith(op, hostSingle(x), hostSingle(y), hostSingle(z), true, 0)) r = singleImage(negate ? -FAST.value : FAST.value);
  else {
    const bits = F.arith(op, image(x), image(y), image(z), F.SINGLE, 0, negate).bits!;
    r = word(bits);
  }
  return flush(r, nj);
}

/** vrefp / vrsqrtefp: 1/x and 1/sqrt(x) rounded once each step in single (what QEMU computes; the ISA asks 1/4096 relative precision). */
function estimate(b: number, rsqrt: boolean, nj: boolean): number {
  let x = image(flush(b, nj));
  if (rsqrt) x = F.arith('sqrt', 0n, x, 0n, F.SINGLE, 0).bits!;
  return flush(word(F.arith('div', 0x3ff0000000000000n, x, 0n, F.SINGLE, 0).bits!), nj);
}

const isNan = (w: number): boolean => (w & 0x7f800000) === 0x7f800000 && (w & 0x7fffff) !== 0;
const quiet = (w: number): number => w | 0x400000;

/** vmaxfp / vminfp: a NaN operand gives itself quieted (VRA first); +0 is above -0. */
function maxMin(a: number, b: number, max: boolean, nj: boolean): number {
  const x = flush(a, nj);
  const y = flush(b, nj);
  if (isNan(x)) return quiet(x);
  if (isNan(y)) return quiet(y);
  const fx = hostSingle(x);
  const fy = hostSingle(y);
  if (fx === 0 && fy === 0) return max ? x & y : x | y; // the sign bits: max is -0 only when both are
  return (max ? fx > fy : fx < fy) ? x : y;
}

/** vrfin/vrfiz/vrfip/vrfim: an integral single (nearest even, toward zero, +inf, -inf). */
function roundIntegral(b: number, op: Op, nj: boolean): number {
  const x = flush(b, nj);
  if (isNan(x)) return quiet(x);
  const v = hostSingle(x);
  if (!Number.isFinite(v) || Math.abs(v) >= 2 ** 23) return x; // already integral
  let r: number;
  if (op === Op.vrfiz) r = Math.trunc(v);
  else if (op === Op.vrfip) r = Math.ceil(v);
  else if (op === Op.vrfim) r = Math.floor(v);
  else r = roundHalfEven(v);
  return r === 0 ? x & 0x80000000 : singleImage(r); // a zero keeps the operand's sign
}

/** The VMX floating-point instructions; false when `op` is not one of them. */
export function execVmxFloat(cpu: Cpu, op: Op, v0: number, v1: number, v2: number, v3: number): boolean {
  const vsr = cpu.vsr;
  const nj = (cpu.vscr & VSCR_NJ) !== 0;
  // VR operands are predecoded as VSR numbers (32 + n); element k of VSR x is vsr[4x + k].
  const a = v1 << 2;
  const b = v2 << 2;
  let sat = false;
  switch (op) {
    case Op.vaddfp:
    case Op.vsubfp:
      for (let k = 0; k < 4; k++) T[k] = arith(op === Op.vaddfp ? 'add' : 'sub', vsr[a + k]!, vsr[b + k]!, 0, nj, false);
      break;
    case Op.vmaddfp:
    case Op.vnmsubfp: {
      // VRT,VRA,VRC,VRB: VRA * VRC + VRB, or -(VRA * VRC - VRB), rounded once.
      const c = v2 << 2;
      const d = v3 << 2;
      const madd = op === Op.vmaddfp;
      for (let k = 0; k < 4; k++) T[k] = arith(madd ? 'madd' : 'msub', vsr[a + k]!, vsr[d + k]!, vsr[c + k]!, nj, !madd);
      break;
    }
    case Op.vmaxfp:
    case Op.vminfp:
      for (let k = 0; k < 4; k++) T[k] = maxMin(vsr[a + k]!, vsr[b + k]!, op === Op.vmaxfp, nj);
      break;
    case Op.vrefp:
    case Op.vrsqrtefp:
      // VRT,VRB: the operand is slot 1.
      for (let k = 0; k < 4; k++) T[k] = estimate(vsr[a + k]!, op === Op.vrsqrtefp, nj);
      break;
    case Op.vcmpeqfp_:
    case Op.vcmpgefp_:
    case Op.vcmpgtfp_:
    case Op.vcmpbfp_:
    case Op.vcmpeqfp:
    case Op.vcmpgefp:
    case Op.vcmpgtfp:
    case Op.vcmpbfp:
      // A NaN compares false (the bounds compare then sets both of its bits).
      for (let k = 0; k < 4; k++) {
        const x = hostSingle(flush(vsr[a + k]!, nj));
        const y = hostSingle(flush(vsr[b + k]!, nj));
        if (op === Op.vcmpbfp || op === Op.vcmpbfp_) T[k] = (x <= y ? 0 : 0x80000000) | (x >= -y ? 0 : 0x40000000);
        else T[k] = (op === Op.vcmpeqfp || op === Op.vcmpeqfp_ ? x === y : op === Op.vcmpgefp || op === Op.vcmpgefp_ ? x >= y : x > y) ? -1 : 0;
      }
      break;
    case Op.vcfux:
    case Op.vcfsx:
      // VRT,VRB,UIM: each word converted (rounded), then scaled by 2^-UIM (rounded again only
      // when the result is denormal).
      for (let k = 0; k < 4; k++) {
        const w = op === Op.vcfsx ? vsr[a + k]! : vsr[a + k]! >>> 0;
        T[k] = flush(singleImage(Math.fround(Math.fround(w) * 2 ** -v2)), nj);
      }
      break;
    case Op.vctuxs:
    case Op.vctsxs: {
      // Each element times 2^UIM, truncated, saturated (VSCR[SAT]); a NaN gives 0.
      const signed = op === Op.vctsxs;
      const [lo, hi] = signed ? [-2147483648, 2147483647] : [0, 4294967295];
      for (let k = 0; k < 4; k++) {
        const x = flush(vsr[a + k]!, nj);
        if (isNan(x)) {
          T[k] = 0;
          continue;
        }
        let r = Math.trunc(hostSingle(x) * 2 ** v2);
        if (r < lo) (r = lo), (sat = true);
        else if (r > hi) (r = hi), (sat = true);
        T[k] = r | 0;
      }
      break;
    }
    case Op.vrfin:
    case Op.vrfiz:
    case Op.vrfip:
    case Op.vrfim:
      for (let k = 0; k < 4; k++) T[k] = roundIntegral(vsr[a + k]!, op, nj);
      break;
    default:
      return false;
  }
  vsr.set(T, v0 << 2);
  if (sat) cpu.vscr |= VSCR_SAT;
  return true;
}
