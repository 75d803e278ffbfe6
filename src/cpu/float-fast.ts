// The host-double fast path of the basic floating-point arithmetic: add, subtract, multiply,
// divide, square root and the fused multiply-adds (Book I 4.6.5-4.6.6 and the VSX forms of
// 7.6), in double or single precision, under FPSCR[RN] = 0 (round to nearest even, which is
// what the host's IEEE 754 binary64 operations do). It gives the same result, FR and FI as
// float-arith.ts's exact BigInt path, or declines (returns false) and that path runs: outside
// RN = 0, for NaN and infinity operands, and wherever a result or an intermediate could be
// tiny or overflow (underflow and overflow are the exact path's; the bounds below leave a
// wide margin). test/cpu/float-fast.test.ts checks it against the exact path.
//
// FI and FR need the sign of (exact result - rounded result). Error-free transformations give
// it without BigInt:
// - Knuth's TwoSum: a + b = s + e exactly, with s = RN(a + b) (Knuth, TAOCP vol. 2, 4.2.2,
//   Theorem B); exact whenever nothing overflows.
// - Dekker's TwoProduct with Veltkamp's splitting: a * b = p + e exactly (Dekker, "A
//   floating-point technique for extending the available precision", Numer. Math. 18, 1971),
//   exact when the split does not overflow and e is not below the denormal range.
// - The remainder of a correctly rounded quotient q = RN(a / b) or root r = RN(sqrt(x)),
//   a - q*b and x - r*r, is a double (Boldo and Daumas, "Representable correcting terms for
//   possibly underflowing floating point operations", ARITH 2003), computed exactly from
//   TwoProduct; its sign is the sign of the rounding error.
// - The fused multiply-add RN(a*c + b) through rounding to odd (Boldo and Melquiond,
//   "Emulation of FMA and correctly-rounded sums: proved algorithms using rounding to odd",
//   IEEE Trans. Computers 57(4), 2008, Algorithm 5.4), and its error's sign from the exact
//   sum a*c + b - r kept as a nonoverlapping expansion (Shewchuk, "Adaptive precision
//   floating-point arithmetic and fast robust geometric predicates", DCG 18, 1997: Grow-
//   Expansion; an expansion's sign is its largest component's).
// Single-precision results are the double result rounded again with Math.fround: rounding
// twice, from the exact value to 53 bits and then to 24, equals rounding once for + - * / and
// sqrt of single operands (Figueroa, "When is double rounding innocuous?", SIGNUM Newsletter
// 30(3), 1995: p >= 2q + 2). Operands that are not singles, and the fused forms in single
// precision (whose exact product needs 48 bits and sum more), take the exact path.

import type { Arith } from './float-arith.js';

/** What the fast path produced: the result, and FR and FI as Book I 4.3.6 defines them. */
export const FAST = { value: 0, fr: false, fi: false };

const SPLIT = 134217729; // 2^27 + 1, Veltkamp's splitter for 53-bit significands
/** Operands above this could overflow the split (|x| * SPLIT); 2^990. */
const BIG = 2 ** 990;
/** Products and quotients at least this large keep every error term above the denormal range; 2^-960. */
const SMALL = 2 ** -960;
const MIN_NORMAL = 2 ** -1022;
const MIN_NORMAL_SINGLE = 2 ** -126;

// The error terms of the last twoSum/twoProduct (module state, so no allocation per operation).
let err = 0;

/** s = RN(a + b); err = a + b - s exactly (TwoSum). */
function twoSum(a: number, b: number): number {
  const s = a + b;
  const bb = s - a;
  err = a - (s - bb) + (b - bb);
  return s;
}

/** p = RN(a * b); err = a * b - p exactly (TwoProduct), within the bounds checked by the callers. */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  err = al * bl - (p - ah * bh - al * bh - ah * bl);
  return p;
}

const view = new DataView(new ArrayBuffer(8));

/** The double image of x as its two 32-bit words (high first), in HI and LO. */
export let HI = 0;
export let LO = 0;
export function imageOf(x: number): void {
  view.setFloat64(0, x);
  HI = view.getInt32(0);
  LO = view.getInt32(4);
}

/** The double an FPR image (hi, lo) holds. */
export function hostDouble(hi: number, lo: number): number {
  view.setInt32(0, hi);
  view.setInt32(4, lo);
  return view.getFloat64(0);
}

/** The single a word holds, as a host double (exact). */
export function hostSingle(word: number): number {
  view.setInt32(0, word);
  return view.getFloat32(0);
}

