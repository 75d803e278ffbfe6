// The VMX (Book I chapter 6) and VSX (Book I chapter 7) instructions of the table on a CPU's
// 64 VSRs (cpu.vsr: four words per register, word 0 the most significant; VR n is VSR 32+n).
// Elements are numbered as the ISA numbers them, from the most significant end, whatever
// the byte order; only storage accesses look at MSR[LE] (Book I 6.4 and 7.3: in little-endian
// mode a quadword access reverses all 16 bytes, lxvd2x reverses each doubleword and lxvw4x
// each word). Floating point goes through the FPU's code: float-fast.ts where the host's
// doubles are exact, float-arith.ts otherwise, the FPSCR through float-exec.ts; VMX floating
// point is in vmx-float.ts.

import { Op } from '../isa/ops.js';
import { INSNS } from '../isa/table.js';
import { MSR_LE, MSR_VEC, MSR_VSX, VEC, VSCR_SAT, type Cpu } from './cpu.js';
import { eaHi, eaImm, eaReg } from './effective-address.js';
import * as F from './float-arith.js';
import { compareInto, settleFast, settleFastInt, settleInto } from './float-exec.js';
import { FAST, FAST_INT, HI, LO, fastArith, fastFromInteger, fastRoundToSingle, fastToInteger, hostDouble, hostSingle, imageOf, singleImage } from './float-fast.js';
import { doubleImageToSingle, doubleToSingle, singleToDouble, singleToDoubleImage } from './float-format.js';
import { cmp64s, cmp64u, mul64lo, out, rotl64 } from './int64.js';
import { VMX_RESULT, execVmxFloat } from './vmx-float.js';

/** Per op: true for VSX (MSR[VSX] gates it), false for VMX (MSR[VEC]); undefined: not a vector op. */
const IS_VSX: boolean[] = [];
for (const d of INSNS) if (d.facility === 'vector') IS_VSX[d.op] = d.form.startsWith('XX') || d.form === 'DQ' || d.form === 'DS';

/** Whether `op` is executed here. */
export function isVectorOp(op: Op): boolean {
  return IS_VSX[op] !== undefined;
}

// Operand and result scratch registers (no allocation per instruction).
const A = new Int32Array(4);
const B = new Int32Array(4);
const C = new Int32Array(4);
const T = new Int32Array(4);
const Q = new Int32Array(8); // two registers side by side (permutes, shifts)

function read(cpu: Cpu, x: number, out: Int32Array, at = 0): void {
  const k = x << 2;
  const v = cpu.vsr;
  out[at] = v[k]!;
  out[at + 1] = v[k + 1]!;
  out[at + 2] = v[k + 2]!;
  out[at + 3] = v[k + 3]!;
}

function write(cpu: Cpu, x: number, w: Int32Array): void {
  cpu.vsr.set(w.subarray(0, 4), x << 2);
}

function dw0(cpu: Cpu, x: number): bigint {
  return (BigInt(cpu.vsr[x << 2]! >>> 0) << 32n) | BigInt(cpu.vsr[(x << 2) | 1]! >>> 0);
}

/** A scalar result: doubleword 0, and doubleword 1 zeroed (Book I 7.6, v3.0B). */
function setScalar(cpu: Cpu, x: number, bits: bigint): void {
  setScalarWords(cpu, x, Number(bits >> 32n) | 0, Number(bits & 0xffffffffn) | 0);
}

/** setScalar from the doubleword's two words (the host fast paths' results). */
function setScalarWords(cpu: Cpu, x: number, hi: number, lo: number): void {
  const k = x << 2;
  cpu.vsr[k] = hi;
  cpu.vsr[k + 1] = lo;
  cpu.vsr[k + 2] = 0;
  cpu.vsr[k + 3] = 0;
}

// ---- element views (element 0 is the most significant) ----

function byteOf(w: Int32Array, i: number): number {
  return (w[i >> 2]! >>> (24 - 8 * (i & 3))) & 0xff;
}
function setByte(w: Int32Array, i: number, b: number): void {
  const s = 24 - 8 * (i & 3);
  w[i >> 2] = (w[i >> 2]! & ~(0xff << s)) | ((b & 0xff) << s);
}
/** Element i of `size` bytes (1, 2 or 4), unsigned. */
function elem(w: Int32Array, size: number, i: number): number {
  if (size === 4) return w[i]! >>> 0;
  if (size === 2) return (w[i >> 1]! >>> (16 - 16 * (i & 1))) & 0xffff;
  return byteOf(w, i);
}
function setElem(w: Int32Array, size: number, i: number, v: number): void {
  if (size === 4) w[i] = v | 0;
  else if (size === 2) {
    const s = 16 - 16 * (i & 1);
    w[i >> 1] = (w[i >> 1]! & ~(0xffff << s)) | ((v & 0xffff) << s);
  } else setByte(w, i, v);
}
function dwOf(w: Int32Array, i: number): bigint {
  return (BigInt(w[2 * i]! >>> 0) << 32n) | BigInt(w[2 * i + 1]! >>> 0);
}
function setDw(w: Int32Array, i: number, v: bigint): void {
  w[2 * i] = Number(BigInt.asUintN(64, v) >> 32n) | 0;
  w[2 * i + 1] = Number(v & 0xffffffffn) | 0;
}
const sx = (v: number, bits: number): number => (bits === 32 ? v | 0 : (v << (32 - bits)) >> (32 - bits));
const popcount = (v: number): number => {
  let n = 0;
  for (let x = v >>> 0; x; x &= x - 1) n++;
  return n;
};

// ---- element-wise integer operations (Book I 6.9, 6.10) ----

/** Set when a saturating operation saturates: VSCR[SAT] (Book I 6.3.3). */
let saturated = false;
function saturate(v: number, lo: number, hi: number): number {
  if (v < lo) return (saturated = true), lo;
  if (v > hi) return (saturated = true), hi;
  return v;
}

type Lane = (a: number, b: number, bits: number) => number;
const add: Lane = (a, b) => a + b;
const sub: Lane = (a, b) => a - b;
const addus: Lane = (a, b, n) => saturate(a + b, 0, 2 ** n - 1);
const subus: Lane = (a, b, n) => saturate(a - b, 0, 2 ** n - 1);
const maxu: Lane = (a, b) => Math.max(a, b);
const minu: Lane = (a, b) => Math.min(a, b);
const maxs: Lane = (a, b, n) => (sx(a, n) >= sx(b, n) ? a : b);
const mins: Lane = (a, b, n) => (sx(a, n) <= sx(b, n) ? a : b);
const shl: Lane = (a, b, n) => a * 2 ** (b & (n - 1));
const shr: Lane = (a, b, n) => Math.floor(a / 2 ** (b & (n - 1)));
const sra: Lane = (a, b, n) => sx(a, n) >> (b & (n - 1));
const pop: Lane = (_a, b) => popcount(b);
const clz: Lane = (_a, b, n) => Math.clz32(b) - (32 - n);
const mulLow: Lane = (a, b) => Math.imul(a, b) >>> 0;
const rotl: Lane = (a, b, n) => {
  const s = b & (n - 1);
  return s === 0 ? a : n === 32 ? ((a << s) | (a >>> (32 - s))) >>> 0 : ((a << s) | (a >>> (n - s))) & (2 ** n - 1);
};
const neg: Lane = (_a, b) => -b;
const adds: Lane = (a, b, n) => saturate(sx(a, n) + sx(b, n), -(2 ** (n - 1)), 2 ** (n - 1) - 1);
const subs: Lane = (a, b, n) => saturate(sx(a, n) - sx(b, n), -(2 ** (n - 1)), 2 ** (n - 1) - 1);
const avgu: Lane = (a, b) => Math.floor((a + b + 1) / 2);
const avgs: Lane = (a, b, n) => Math.floor((sx(a, n) + sx(b, n) + 1) / 2);
const absdu: Lane = (a, b) => Math.abs(a - b);
/** vaddcuw: the carry out of the 32-bit sum; vsubcuw: the carry of a + ~b + 1 (no borrow). */
const addCarry: Lane = (a, b) => (a + b > 0xffffffff ? 1 : 0);
const subCarry: Lane = (a, b) => (a >= b ? 1 : 0);
const ONES = -1;
const eq: Lane = (a, b) => (a === b ? ONES : 0);
const gtu: Lane = (a, b) => (a > b ? ONES : 0);
const gts: Lane = (a, b, n) => (sx(a, n) > sx(b, n) ? ONES : 0);
const ne: Lane = (a, b) => (a !== b ? ONES : 0);
const nez: Lane = (a, b) => (a !== b || a === 0 || b === 0 ? ONES : 0);

/** op: [element bytes, operation, compare (CR6 for the "." form), unary (VRT,VRB: the operand is VRB)]. */
const LANES: Partial<Record<Op, [number, Lane, boolean, boolean]>> = {};
function lanes(size: number, f: Lane, ops: Op[], compare = false): void {
  for (const op of ops) LANES[op] = [size, f, compare, false];
}
function unaryLanes(size: number, f: Lane, ops: Op[]): void {
  for (const op of ops) LANES[op] = [size, f, false, true];
}
lanes(1, add, [Op.vaddubm]);
lanes(2, add, [Op.vadduhm]);
lanes(4, add, [Op.vadduwm]);
lanes(1, addus, [Op.vaddubs]);
lanes(2, addus, [Op.vadduhs]);
lanes(4, addus, [Op.vadduws]);
lanes(1, adds, [Op.vaddsbs]);
lanes(2, adds, [Op.vaddshs]);
lanes(4, adds, [Op.vaddsws]);
lanes(1, subs, [Op.vsubsbs]);
lanes(2, subs, [Op.vsubshs]);
lanes(4, subs, [Op.vsubsws]);
lanes(4, addCarry, [Op.vaddcuw]);
lanes(4, subCarry, [Op.vsubcuw]);
lanes(1, avgu, [Op.vavgub]);
lanes(2, avgu, [Op.vavguh]);
lanes(4, avgu, [Op.vavguw]);
lanes(1, avgs, [Op.vavgsb]);
lanes(2, avgs, [Op.vavgsh]);
lanes(4, avgs, [Op.vavgsw]);
lanes(1, absdu, [Op.vabsdub]);
lanes(2, absdu, [Op.vabsduh]);
lanes(4, absdu, [Op.vabsduw]);
lanes(1, sub, [Op.vsububm]);
lanes(2, sub, [Op.vsubuhm]);
lanes(4, sub, [Op.vsubuwm]);
lanes(1, subus, [Op.vsububs]);
lanes(2, subus, [Op.vsubuhs]);
lanes(4, subus, [Op.vsubuws]);
lanes(1, maxu, [Op.vmaxub]);
lanes(2, maxu, [Op.vmaxuh]);
lanes(4, maxu, [Op.vmaxuw]);
lanes(1, maxs, [Op.vmaxsb]);
lanes(2, maxs, [Op.vmaxsh]);
lanes(4, maxs, [Op.vmaxsw]);
lanes(1, minu, [Op.vminub]);
lanes(2, minu, [Op.vminuh]);
lanes(4, minu, [Op.vminuw]);
lanes(1, mins, [Op.vminsb]);
lanes(2, mins, [Op.vminsh]);
lanes(4, mins, [Op.vminsw]);
lanes(1, shl, [Op.vslb]);
lanes(2, shl, [Op.vslh]);
lanes(4, shl, [Op.vslw]);
lanes(1, shr, [Op.vsrb]);
lanes(2, shr, [Op.vsrh]);
lanes(4, shr, [Op.vsrw]);
lanes(1, sra, [Op.vsrab]);
lanes(2, sra, [Op.vsrah]);
lanes(4, sra, [Op.vsraw]);
unaryLanes(1, pop, [Op.vpopcntb]);
unaryLanes(2, pop, [Op.vpopcnth]);
unaryLanes(4, pop, [Op.vpopcntw]);
unaryLanes(4, neg, [Op.vnegw]);
unaryLanes(4, (_a, b) => sx(b & 0xff, 8), [Op.vextsb2w]);
unaryLanes(4, (_a, b) => sx(b & 0xffff, 16), [Op.vextsh2w]);
lanes(4, mulLow, [Op.vmuluwm]);
lanes(1, rotl, [Op.vrlb]);
lanes(2, rotl, [Op.vrlh]);
lanes(4, rotl, [Op.vrlw]);
unaryLanes(1, clz, [Op.vclzb]);
unaryLanes(2, clz, [Op.vclzh]);
unaryLanes(4, clz, [Op.vclzw]);
lanes(1, eq, [Op.vcmpequb, Op.vcmpequb_], true);
lanes(2, eq, [Op.vcmpequh, Op.vcmpequh_], true);
lanes(4, eq, [Op.vcmpequw, Op.vcmpequw_], true);
lanes(1, gtu, [Op.vcmpgtub, Op.vcmpgtub_], true);
lanes(2, gtu, [Op.vcmpgtuh, Op.vcmpgtuh_], true);
lanes(4, gtu, [Op.vcmpgtuw, Op.vcmpgtuw_], true);
lanes(1, gts, [Op.vcmpgtsb, Op.vcmpgtsb_], true);
lanes(2, gts, [Op.vcmpgtsh, Op.vcmpgtsh_], true);
lanes(4, gts, [Op.vcmpgtsw, Op.vcmpgtsw_], true);
lanes(1, ne, [Op.vcmpneb, Op.vcmpneb_], true);
lanes(2, ne, [Op.vcmpneh, Op.vcmpneh_], true);
lanes(4, ne, [Op.vcmpnew, Op.vcmpnew_], true);
lanes(1, nez, [Op.vcmpnezb, Op.vcmpnezb_], true);
lanes(2, nez, [Op.vcmpnezh, Op.vcmpnezh_], true);
lanes(4, nez, [Op.vcmpnezw, Op.vcmpnezw_], true);

