// Floating-point arithmetic, bit for bit as Power ISA v3.0B Book I chapter 4 defines it: each
// result is computed exactly (operands unpacked to integer significand and exponent, BigInt
// arithmetic), then rounded once to the target format under FPSCR[RN] (4.3.6), with the
// FPSCR's exception, FR/FI and FPRF bits set as 4.4 says. No host floating point is used, so
// single precision, fused multiply-add, the four rounding modes, denormals, NaN payloads and
// FR/FI come out as the ISA says, not as the host's double arithmetic would give them.
//
// FPSCR bits are numbered as the 32-bit word the ISA's bits 32:63 form (FX = bit 32 = 0x80000000).

/** FPSCR fields (Book I 4.2.2). */
export const FX = 0x80000000;
export const FEX = 0x40000000;
export const VX = 0x20000000;
export const OX = 0x10000000;
export const UX = 0x08000000;
export const ZX = 0x04000000;
export const XX = 0x02000000;
export const VXSNAN = 0x01000000;
export const VXISI = 0x00800000;
export const VXIDI = 0x00400000;
export const VXZDZ = 0x00200000;
export const VXIMZ = 0x00100000;
export const VXVC = 0x00080000;
export const FR = 0x00040000;
export const FI = 0x00020000;
export const FPRF = 0x0001f000;
export const FPCC = 0x0000f000;
export const VXSOFT = 0x00000400;
export const VXSQRT = 0x00000200;
export const VXCVI = 0x00000100;
/** The exception bits mcrfs clears when it copies them (4.6.10): all but the summaries FEX and VX. */
export const CLEARED_BY_MCRFS = FX | OX | UX | ZX | XX | VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
export const VE = 0x80;
export const OE = 0x40;
export const UE = 0x20;
export const ZE = 0x10;
export const XE = 0x08;
/** NI and RN (bits 61, 62:63); the enables together; the control bits mffscrn returns. */
export const NI = 0x04;
export const RN = 0x03;
export const ENABLES = VE | OE | UE | ZE | XE;
export const CONTROLS = ENABLES | NI | RN;
const RESERVED_52 = 0x800;
const ALL_VX = VXSNAN | VXISI | VXIDI | VXZDZ | VXIMZ | VXVC | VXSOFT | VXSQRT | VXCVI;
/** Exception bits whose 0 -> 1 transition sets FX (4.2.2: FX "set ... whenever an exception bit changes from 0 to 1"). */
const EXCEPTIONS = OX | UX | ZX | XX | ALL_VX;

/** FPRF codes, C || FPCC (Book I 4.2.2, Figure "Floating-Point Result Flags"). */
const FPRF_QNAN = 0x11;
const FPRF_INF = [0x05, 0x09]; // +, -
const FPRF_NORMAL = [0x04, 0x08];
const FPRF_DENORMAL = [0x14, 0x18];
const FPRF_ZERO = [0x02, 0x12];

interface Format {
  readonly p: number; // significand bits
  readonly emin: number;
  readonly emax: number;
  /** Exponent adjustment of an enabled overflow or underflow (4.4.4, 4.4.5): 1536 double, 192 single. */
  readonly adjust: number;
}
export const DOUBLE: Format = { p: 53, emin: -1022, emax: 1023, adjust: 1536 };
export const SINGLE: Format = { p: 24, emin: -126, emax: 127, adjust: 192 };

export type Kind = 'zero' | 'finite' | 'inf' | 'qnan' | 'snan';
/** A double image's value: finite ones are (-1)^sign * mant * 2^exp exactly. */
export interface Unpacked {
  readonly kind: Kind;
  readonly sign: 0 | 1;
  readonly mant: bigint;
  readonly exp: number;
}

const M52 = (1n << 52n) - 1n;
const QUIET = 1n << 51n;
const SIGN = 1n << 63n;
export const DEFAULT_QNAN = 0x7ff8000000000000n;