/** The single-format word of x, which must be a single value (its conversion is exact). */
export function singleImage(x: number): number {
  view.setFloat32(0, x);
  return view.getInt32(0);
}

/** x + y rounded to odd (the nearest double whose last significand bit is 1 when inexact). */
function addRoundToOdd(x: number, y: number): number {
  const s = twoSum(x, y);
  if (err === 0) return s;
  view.setFloat64(0, s);
  if ((view.getInt32(4) & 1) !== 0) return s;
  // s is even and inexact: the odd neighbour on the side of the exact value (one step of
  // the integer image, toward or away from zero).
  const away = (err > 0) === (s > 0);
  const lo = view.getUint32(4);
  let hi = view.getInt32(0);
  const next = away ? lo + 1 : lo - 1;
  if (next > 0xffffffff) hi += 1;
  else if (next < 0) hi -= 1;
  view.setInt32(0, hi);
  view.setUint32(4, next >>> 0);
  return view.getFloat64(0);
}

// Grow-Expansion over at most four components, smallest first (Shewchuk's Figure 6).
const expansion = new Float64Array(5);
let expLength = 0;
function grow(b: number): void {
  let q = b;
  for (let i = 0; i < expLength; i++) {
    q = twoSum(q, expansion[i]!);
    expansion[i] = err;
  }
  expansion[expLength++] = q;
}
/** The sign of the expansion's exact sum: that of its largest nonzero component. */
function expansionSign(): number {
  for (let i = expLength - 1; i >= 0; i--) if (expansion[i] !== 0) return Math.sign(expansion[i]!);
  return 0;
}

/**
 * FAST from r, the double result, rounded again to single when asked, and errSign, the sign
 * of (exact - r); false to decline a result the exact path must give (tiny, or a single that
 * overflows).
 */
function finish(r: number, errSign: number, single: boolean): boolean {
  let s = r;
  let dir = -errSign; // sign of (result - exact)
  if (single) {
    s = Math.fround(r);
    if (!Number.isFinite(s)) return false;
    // s - r is exact (Sterbenz); a nonzero one is at least an ulp of r, larger than r's error.
    const d = s - r;
    if (d !== 0) dir = Math.sign(d);
    if (s === 0 ? r !== 0 : Math.abs(s) <= MIN_NORMAL_SINGLE) return false;
  } else if (r !== 0 && Math.abs(r) <= MIN_NORMAL) return false;
  FAST.value = s;
  FAST.fi = dir !== 0;
  FAST.fr = s > 0 ? dir > 0 : dir < 0;
  return true;
}

/**
 * RN(op) into FAST, or false when this path does not apply. Operands as float-arith's
 * arith(): add/sub a, b; mul a, c; div a / b; sqrt b; madd/msub a * c +/- b.
 */
export function fastArith(op: Arith, a: number, b: number, c: number, single: boolean, fpscr: number): boolean {
  if ((fpscr & 3) !== 0) return false;
  if (single && (Math.fround(a) !== a || Math.fround(b) !== b || Math.fround(c) !== c)) return false;
  switch (op) {
    case 'add':
    case 'sub': {
      const y = op === 'sub' ? -b : b;
      if (!(Math.abs(a) <= BIG && Math.abs(y) <= BIG)) return false; // also NaN, infinity
      const s = twoSum(a, y);
      return finish(s, Math.sign(err), single);
    }
    case 'mul': {
      if (!(Math.abs(a) <= BIG && Math.abs(c) <= BIG)) return false;
      const p = twoProduct(a, c);
      if (p === 0) return a === 0 || c === 0 ? finish(p, 0, single) : false;
      if (!(Math.abs(p) >= SMALL && Math.abs(p) <= BIG)) return false;
      return finish(p, Math.sign(err), single);
    }
    case 'div': {
      if (!(Math.abs(a) <= BIG && Math.abs(b) <= BIG) || b === 0) return false;
      const q = a / b;
      if (a === 0) return finish(q, 0, single);
      if (!(Math.abs(a) >= SMALL && Math.abs(q) <= BIG && Math.abs(q) > MIN_NORMAL)) return false;
      // a - q*b exactly: a - p is exact (Sterbenz: p is within an ulp of a), and the remainder is a double.
      const p = twoProduct(q, b);
      const rem = a - p - err;
      // exact - q = rem / b.
      return finish(q, Math.sign(rem) * Math.sign(b), single);
    }
    case 'sqrt': {
      if (b === 0) return finish(b, 0, single); // sqrt(-0) = -0
      if (!(b >= SMALL && b <= BIG)) return false; // negative, NaN, infinity, tiny
      const r = Math.sqrt(b);
      const p = twoProduct(r, r);
      const rem = b - p - err;
      return finish(r, Math.sign(rem), single);
    }
    case 'madd':
    case 'msub': {
      if (single) return false;
      const addend = op === 'msub' ? -b : b;
      if (!(Math.abs(a) <= BIG && Math.abs(c) <= BIG && Math.abs(addend) <= BIG)) return false;
      const uh = twoProduct(a, c);
      const ul = err;
      if (uh === 0 && a !== 0 && c !== 0) return false;
      if (uh !== 0 && !(Math.abs(uh) >= SMALL && Math.abs(uh) <= BIG)) return false;
      if (addend !== 0 && Math.abs(addend) < SMALL) return false;
      if (uh === 0) return finish(addend === 0 ? uh + addend : addend, 0, false); // the exact zero product's sum
      const th = twoSum(addend, uh);
      const tl = err;
      const r = th + addRoundToOdd(tl, ul);
      if (!Number.isFinite(r)) return false;
      // exact - r = uh + ul + addend - r, summed exactly.
      expLength = 0;
      grow(ul);
      grow(uh);
      grow(addend);
      grow(-r);
      return finish(r, expansionSign(), false);
    }
  }
}