/**
 * The common doubleword lanes on 32-bit halves (no BigInt; the loops gcc vectorises use them):
 * add, subtract and the compares. Each writes the lane's result into T at word 2i.
 */
type PairLane = (ah: number, al: number, bh: number, bl: number, i: number) => void;
const setPair = (i: number, h: number, l: number): void => {
  T[2 * i] = h | 0;
  T[2 * i + 1] = l | 0;
};
const addPair: PairLane = (ah, al, bh, bl, i) => {
  const lo = (al >>> 0) + (bl >>> 0);
  setPair(i, ah + bh + (lo > 0xffffffff ? 1 : 0), lo);
};
const subPair: PairLane = (ah, al, bh, bl, i) => {
  const lo = (al >>> 0) - (bl >>> 0);
  setPair(i, ah - bh - (lo < 0 ? 1 : 0), lo);
};
const eqPair: PairLane = (ah, al, bh, bl, i) => setPair(i, ah === bh && al === bl ? -1 : 0, ah === bh && al === bl ? -1 : 0);
const gtPair = (signed: boolean): PairLane => (ah, al, bh, bl, i) => {
  const [x, y] = signed ? [ah | 0, bh | 0] : [ah >>> 0, bh >>> 0];
  const gt = x > y || (x === y && al >>> 0 > bl >>> 0);
  setPair(i, gt ? -1 : 0, gt ? -1 : 0);
};
/** (h, l) shifted left, right or right algebraically by n (0-63): Book I 6.9.x vsld/vsrd/vsrad per doubleword. */
const shlPair = (h: number, l: number, n: number, i: number): void =>
  n === 0 ? setPair(i, h, l) : n < 32 ? setPair(i, (h << n) | (l >>> (32 - n)), l << n) : setPair(i, l << (n - 32), 0);
const shrPair = (h: number, l: number, n: number, i: number, arith: boolean): void =>
  n === 0 ? setPair(i, h, l)
  : n < 32 ? setPair(i, arith ? h >> n : h >>> n, (l >>> n) | (h << (32 - n)))
  : setPair(i, arith ? h >> 31 : 0, arith ? h >> (n - 32) : h >>> (n - 32));
const sxPair = (bits: number): PairLane => (_ah, _al, _bh, bl, i) => {
  const v = bits === 32 ? bl | 0 : (bl << (32 - bits)) >> (32 - bits);
  setPair(i, v >> 31, v);
};
const PAIR_LANES: Partial<Record<Op, PairLane>> = {
  [Op.vsld]: (ah, al, _bh, bl, i) => shlPair(ah, al, bl & 63, i),
  [Op.vsrd]: (ah, al, _bh, bl, i) => shrPair(ah, al, bl & 63, i, false),
  [Op.vsrad]: (ah, al, _bh, bl, i) => shrPair(ah, al, bl & 63, i, true),
  [Op.vrld]: (ah, al, _bh, bl, i) => (rotl64(ah, al, bl & 63), setPair(i, out.hi, out.lo)),
  // The one-operand forms (VRT,VRB) get VRB as their "b" operand.
  [Op.vpopcntd]: (_ah, _al, bh, bl, i) => setPair(i, 0, popcount(bh) + popcount(bl)),
  [Op.vclzd]: (_ah, _al, bh, bl, i) => setPair(i, 0, bh !== 0 ? Math.clz32(bh) : 32 + Math.clz32(bl)),
  [Op.vnegd]: (_ah, _al, bh, bl, i) => subPair(0, 0, bh, bl, i),
  [Op.vextsb2d]: sxPair(8),
  [Op.vextsh2d]: sxPair(16),
  [Op.vextsw2d]: sxPair(32),
  [Op.vmaxsd]: (ah, al, bh, bl, i) => (cmp64s(ah, al, bh, bl) >= 0 ? setPair(i, ah, al) : setPair(i, bh, bl)),
  [Op.vmaxud]: (ah, al, bh, bl, i) => (cmp64u(ah, al, bh, bl) >= 0 ? setPair(i, ah, al) : setPair(i, bh, bl)),
  [Op.vminsd]: (ah, al, bh, bl, i) => (cmp64s(ah, al, bh, bl) <= 0 ? setPair(i, ah, al) : setPair(i, bh, bl)),
  [Op.vminud]: (ah, al, bh, bl, i) => (cmp64u(ah, al, bh, bl) <= 0 ? setPair(i, ah, al) : setPair(i, bh, bl)),
  [Op.vaddudm]: addPair, [Op.vsubudm]: subPair,
  [Op.vcmpequd]: eqPair, [Op.vcmpequd_]: eqPair,
  [Op.vcmpgtud]: gtPair(false), [Op.vcmpgtud_]: gtPair(false),
  [Op.vcmpgtsd]: gtPair(true), [Op.vcmpgtsd_]: gtPair(true),
};

/** The doubleword operations with one operand (VRT,VRB). */
const DUNARY = new Set<Op>([Op.vpopcntd, Op.vclzd, Op.vnegd, Op.vextsb2d, Op.vextsh2d, Op.vextsw2d]);

/** The "." forms of the compares (Book I 6.9.3): CR6 <- all true || 0 || all false || 0. */
const RECORDS: boolean[] = [];
for (const d of INSNS) if (d.facility === 'vector' && d.name.startsWith('vcmp') && d.name.endsWith('.')) RECORDS[d.op] = true;

function setCr6(cpu: Cpu, t: Int32Array): void {
  const all = t[0]! & t[1]! & t[2]! & t[3]!;
  const any = t[0]! | t[1]! | t[2]! | t[3]!;
  const code = (all === -1 ? 8 : 0) | (any === 0 ? 2 : 0);
  cpu.cr = (cpu.cr & ~0xf0) | (code << 4);
}

/** Element bytes of the instructions that have byte, halfword, word (and doubleword) forms. */
const ELEMENT: Partial<Record<Op, number>> = {};
for (const [size, ops] of [
  [1, [Op.lvebx, Op.stvebx, Op.vextublx, Op.vextubrx, Op.vextractub, Op.vinsertb, Op.vmrghb, Op.vmrglb, Op.vspltb, Op.vspltisb, Op.vpkuhum, Op.vpkshss, Op.vpkshus, Op.vpkuhus, Op.vupkhsb, Op.vupklsb, Op.vmsumubm, Op.vmsummbm]],
  [2, [Op.lvehx, Op.stvehx, Op.vextuhlx, Op.vextuhrx, Op.vextractuh, Op.vinserth, Op.vmrghh, Op.vmrglh, Op.vsplth, Op.vspltish, Op.vpkuwum, Op.vpkswss, Op.vpkswus, Op.vpkuwus, Op.vupkhsh, Op.vupklsh, Op.vmsumuhm, Op.vmsumshm, Op.xxbrh]],
  [4, [Op.lvewx, Op.stvewx, Op.vextuwlx, Op.vextuwrx, Op.vextractuw, Op.xxextractuw, Op.vinsertw, Op.xxinsertw, Op.vmrghw, Op.vmrglw, Op.vspltw, Op.vspltisw, Op.vupkhsw, Op.vupklsw, Op.xxbrw]],
  [8, [Op.vextractd, Op.vinsertd, Op.xxbrd]],
  [16, [Op.xxbrq]],
] as const)
  for (const op of ops) ELEMENT[op] = size;

// ---- storage (Book I 6.7 VMX, 7.6.1 VSX) ----

/** How a 16-byte access orders its bytes in little-endian mode. */
const enum Order {
  /** The whole quadword reversed (lvx, stvx, lxvx, lxv, ...). */
  Quad,
  /** Each doubleword reversed, doubleword 0 at EA (lxvd2x, stxvd2x). */
  Dwords,
  /** Each word reversed, word 0 at EA (lxvw4x, stxvw4x). */
  Words,
}

const nextLo = (lo: number, k: number): number => (lo + k) | 0;
const nextHi = (hi: number, lo: number, k: number): number => (((lo >>> 0) + k > 0xffffffff ? hi + 1 : hi) | 0);

/** The four words at EA as loaded in the current byte order, rearranged into register order. */
function load16(cpu: Cpu, hi: number, lo: number, order: Order, out: Int32Array): void {
  const x0 = cpu.load32(hi, lo);
  const x1 = cpu.load32(nextHi(hi, lo, 4), nextLo(lo, 4));
  const x2 = cpu.load32(nextHi(hi, lo, 8), nextLo(lo, 8));
  const x3 = cpu.load32(nextHi(hi, lo, 12), nextLo(lo, 12));
  if ((cpu.msrLo & MSR_LE) === 0 || order === Order.Words) (out[0] = x0), (out[1] = x1), (out[2] = x2), (out[3] = x3);
  else if (order === Order.Dwords) (out[0] = x1), (out[1] = x0), (out[2] = x3), (out[3] = x2);
  else (out[0] = x3), (out[1] = x2), (out[2] = x1), (out[3] = x0);
}