export function unpack(bits: bigint): Unpacked {
  const sign = Number(bits >> 63n) as 0 | 1;
  const e = Number((bits >> 52n) & 0x7ffn);
  const f = bits & M52;
  if (e === 0x7ff) return { kind: f === 0n ? 'inf' : f & QUIET ? 'qnan' : 'snan', sign, mant: f, exp: 0 };
  if (e === 0) return f === 0n ? { kind: 'zero', sign, mant: 0n, exp: 0 } : { kind: 'finite', sign, mant: f, exp: -1074 };
  return { kind: 'finite', sign, mant: f | (1n << 52n), exp: e - 1075 };
}

const bitLength = (m: bigint): number => m.toString(2).length;

/** The double image of (-1)^sign * q * 2^e, which the caller knows the double format holds. */
function packExact(sign: number, q: bigint, e: number): bigint {
  const s = BigInt(sign) << 63n;
  if (q === 0n) return s;
  const top = e + bitLength(q) - 1;
  if (top < -1022) return s | (q << BigInt(e + 1074)); // denormal
  const norm = e - (top - 52) >= 0 ? q << BigInt(52 - (top - e)) : q >> BigInt(top - e - 52);
  return s | (BigInt(top + 1023) << 52n) | (norm & M52);
}

const infinity = (sign: number): bigint => (BigInt(sign) << 63n) | (0x7ffn << 52n);

/** What an operation leaves: the FPSCR bits it raises, its FR/FI, and its result (null: FRT unchanged). */
export interface FpResult {
  raised: number;
  fr: boolean;
  fi: boolean;
  bits: bigint | null;
  /** FPRF of the result, or null to leave FPRF as it was. */
  fprf: number | null;
}

/** FPRF (Book I 4.2.2, Figure "Floating-Point Result Flags") of a double-format result. */
export function fprfOf(bits: bigint): number {
  const u = unpack(bits);
  if (u.kind === 'qnan' || u.kind === 'snan') return FPRF_QNAN;
  if (u.kind === 'inf') return FPRF_INF[u.sign]!;
  if (u.kind === 'zero') return FPRF_ZERO[u.sign]!;
  return u.exp === -1074 && u.mant < 1n << 52n ? FPRF_DENORMAL[u.sign]! : FPRF_NORMAL[u.sign]!;
}

/** How a rounding step breaks the tie: RN's four modes (0-3), or 4 for frin's ties away from zero. */
type Mode = 0 | 1 | 2 | 3 | 4;

/**
 * The significand `mant` with its `shift` low bits dropped (and a nonzero part below them when
 * `sticky`), rounded by `mode` (4.3.6): the kept bits, whether the dropped part was nonzero,
 * and whether rounding incremented the kept bits (FR).
 */
function dropBits(sign: 0 | 1, mant: bigint, shift: number, sticky: boolean, mode: Mode): { q: bigint; inexact: boolean; up: boolean } {
  if (shift <= 0) return { q: mant << BigInt(-shift), inexact: sticky, up: false };
  const s = BigInt(shift);
  const q = mant >> s;
  const rem = mant & ((1n << s) - 1n);
  const half = 1n << (s - 1n);
  const inexact = sticky || rem !== 0n;
  let up = false;
  if (mode === 0) up = rem > half || (rem === half && (sticky || (q & 1n) === 1n));
  else if (mode === 4) up = rem >= half;
  else if (mode === 2) up = inexact && sign === 0;
  else if (mode === 3) up = inexact && sign === 1;
  return { q: up ? q + 1n : q, inexact, up };
}

/**
 * Rounds the exact value (-1)^sign * mant * 2^exp (plus a nonzero part below mant's last bit
 * when `sticky`) to `fmt` under rounding mode `rn` (0 nearest-even, 1 toward zero, 2 toward
 * +infinity, 3 toward -infinity), with overflow and underflow as 4.3.6 and 4.4.4-4.4.5 define
 * them: tininess is detected before rounding; a disabled underflow is signalled only when the
 * result is also inexact; an enabled one delivers the significand rounded with the exponent
 * raised by 1536 (192 single), as an enabled overflow lowers it.
 */