/** What the integer fast paths produced: a 64-bit image (hi, lo words), FR and FI. */
export const FAST_INT = { hi: 0, lo: 0, fr: false, fi: false };

const TWO32 = 4294967296;

/** x rounded to an integer, ties to even (Math.round breaks ties upward); -0 stays -0. */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * fctiw[z] / fctid[z] / fctiwu[z] / fctidu[z] and the VSX conversions to integer (Book I
 * 4.6.7; float-arith.ts toInteger): x rounded to an integer by RN (or toward zero), when it
 * is finite, fits the target without saturating and is below 2^53 in magnitude (so the host
 * holds it exactly). The image is the 64-bit two's complement of the result (a word form's
 * high word is then its sign extension, or 0 when unsigned, as the exact path gives it).
 */
export function fastToInteger(x: number, bits: 32 | 64, unsigned: boolean, truncate: boolean, fpscr: number): boolean {
  if (!(Math.abs(x) < 2 ** 53)) return false; // NaN, infinities, huge
  let r: number;
  const rn = truncate ? 1 : fpscr & 3;
  if (rn === 1) r = Math.trunc(x);
  else if (rn === 2) r = Math.ceil(x);
  else if (rn === 3) r = Math.floor(x);
  else r = roundHalfEven(x);
  if (r === 0) r = 0; // -0 is the integer 0
  const max = unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  const min = unsigned ? 0 : -(2 ** (bits - 1));
  if (r > max || r < min) return false; // saturation (VXCVI): the exact path
  const hi = Math.floor(r / TWO32);
  FAST_INT.hi = hi | 0;
  FAST_INT.lo = (r - hi * TWO32) | 0;
  FAST_INT.fi = r !== x;
  FAST_INT.fr = Math.abs(r) > Math.abs(x);
  return true;
}

/**
 * fcfid[u][s] and the VSX conversions from a 64-bit integer (4.6.7; fromInteger): the integer
 * in (hi, lo), signed or not, rounded by RN = 0 to double (or single). hi * 2^32 and lo are
 * doubles exactly, so their host sum is the correctly rounded value; a single result is taken
 * only when that double is exact (then Math.fround rounds once).
 */
export function fastFromInteger(hi: number, lo: number, unsigned: boolean, single: boolean, fpscr: number): boolean {
  if ((fpscr & 3) !== 0) return false;
  const h = (unsigned ? hi >>> 0 : hi | 0) * TWO32;
  const l = lo >>> 0;
  const r = twoSum(h, l);
  if (single && err !== 0) return false;
  return finish(r, Math.sign(err), single);
}

/**
 * frsp, xsrsp, xscvdpsp, xvcvdpsp's elements (4.6.7; roundToSingle): x rounded to single by
 * RN = 0, Math.fround's rounding, for finite x whose single is normal (or an exact zero).
 */
export function fastRoundToSingle(x: number, fpscr: number): boolean {
  if ((fpscr & 3) !== 0 || !Number.isFinite(x)) return false;
  return finish(x, 0, true);
}