/** Stores a register's four words at EA: all 16 bytes or none (both ends translated first). */
function store16(cpu: Cpu, hi: number, lo: number, order: Order, w: Int32Array): void {
  cpu.probeWrite(hi, lo);
  cpu.probeWrite(nextHi(hi, lo, 15), nextLo(lo, 15));
  let x0 = w[0]!, x1 = w[1]!, x2 = w[2]!, x3 = w[3]!;
  if ((cpu.msrLo & MSR_LE) !== 0 && order === Order.Dwords) [x0, x1, x2, x3] = [w[1]!, w[0]!, w[3]!, w[2]!];
  else if ((cpu.msrLo & MSR_LE) !== 0 && order === Order.Quad) [x0, x1, x2, x3] = [w[3]!, w[2]!, w[1]!, w[0]!];
  cpu.store32(hi, lo, x0);
  cpu.store32(nextHi(hi, lo, 4), nextLo(lo, 4), x1);
  cpu.store32(nextHi(hi, lo, 8), nextLo(lo, 8), x2);
  cpu.store32(nextHi(hi, lo, 12), nextLo(lo, 12), x3);
}

/** The whole-register accesses: [element order, store, EA rounded down to 16 (lvx, stvx)]. */
const QUAD: Partial<Record<Op, [Order, boolean, boolean]>> = {
  [Op.lvx]: [Order.Quad, false, true], [Op.lvxl]: [Order.Quad, false, true],
  [Op.stvx]: [Order.Quad, true, true], [Op.stvxl]: [Order.Quad, true, true],
  [Op.lxvx]: [Order.Quad, false, false], [Op.lxv]: [Order.Quad, false, false],
  [Op.stxvx]: [Order.Quad, true, false], [Op.stxv]: [Order.Quad, true, false],
  [Op.lxvd2x]: [Order.Dwords, false, false], [Op.stxvd2x]: [Order.Dwords, true, false],
  [Op.lxvw4x]: [Order.Words, false, false], [Op.stxvw4x]: [Order.Words, true, false],
};

/**
 * The register byte a storage byte of a VMX element access lands in: its offset in the
 * aligned quadword, reversed in little-endian mode (Book I 6.4).
 */
function laneByte(cpu: Cpu, lo: number): number {
  return (cpu.msrLo & MSR_LE) !== 0 ? 15 - (lo & 15) : lo & 15;
}

function storage(cpu: Cpu, op: Op, x: number, p1: number, p2: number): void {
  // EA: X/XX1 forms (RA|0) + RB; DS/DQ forms (RA|0) + D.
  const dForm = op === Op.lxv || op === Op.stxv || op === Op.lxsd || op === Op.lxssp || op === Op.stxsd || op === Op.stxssp;
  // The length forms (lxvl ...) address (RA|0) alone and take the length from RB[0:7].
  const lengthForm = op === Op.lxvl || op === Op.lxvll || op === Op.stxvl || op === Op.stxvll;
  let lo = dForm ? eaImm(cpu, p2, p1) : lengthForm ? eaImm(cpu, p1, 0) : eaReg(cpu, p1, p2);
  const hi = eaHi;
  const quad = QUAD[op];
  if (quad) {
    const [order, store, aligned] = quad;
    const at = aligned ? lo & ~15 : lo;
    if (store) {
      read(cpu, x, T);
      return store16(cpu, hi, at, order, T);
    }
    load16(cpu, hi, at, order, T);
    return write(cpu, x, T);
  }
  const k = x << 2;
  const v = cpu.vsr;
  switch (op) {
    case Op.lxvl:
    case Op.lxvll: {
      // The first min(RB[0:7], 16) bytes at EA, the rest of the register 0 (v3.0B): lxvll
      // left-justified in storage order, lxvl in the current byte order (in little-endian
      // mode storage byte i lands in register byte 15-i).
      const nb = Math.min(cpu.hi[p2]! >>> 24, 16);
      const mirror = op === Op.lxvl && (cpu.msrLo & MSR_LE) !== 0;
      T.fill(0);
      for (let b = 0; b < nb; b++) setByte(T, mirror ? 15 - b : b, cpu.load8(nextHi(hi, lo, b), nextLo(lo, b)));
      return write(cpu, x, T);
    }
    case Op.stxvl:
    case Op.stxvll: {
      const nb = Math.min(cpu.hi[p2]! >>> 24, 16);
      if (nb === 0) return;
      const mirror = op === Op.stxvl && (cpu.msrLo & MSR_LE) !== 0;
      read(cpu, x, T);
      cpu.probeWrite(hi, lo);
      cpu.probeWrite(nextHi(hi, lo, nb - 1), nextLo(lo, nb - 1));
      for (let b = 0; b < nb; b++) cpu.store8(nextHi(hi, lo, b), nextLo(lo, b), byteOf(T, mirror ? 15 - b : b));
      return;
    }
    case Op.lxvb16x:
    case Op.lxvh8x: {
      // Byte (halfword) i from EA + i (2i), each element in the current byte order: lxvb16x
      // gives storage order in either mode (v3.0B).
      for (let b = 0; b < 16; b++) setByte(T, b, cpu.load8(nextHi(hi, lo, b), nextLo(lo, b)));
      if (op === Op.lxvh8x && (cpu.msrLo & MSR_LE) !== 0) for (let i = 0; i < 8; i++) setElem(T, 2, i, ((elem(T, 2, i) & 0xff) << 8) | (elem(T, 2, i) >>> 8));
      return write(cpu, x, T);
    }
    case Op.stxvb16x:
    case Op.stxvh8x: {
      read(cpu, x, T);
      if (op === Op.stxvh8x && (cpu.msrLo & MSR_LE) !== 0) for (let i = 0; i < 8; i++) setElem(T, 2, i, ((elem(T, 2, i) & 0xff) << 8) | (elem(T, 2, i) >>> 8));
      cpu.probeWrite(hi, lo);
      cpu.probeWrite(nextHi(hi, lo, 15), nextLo(lo, 15));
      for (let b = 0; b < 16; b++) cpu.store8(nextHi(hi, lo, b), nextLo(lo, b), byteOf(T, b));
      return;
    }
    case Op.lvebx:
    case Op.lvehx:
    case Op.lvewx: {
      // One element, from its naturally aligned address; the other bytes are undefined (kept).
      const size = ELEMENT[op]!;
      lo &= ~(size - 1);
      read(cpu, x, T);
      for (let b = 0; b < size; b++) setByte(T, laneByte(cpu, lo + b), cpu.load8(nextHi(hi, lo, b), nextLo(lo, b)));
      return write(cpu, x, T);
    }
    case Op.stvebx:
    case Op.stvehx:
    case Op.stvewx: {
      const size = ELEMENT[op]!;
      lo &= ~(size - 1);
      read(cpu, x, T);
      cpu.probeWrite(nextHi(hi, lo, size - 1), nextLo(lo, size - 1));
      for (let b = 0; b < size; b++) cpu.store8(nextHi(hi, lo, b), nextLo(lo, b), byteOf(T, laneByte(cpu, lo + b)));
      return;
    }
    case Op.lvsl:
    case Op.lvsr: {
      // Permute controls for unaligned data (Book I 6.7.3): bytes sh..sh+15 (lvsl) or
      // 16-sh..31-sh (lvsr) of 0x00..0x1f, from EA's low four bits; no storage access.
      const sh = lo & 15;
      const first = op === Op.lvsl ? sh : 16 - sh;
      for (let i = 0; i < 16; i++) setByte(T, i, first + i);
      return write(cpu, x, T);
    }
    case Op.lxsdx:
    case Op.lxsd:
      // Doubleword 0 <- MEM(EA, 8); lxsdx leaves doubleword 1 undefined (kept here), lxsd zeroes it.
      v[k] = cpu.load64(hi, lo);
      v[k + 1] = cpu.ldLo;
      if (op === Op.lxsd) v[k + 2] = v[k + 3] = 0;
      return;
    case Op.lxvdsx:
      v[k] = v[k + 2] = cpu.load64(hi, lo);
      v[k + 1] = v[k + 3] = cpu.ldLo;
      return;
    case Op.lxvwsx:
      v[k] = v[k + 1] = v[k + 2] = v[k + 3] = cpu.load32(hi, lo);
      return;
    case Op.lxsiwax:
    case Op.lxsiwzx: {
      const w = cpu.load32(hi, lo);
      v[k] = op === Op.lxsiwax ? w >> 31 : 0;
      v[k + 1] = w;
      return;
    }
    case Op.lxsspx:
    case Op.lxssp: {
      // The single in storage converted to double format as lfs does (Book I 4.6.2).
      const [h, l] = singleToDouble(cpu.load32(hi, lo));
      v[k] = h;
      v[k + 1] = l;
      if (op === Op.lxssp) v[k + 2] = v[k + 3] = 0;
      return;
    }
    case Op.stxsdx:
    case Op.stxsd:
      return cpu.store64(hi, lo, v[k]!, v[k + 1]!);
    case Op.lxsibzx:
    case Op.lxsihzx:
      // v3.0B: doubleword 0 <- the byte (halfword) zero-extended; doubleword 1 is undefined
      // (kept, as QEMU does).
      v[k + 1] = op === Op.lxsibzx ? cpu.load8(hi, lo) : cpu.load16(hi, lo);
      v[k] = 0;
      return;
    case Op.stxsibx:
      return cpu.store8(hi, lo, v[k + 1]! & 0xff);
    case Op.stxsihx:
      return cpu.store16(hi, lo, v[k + 1]! & 0xffff);
    case Op.stxsiwx:
      return cpu.store32(hi, lo, v[k + 1]!);
    case Op.stxsspx:
    case Op.stxssp:
      return cpu.store32(hi, lo, doubleToSingle(v[k]!, v[k + 1]!));
  }
  throw new Error(`internal: vector storage op ${op}`);
}

// ---- scalar floating point (Book I 7.6.1: the VSX forms of chapter 4's operations) ----

/** [operation, single precision, negated, multiply-add form "m" (XT is the multiplicand)]. */
const SCALAR_ARITH: Partial<Record<Op, [F.Arith, boolean, boolean, boolean]>> = {
  [Op.xsadddp]: ['add', false, false, false], [Op.xsaddsp]: ['add', true, false, false],
  [Op.xssubdp]: ['sub', false, false, false], [Op.xssubsp]: ['sub', true, false, false],
  [Op.xsmuldp]: ['mul', false, false, false], [Op.xsmulsp]: ['mul', true, false, false],
  [Op.xsdivdp]: ['div', false, false, false], [Op.xsdivsp]: ['div', true, false, false],
  [Op.xssqrtdp]: ['sqrt', false, false, false], [Op.xssqrtsp]: ['sqrt', true, false, false],
  [Op.xsmaddadp]: ['madd', false, false, false], [Op.xsmaddmdp]: ['madd', false, false, true],
  [Op.xsmsubadp]: ['msub', false, false, false], [Op.xsmsubmdp]: ['msub', false, false, true],
  [Op.xsnmaddadp]: ['madd', false, true, false], [Op.xsnmaddmdp]: ['madd', false, true, true],
  [Op.xsnmsubadp]: ['msub', false, true, false], [Op.xsnmsubmdp]: ['msub', false, true, true],
  [Op.xsmaddasp]: ['madd', true, false, false], [Op.xsmaddmsp]: ['madd', true, false, true],
  [Op.xsmsubasp]: ['msub', true, false, false], [Op.xsmsubmsp]: ['msub', true, false, true],
  [Op.xsnmaddasp]: ['madd', true, true, false], [Op.xsnmaddmsp]: ['madd', true, true, true],
  [Op.xsnmsubasp]: ['msub', true, true, false], [Op.xsnmsubmsp]: ['msub', true, true, true],
};

/** xscvdp[su]x[dw]s: [bits, unsigned]; they always truncate toward zero. */
const SCALAR_TO_INT: Partial<Record<Op, [32 | 64, boolean]>> = {
  [Op.xscvdpsxds]: [64, false], [Op.xscvdpsxws]: [32, false], [Op.xscvdpuxds]: [64, true], [Op.xscvdpuxws]: [32, true],
};