export function round(sign: 0 | 1, mant: bigint, exp: number, sticky: boolean, fmt: Format, fpscr: number): FpResult {
  if (mant === 0n && !sticky) return { raised: 0, fr: false, fi: false, bits: BigInt(sign) << 63n, fprf: FPRF_ZERO[sign]! };
  if (mant === 0n) {
    // Only possible for a quotient or root below the guard bits; callers always leave bits.
    throw new Error('round: sticky without significand');
  }
  const top = exp + bitLength(mant) - 1;
  const tiny = top < fmt.emin;
  const underflowTrap = tiny && (fpscr & UE) !== 0;
  // The last bit kept: p bits below the top, or the denormal boundary when tiny (not when an
  // enabled underflow asks for the full significand).
  let lsb = top - (fmt.p - 1);
  if (tiny && !underflowTrap) lsb = fmt.emin - (fmt.p - 1);
  const rn = (fpscr & 3) as Mode;
  const { inexact, up, q: rounded } = dropBits(sign, mant, lsb - exp, sticky, rn);
  let q = rounded;
  if (q === 1n << BigInt(fmt.p)) {
    // The increment carried out of the significand: one bit fewer, one exponent more.
    q >>= 1n;
    lsb += 1;
  }
  let raised = inexact ? XX : 0;
  const newTop = lsb + bitLength(q) - 1;
  if (newTop > fmt.emax) {
    if (fpscr & OE) {
      // Enabled overflow: the rounded significand, exponent lowered by `adjust`; FPRF says normal (4.4.4).
      return { raised: raised | OX, fr: up, fi: inexact, bits: packExact(sign, q, lsb - fmt.adjust), fprf: FPRF_NORMAL[sign]! };
    }
    // Disabled: infinity or the largest finite number, by rounding mode (4.4.4); inexact.
    const toInf = rn === 0 || (rn === 2 && sign === 0) || (rn === 3 && sign === 1);
    const max = packExact(sign, (1n << BigInt(fmt.p)) - 1n, fmt.emax - fmt.p + 1);
    const bits = toInf ? infinity(sign) : max;
    return { raised: OX | XX, fr: !toInf ? false : true, fi: true, bits, fprf: fprfOf(bits) };
  }
  if (underflowTrap) {
    // Enabled underflow: exponent raised by `adjust`, signalled whether or not inexact (4.4.5).
    const bits = packExact(sign, q, lsb + fmt.adjust);
    return { raised: raised | UX, fr: up, fi: inexact, bits, fprf: FPRF_NORMAL[sign]! };
  }
  if (tiny && inexact) raised |= UX;
  const bits = packExact(sign, q, lsb);
  // The class is the target format's: a single-precision denormal is one in the double image too.
  const fprf = q === 0n ? FPRF_ZERO[sign]! : newTop < fmt.emin ? FPRF_DENORMAL[sign]! : FPRF_NORMAL[sign]!;
  return { raised, fr: up, fi: inexact, bits, fprf };
}

/** A NaN operand's value as a result: quieted (4.3.2: an SNaN operand's result is it with bit 12 set). */
const quiet = (bits: bigint): bigint => bits | QUIET;

/** The result of an operation with NaN operands, in the ISA's precedence: FRA, then FRB, then FRC. */
function nanResult(ops: readonly bigint[]): FpResult | null {
  let raised = 0;
  for (const x of ops) if (unpack(x).kind === 'snan') raised |= VXSNAN;
  for (const x of ops) {
    const k = unpack(x).kind;
    if (k === 'qnan' || k === 'snan') return { raised, fr: false, fi: false, bits: quiet(x), fprf: FPRF_QNAN };
  }
  return null;
}

const invalid = (bit: number): FpResult => ({ raised: bit, fr: false, fi: false, bits: DEFAULT_QNAN, fprf: FPRF_QNAN });

