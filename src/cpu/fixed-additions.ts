// The fixed-point instructions Power ISA v2.06-v3.0B added that compilers emit for POWER8/9
// (Book I 3.3.9 multiply-add and modulo, 3.3.13 cmpb and bpermd, 3.3.14.2 extswsli, 3.3.12
// setb, 3.3.10 cmprb and cmpeqb), as functions of 64-bit register values (two's complement in bigint, results reduced
// to 64 bits). Rare enough that bigint arithmetic costs nothing that matters.

const M64 = (1n << 64n) - 1n;
const s64 = (x: bigint) => BigInt.asIntN(64, x);
const u64 = (x: bigint) => BigInt.asUintN(64, x);
const s32 = (x: bigint) => BigInt.asIntN(32, x);
const u32 = (x: bigint) => BigInt.asUintN(32, x);

/** cmpb: each byte of the result is 0xff where RS and RB have equal bytes, else 0x00. */
export function cmpb(rs: bigint, rb: bigint): bigint {
  let r = 0n;
  for (let k = 0n; k < 64n; k += 8n) if (((rs >> k) & 0xffn) === ((rb >> k) & 0xffn)) r |= 0xffn << k;
  return r;
}

/**
 * bpermd: byte i of RS (i = 0 the most significant) names a bit of RB (0 = the most
 * significant); result bit 56+i is that bit, or 0 when the index is 64 or more.
 */
export function bpermd(rs: bigint, rb: bigint): bigint {
  let r = 0n;
  for (let i = 0n; i < 8n; i++) {
    const index = (rs >> (56n - 8n * i)) & 0xffn;
    const bit = index < 64n ? (u64(rb) >> (63n - index)) & 1n : 0n;
    r |= bit << (7n - i);
  }
  return r;
}

/**
 * modsw/moduw/modsd/modud: the remainder of the signed or unsigned division of the low words
 * (sign- or zero-extended) or of the doublewords. The ISA leaves RT undefined for a zero
 * divisor and for the most negative dividend modulo -1; this gives 0 there, as for divw.
 */
export function modulo(ra: bigint, rb: bigint, word: boolean, signed: boolean): bigint {
  const a = word ? (signed ? s32(ra) : u32(ra)) : signed ? s64(ra) : u64(ra);
  const b = word ? (signed ? s32(rb) : u32(rb)) : signed ? s64(rb) : u64(rb);
  if (b === 0n) return 0n;
  if (signed && b === -1n) return 0n; // remainder 0, or undefined for the most negative dividend
  return u64(a % b); // bigint % truncates toward zero: the sign of the dividend, as the ISA's
}

/** maddld: the low doubleword of RA * RB + RC (the same signed or unsigned). */
export function maddld(ra: bigint, rb: bigint, rc: bigint): bigint {
  return (u64(ra) * u64(rb) + u64(rc)) & M64;
}

/** maddhd / maddhdu: the high doubleword of the 128-bit RA * RB + RC, signed or unsigned. */
export function maddh(ra: bigint, rb: bigint, rc: bigint, signed: boolean): bigint {
  const f = signed ? s64 : u64;
  return u64((f(ra) * f(rb) + f(rc)) >> 64n);
}

/** extswsli: the low word of RS sign-extended, shifted left by SH (0-63). */
export function extswsli(rs: bigint, sh: number): bigint {
  return u64(s32(rs) << BigInt(sh));
}

/** setb: -1 when CR field BFA has LT set, else 1 when it has GT, else 0. */
export function setb(field: number): bigint {
  return field & 8 ? M64 : field & 4 ? 1n : 0n;
}

/**
 * cmprb: whether the low byte of RA lies in the byte range RB[56:63]..RB[48:55] (low..high)
 * or, with L = 1, also in RB[40:47]..RB[32:39]. The CR field gets 0b0 || in_range || 0b00.
 */
export function cmprb(ra: bigint, rb: bigint, l: number): number {
  const c = ra & 0xffn;
  const byte = (k: bigint) => (rb >> k) & 0xffn;
  const inRange = (byte(0n) <= c && c <= byte(8n)) || (l === 1 && byte(16n) <= c && c <= byte(24n));
  return inRange ? 4 : 0;
}

/** cmpeqb: whether the low byte of RA equals any byte of RB; the CR field gets 0b0 || match || 0b00. */
export function cmpeqb(ra: bigint, rb: bigint): number {
  const c = ra & 0xffn;
  for (let k = 0n; k < 64n; k += 8n) if (((rb >> k) & 0xffn) === c) return 4;
  return 0;
}

/**
 * darn (Power ISA v3.0B Book I, "Deliver A Random Number"): L=0 a 32-bit conditioned random
 * number zero-extended, L=1 a 64-bit conditioned one, L=2 a 64-bit raw one; all ones is the
 * error value ("no random number available"), which `next` never yields here, so it is
 * drawn again. L=3 is reserved (the caller raises an illegal instruction).
 */
export function darn(l: number, next: () => bigint): bigint {
  for (;;) {
    const v = next();
    if (l === 0) return v & 0xffffffffn;
    if (v !== M64) return v;
  }
}
