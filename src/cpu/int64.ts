// 64-bit integer arithmetic on hi/lo int32 pairs, for the interpreter's hot loop (no BigInt).
// Results that need two words are left in the exported `out` cell to avoid allocation.

/** Scratch result of the two-word helpers: read out.hi / out.lo right after the call. */
export const out = { hi: 0, lo: 0, hi2: 0, lo2: 0 };

const TWO32 = 4294967296;

/** Unsigned 32x32 -> 64 multiply; high word in out.hi, low word in out.lo. */
export function umul32(a: number, b: number): void {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const p11 = a1 * b1;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  out.lo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  out.hi = (p11 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) | 0;
}

/** Low 64 bits of a 64x64 product (mulld). */
export function mul64lo(ah: number, al: number, bh: number, bl: number): void {
  umul32(al, bl);
  out.hi = (out.hi + Math.imul(al, bh) + Math.imul(ah, bl)) | 0;
}

/**
 * Full unsigned 128-bit product: bits 0:63 (IBM) in out.hi/out.lo, bits 64:127 in
 * out.hi2/out.lo2.
 */
export function umul64full(ah: number, al: number, bh: number, bl: number): void {
  umul32(al, bl);
  const w0 = out.lo;
  const p0h = out.hi >>> 0;
  umul32(al, bh);
  const p1l = out.lo >>> 0;
  const p1h = out.hi >>> 0;
  umul32(ah, bl);
  const p2l = out.lo >>> 0;
  const p2h = out.hi >>> 0;
  umul32(ah, bh);
  const p3l = out.lo >>> 0;
  const p3h = out.hi >>> 0;
  const s1 = p0h + p1l + p2l;
  const c1 = Math.floor(s1 / TWO32);
  const s2 = p1h + p2h + p3l + c1;
  const c2 = Math.floor(s2 / TWO32);
  out.lo2 = w0;
  out.hi2 = s1 | 0;
  out.lo = s2 | 0;
  out.hi = (p3h + c2) | 0;
}

/** High 64 bits of the unsigned product (mulhdu) in out.hi/out.lo. */
export function mulhdu(ah: number, al: number, bh: number, bl: number): void {
  umul64full(ah, al, bh, bl);
}

/** High 64 bits of the signed product (mulhd) in out.hi/out.lo. */
export function mulhd(ah: number, al: number, bh: number, bl: number): void {
  umul64full(ah, al, bh, bl);
  let h = out.hi;
  let l = out.lo;
  // Signed high part = unsigned high part - (a<0 ? b : 0) - (b<0 ? a : 0), mod 2^64.
  if (ah < 0) {
    const s = (l >>> 0) - (bl >>> 0);
    l = s | 0;
    h = (h - bh - (s < 0 ? 1 : 0)) | 0;
  }
  if (bh < 0) {
    const s = (l >>> 0) - (al >>> 0);
    l = s | 0;
    h = (h - ah - (s < 0 ? 1 : 0)) | 0;
  }
  out.hi = h;
  out.lo = l;
}

/** Unsigned 64/64 division; quotient in out.hi/out.lo. Divisor must be non-zero. */
export function udiv64(nh: number, nl: number, dh: number, dl: number): void {
  if ((nh >>> 0) < 0x200000 && (dh >>> 0) < 0x200000) {
    // Both below 2^53: exact in doubles.
    const q = Math.floor(((nh >>> 0) * TWO32 + (nl >>> 0)) / ((dh >>> 0) * TWO32 + (dl >>> 0)));
    out.hi = Math.floor(q / TWO32) | 0;
    out.lo = q | 0;
    return;
  }
  // Restoring shift-subtract division over 64 bits.
  let qh = 0;
  let ql = 0;
  let rh = 0;
  let rl = 0;
  let xh = nh;
  let xl = nl;
  for (let i = 0; i < 64; i++) {
    // r = (r << 1) | top bit of x; x <<= 1
    rh = (rh << 1) | (rl >>> 31);
    rl = (rl << 1) | (xh >>> 31);
    xh = (xh << 1) | (xl >>> 31);
    xl = xl << 1;
    qh = (qh << 1) | (ql >>> 31);
    ql = ql << 1;
    if ((rh >>> 0) > (dh >>> 0) || ((rh >>> 0) === (dh >>> 0) && (rl >>> 0) >= (dl >>> 0))) {
      const s = (rl >>> 0) - (dl >>> 0);
      rl = s | 0;
      rh = (rh - dh - (s < 0 ? 1 : 0)) | 0;
      ql |= 1;
    }
  }
  out.hi = qh;
  out.lo = ql;
}