/** Exact sum of two finite-or-zero values: [sign, mant, exp]. */
function exactAdd(a: Unpacked, b: Unpacked): [0 | 1, bigint, number] {
  const e = Math.min(a.exp, b.exp);
  const ma = (a.kind === 'zero' ? 0n : a.mant << BigInt(a.exp - e)) * (a.sign ? -1n : 1n);
  const mb = (b.kind === 'zero' ? 0n : b.mant << BigInt(b.exp - e)) * (b.sign ? -1n : 1n);
  const s = ma + mb;
  return [s < 0n ? 1 : 0, s < 0n ? -s : s, e];
}

/** The sign of an exact zero sum (4.3.6 "Sign of result"): the operands' sign when they agree, else + (- when rounding toward -infinity). */
const zeroSumSign = (sa: number, sb: number, fpscr: number): 0 | 1 => (sa === sb ? (sa as 0 | 1) : (fpscr & 3) === 3 ? 1 : 0);

export type Arith = 'add' | 'sub' | 'mul' | 'div' | 'sqrt' | 'madd' | 'msub';

/**
 * fadd/fsub/fmul/fdiv/fsqrt/fmadd/fmsub (and their single forms with fmt = SINGLE): the exact
 * result rounded once. `negate` (fnmadd, fnmsub) negates the rounded result, except a NaN
 * (Book I 4.6.6: "QNaNs propagate with no effect on their sign bit").
 */
export function arith(op: Arith, a: bigint, b: bigint, c: bigint, fmt: Format, fpscr: number, negate = false): FpResult {
  const ops = op === 'sqrt' ? [b] : op === 'mul' ? [a, c] : op === 'madd' || op === 'msub' ? [a, b, c] : [a, b];
  const nan = nanResult(ops);
  if (nan && (op === 'madd' || op === 'msub')) {
    // Infinity times zero is an invalid operation even when FRB is a NaN (QEMU's Power rule;
    // the ISA lists VXIMZ for the product without excepting a NaN addend).
    const x = unpack(a).kind;
    const y = unpack(c).kind;
    if ((x === 'inf' && y === 'zero') || (x === 'zero' && y === 'inf')) nan.raised |= VXIMZ;
  }
  const r = nan ?? arithValue(op, unpack(a), unpack(b), unpack(c), fmt, fpscr);
  if (r.bits !== null && fmt === SINGLE) {
    const k = unpack(r.bits).kind;
    if (k === 'qnan') r.bits &= ~((1n << 29n) - 1n); // a NaN result in single format (4.6.2's conversion keeps FRB[0:34])
  }
  if (negate && r.bits !== null && unpack(r.bits).kind !== 'qnan') {
    r.bits ^= SIGN;
    if (r.fprf !== null) r.fprf = fprfOf(r.bits);
  }
  return r;
}