/** xscv[su]xd[ds]p: [unsigned, single]. */
const SCALAR_FROM_INT: Partial<Record<Op, [boolean, boolean]>> = {
  [Op.xscvsxddp]: [false, false], [Op.xscvuxddp]: [true, false], [Op.xscvsxdsp]: [false, true], [Op.xscvuxdsp]: [true, true],
};

const SIGN = 1n << 63n;

/** vmul[eo][us][bhw]: [element bytes, signed, odd (1) or even (0) elements]. */
const MUL_EVEN_ODD: Partial<Record<Op, [number, boolean, number]>> = {
  [Op.vmuleub]: [1, false, 0], [Op.vmuloub]: [1, false, 1], [Op.vmulesb]: [1, true, 0], [Op.vmulosb]: [1, true, 1],
  [Op.vmuleuh]: [2, false, 0], [Op.vmulouh]: [2, false, 1], [Op.vmulesh]: [2, true, 0], [Op.vmulosh]: [2, true, 1],
  [Op.vmuleuw]: [4, false, 0], [Op.vmulouw]: [4, false, 1], [Op.vmulesw]: [4, true, 0], [Op.vmulosw]: [4, true, 1],
};

/** xvcmp{eq,gt,ge}{dp,sp}[.]: [the CR-code bits that make an element true (LT 8 GT 4 EQ 2), single, record]. */
const VECTOR_COMPARE: Partial<Record<Op, [number, boolean, boolean]>> = {
  [Op.xvcmpeqdp]: [2, false, false], [Op.xvcmpeqdp_]: [2, false, true], [Op.xvcmpgtdp]: [4, false, false], [Op.xvcmpgtdp_]: [4, false, true],
  [Op.xvcmpgedp]: [6, false, false], [Op.xvcmpgedp_]: [6, false, true], [Op.xvcmpeqsp]: [2, true, false], [Op.xvcmpeqsp_]: [2, true, true],
  [Op.xvcmpgtsp]: [4, true, false], [Op.xvcmpgtsp_]: [4, true, true], [Op.xvcmpgesp]: [6, true, false], [Op.xvcmpgesp_]: [6, true, true],
};

/**
 * xvcmp*: each element all ones when the relation holds (a NaN makes it false). The equality
 * compare raises VXSNAN for a signalling NaN, the ordered ones also VXVC for any NaN (as
 * fcmpu/fcmpo: F.compare); FR, FI, FPRF unchanged; an enabled exception leaves XT (and CR6).
 */
function vectorCompare(cpu: Cpu, spec: [number, boolean, boolean], t: number, a: number, b: number): void {
  const [want, single, record] = spec;
  read(cpu, a, A);
  read(cpu, b, B);
  let raised = 0;
  for (let k = 0; k < (single ? 4 : 2); k++) {
    const r = F.compare(fpElem(A, single, k), fpElem(B, single, k), want !== 2, cpu.fpscr >>> 0);
    raised |= r.raised;
    const v = (r.code & want) !== 0 ? -1 : 0;
    if (single) T[k] = v;
    else T[2 * k] = T[2 * k + 1] = v;
  }
  const s = F.settle(cpu.fpscr, { raised, fr: false, fi: false, bits: 0n, fprf: null }, false);
  cpu.fpscr = s.fpscr | 0;
  if (s.bits === null) return;
  write(cpu, t, T);
  if (record) setCr6(cpu, T);
}

/**
 * The vector conversions (Book I 7.6.1.x xvcv*): integer words 0 and 2 or doublewords to
 * double, double to integer words 0 and 2 (truncating) or doublewords, single words 0 and 2
 * to double and back. Exceptions of all elements or-ed in; FR, FI, FPRF unchanged.
 */
const CONVERSIONS = new Set<Op>([
  Op.xvcvsxwdp, Op.xvcvuxwdp, Op.xvcvsxddp, Op.xvcvuxddp, Op.xvcvdpsxws, Op.xvcvdpuxws, Op.xvcvdpsxds, Op.xvcvdpuxds, Op.xvcvspdp, Op.xvcvdpsp,
  Op.xvcvsxwsp, Op.xvcvuxwsp, Op.xvcvspsxws, Op.xvcvspuxws, Op.xvcvsxdsp, Op.xvcvuxdsp, Op.xvcvspsxds, Op.xvcvspuxds,
  Op.xvrdpi, Op.xvrdpiz, Op.xvrdpip, Op.xvrdpim, Op.xvrspi, Op.xvrspiz, Op.xvrspip, Op.xvrspim, Op.xvrdpic, Op.xvrspic,
]);

/** xsrdpi*, xvrdpi*, xvrspi*: the rounding direction of roundToIntegral (nearest away, zero, +inf, -inf). */
const ROUND_MODE: Partial<Record<Op, 0 | 1 | 2 | 3>> = {
  [Op.xsrdpi]: 0, [Op.xsrdpiz]: 1, [Op.xsrdpip]: 2, [Op.xsrdpim]: 3,
  [Op.xvrdpi]: 0, [Op.xvrdpiz]: 1, [Op.xvrdpip]: 2, [Op.xvrdpim]: 3,
  [Op.xvrspi]: 0, [Op.xvrspiz]: 1, [Op.xvrspip]: 2, [Op.xvrspim]: 3,
};

function vectorConvert(cpu: Cpu, op: Op, t: number, b: number): boolean {
  if (!CONVERSIONS.has(op)) return false;
  read(cpu, b, B);
  let raised = 0;
  const fp = cpu.fpscr >>> 0;
  const take = (r: F.FpResult): bigint => ((raised |= r.raised), r.bits ?? 0n);
  switch (op) {
    case Op.xvcvsxwdp:
    case Op.xvcvuxwdp:
      // A word is exact in a double: no rounding, no exception.
      for (let k = 0; k < 2; k++) {
        imageOf(op === Op.xvcvsxwdp ? B[2 * k]! : B[2 * k]! >>> 0);
        T[2 * k] = HI;
        T[2 * k + 1] = LO;
      }
      break;
    case Op.xvcvsxddp:
    case Op.xvcvuxddp:
      for (let k = 0; k < 2; k++) {
        if (fastFromInteger(B[2 * k]!, B[2 * k + 1]!, op === Op.xvcvuxddp, false, fp)) {
          if (FAST.fi) raised |= F.XX;
          imageOf(FAST.value);
          T[2 * k] = HI;
          T[2 * k + 1] = LO;
        } else setDw(T, k, take(F.fromInteger(dwOf(B, k), op === Op.xvcvuxddp, F.DOUBLE, fp)));
      }
      break;
    case Op.xvcvdpsxws:
    case Op.xvcvdpuxws:
      // The word result in word 2k, copied into word 2k+1 (undefined there), as QEMU gives it.
      for (let k = 0; k < 2; k++) {
        if (fastToInteger(hostDouble(B[2 * k]!, B[2 * k + 1]!), 32, op === Op.xvcvdpuxws, true, fp)) {
          if (FAST_INT.fi) raised |= F.XX;
          T[2 * k] = T[2 * k + 1] = FAST_INT.lo;
        } else T[2 * k] = T[2 * k + 1] = Number(take(F.toInteger(dwOf(B, k), 32, op === Op.xvcvdpuxws, true, fp)) & 0xffffffffn) | 0;
      }
      break;
    case Op.xvcvdpsxds:
    case Op.xvcvdpuxds:
      for (let k = 0; k < 2; k++) setDw(T, k, take(F.toInteger(dwOf(B, k), 64, op === Op.xvcvdpuxds, true, fp)));
      break;
    case Op.xvcvspdp:
      for (let k = 0; k < 2; k++) {
        let bits = fpElem(B, true, 2 * k);
        if (F.unpack(bits).kind === 'snan') (raised |= F.VXSNAN), (bits |= 1n << 51n);
        setDw(T, k, bits);
      }
      break;
    case Op.xvcvdpsp:
      for (let k = 0; k < 2; k++) {
        if (fastRoundToSingle(hostDouble(B[2 * k]!, B[2 * k + 1]!), fp)) {
          if (FAST.fi) raised |= F.XX;
          T[2 * k] = T[2 * k + 1] = singleImage(FAST.value);
          continue;
        }
        const bits = take(F.roundToSingle(dwOf(B, k), fp));
        T[2 * k] = T[2 * k + 1] = doubleImageToSingle(bits);
      }
      break;
    case Op.xvcvsxwsp:
    case Op.xvcvuxwsp:
      // Each integer word to single, rounded by RN. Under RN = 0 the host's Math.fround of the
      // (exact) integer is that rounding; inexact sets XX.
      for (let k = 0; k < 4; k++) {
        const v = op === Op.xvcvsxwsp ? B[k]! : B[k]! >>> 0;
        if ((fp & F.RN) === 0) {
          const r = Math.fround(v);
          if (r !== v) raised |= F.XX;
          T[k] = singleImage(r);
        } else {
          const bits = take(F.fromInteger(BigInt.asUintN(64, BigInt(v)), op === Op.xvcvuxwsp, F.SINGLE, fp));
          T[k] = doubleImageToSingle(bits);
        }
      }
      break;
    case Op.xvcvspsxws:
    case Op.xvcvspuxws:
      // Each single to an integer word, truncated, saturated with VXCVI (as xvcvdpsxws). A value
      // that fits is Math.trunc's on the host (exact); the others take the exact path.
      for (let k = 0; k < 4; k++) {
        const v = hostSingle(B[k]!);
        const fits = op === Op.xvcvspsxws ? v > -2147483649 && v < 2147483648 : v > -1 && v < 4294967296;
        if (fits) {
          const r = Math.trunc(v);
          if (r !== v) raised |= F.XX;
          T[k] = r | 0;
        } else T[k] = Number(take(F.toInteger(fpElem(B, true, k), 32, op === Op.xvcvspuxws, true, fp)) & 0xffffffffn) | 0;
      }
      break;
    case Op.xvcvsxdsp:
    case Op.xvcvuxdsp:
      // Doublewords to single in words 0 and 2, copied into words 1 and 3 (undefined there), as QEMU gives it.
      for (let k = 0; k < 2; k++) {
        const bits = take(F.fromInteger(dwOf(B, k), op === Op.xvcvuxdsp, F.SINGLE, fp));
        T[2 * k] = T[2 * k + 1] = doubleImageToSingle(bits);
      }
      break;
    case Op.xvcvspsxds:
    case Op.xvcvspuxds:
      // The singles in words 0 and 2 to doublewords, truncated and saturated.
      for (let k = 0; k < 2; k++) setDw(T, k, take(F.toInteger(fpElem(B, true, 2 * k), 64, op === Op.xvcvspuxds, true, fp)));
      break;
    case Op.xvrdpi:
    case Op.xvrdpiz:
    case Op.xvrdpip:
    case Op.xvrdpim:
      // Each doubleword rounded to an integral value (as xsrdpi*; VXSNAN, no XX).
      for (let k = 0; k < 2; k++) setDw(T, k, take(F.roundToIntegral(dwOf(B, k), ROUND_MODE[op]!)));
      break;
    case Op.xvrspi:
    case Op.xvrspiz:
    case Op.xvrspip:
    case Op.xvrspim:
      // Each single rounded to an integral value, which is a single again.
      for (let k = 0; k < 4; k++) {
        const bits = take(F.roundToIntegral(fpElem(B, true, k), ROUND_MODE[op]!));
        T[k] = doubleImageToSingle(bits);
      }
      break;
    case Op.xvrdpic:
      // By FPSCR[RN], reporting inexactness (XX; FR, FI unchanged as for every vector form).
      for (let k = 0; k < 2; k++) setDw(T, k, take(F.roundToIntegralCurrent(dwOf(B, k), fp)));
      break;
    case Op.xvrspic:
      for (let k = 0; k < 4; k++) {
        const bits = take(F.roundToIntegralCurrent(fpElem(B, true, k), fp));
        T[k] = doubleImageToSingle(bits);
      }
      break;
    default:
      return false;
  }
  const s = F.settle(cpu.fpscr, { raised, fr: false, fi: false, bits: 0n, fprf: null }, false);
  cpu.fpscr = s.fpscr | 0;
  if (s.bits !== null) write(cpu, t, T);
  return true;
}