/** Two's-complement negation of a pair into out. */
export function neg64(h: number, l: number): void {
  out.lo = -l | 0;
  out.hi = (~h + (l === 0 ? 1 : 0)) | 0;
}

/** Signed 64/64 division (truncating); caller excludes d=0 and -2^63/-1. */
export function sdiv64(nh: number, nl: number, dh: number, dl: number): void {
  const nneg = nh < 0;
  const dneg = dh < 0;
  if (nneg) {
    neg64(nh, nl);
    nh = out.hi;
    nl = out.lo;
  }
  if (dneg) {
    neg64(dh, dl);
    dh = out.hi;
    dl = out.lo;
  }
  udiv64(nh, nl, dh, dl);
  if (nneg !== dneg) neg64(out.hi, out.lo);
}

/** Rotate a 64-bit pair left by n (0..63) into out. */
export function rotl64(h: number, l: number, n: number): void {
  n &= 63;
  if (n >= 32) {
    const t = h;
    h = l;
    l = t;
    n -= 32;
  }
  if (n === 0) {
    out.hi = h;
    out.lo = l;
  } else {
    out.hi = (h << n) | (l >>> (32 - n));
    out.lo = (l << n) | (h >>> (32 - n));
  }
}

/**
 * MASK(mb, me) of Power ISA Book I 3.3.14 (IBM bit numbers 0..63): ones from mb to me, or
 * wrapping around when mb > me. Tables indexed [mb*64 + me].
 */
export const MASK_HI = new Int32Array(64 * 64);
export const MASK_LO = new Int32Array(64 * 64);
for (let mb = 0; mb < 64; mb++) {
  for (let me = 0; me < 64; me++) {
    let h = 0;
    let l = 0;
    for (let b = 0; b < 64; b++) {
      const inside = mb <= me ? b >= mb && b <= me : b >= mb || b <= me;
      if (!inside) continue;
      if (b < 32) h |= 1 << (31 - b);
      else l |= 1 << (63 - b);
    }
    MASK_HI[mb * 64 + me] = h;
    MASK_LO[mb * 64 + me] = l;
  }
}

/** 32-bit MASK(mb+32, me+32) low word, indexed [mb*32 + me]; high word is all ones iff mb > me. */
export const MASK32 = new Int32Array(32 * 32);
for (let mb = 0; mb < 32; mb++) {
  for (let me = 0; me < 32; me++) MASK32[mb * 32 + me] = MASK_LO[(mb + 32) * 64 + (me + 32)]!;
}

export function popcount32(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/** popcntb: each byte replaced by its population count. */
export function popcntBytes(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (x + (x >>> 4)) & 0x0f0f0f0f;
}

/** Signed compare of two pairs: -1, 0 or 1. */
export function cmp64s(ah: number, al: number, bh: number, bl: number): number {
  if (ah !== bh) return ah < bh ? -1 : 1;
  const x = al >>> 0;
  const y = bl >>> 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Unsigned compare of two pairs: -1, 0 or 1. */
export function cmp64u(ah: number, al: number, bh: number, bl: number): number {
  const a = ah >>> 0;
  const b = bh >>> 0;
  if (a !== b) return a < b ? -1 : 1;
  const x = al >>> 0;
  const y = bl >>> 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** BigInt view of a pair, for API edges and tests only. */
export function toBig(h: number, l: number): bigint {
  return (BigInt(h >>> 0) << 32n) | BigInt(l >>> 0);
}

/** Splits a BigInt (taken mod 2^64) into out.hi/out.lo, for API edges only. */
export function fromBig(v: bigint): void {
  const u = BigInt.asUintN(64, v);
  out.hi = Number(u >> 32n) | 0;
  out.lo = Number(u & 0xffffffffn) | 0;
}