function arithValue(op: Arith, a: Unpacked, b: Unpacked, c: Unpacked, fmt: Format, fpscr: number): FpResult {
  const inf = (sign: number): FpResult => ({ raised: 0, fr: false, fi: false, bits: infinity(sign), fprf: FPRF_INF[sign]! });
  const zero = (sign: number): FpResult => ({ raised: 0, fr: false, fi: false, bits: BigInt(sign) << 63n, fprf: FPRF_ZERO[sign]! });
  const sum = (x: Unpacked, y: Unpacked): FpResult => {
    if (x.kind === 'inf' && y.kind === 'inf') return x.sign === y.sign ? inf(x.sign) : invalid(VXISI);
    if (x.kind === 'inf') return inf(x.sign);
    if (y.kind === 'inf') return inf(y.sign);
    const [s, m, e] = exactAdd(x, y);
    if (m === 0n) return zero(x.kind === 'zero' && y.kind === 'zero' ? zeroSumSign(x.sign, y.sign, fpscr) : zeroSumSign(0, 1, fpscr));
    return round(s, m, e, false, fmt, fpscr);
  };
  const neg = (x: Unpacked): Unpacked => ({ ...x, sign: (x.sign ^ 1) as 0 | 1 });
  switch (op) {
    case 'add':
      return sum(a, b);
    case 'sub':
      return sum(a, neg(b));
    case 'mul':
    case 'madd':
    case 'msub': {
      // The product exactly, then (for the fused forms) the exact sum with FRB.
      const ps = (a.sign ^ c.sign) as 0 | 1;
      let prod: Unpacked;
      if ((a.kind === 'inf' && c.kind === 'zero') || (a.kind === 'zero' && c.kind === 'inf')) return invalid(VXIMZ);
      if (a.kind === 'inf' || c.kind === 'inf') prod = { kind: 'inf', sign: ps, mant: 0n, exp: 0 };
      else if (a.kind === 'zero' || c.kind === 'zero') prod = { kind: 'zero', sign: ps, mant: 0n, exp: 0 };
      else prod = { kind: 'finite', sign: ps, mant: a.mant * c.mant, exp: a.exp + c.exp };
      if (op === 'mul') {
        if (prod.kind === 'inf') return inf(ps);
        if (prod.kind === 'zero') return zero(ps);
        return round(ps, prod.mant, prod.exp, false, fmt, fpscr);
      }
      return sum(prod, op === 'madd' ? b : neg(b));
    }
    case 'div': {
      const s = (a.sign ^ b.sign) as 0 | 1;
      if (a.kind === 'inf' && b.kind === 'inf') return invalid(VXIDI);
      if (a.kind === 'zero' && b.kind === 'zero') return invalid(VXZDZ);
      if (a.kind === 'inf') return inf(s);
      if (b.kind === 'inf') return zero(s);
      if (a.kind === 'zero') return zero(s);
      if (b.kind === 'zero') return { raised: ZX, fr: false, fi: false, bits: infinity(s), fprf: FPRF_INF[s]! };
      // Enough quotient bits for the significand, a guard bit and a round bit; the remainder is the sticky bit.
      const k = Math.max(0, fmt.p + 3 + bitLength(b.mant) - bitLength(a.mant));
      const n = a.mant << BigInt(k);
      return round(s, n / b.mant, a.exp - b.exp - k, n % b.mant !== 0n, fmt, fpscr);
    }
    case 'sqrt': {
      if (b.kind === 'zero') return zero(b.sign); // sqrt(-0) = -0
      if (b.sign === 1) return { ...invalid(VXSQRT) };
      if (b.kind === 'inf') return inf(0);
      // sqrt(m * 2^e) = sqrt(m * 2^(2j)) * 2^((e - 2j)/2) with e - 2j even and enough bits.
      let shift = 2 * (fmt.p + 3) - bitLength(b.mant) + 2;
      if (shift < 0) shift = 0;
      if ((b.exp - shift) % 2 !== 0) shift++;
      const n = b.mant << BigInt(shift);
      const r = isqrt(n);
      return round(0, r, (b.exp - shift) / 2, r * r !== n, fmt, fpscr);
    }
  }
}

function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** frsp (4.6.7): FRB rounded to single precision. */
export function roundToSingle(b: bigint, fpscr: number): FpResult {
  const u = unpack(b);
  if (u.kind === 'snan' || u.kind === 'qnan') {
    return { raised: u.kind === 'snan' ? VXSNAN : 0, fr: false, fi: false, bits: quiet(b) & ~((1n << 29n) - 1n), fprf: FPRF_QNAN };
  }
  if (u.kind === 'inf') return { raised: 0, fr: false, fi: false, bits: b, fprf: FPRF_INF[u.sign]! };
  if (u.kind === 'zero') return { raised: 0, fr: false, fi: false, bits: b, fprf: FPRF_ZERO[u.sign]! };
  return round(u.sign, u.mant, u.exp, false, SINGLE, fpscr);
}

/**
 * fctiw[z], fctid[z], fctiwu[z], fctidu[z] (4.6.7): FRB rounded to an integer (by RN, or toward
 * zero), saturated at the target's range with VXCVI when it does not fit or is a NaN.
 * FPRF is undefined there; it is left as it was. The word forms leave the high word undefined:
 * here it is the word's sign extension (signed forms; 0 for the NaN result) or 0 (unsigned), as QEMU gives it.
 */