/** xv*: [operation, single precision (word elements), negated, "m" form], as SCALAR_ARITH. */
const VECTOR_ARITH: Partial<Record<Op, [F.Arith, boolean, boolean, boolean]>> = {
  [Op.xvadddp]: ['add', false, false, false], [Op.xvaddsp]: ['add', true, false, false],
  [Op.xvsubdp]: ['sub', false, false, false], [Op.xvsubsp]: ['sub', true, false, false],
  [Op.xvmuldp]: ['mul', false, false, false], [Op.xvmulsp]: ['mul', true, false, false],
  [Op.xvdivdp]: ['div', false, false, false], [Op.xvdivsp]: ['div', true, false, false],
  [Op.xvsqrtdp]: ['sqrt', false, false, false], [Op.xvsqrtsp]: ['sqrt', true, false, false],
  [Op.xvmaddadp]: ['madd', false, false, false], [Op.xvmaddmdp]: ['madd', false, false, true],
  [Op.xvmsubadp]: ['msub', false, false, false], [Op.xvmsubmdp]: ['msub', false, false, true],
  [Op.xvnmaddadp]: ['madd', false, true, false], [Op.xvnmaddmdp]: ['madd', false, true, true],
  [Op.xvnmsubadp]: ['msub', false, true, false], [Op.xvnmsubmdp]: ['msub', false, true, true],
  [Op.xvmaddasp]: ['madd', true, false, false], [Op.xvmaddmsp]: ['madd', true, false, true],
  [Op.xvmsubasp]: ['msub', true, false, false], [Op.xvmsubmsp]: ['msub', true, false, true],
  [Op.xvnmaddasp]: ['madd', true, true, false], [Op.xvnmaddmsp]: ['madd', true, true, true],
  [Op.xvnmsubasp]: ['msub', true, true, false], [Op.xvnmsubmsp]: ['msub', true, true, true],
};

/** Element k as a host double: doubleword k, or word k's single (exact in a double). */
function hostElem(w: Int32Array, single: boolean, k: number): number {
  return single ? hostSingle(w[k]!) : hostDouble(w[2 * k]!, w[2 * k + 1]!);
}

/** Element k of a register as a double-format image: doubleword k, or word k's single widened. */
function fpElem(w: Int32Array, single: boolean, k: number): bigint {
  return single ? singleToDoubleImage(w[k]!) : dwOf(w, k);
}

/**
 * One arithmetic operation per element (Book I 7.6.1: the vector forms). The exceptions of
 * all elements are or-ed into the FPSCR; FR, FI and FPRF are not changed; an enabled
 * invalid-operation or zero-divide exception in any element leaves XT unchanged.
 */
function vectorFloat(cpu: Cpu, spec: [F.Arith, boolean, boolean, boolean], t: number, a: number, b: number): void {
  const [what, single, negate, mForm] = spec;
  const fmt = single ? F.SINGLE : F.DOUBLE;
  read(cpu, a, A);
  read(cpu, b, B);
  read(cpu, t, C); // the target's old value: the multiply-adds' third operand
  let raised = 0;
  const fp = cpu.fpscr;
  for (let k = 0; k < (single ? 4 : 2); k++) {
    // The host fast path first (float-fast.ts); the elements it declines take the exact one.
    const hx = hostElem(A, single, k);
    const hy = hostElem(B, single, k);
    const hz = hostElem(C, single, k);
    const fast =
      what === 'sqrt' ? fastArith('sqrt', 0, hx, 0, single, fp)
      : what === 'mul' ? fastArith('mul', hx, 0, hy, single, fp)
      : what === 'madd' || what === 'msub' ? fastArith(what, hx, mForm ? hy : hz, mForm ? hz : hy, single, fp)
      : fastArith(what, hx, hy, 0, single, fp);
    if (fast) {
      const v = negate ? -FAST.value : FAST.value;
      if (FAST.fi) raised |= F.XX;
      if (single) T[k] = singleImage(v);
      else {
        imageOf(v);
        T[2 * k] = HI;
        T[2 * k + 1] = LO;
      }
      continue;
    }
    const x = fpElem(A, single, k);
    const y = fpElem(B, single, k);
    const z = fpElem(C, single, k);
    let r: F.FpResult;
    if (what === 'sqrt') r = F.arith('sqrt', 0n, x, 0n, fmt, cpu.fpscr >>> 0); // XT,XB: XB is operand 1
    else if (what === 'mul') r = F.arith('mul', x, 0n, y, fmt, cpu.fpscr >>> 0);
    else if (what === 'madd' || what === 'msub') r = F.arith(what, x, mForm ? y : z, mForm ? z : y, fmt, cpu.fpscr >>> 0, negate);
    else r = F.arith(what, x, y, 0n, fmt, cpu.fpscr >>> 0);
    raised |= r.raised;
    const bits = r.bits ?? 0n;
    if (single) T[k] = doubleImageToSingle(bits);
    else setDw(T, k, bits);
  }
  const s = F.settle(cpu.fpscr, { raised, fr: false, fi: false, bits: 0n, fprf: null }, false);
  cpu.fpscr = s.fpscr | 0;
  if (s.bits !== null) write(cpu, t, T);
}

/**
 * xvmax/xvmin {dp,sp} (Book I 7.6.1.x): per element the larger (smaller) value, +0 above -0;
 * a quiet NaN gives the other operand, a signalling NaN raises VXSNAN and gives itself
 * quieted (IEEE maxNum/minNum). FR, FI, FPRF unchanged; an enabled VXSNAN leaves XT.
 */
/** Set by maxNum/maxJ when an operand is a signalling NaN (VXSNAN). */
let sawSnan = false;

/**
 * xsmaxdp/xsmindp and each element of xvmax/xvmin (Book I 7.6.1): IEEE maxNum/minNum, +0
 * above -0; a quiet NaN gives the other operand, a signalling NaN gives itself quieted.
 */
function maxNum(x: bigint, y: bigint, max: boolean): bigint {
  const ux = F.unpack(x);
  const uy = F.unpack(y);
  if (ux.kind === 'snan' || uy.kind === 'snan') {
    sawSnan = true;
    return (ux.kind === 'snan' ? x : y) | (1n << 51n);
  }
  if (ux.kind === 'qnan') return uy.kind === 'qnan' ? x : y;
  if (uy.kind === 'qnan') return x;
  if (ux.kind === 'zero' && uy.kind === 'zero') return max === (ux.sign === 0) ? x : y;
  const c = F.compare(x, y, false, 0).code; // LT 8, GT 4, EQ 2
  return c & 2 ? x : (c & 4) !== 0 === max ? x : y;
}

/**
 * xsmaxjdp/xsminjdp (v3.0B 7.6.1, "Java" semantics): a NaN XA is the result, else a NaN XB,
 * neither quieted; of two zeros max gives -0 only when both are -0 and min gives +0 only
 * when both are +0; otherwise the larger (smaller) value. A signalling NaN raises VXSNAN.
 */
function maxJ(x: bigint, y: bigint, max: boolean): bigint {
  const ux = F.unpack(x);
  const uy = F.unpack(y);
  if (ux.kind === 'snan' || uy.kind === 'snan') sawSnan = true;
  if (ux.kind === 'snan' || ux.kind === 'qnan') return x;
  if (uy.kind === 'snan' || uy.kind === 'qnan') return y;
  if (ux.kind === 'zero' && uy.kind === 'zero') return (max ? ux.sign & uy.sign : ux.sign | uy.sign) ? SIGN : 0n;
  const c = F.compare(x, y, false, 0).code;
  return (c & (max ? 4 : 8)) !== 0 ? x : y;
}

function vectorMaxMin(cpu: Cpu, op: Op, t: number, a: number, b: number): boolean {
  const max = op === Op.xvmaxdp || op === Op.xvmaxsp;
  const single = op === Op.xvmaxsp || op === Op.xvminsp;
  if (!max && op !== Op.xvmindp && op !== Op.xvminsp) return false;
  read(cpu, a, A);
  read(cpu, b, B);
  sawSnan = false;
  for (let k = 0; k < (single ? 4 : 2); k++) {
    const r = maxNum(fpElem(A, single, k), fpElem(B, single, k), max);
    if (single) T[k] = doubleImageToSingle(r);
    else setDw(T, k, r);
  }
  const s = F.settle(cpu.fpscr, { raised: sawSnan ? F.VXSNAN : 0, fr: false, fi: false, bits: 0n, fprf: null }, false);
  cpu.fpscr = s.fpscr | 0;
  if (s.bits !== null) write(cpu, t, T);
  return true;
}

/** xv{abs,nabs,neg,cpsgn}{dp,sp}: sign-bit operations per element, no FPSCR change. */
function vectorSign(cpu: Cpu, op: Op, t: number, a: number, b: number): boolean {
  const dp = op === Op.xvabsdp || op === Op.xvnabsdp || op === Op.xvnegdp || op === Op.xvcpsgndp;
  const sp = op === Op.xvabssp || op === Op.xvnabssp || op === Op.xvnegsp || op === Op.xvcpsgnsp;
  if (!dp && !sp) return false;
  read(cpu, a, A);
  read(cpu, b, B);
  for (let k = 0; k < 4; k++) {
    const signWord = !dp || (k & 1) === 0; // the sign bit is in word 0 of each doubleword (dp) or of each word (sp)
    const m = signWord ? 0x80000000 | 0 : 0;
    if (op === Op.xvabsdp || op === Op.xvabssp) T[k] = A[k]! & ~m;
    else if (op === Op.xvnabsdp || op === Op.xvnabssp) T[k] = A[k]! | m;
    else if (op === Op.xvnegdp || op === Op.xvnegsp) T[k] = A[k]! ^ m;
    else T[k] = (A[k]! & m) | (B[k]! & ~m); // xvcpsgn: sign of XA, the rest of XB
  }
  write(cpu, t, T);
  return true;
}

/** A VSX scalar operand (doubleword 0) as a host double. */
const dwD = (cpu: Cpu, x: number): number => hostDouble(cpu.vsr[x << 2]!, cpu.vsr[(x << 2) | 1]!);

