// The conversions floating-point loads and stores make between the single format in storage
// and the double format of an FPR, bit for bit as Power ISA v3.0B Book I 4.6.2 ("Floating-
// Point Load Single": the loaded word is converted to double) and 4.6.3 ("Floating-Point
// Store Single": the register is converted to single) define them, on the two 32-bit halves
// of the register. No host floating point is involved: a signalling NaN keeps its payload
// and stays signalling (a host conversion may quiet it), and a store truncates, it does not
// round.

/** The double-format image (hi, lo) of a single-format word (lfs, lfsx, lfsu, lfsux). */
export function singleToDouble(word: number): [number, number] {
  const w = word >>> 0;
  const sign = w >>> 31;
  const exp = (w >>> 23) & 0xff;
  const frac = w & 0x7fffff;
  if (exp === 0 && frac !== 0) {
    // Denormal: normalise, counting the exponent down from -126.
    let e = -126;
    let f = frac;
    while ((f & 0x800000) === 0) {
      f <<= 1;
      e--;
    }
    f &= 0x7fffff; // the leading 1 is implicit in the double format
    const dexp = e + 1023;
    return [((sign << 31) | (dexp << 20) | (f >>> 3)) | 0, (f << 29) | 0];
  }
  // Normal, zero, infinity or NaN: WORD[0:1] || three copies of WORD[1] (the exponent's top
  // bit, widening 8 exponent bits to 11) || WORD[2:31] || 29 zeros. For a normal number the
  // middle copies are the complement of WORD[1]; for zero, infinity and NaN they equal it.
  const b1 = (w >>> 30) & 1;
  const middle = exp === 0 || exp === 0xff ? b1 * 7 : (b1 ^ 1) * 7;
  const hi = ((w & 0xc0000000) | (middle << 27) | ((w & 0x3fffffff) >>> 3)) >>> 0;
  return [hi | 0, (w << 29) | 0];
}

/** The single-format word of a double-format image (stfs, stfsx, stfsu, stfsux). */
export function doubleToSingle(hi: number, lo: number): number {
  const h = hi >>> 0;
  const l = lo >>> 0;
  const exp = (h >>> 20) & 0x7ff;
  if (exp > 896 || ((h & 0x7fffffff) === 0 && l === 0)) {
    // No denormalisation: FRS[0:1] || FRS[5:34].
    return ((h & 0xc0000000) | ((h & 0x07ffffff) << 3) | (l >>> 29)) | 0;
  }
  // Denormalisation (the ISA defines it for 874 <= exp <= 896 and leaves smaller exponents
  // undefined; the same shifting is continued there, to 0 with the sign, as QEMU does).
  // The 53-bit significand 1.FRS[12:63] shifted right until the exponent reaches -126.
  const shift = 897 - exp; // 1 at exp = 896
  let mHi = (h & 0xfffff) | 0x100000; // bits 52..32 of the significand
  let mLo = l;
  // WORD[9:31] = the 23 bits after the binary point of the shifted significand.
  const total = shift + 29; // drop 29 low bits of the 52-bit fraction, then `shift` more
  if (total >= 53) return (h & 0x80000000) | 0;
  if (total >= 32) {
    mLo = mHi >>> (total - 32);
    mHi = 0;
  } else {
    mLo = ((mLo >>> total) | (mHi << (32 - total))) >>> 0;
    mHi >>>= total;
  }
  return ((h & 0x80000000) | (mLo & 0x7fffff)) | 0;
}

/** singleToDouble's image as one 64-bit value (for the exact arithmetic of float-arith.ts). */
export function singleToDoubleImage(word: number): bigint {
  const [h, l] = singleToDouble(word);
  return (BigInt(h >>> 0) << 32n) | BigInt(l >>> 0);
}

/** doubleToSingle of a 64-bit double image. */
export function doubleImageToSingle(bits: bigint): number {
  return doubleToSingle(Number(bits >> 32n) | 0, Number(bits & 0xffffffffn) | 0);
}