export function toInteger(b: bigint, bits: 32 | 64, unsigned: boolean, truncate: boolean, fpscr: number): FpResult {
  const u = unpack(b);
  const max = unsigned ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const min = unsigned ? 0n : -(1n << BigInt(bits - 1));
  const mask = (1n << BigInt(bits)) - 1n;
  const image = (v: bigint) => (unsigned ? v & mask : BigInt.asUintN(64, v));
  const sat = (v: bigint, extra = 0): FpResult => ({ raised: VXCVI | extra, fr: false, fi: false, bits: image(v), fprf: null });
  if (u.kind === 'snan' || u.kind === 'qnan') return { ...sat(0n, u.kind === 'snan' ? VXSNAN : 0), bits: min & mask };
  if (u.kind === 'inf') return sat(u.sign ? min : max);
  if (u.kind === 'zero') return { raised: 0, fr: false, fi: false, bits: 0n, fprf: null };
  // Round to an integer: the last kept bit has weight 2^0.
  const { q, inexact, up } = dropBits(u.sign, u.mant, -u.exp, false, truncate ? 1 : ((fpscr & 3) as Mode));
  const v = u.sign ? -q : q;
  if (v > max) return sat(max);
  if (v < min) return sat(min);
  return { raised: inexact ? XX : 0, fr: up, fi: inexact, bits: image(v), fprf: null };
}

/**
 * frin / friz / frip / frim (4.6.7 "Floating Round to Integer"): FRB rounded to an integral
 * value in double format, to nearest with ties away from zero, toward zero, +infinity or
 * -infinity (`mode` 0-3), whatever RN says. FR and FI are cleared and XX is never set: the
 * instructions do not report inexactness. A zero result keeps FRB's sign.
 */
export function roundToIntegral(b: bigint, mode: 0 | 1 | 2 | 3): FpResult {
  return integral(b, mode === 0 ? 4 : mode, false);
}

/**
 * xsrdpic / xvrdpic / xvrspic (v3.0B 7.6.1, "using Current rounding mode"): FRB rounded to an
 * integral value by FPSCR[RN]; unlike frin these report inexactness (XX, and FI and FR for
 * the scalar form, which its caller records).
 */
export function roundToIntegralCurrent(b: bigint, fpscr: number): FpResult {
  return integral(b, (fpscr & 3) as Mode, true);
}

function integral(b: bigint, mode: Mode, reportInexact: boolean): FpResult {
  const u = unpack(b);
  if (u.kind === 'snan' || u.kind === 'qnan') return { raised: u.kind === 'snan' ? VXSNAN : 0, fr: false, fi: false, bits: quiet(b), fprf: FPRF_QNAN };
  if (u.kind !== 'finite' || u.exp >= 0) return { raised: 0, fr: false, fi: false, bits: b, fprf: fprfOf(b) };
  const { q, inexact, up } = dropBits(u.sign, u.mant, -u.exp, false, mode);
  const bits = q === 0n ? BigInt(u.sign) << 63n : packExact(u.sign, q, 0);
  const report = reportInexact && inexact;
  return { raised: report ? XX : 0, fr: reportInexact && up, fi: report, bits, fprf: fprfOf(bits) };
}

/** fcfid[u][s] (4.6.7): the 64-bit integer in FRB, signed or not, rounded to double (or single). */
export function fromInteger(b: bigint, unsigned: boolean, fmt: Format, fpscr: number): FpResult {
  const v = unsigned ? b : BigInt.asIntN(64, b);
  if (v === 0n) return { raised: 0, fr: false, fi: false, bits: 0n, fprf: FPRF_ZERO[0]! };
  return round(v < 0n ? 1 : 0, v < 0n ? -v : v, 0, false, fmt, fpscr);
}