function scalarFloat(cpu: Cpu, op: Op, t: number, a: number, b: number): boolean {
  const arith = SCALAR_ARITH[op];
  if (arith) {
    const [what, single, negate, mForm] = arith;
    const fast =
      what === 'sqrt' ? fastArith('sqrt', 0, dwD(cpu, a), 0, single, cpu.fpscr)
      : what === 'mul' ? fastArith('mul', dwD(cpu, a), 0, dwD(cpu, b), single, cpu.fpscr)
      : what === 'madd' || what === 'msub'
        ? fastArith(what, dwD(cpu, a), dwD(cpu, mForm ? b : t), dwD(cpu, mForm ? t : b), single, cpu.fpscr)
        : fastArith(what, dwD(cpu, a), dwD(cpu, b), 0, single, cpu.fpscr);
    if (fast) {
      if (negate) FAST.value = -FAST.value;
      settleFast(cpu);
      setScalarWords(cpu, t, HI, LO);
      return true;
    }
    let bits: bigint | null;
    if (what === 'sqrt') bits = settleInto(cpu, F.arith('sqrt', 0n, dw0(cpu, a), 0n, single ? F.SINGLE : F.DOUBLE, cpu.fpscr >>> 0));
    else if (what === 'madd' || what === 'msub') {
      // "a" form: XT <- XA * XB +/- XT; "m" form: XT <- XA * XT +/- XB (operands XT,XA,XB).
      const [c, addend] = mForm ? [dw0(cpu, t), dw0(cpu, b)] : [dw0(cpu, b), dw0(cpu, t)];
      bits = settleInto(cpu, F.arith(what, dw0(cpu, a), addend, c, single ? F.SINGLE : F.DOUBLE, cpu.fpscr >>> 0, negate));
    } else if (what === 'mul') bits = settleInto(cpu, F.arith('mul', dw0(cpu, a), 0n, dw0(cpu, b), single ? F.SINGLE : F.DOUBLE, cpu.fpscr >>> 0));
    else bits = settleInto(cpu, F.arith(what, dw0(cpu, a), dw0(cpu, b), 0n, single ? F.SINGLE : F.DOUBLE, cpu.fpscr >>> 0));
    if (bits !== null) setScalar(cpu, t, bits);
    return true;
  }
  const toInt = SCALAR_TO_INT[op];
  if (toInt) {
    if (fastToInteger(dwD(cpu, a), toInt[0], toInt[1], true, cpu.fpscr)) {
      settleFastInt(cpu);
      // The word forms' result is in word 1, word 0 a copy of it (as below).
      setScalarWords(cpu, t, toInt[0] === 32 ? FAST_INT.lo : FAST_INT.hi, FAST_INT.lo);
      return true;
    }
    const bits = settleInto(cpu, F.toInteger(dw0(cpu, a), toInt[0], toInt[1], true, cpu.fpscr >>> 0));
    if (bits === null) return true;
    // The word forms put the result in word 1 and leave word 0 undefined: here a copy of it, as QEMU gives it.
    if (toInt[0] === 32) setScalar(cpu, t, ((bits & 0xffffffffn) << 32n) | (bits & 0xffffffffn));
    else setScalar(cpu, t, bits);
    return true;
  }
  const fromInt = SCALAR_FROM_INT[op];
  if (fromInt && fastFromInteger(cpu.vsr[a << 2]!, cpu.vsr[(a << 2) | 1]!, fromInt[0], fromInt[1], cpu.fpscr)) {
    settleFast(cpu);
    setScalarWords(cpu, t, HI, LO);
    return true;
  }
  if (fromInt) {
    const bits = settleInto(cpu, F.fromInteger(dw0(cpu, a), fromInt[0], fromInt[1] ? F.SINGLE : F.DOUBLE, cpu.fpscr >>> 0));
    if (bits !== null) setScalar(cpu, t, bits);
    return true;
  }
  switch (op) {
    case Op.xsmaxcdp:
    case Op.xsmincdp: {
      // C's a > b ? a : b (a < b for min): a NaN makes the compare false and gives XB (v3.0B);
      // a signalling NaN raises VXSNAN.
      const x = dw0(cpu, a);
      const y = dw0(cpu, b);
      const r = F.compare(x, y, false, cpu.fpscr >>> 0);
      const pick = (r.code & (op === Op.xsmaxcdp ? 4 : 8)) !== 0 ? x : y;
      const bits = settleInto(cpu, { raised: r.raised, fr: false, fi: false, bits: pick, fprf: null });
      if (bits !== null) setScalar(cpu, t, bits);
      return true;
    }
    case Op.xsmaxdp:
    case Op.xsmindp:
    case Op.xsmaxjdp:
    case Op.xsminjdp: {
      sawSnan = false;
      const max = op === Op.xsmaxdp || op === Op.xsmaxjdp;
      const pick = op === Op.xsmaxdp || op === Op.xsmindp ? maxNum(dw0(cpu, a), dw0(cpu, b), max) : maxJ(dw0(cpu, a), dw0(cpu, b), max);
      const bits = settleInto(cpu, { raised: sawSnan ? F.VXSNAN : 0, fr: false, fi: false, bits: pick, fprf: null });
      if (bits !== null) setScalar(cpu, t, bits);
      return true;
    }
    case Op.xscmpeqdp:
    case Op.xscmpgedp:
    case Op.xscmpgtdp: {
      // v3.0B: doubleword 0 of XT all ones when XA = (>=, >) XB, else 0; doubleword 1 zeroed.
      // VXSNAN for a signalling NaN; ge and gt are ordered (VXVC for a NaN, as fcmpo); an
      // enabled exception leaves XT unchanged.
      const r = F.compare(dw0(cpu, a), dw0(cpu, b), op !== Op.xscmpeqdp, cpu.fpscr >>> 0);
      const yes = op === Op.xscmpeqdp ? r.code === 2 : op === Op.xscmpgedp ? r.code === 2 || r.code === 4 : r.code === 4;
      const bits = settleInto(cpu, { raised: r.raised, fr: false, fi: false, bits: yes ? 0xffffffffffffffffn : 0n, fprf: null });
      if (bits !== null) setScalar(cpu, t, bits);
      return true;
    }
    case Op.xscmpudp:
    case Op.xscmpodp:
      compareInto(cpu, t, a, b, op === Op.xscmpodp);
      return true;
    case Op.xsabsdp:
      setScalar(cpu, t, dw0(cpu, a) & ~SIGN);
      return true;
    case Op.xsnabsdp:
      setScalar(cpu, t, dw0(cpu, a) | SIGN);
      return true;
    case Op.xsnegdp:
      setScalar(cpu, t, dw0(cpu, a) ^ SIGN);
      return true;
    case Op.xscpsgndp:
      setScalar(cpu, t, (dw0(cpu, a) & SIGN) | (dw0(cpu, b) & ~SIGN));
      return true;
    case Op.xsrsp: {
      if (fastRoundToSingle(dwD(cpu, a), cpu.fpscr)) {
        settleFast(cpu);
        setScalarWords(cpu, t, HI, LO);
        return true;
      }
      const bits = settleInto(cpu, F.roundToSingle(dw0(cpu, a), cpu.fpscr >>> 0));
      if (bits !== null) setScalar(cpu, t, bits);
      return true;
    }
    case Op.xsrdpic: {
      // By FPSCR[RN]: XX, FR, FI and FPRF as a rounding instruction sets them.
      const bits = settleInto(cpu, F.roundToIntegralCurrent(dw0(cpu, a), cpu.fpscr >>> 0));
      if (bits !== null) setScalar(cpu, t, bits);
      return true;
    }
    case Op.xsrdpi:
    case Op.xsrdpiz:
    case Op.xsrdpip:
    case Op.xsrdpim: {
      const bits = settleInto(cpu, F.roundToIntegral(dw0(cpu, a), ROUND_MODE[op]!));
      if (bits !== null) setScalar(cpu, t, bits);
      return true;
    }
    case Op.xscvdpsp: {
      // Rounded to single precision (exceptions as frsp), in single format in word 0 and word 1.
      if (fastRoundToSingle(dwD(cpu, a), cpu.fpscr)) {
        settleFast(cpu);
        T[0] = T[1] = singleImage(FAST.value);
        T[2] = T[3] = 0;
        write(cpu, t, T);
        return true;
      }
      const bits = settleInto(cpu, F.roundToSingle(dw0(cpu, a), cpu.fpscr >>> 0));
      if (bits !== null) {
        const w = doubleImageToSingle(bits);
        T[0] = T[1] = w;
        T[2] = T[3] = 0;
        write(cpu, t, T);
      }
      return true;
    }
    case Op.xscvdpspn: {
      // Non-signalling: the format change alone (as stfs stores it), no FPSCR change.
      const k = a << 2;
      const w = doubleToSingle(cpu.vsr[k]!, cpu.vsr[k + 1]!);
      T[0] = T[1] = w;
      T[2] = T[3] = 0;
      write(cpu, t, T);
      return true;
    }
    case Op.xscvspdp:
    case Op.xscvspdpn: {
      // Word 0's single as a double (as lfs converts it); xscvspdp also quiets a signalling
      // NaN with VXSNAN and sets FPRF, xscvspdpn changes no FPSCR bit.
      let bits = singleToDoubleImage(cpu.vsr[a << 2]!);
      if (op === Op.xscvspdp) {
        const snan = F.unpack(bits).kind === 'snan';
        if (snan) bits |= 1n << 51n;
        const r = settleInto(cpu, { raised: snan ? F.VXSNAN : 0, fr: false, fi: false, bits, fprf: F.fprfOf(bits) });
        if (r === null) return true;
      }
      setScalar(cpu, t, bits);
      return true;
    }
  }
  return false;
}

// ---- the rest: moves, logical, permutes, VSCR ----

/**
 * Runs a vector instruction; `v` are its operand values in the table's order, registers as
 * VSR numbers (predecode.ts gives a VR operand as 32 + n), GPRs and immediates as they are.
 */