/**
 * fcmpu / fcmpo (4.6.8): the CR field code (LT GT EQ UN as bits 8 4 2 1) and the exceptions:
 * an SNaN operand raises VXSNAN; fcmpo also raises VXVC for a QNaN, and for an SNaN when VE = 0.
 */
export function compare(a: bigint, b: bigint, ordered: boolean, fpscr: number): { code: number; raised: number } {
  const x = unpack(a);
  const y = unpack(b);
  const isNan = (u: Unpacked) => u.kind === 'qnan' || u.kind === 'snan';
  if (isNan(x) || isNan(y)) {
    const snan = x.kind === 'snan' || y.kind === 'snan';
    let raised = snan ? VXSNAN : 0;
    if (ordered && (!snan || (fpscr & VE) === 0)) raised |= VXVC;
    return { code: 1, raised };
  }
  if (x.kind === 'inf' || y.kind === 'inf') {
    const rank = (u: Unpacked) => (u.kind === 'inf' ? (u.sign ? -1 : 1) : 0);
    const rx = rank(x);
    const ry = rank(y);
    if (rx !== ry) return { code: rx < ry ? 8 : 4, raised: 0 };
    if (rx !== 0) return { code: 2, raised: 0 };
  }
  const [s, m] = exactAdd({ ...x, kind: x.kind === 'zero' ? 'zero' : 'finite' }, { ...y, sign: (y.sign ^ 1) as 0 | 1, kind: y.kind === 'zero' ? 'zero' : 'finite' });
  if (m === 0n) return { code: 2, raised: 0 };
  return { code: s ? 8 : 4, raised: 0 };
}

/**
 * The FPSCR after an operation (4.2.2, 4.4): FR and FI replaced (when `setsFrFi`), the raised
 * exceptions or-ed in (FX when one goes from 0 to 1), FPRF set from the result, VX and FEX
 * recomputed. An enabled invalid-operation or zero-divide exception leaves FRT and FPRF
 * unchanged (4.4.1, 4.4.2: "FRT is not altered", FR and FI cleared): the result's `bits` is
 * then null. Nothing interrupts: Linux runs user code with MSR[FE0,FE1] = 0 (exceptions
 * ignored), which is all this emulator models.
 */
export function settle(fpscr: number, r: FpResult, setsFrFi = true): { fpscr: number; bits: bigint | null } {
  let f = fpscr >>> 0;
  let bits = r.bits;
  let fprf = r.fprf;
  let fr = r.fr;
  let fi = r.fi;
  if (((r.raised & ALL_VX) !== 0 && (f & VE) !== 0) || ((r.raised & ZX) !== 0 && (f & ZE) !== 0)) {
    bits = null;
    fprf = null;
    fr = false;
    fi = false;
  }
  return { fpscr: record(f, r.raised, fr, fi, fprf, setsFrFi), bits };
}

/** The FPSCR with an operation's exceptions, FR, FI and FPRF recorded (the part of settle() after the enabled-exception check). */
export function record(fpscr: number, raised: number, fr: boolean, fi: boolean, fprf: number | null, setsFrFi = true): number {
  let f = fpscr >>> 0;
  if ((raised & EXCEPTIONS & ~f) !== 0) f |= FX;
  f |= raised;
  if (setsFrFi) f = (f & ~(FR | FI)) | (fr ? FR : 0) | (fi ? FI : 0);
  if (fprf !== null) f = (f & ~FPRF) | (fprf << 12);
  return recompute(f);
}

/** FPRF of a zero or normal host double (the only results the host fast path gives). */
export function fprfOfHost(x: number): number {
  const neg = x < 0 || Object.is(x, -0) ? 1 : 0;
  return x === 0 ? FPRF_ZERO[neg]! : FPRF_NORMAL[neg]!;
}

/** VX and FEX are summaries (4.2.2): VX the or of the VX* bits, FEX the or of the enabled exceptions. */
export function recompute(fpscr: number): number {
  let f = fpscr & ~(VX | FEX);
  if (f & ALL_VX) f |= VX;
  const enabled = ((f & VX) !== 0 && (f & VE) !== 0) || ((f & OX) !== 0 && (f & OE) !== 0) || ((f & UX) !== 0 && (f & UE) !== 0) || ((f & ZX) !== 0 && (f & ZE) !== 0) || ((f & XX) !== 0 && (f & XE) !== 0);
  if (enabled) f |= FEX;
  return f >>> 0;
}

/**
 * mtfsf / mtfsfi / mtfsb0 / mtfsb1 (4.6.10): the new FPSCR with the bits in `mask` taken from
 * `value`. FEX and VX cannot be set explicitly (they are recomputed); FX changes only when
 * it is one of the bits written (4.2.2: the implicit 0 -> 1 rule is for the other floating-
 * point instructions; QEMU and Linux's math-emu mtfsf agree), and reserved bit 52 stays 0.
 */
export function moveToFpscr(fpscr: number, mask: number, value: number): number {
  return recompute(((fpscr & ~mask) | (value & mask)) & ~RESERVED_52);
}

/** The unbiased exponent of a double-format image (-1023 for zeros and denormals, as the ISA's tests read it). */
function unbiased(bits: bigint): number {
  return Number((bits >> 52n) & 0x7ffn) - 1023;
}

/**
 * ftdiv (4.6.8): [fe, fg] for FRA / FRB: fe when the quotient may need special handling in
 * software (an infinity, NaN or zero divisor, or exponents near the range's ends), fg when
 * FRB is an infinity, zero or denormal.
 */
export function testDivide(a: bigint, b: bigint): [boolean, boolean] {
  const ua = unpack(a);
  const ub = unpack(b);
  if (ua.kind === 'inf' || ub.kind === 'inf' || ub.kind === 'zero') return [true, true];
  const ea = unbiased(a);
  const eb = unbiased(b);
  const nan = ua.kind === 'qnan' || ua.kind === 'snan' || ub.kind === 'qnan' || ub.kind === 'snan';
  const fe = nan || eb <= -1022 || eb >= 1021 || (ua.kind !== 'zero' && (ea - eb >= 1023 || ea - eb <= -1021 || ea <= -970));
  return [fe, eb === -1023]; // b is not zero here: exponent field 0 is a denormal
}

/** ftsqrt (4.6.8): [fe, fg] for sqrt(FRB): fe for an infinity, zero, NaN, negative or tiny operand, fg for an infinity, zero or denormal. */
export function testSqrt(b: bigint): [boolean, boolean] {
  const u = unpack(b);
  if (u.kind === 'inf' || u.kind === 'zero') return [true, true];
  const eb = unbiased(b);
  const fe = u.kind === 'qnan' || u.kind === 'snan' || u.sign === 1 || eb <= -970;
  return [fe, eb === -1023];
}

const ONE = 0x3ff0000000000000n;

/**
 * fre[s] / frsqrte[s] (4.6.6): estimates of 1/x and 1/sqrt(x), whose precision the ISA leaves
 * to the implementation (at least 1/256 and 1/32 relative). Here the best estimates: 1/x
 * rounded once to the target format, and 1/sqrt(x) as the rounded square root's rounded
 * reciprocal (what QEMU computes, so the oracle agrees bit for bit). The special values and
 * exceptions are the ISA's: VXSNAN, VXSQRT for a negative operand, ZX for a zero, OX and UX;
 * XX is not among the bits these alter, and FR and FI (undefined) are cleared.
 */
export function estimate(rsqrt: boolean, b: bigint, fmt: Format, fpscr: number): FpResult {
  let raised = 0;
  let x = b;
  if (rsqrt) {
    const r = arith('sqrt', 0n, b, 0n, DOUBLE, fpscr);
    raised |= r.raised;
    if (r.bits === null) return { ...r, raised: r.raised & ~XX, fr: false, fi: false };
    x = r.bits;
  }
  const q = arith('div', ONE, x, 0n, fmt, fpscr);
  return { ...q, raised: (raised | q.raised) & ~XX, fr: false, fi: false };
}