export function execVector(cpu: Cpu, op: Op, v0: number, v1: number, v2: number, v3: number): void {
  if (IS_VSX[op]) {
    if ((cpu.msrLo & MSR_VSX) === 0) cpu.interrupt(VEC.VSXU, 0, 'VSX instruction with MSR[VSX] = 0');
  } else if ((cpu.msrLo & MSR_VEC) === 0) cpu.interrupt(VEC.VPU, 0, 'vector instruction with MSR[VEC] = 0');
  const lane = LANES[op];
  if (lane) {
    const [size, f, compare, unary] = lane;
    const n = 16 / size;
    const bits = size * 8;
    read(cpu, v1, A);
    read(cpu, v2, B);
    saturated = false;
    for (let i = 0; i < n; i++) setElem(T, size, i, f(elem(A, size, i), unary ? elem(A, size, i) : elem(B, size, i), bits));
    write(cpu, v0, T);
    if (saturated) cpu.vscr |= VSCR_SAT;
    if (compare && RECORDS[op]) setCr6(cpu, T);
    return;
  }
  const pair = PAIR_LANES[op];
  if (pair) {
    read(cpu, v1, A);
    const b = DUNARY.has(op) ? A : (read(cpu, v2, B), B);
    pair(A[0]!, A[1]!, b[0]!, b[1]!, 0);
    pair(A[2]!, A[3]!, b[2]!, b[3]!, 1);
    write(cpu, v0, T);
    if (RECORDS[op]) setCr6(cpu, T);
    return;
  }
  if (scalarFloat(cpu, op, v0, v1, v2)) return;
  const vf = VECTOR_ARITH[op];
  if (vf) return vectorFloat(cpu, vf, v0, v1, v2);
  const vc = VECTOR_COMPARE[op];
  if (vc) return vectorCompare(cpu, vc, v0, v1, v2);
  if (vectorConvert(cpu, op, v0, v1)) return;
  if (vectorSign(cpu, op, v0, v1, v2)) return;
  if (vectorMaxMin(cpu, op, v0, v1, v2)) return;
  if (execVmxFloat(cpu, op, v0, v1, v2, v3)) {
    if (RECORDS[op]) setCr6(cpu, VMX_RESULT);
    return;
  }
  const vsr = cpu.vsr;
  switch (op) {
    // GPR <-> VSR (Book I 7.6.1.x): doubleword 1 of the target is undefined for the
    // doubleword and word moves (kept here).
    case Op.mfvsrd:
      cpu.hi[v0] = vsr[v1 << 2]!;
      cpu.lo[v0] = vsr[(v1 << 2) | 1]!;
      return;
    case Op.mfvsrwz:
      cpu.hi[v0] = 0;
      cpu.lo[v0] = vsr[(v1 << 2) | 1]!;
      return;
    case Op.mfvsrld:
      cpu.hi[v0] = vsr[(v1 << 2) | 2]!;
      cpu.lo[v0] = vsr[(v1 << 2) | 3]!;
      return;
    case Op.mtvsrd:
      vsr[v0 << 2] = cpu.hi[v1]!;
      vsr[(v0 << 2) | 1] = cpu.lo[v1]!;
      return;
    case Op.mtvsrwa:
    case Op.mtvsrwz:
      vsr[v0 << 2] = op === Op.mtvsrwa ? cpu.lo[v1]! >> 31 : 0;
      vsr[(v0 << 2) | 1] = cpu.lo[v1]!;
      return;
    case Op.mtvsrws:
      T.fill(cpu.lo[v1]!);
      return write(cpu, v0, T);
    case Op.mtvsrdd:
      T[0] = v1 === 0 ? 0 : cpu.hi[v1]!;
      T[1] = v1 === 0 ? 0 : cpu.lo[v1]!;
      T[2] = cpu.hi[v2]!;
      T[3] = cpu.lo[v2]!;
      return write(cpu, v0, T);
    case Op.vclzlsbb:
    case Op.vctzlsbb: {
      // Bytes whose least significant bit is 0, counted from byte 0 (clz) or byte 15 (ctz).
      read(cpu, v1, B);
      let n = 0;
      while (n < 16 && (byteOf(B, op === Op.vclzlsbb ? n : 15 - n) & 1) === 0) n++;
      cpu.hi[v0] = 0;
      cpu.lo[v0] = n;
      return;
    }
    case Op.vextublx:
    case Op.vextubrx:
    case Op.vextuhlx:
    case Op.vextuhrx:
    case Op.vextuwlx:
    case Op.vextuwrx: {
      // The element at byte index RA[60:63], counted from the left (byte 0) or the right (byte 15).
      read(cpu, v2, Q);
      Q[4] = Q[5] = Q[6] = Q[7] = 0;
      const size = ELEMENT[op]!;
      const right = op === Op.vextubrx || op === Op.vextuhrx || op === Op.vextuwrx;
      const idx = cpu.lo[v1]! & 15;
      let r = 0;
      for (let b = 0; b < size; b++) {
        const at = right ? 16 - idx - size + b : idx + b;
        r = r * 256 + (at >= 0 && at < 16 ? byteOf(Q, at) : 0);
      }
      cpu.hi[v0] = 0;
      cpu.lo[v0] = r | 0;
      return;
    }
  }
  if (op >= Op.lxsdx && op <= Op.stxssp) return storage(cpu, op, v0, v1, v2);
  if (op >= Op.lvx && op <= Op.stvewx) return storage(cpu, op, v0, v1, v2);
  read(cpu, v1, A);
  read(cpu, v2, B);
  switch (op) {
    case Op.xxland:
    case Op.vand:
      for (let i = 0; i < 4; i++) T[i] = A[i]! & B[i]!;
      break;
    case Op.xxlandc:
    case Op.vandc:
      for (let i = 0; i < 4; i++) T[i] = A[i]! & ~B[i]!;
      break;
    case Op.xxlor:
    case Op.vor:
      for (let i = 0; i < 4; i++) T[i] = A[i]! | B[i]!;
      break;
    case Op.xxlxor:
    case Op.vxor:
      for (let i = 0; i < 4; i++) T[i] = A[i]! ^ B[i]!;
      break;
    case Op.xxlnor:
    case Op.vnor:
      for (let i = 0; i < 4; i++) T[i] = ~(A[i]! | B[i]!);
      break;
    case Op.xxlorc:
    case Op.vorc:
      for (let i = 0; i < 4; i++) T[i] = A[i]! | ~B[i]!;
      break;
    case Op.xxlnand:
    case Op.vnand:
      for (let i = 0; i < 4; i++) T[i] = ~(A[i]! & B[i]!);
      break;
    case Op.xxleqv:
    case Op.veqv:
      for (let i = 0; i < 4; i++) T[i] = ~(A[i]! ^ B[i]!);
      break;
    case Op.xxsel:
    case Op.vsel:
      // (A & ~C) | (B & C): C's one bits select B (Book I 6.10.3, 7.6.1.6).
      read(cpu, v3, C);
      for (let i = 0; i < 4; i++) T[i] = (A[i]! & ~C[i]!) | (B[i]! & C[i]!);
      break;
    case Op.xxpermdi:
      // DM bit 0 picks XA's doubleword, bit 1 XB's.
      T[0] = A[v3 & 2 ? 2 : 0]!;
      T[1] = A[v3 & 2 ? 3 : 1]!;
      T[2] = B[v3 & 1 ? 2 : 0]!;
      T[3] = B[v3 & 1 ? 3 : 1]!;
      break;
    case Op.xxsldwi:
      Q.set(A, 0);
      Q.set(B, 4);
      for (let i = 0; i < 4; i++) T[i] = Q[i + v3]!;
      break;
    case Op.xxmrghw:
    case Op.xxmrglw: {
      const h = op === Op.xxmrghw ? 0 : 2;
      [T[0], T[1], T[2], T[3]] = [A[h]!, B[h]!, A[h + 1]!, B[h + 1]!];
      break;
    }
    case Op.xxspltw:
      T.fill(A[v2]!); // XT,XB,UIM: v1 is XB
      break;
    case Op.xxextractuw:
    case Op.vextractub:
    case Op.vextractuh:
    case Op.vextractuw:
    case Op.vextractd: {
      // The element at byte UIM of VRB (XB), right-justified in doubleword 0; the rest 0 (v3.0B).
      const size = ELEMENT[op]!;
      T.fill(0);
      for (let b = 0; b < size; b++) setByte(T, 8 - size + b, v2 + b < 16 ? byteOf(A, v2 + b) : 0);
      break;
    }
    case Op.xxinsertw:
    case Op.vinsertb:
    case Op.vinserth:
    case Op.vinsertw:
    case Op.vinsertd: {
      // The element right-justified in VRB's (XB's) doubleword 0, into the target's bytes from UIM; the rest kept.
      const size = ELEMENT[op]!;
      read(cpu, v0, T);
      for (let b = 0; b < size && v2 + b < 16; b++) setByte(T, v2 + b, byteOf(A, 8 - size + b));
      break;
    }
    case Op.xxbrh:
    case Op.xxbrw:
    case Op.xxbrd:
    case Op.xxbrq: {
      // Each halfword (word, doubleword, the quadword) with its bytes reversed (v3.0B); XT,XB: A holds XB.
      const size = ELEMENT[op]!;
      for (let i = 0; i < 16; i++) setByte(T, i, byteOf(A, (i - (i % size)) + size - 1 - (i % size)));
      break;
    }
    case Op.xxspltib:
      T.fill((v1 & 0xff) * 0x01010101);
      break;
    case Op.vperm: {
      // Each byte of VRC (low five bits) selects a byte of VRA || VRB (Book I 6.8.4).
      read(cpu, v3, C);
      Q.set(A, 0);
      Q.set(B, 4);
      for (let i = 0; i < 16; i++) setByte(T, i, byteOf(Q, byteOf(C, i) & 31));
      break;
    }
    case Op.vpermr: {
      // vperm counting from the right (v3.0B): byte i of VRA || VRB at 31 - (VRC[i] & 31).
      read(cpu, v3, C);
      Q.set(A, 0);
      Q.set(B, 4);
      for (let i = 0; i < 16; i++) setByte(T, i, byteOf(Q, 31 - (byteOf(C, i) & 31)));
      break;
    }
    case Op.vmrgew:
    case Op.vmrgow: {
      // The even (odd) words of VRA and VRB interleaved: A0 B0 A2 B2 (A1 B1 A3 B3) (v2.07).
      const odd = op === Op.vmrgow ? 1 : 0;
      T[0] = A[odd]!;
      T[1] = B[odd]!;
      T[2] = A[2 + odd]!;
      T[3] = B[2 + odd]!;
      break;
    }
    case Op.vslv:
    case Op.vsrv:
      // Each byte of VRA shifted by VRB's byte (0-7 bits), filled from the next (previous)
      // byte, 0 past the end (v3.0B).
      for (let i = 0; i < 16; i++) {
        const sh = byteOf(B, i) & 7;
        if (op === Op.vslv) setByte(T, i, (((byteOf(A, i) << 8) | (i < 15 ? byteOf(A, i + 1) : 0)) << sh) >>> 8);
        else setByte(T, i, (((i > 0 ? byteOf(A, i - 1) : 0) << 8) | byteOf(A, i)) >>> sh);
      }
      break;
    case Op.vsldoi:
      Q.set(A, 0);
      Q.set(B, 4);
      for (let i = 0; i < 16; i++) setByte(T, i, byteOf(Q, i + v3));
      break;
    case Op.vmrghb:
    case Op.vmrghh:
    case Op.vmrghw:
    case Op.vmrglb:
    case Op.vmrglh:
    case Op.vmrglw: {
      // Interleave the high (or low) halves' elements: A0 B0 A1 B1 ... (Book I 6.8.2).
      const size = ELEMENT[op]!;
      const n = 16 / size;
      const from = op === Op.vmrghb || op === Op.vmrghh || op === Op.vmrghw ? 0 : n / 2;
      for (let i = 0; i < n / 2; i++) {
        setElem(T, size, 2 * i, elem(A, size, from + i));
        setElem(T, size, 2 * i + 1, elem(B, size, from + i));
      }
      break;
    }
    case Op.vspltb:
    case Op.vsplth:
    case Op.vspltw: {
      // VRT,VRB,UIM: v1 is VRB.
      const size = ELEMENT[op]!;
      const e = elem(A, size, v2);
      for (let i = 0; i < 16 / size; i++) setElem(T, size, i, e);
      break;
    }
    case Op.vspltisb:
    case Op.vspltish:
    case Op.vspltisw: {
      const size = ELEMENT[op]!;
      for (let i = 0; i < 16 / size; i++) setElem(T, size, i, v1); // VRT,SIM: v1 is SIM, sign-extended
      break;
    }
    case Op.vpkuhum:
    case Op.vpkuwum:
    case Op.vpkudum: {
      // The low half of each element of VRA || VRB (modulo pack, Book I 6.8.1).
      Q.set(A, 0);
      Q.set(B, 4);
      if (op === Op.vpkudum) for (let i = 0; i < 4; i++) T[i] = Q[2 * i + 1]!;
      else {
        const size = ELEMENT[op]!;
        for (let i = 0; i < 16 / size; i++) {
          const src = i < 8 / size ? A : B;
          const j = i % (8 / size);
          setElem(T, size, i, elem(src, size * 2, j));
        }
      }
      break;
    }
    case Op.vpkshss:
    case Op.vpkshus:
    case Op.vpkswss:
    case Op.vpkswus:
    case Op.vpkuhus:
    case Op.vpkuwus: {
      // Each element of VRA || VRB, signed or unsigned (the first s/u of the name), saturated
      // to half its width, signed or unsigned (the second), setting VSCR[SAT] (Book I 6.8.1).
      const size = ELEMENT[op]!; // the target element
      const fromSigned = op === Op.vpkshss || op === Op.vpkshus || op === Op.vpkswss || op === Op.vpkswus;
      const toSigned = op === Op.vpkshss || op === Op.vpkswss;
      const bits = 8 * size;
      const [lo, hi] = toSigned ? [-(2 ** (bits - 1)), 2 ** (bits - 1) - 1] : [0, 2 ** bits - 1];
      saturated = false;
      for (let i = 0; i < 16 / size; i++) {
        const src = i < 8 / size ? A : B;
        let v = elem(src, size * 2, i % (8 / size));
        if (fromSigned) v = sx(v, 2 * bits);
        setElem(T, size, i, saturate(v, lo, hi));
      }
      if (saturated) cpu.vscr |= VSCR_SAT;
      break;
    }
    case Op.vpksdss:
    case Op.vpksdus:
    case Op.vpkudus: {
      // The doublewords of VRA || VRB saturated to words (v2.07).
      const fromSigned = op !== Op.vpkudus;
      const toSigned = op === Op.vpksdss;
      let sat = false;
      for (let i = 0; i < 4; i++) {
        const src = i < 2 ? A : B;
        const h = src[2 * (i & 1)]!;
        const l = src[2 * (i & 1) + 1]!;
        // (h, l) fits a signed word when h is l's sign extension, an unsigned one when h is 0.
        const fits = toSigned ? h === l >> 31 : h === 0;
        if (fits) T[i] = l;
        else {
          sat = true;
          T[i] = fromSigned && h < 0 ? (toSigned ? -2147483648 : 0) : toSigned ? 2147483647 : -1;
        }
      }
      if (sat) cpu.vscr |= VSCR_SAT;
      break;
    }
    case Op.vpkpx:
      // Each word's pixel (bit 7, bits 8-12, 16-20, 24-28) packed into a halfword, VRA then VRB.
      for (let i = 0; i < 8; i++) {
        const w = (i < 4 ? A : B)[i & 3]!;
        setElem(T, 2, i, (((w >>> 24) & 1) << 15) | (((w >>> 19) & 0x1f) << 10) | (((w >>> 11) & 0x1f) << 5) | ((w >>> 3) & 0x1f));
      }
      break;
    case Op.vupkhpx:
    case Op.vupklpx:
      // Each 1/5/5/5 pixel of the high (low) half to a word: the first bit sign-extended to a
      // byte, the 5-bit fields zero-extended to bytes (VRT,VRB: A holds VRB).
      for (let i = 0; i < 4; i++) {
        const h = elem(A, 2, (op === Op.vupkhpx ? 0 : 4) + i);
        T[i] = ((h & 0x8000 ? 0xff : 0) << 24) | (((h >>> 10) & 0x1f) << 16) | (((h >>> 5) & 0x1f) << 8) | (h & 0x1f);
      }
      break;
    case Op.vpermxor:
      // Byte i: VRA's byte at VRC[i]'s high nibble xor VRB's byte at its low nibble (v2.07).
      read(cpu, v3, C);
      for (let i = 0; i < 16; i++) {
        const c = byteOf(C, i);
        setByte(T, i, byteOf(A, c >>> 4) ^ byteOf(B, c & 15));
      }
      break;
    case Op.vadduqm:
    case Op.vsubuqm: {
      // The registers as 128-bit integers, modulo 2^128 (v2.07): word by word from the least
      // significant, with the carry (subtraction: VRA + ~VRB + 1).
      const sub = op === Op.vsubuqm;
      let carry = sub ? 1 : 0;
      for (let i = 3; i >= 0; i--) {
        const w = (A[i]! >>> 0) + ((sub ? ~B[i]! : B[i]!) >>> 0) + carry;
        T[i] = w | 0;
        carry = w > 0xffffffff ? 1 : 0;
      }
      break;
    }
    case Op.vsl:
    case Op.vsr: {
      // The whole register shifted by VRB[125:127] bits (Book I 6.9.2; the ISA leaves the
      // result undefined unless every byte of VRB holds the same count).
      const sh = byteOf(B, 15) & 7;
      for (let i = 0; i < 4; i++) {
        if (sh === 0) T[i] = A[i]!;
        else if (op === Op.vsl) T[i] = (A[i]! << sh) | (i < 3 ? A[i + 1]! >>> (32 - sh) : 0);
        else T[i] = (A[i]! >>> sh) | (i > 0 ? A[i - 1]! << (32 - sh) : 0);
      }
      break;
    }
    case Op.vslo:
    case Op.vsro: {
      // Shifted by VRB[121:124] octets.
      const sh = (byteOf(B, 15) >>> 3) & 15;
      for (let i = 0; i < 16; i++) {
        const from = op === Op.vslo ? i + sh : i - sh;
        setByte(T, i, from >= 0 && from < 16 ? byteOf(A, from) : 0);
      }
      break;
    }
    case Op.vgbbd:
      // Each doubleword's 8x8 bit matrix transposed: bit k of byte j <- bit j of byte k (VRT,VRB: v1 is VRB).
      for (let d = 0; d < 2; d++)
        for (let j = 0; j < 8; j++) {
          let r = 0;
          for (let k = 0; k < 8; k++) r |= ((byteOf(A, 8 * d + k) >>> (7 - j)) & 1) << (7 - k);
          setByte(T, 8 * d + j, r);
        }
      break;
    case Op.vbpermq: {
      // Bit i of a 16-bit result <- bit VRB.byte[i] of VRA (0 when the index is >= 128), in doubleword 0's low bits.
      let r = 0;
      for (let i = 0; i < 16; i++) {
        const idx = byteOf(B, i);
        const bit = idx < 128 ? (byteOf(A, idx >> 3) >>> (7 - (idx & 7))) & 1 : 0;
        r = (r << 1) | bit;
      }
      T[0] = 0;
      T[1] = r;
      T[2] = T[3] = 0;
      break;
    }
    case Op.vmuloub:
    case Op.vmulouh:
    case Op.vmulouw:
    case Op.vmulosb:
    case Op.vmulosh:
    case Op.vmulosw:
    case Op.vmuleub:
    case Op.vmuleuh:
    case Op.vmuleuw:
    case Op.vmulesb:
    case Op.vmulesh:
    case Op.vmulesw: {
      // Products of the even (odd) elements, each a double-width element (Book I 6.9.1).
      const [size, signed, odd] = MUL_EVEN_ODD[op]!;
      const bits = 8 * size;
      for (let i = 0; i < 16 / (2 * size); i++) {
        let a = elem(A, size, 2 * i + odd);
        let b = elem(B, size, 2 * i + odd);
        if (signed) (a = sx(a, bits)), (b = sx(b, bits));
        if (size === 4) {
          // The 64-bit product of the (sign- or zero-extended) words.
          mul64lo(signed ? a >> 31 : 0, a, signed ? b >> 31 : 0, b);
          T[2 * i] = out.hi;
          T[2 * i + 1] = out.lo;
        } else setElem(T, 2 * size, i, a * b);
      }
      break;
    }
    case Op.vupkhsb:
    case Op.vupklsb:
    case Op.vupkhsh:
    case Op.vupklsh:
    case Op.vupkhsw:
    case Op.vupklsw: {
      // The high (low) half's elements sign-extended to double width (VRT,VRB: A holds VRB).
      const size = ELEMENT[op]!;
      const from = op === Op.vupkhsb || op === Op.vupkhsh || op === Op.vupkhsw ? 0 : 8 / size;
      for (let i = 0; i < 8 / size; i++) {
        const v = sx(elem(A, size, from + i), 8 * size);
        if (size === 4) (T[2 * i] = v >> 31), (T[2 * i + 1] = v);
        else setElem(T, 2 * size, i, v);
      }
      break;
    }
    case Op.vmladduhm:
      read(cpu, v3, C);
      for (let i = 0; i < 8; i++) setElem(T, 2, i, Math.imul(elem(A, 2, i), elem(B, 2, i)) + elem(C, 2, i));
      break;
    case Op.vmsumuhs:
    case Op.vmsumshs: {
      // As vmsumuhm/vmsumshm, the word sums saturated (unsigned / signed) with VSCR[SAT].
      read(cpu, v3, C);
      const signed = op === Op.vmsumshs;
      saturated = false;
      for (let i = 0; i < 4; i++) {
        let sum = signed ? C[i]! : C[i]! >>> 0;
        for (let j = 0; j < 2; j++) {
          const x = elem(A, 2, 2 * i + j);
          const y = elem(B, 2, 2 * i + j);
          sum += signed ? sx(x, 16) * sx(y, 16) : x * y;
        }
        T[i] = saturate(sum, signed ? -2147483648 : 0, signed ? 2147483647 : 4294967295) | 0;
      }
      if (saturated) cpu.vscr |= VSCR_SAT;
      break;
    }
    case Op.vmsumubm:
    case Op.vmsummbm:
    case Op.vmsumuhm:
    case Op.vmsumshm: {
      // Each word of VRC plus the products of the word's bytes (halfwords) of VRA and VRB, modulo 2^32.
      read(cpu, v3, C);
      const size = ELEMENT[op]!;
      for (let i = 0; i < 4; i++) {
        let sum = C[i]! >>> 0;
        for (let j = 0; j < 4 / size; j++) {
          const k = (4 / size) * i + j;
          const a = op === Op.vmsummbm ? sx(elem(A, 1, k), 8) : op === Op.vmsumshm ? sx(elem(A, 2, k), 16) : elem(A, size, k);
          const b = op === Op.vmsumshm ? sx(elem(B, 2, k), 16) : elem(B, size, k);
          sum += a * b;
        }
        T[i] = sum | 0; // |sum| < 2^35: ToInt32 takes it modulo 2^32 exactly
      }
      break;
    }
    case Op.xxperm:
    case Op.xxpermr: {
      // Bytes of XA || XT (the target's old value) chosen by XB's bytes (v3.0B), xxpermr counting from the right.
      Q.set(A, 0);
      read(cpu, v0, C);
      Q.set(C, 4);
      for (let i = 0; i < 16; i++) {
        const idx = byteOf(B, i) & 31;
        setByte(T, i, byteOf(Q, op === Op.xxperm ? idx : 31 - idx));
      }
      break;
    }
    case Op.vsumsws:
    case Op.vsum2sws:
    case Op.vsum4ubs:
    case Op.vsum4sbs:
    case Op.vsum4shs: {
      // Sums across elements, saturated to a word, VSCR[SAT] when saturating (Book I 6.9.1.x).
      saturated = false;
      const S32: [number, number] = [-(2 ** 31), 2 ** 31 - 1];
      if (op === Op.vsumsws) {
        T[0] = T[1] = T[2] = 0;
        T[3] = saturate((A[0]! + A[1]! + A[2]! + A[3]!) + B[3]!, ...S32);
      } else if (op === Op.vsum2sws) {
        T[0] = T[2] = 0;
        T[1] = saturate(A[0]! + A[1]! + B[1]!, ...S32);
        T[3] = saturate(A[2]! + A[3]! + B[3]!, ...S32);
      } else
        for (let i = 0; i < 4; i++) {
          let sum = op === Op.vsum4ubs ? B[i]! >>> 0 : B[i]!;
          if (op === Op.vsum4shs) sum += sx(elem(A, 2, 2 * i), 16) + sx(elem(A, 2, 2 * i + 1), 16);
          else for (let k = 0; k < 4; k++) sum += op === Op.vsum4ubs ? byteOf(A, 4 * i + k) : sx(byteOf(A, 4 * i + k), 8);
          T[i] = op === Op.vsum4ubs ? saturate(sum, 0, 2 ** 32 - 1) | 0 : saturate(sum, ...S32);
        }
      if (saturated) cpu.vscr |= VSCR_SAT;
      break;
    }
    case Op.mfvscr:
      T[0] = T[1] = T[2] = 0;
      T[3] = cpu.vscr;
      break;
    case Op.mtvscr:
      cpu.vscr = cpu.vsr[(v0 << 2) | 3]! & 0x10001; // VRB is operand 0: NJ and SAT, the defined bits
      return;
    default:
      throw new Error(`internal: execVector of op ${op}`);
  }
  write(cpu, v0, T);
}
