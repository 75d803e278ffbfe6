// The interpreter loop: one switch over pre-decoded instructions of the current page, no
// allocation and no BigInt. Semantics follow Power ISA v3.0B Book I (chapter 2 branch,
// chapter 3 fixed-point) and Book II (storage control, synchronisation) in 64-bit mode
// (MSR[SF]=1; 32-bit mode is not modelled). Operand slots are in the order the instruction
// table lists them (see predecode.ts); the comments name the table's operand for each slot.

import { eaHi, eaImm, eaReg } from './effective-address.js';
import { execFloat } from './float-exec.js';
import { execVector, isVectorOp } from './vector-exec.js';
import { bpermd, cmpb, cmpeqb, cmprb, darn, extswsli, maddh, maddld, modulo, setb } from './fixed-additions.js';
import { Op } from '../isa/ops.js';
import {
  Cpu,
  FAULT,
  MSR_LE,
  MSR_PR,
  MSR_FP,
  PROGRAM_ILLEGAL,
  PROGRAM_PRIV,
  PROGRAM_TRAP,
  RES_GRANULE,
  VEC,
  WATCH_STOP,
  pageKey,
} from './cpu.js';
import {
  MASK32,
  MASK_HI,
  MASK_LO,
  cmp64s,
  cmp64u,
  mul64lo,
  mulhd,
  mulhdu,
  out,
  popcntBytes,
  popcount32,
  rotl64,
  sdiv64,
  udiv64,
  umul32,
} from './int64.js';
import { doubleToSingle, singleToDouble } from './float-format.js';
import { describeOutside } from '../isa/outside.js';
import { DECODED_LENGTH, F_AA, F_LK, F_OE, F_RC, OP_BREAK, STRIDE, predecodePage } from './predecode.js';
import { INSNS } from '../isa/table.js';

/** SPR numbers user code may access (Book I 3.3.17), defined once beside the dataflow. */
import { SPR_CTR, SPR_LR, SPR_XER } from '../isa/effects.js';
/** Time Base, read-only SPR numbers for mfspr (Book II 5.2.1: TB 268, TBU 269). */
const SPR_TB = 268;
const SPR_TBU = 269;

/** Size of the block dcbz clears: POWER7/8/9 cache line (Book II 4.3.2, implementation). */
const DCBZ_BLOCK = 128;

/** CR0 from a 64-bit result (Book I 3.3.8 "Rc"): LT, GT, EQ and a copy of XER[SO]. */
function setCR0(cpu: Cpu, h: number, l: number): void {
  const c = h < 0 ? 8 : (h | l) !== 0 ? 4 : 2;
  cpu.cr = (cpu.cr & 0x0fffffff) | ((c | cpu.so) << 28);
}

function setCRField(cpu: Cpu, bf: number, c: number): void {
  const sh = 28 - 4 * bf;
  cpu.cr = (cpu.cr & ~(0xf << sh)) | ((c | cpu.so) << sh);
}

/**
 * RT <- A + B + cin, the adder behind add/addc/adde/addze/addme/subf.../neg (Book I 3.3.9).
 * CA is the carry out of bit 0, CA32 out of bit 32; OV the 64-bit signed overflow, OV32 the
 * overflow of the low word (v3.0 semantics).
 */
function addFull(
  cpu: Cpu,
  rt: number,
  ah: number,
  al: number,
  bh: number,
  bl: number,
  cin: number,
  f: number,
  setCA: boolean,
): void {
  const s = (al >>> 0) + (bl >>> 0) + cin;
  const rl = s | 0;
  const c32 = s > 0xffffffff ? 1 : 0;
  const t = (ah >>> 0) + (bh >>> 0) + c32;
  const rh = t | 0;
  if (setCA) {
    cpu.ca = t > 0xffffffff ? 1 : 0;
    cpu.ca32 = c32;
  }
  if (f & F_OE) {
    const ov = ((ah ^ rh) & (bh ^ rh)) < 0 ? 1 : 0;
    cpu.ov = ov;
    cpu.ov32 = ((al ^ rl) & (bl ^ rl)) < 0 ? 1 : 0;
    if (ov) cpu.so = 1;
  }
  cpu.hi[rt] = rh;
  cpu.lo[rt] = rl;
  if (f & F_RC) setCR0(cpu, rh, rl);
}

/** OV/OV32/SO for multiply and divide "o" forms (OV32 copies OV, v3.0 Book I 3.3.9). */
function setOV(cpu: Cpu, ov: number): void {
  cpu.ov = ov;
  cpu.ov32 = ov;
  if (ov) cpu.so = 1;
}

function finish(cpu: Cpu, rt: number, h: number, l: number, f: number): void {
  cpu.hi[rt] = h;
  cpu.lo[rt] = l;
  if (f & F_RC) setCR0(cpu, h, l);
}

/**
 * The effective address of a storage access before it runs (Book I 1.10.3: (RA|0) + D, or
 * (RA|0) + (RB) when `indexed`), for the memory model's thread runs, which choose what a
 * load returns before the interpreter performs it. Same arithmetic as the loop's.
 */
export function effectiveAddress(cpu: Cpu, ra: number, dispOrRb: number, indexed: boolean): bigint {
  const lo = indexed ? eaReg(cpu, ra, dispOrRb) : eaImm(cpu, ra, dispOrRb);
  return (BigInt(eaHi >>> 0) << 32n) | BigInt(lo >>> 0);
}

function bswap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

/** Trap condition (Book I 3.3.11): TO bits lt, gt, eq, <u, >u. */
function trapTaken(to: number, c: number, u: number): boolean {
  return (
    ((to & 16) !== 0 && c < 0) ||
    ((to & 8) !== 0 && c > 0) ||
    ((to & 4) !== 0 && c === 0) ||
    ((to & 2) !== 0 && u < 0) ||
    ((to & 1) !== 0 && u > 0)
  );
}

function illegal(cpu: Cpu, word: number, why: string, what = ''): never {
  return cpu.interrupt(VEC.PROGRAM, PROGRAM_ILLEGAL, `${why} 0x${(word >>> 0).toString(16).padStart(8, '0')}${what}`);
}

function privileged(cpu: Cpu, op: number): void {
  if (cpu.msrLo & MSR_PR) {
    cpu.interrupt(VEC.PROGRAM, PROGRAM_PRIV, `privileged instruction ${NAMES[op]} in problem state`);
  }
}

const NAMES: string[] = [];
for (const d of INSNS) NAMES[d.op] = d.name;

/** Reads a CR bit (IBM numbering 0..31). */
function crBit(cpu: Cpu, n: number): number {
  return (cpu.cr >>> (31 - n)) & 1;
}

/**
 * Runs up to `budget` instructions on `cpu`; returns how many completed. Stops early when the
 * CPU stops (exit, halt, breakpoint, unhandled interrupt).
 */
export function run(cpu: Cpu, budget: number): number {
  const H = cpu.hi;
  const L = cpu.lo;
  let n = 0;
  outer: while (n < budget && cpu.stop === null) {
    let D: Int32Array;
    try {
      D = cpu.fetchPage(predecodePage);
    } catch (e) {
      if (e !== FAULT) throw e;
      deliver(cpu);
      continue;
    }
    const pageHi = cpu.pcHi;
    const pageLo = cpu.pcLo & ~0xfff;
    if (cpu.breakpoints.size !== 0) plantBreakpoints(cpu, D, pageHi, pageLo);
    let i = (cpu.pcLo & 0xfff) << 1;
    try {
      inner: for (;;) {
        if (n >= budget) break;
        let op = D[i]!;
        if (op === OP_BREAK) {
          // A planted breakpoint (or one planted for another mapping of the same page).
          if (!cpu.skipBreak && cpu.isBreakpoint(pageHi, pageLo + (i >> 1))) {
            cpu.pcHi = pageHi;
            cpu.pcLo = pageLo + (i >> 1);
            cpu.stop = 'breakpoint';
            break outer;
          }
          cpu.skipBreak = false;
          op = D[i + 7]!;
        }
        const f = D[i + 1]!;
        const v0 = D[i + 2]!;
        const v1 = D[i + 3]!;
        const v2 = D[i + 4]!;
        // Instructions that may store (or invalidate code) leave with `break stored`: a store
        // to a page holding decoded instructions (self-modifying code, icbi) ends the page's
        // run after them, so the next fetch decodes the new words. The others fall out of the
        // switch into the plain path and on to the next slot.
        stored: {
        switch (op) {
          // ---------------- Branch facility (Book I 2.4) ----------------
          case Op.b: {
            // LI: target = CIA + disp, or disp when AA.
            let th: number;
            let tl: number;
            if (f & F_AA) {
              tl = v0;
              th = v0 >> 31;
            } else {
              const cia = pageLo + (i >> 1);
              const s = (cia >>> 0) + (v0 >>> 0);
              tl = s | 0;
              th = (pageHi + (v0 >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
            }
            // LR <- CIA + 4 (Book I 2.4): pageLo is a signed word, so add it unsigned for the
            // carry into the high word at a 4 GiB boundary to be seen by setLR.
            if (f & F_LK) setLR(cpu, pageHi, (pageLo >>> 0) + (i >> 1) + 4);
            if (th === pageHi && (tl & ~0xfff) === pageLo) {
              i = (tl & 0xfff) << 1;
              n++;
              continue;
            }
            cpu.pcHi = th;
            cpu.pcLo = tl;
            n++;
            continue outer;
          }
          case Op.bc:
          case Op.bclr:
          case Op.bcctr: {
            // BO, BI, then BD (bc) or BH. BO decoding per Book I 2.4, figure "BO field encodings".
            const bo = v0;
            if (op === Op.bcctr && (bo & 4) === 0) illegal(cpu, 0, 'bcctr with BO[2]=0 is an invalid form:');
            let ctrOk = true;
            if ((bo & 4) === 0) {
              const l = (cpu.ctrLo - 1) | 0;
              cpu.ctrHi = (cpu.ctrHi - (cpu.ctrLo === 0 ? 1 : 0)) | 0;
              cpu.ctrLo = l;
              const zero = (cpu.ctrHi | l) === 0;
              ctrOk = (bo & 2) !== 0 ? zero : !zero;
            }
            const condOk = (bo & 16) !== 0 || crBit(cpu, v1) === ((bo >> 3) & 1);
            const nextLo = (pageLo >>> 0) + (i >> 1) + 4; // unsigned: see Op.b (Book I 2.4, LR <- CIA + 4)
            let th = 0;
            let tl = 0;
            const taken = ctrOk && condOk;
            if (taken) {
              if (op === Op.bc) {
                if (f & F_AA) {
                  tl = v2;
                  th = v2 >> 31;
                } else {
                  const cia = pageLo + (i >> 1);
                  const s = (cia >>> 0) + (v2 >>> 0);
                  tl = s | 0;
                  th = (pageHi + (v2 >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
                }
              } else if (op === Op.bclr) {
                th = cpu.lrHi;
                tl = cpu.lrLo & ~3;
              } else {
                th = cpu.ctrHi;
                tl = cpu.ctrLo & ~3;
              }
            }
            if (f & F_LK) setLR(cpu, pageHi, nextLo);
            n++;
            if (!taken) {
              i += STRIDE;
              // The last slot of the page: leave the page loop (a plain `break` would only end
              // the switch and step past the next page's first instruction).
              if (i >= DECODED_LENGTH) break inner;
              continue;
            }
            if (th === pageHi && (tl & ~0xfff) === pageLo) {
              i = (tl & 0xfff) << 1;
              continue;
            }
            cpu.pcHi = th;
            cpu.pcLo = tl;
            continue outer;
          }
          case Op.crand:
          case Op.cror:
          case Op.crxor:
          case Op.crnand:
          case Op.crnor:
          case Op.creqv:
          case Op.crandc:
          case Op.crorc: {
            // BT, BA, BB (Book I 2.5.1)
            const a = crBit(cpu, v1);
            const b = crBit(cpu, v2);
            let r: number;
            switch (op) {
              case Op.crand: r = a & b; break;
              case Op.cror: r = a | b; break;
              case Op.crxor: r = a ^ b; break;
              case Op.crnand: r = (a & b) ^ 1; break;
              case Op.crnor: r = (a | b) ^ 1; break;
              case Op.creqv: r = (a ^ b) ^ 1; break;
              case Op.crandc: r = a & (b ^ 1); break;
              default: r = a | (b ^ 1); break;
            }
            const m = 1 << (31 - v0);
            cpu.cr = r ? cpu.cr | m : cpu.cr & ~m;
            break;
          }
          case Op.mcrf: {
            // BF, BFA
            const c = (cpu.cr >>> (28 - 4 * v1)) & 0xf;
            const sh = 28 - 4 * v0;
            cpu.cr = (cpu.cr & ~(0xf << sh)) | (c << sh);
            break;
          }

          // ---------------- Fixed-point arithmetic (Book I 3.3.9) ----------------
          case Op.addi: {
            // RT, RA0, SI
            const al = v1 === 0 ? 0 : L[v1]!;
            const ah = v1 === 0 ? 0 : H[v1]!;
            const s = (al >>> 0) + (v2 >>> 0);
            L[v0] = s | 0;
            H[v0] = (ah + (v2 >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
            break;
          }
          case Op.addis: {
            // RT, RA0, SI: adds SI || 0x0000 sign-extended
            // (read RA before writing RT: they may be the same register)
            const ah = v1 === 0 ? 0 : H[v1]!;
            const s = ((v1 === 0 ? 0 : L[v1]!) >>> 0) + ((v2 << 16) >>> 0);
            L[v0] = s | 0;
            H[v0] = (ah + ((v2 << 16) >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
            break;
          }
          case Op.addic:
          case Op.addic_:
            // RT, RA, SI: sets CA; addic. also CR0
            addFull(cpu, v0, H[v1]!, L[v1]!, v2 >> 31, v2, 0, op === Op.addic_ ? F_RC : 0, true);
            break;
          case Op.subfic:
            // RT <- ~RA + SI + 1
            addFull(cpu, v0, ~H[v1]!, ~L[v1]!, v2 >> 31, v2, 1, 0, true);
            break;
          case Op.add:
            if (f === 0) {
              const s = (L[v1]! >>> 0) + (L[v2]! >>> 0);
              L[v0] = s | 0;
              H[v0] = (H[v1]! + H[v2]! + (s > 0xffffffff ? 1 : 0)) | 0;
            } else addFull(cpu, v0, H[v1]!, L[v1]!, H[v2]!, L[v2]!, 0, f, false);
            break;
          case Op.addc:
          case Op.adde:
            if (f === 0) {
              // Hot path of addFull (no OE, no Rc): CA out of bit 0, CA32 out of bit 32.
              const s = (L[v1]! >>> 0) + (L[v2]! >>> 0) + (op === Op.adde ? cpu.ca : 0);
              const c32 = s > 0xffffffff ? 1 : 0;
              const t = (H[v1]! >>> 0) + (H[v2]! >>> 0) + c32;
              cpu.ca = t > 0xffffffff ? 1 : 0;
              cpu.ca32 = c32;
              L[v0] = s | 0;
              H[v0] = t | 0;
            } else addFull(cpu, v0, H[v1]!, L[v1]!, H[v2]!, L[v2]!, op === Op.adde ? cpu.ca : 0, f, true);
            break;
          case Op.addze:
            addFull(cpu, v0, H[v1]!, L[v1]!, 0, 0, cpu.ca, f, true);
            break;
          case Op.addme:
            addFull(cpu, v0, H[v1]!, L[v1]!, -1, -1, cpu.ca, f, true);
            break;
          case Op.subf:
            if (f === 0) {
              const s = (L[v2]! >>> 0) + (~L[v1]! >>> 0) + 1;
              L[v0] = s | 0;
              H[v0] = (H[v2]! + ~H[v1]! + (s > 0xffffffff ? 1 : 0)) | 0;
            } else addFull(cpu, v0, ~H[v1]!, ~L[v1]!, H[v2]!, L[v2]!, 1, f, false);
            break;
          case Op.subfc:
            addFull(cpu, v0, ~H[v1]!, ~L[v1]!, H[v2]!, L[v2]!, 1, f, true);
            break;
          case Op.subfe:
            addFull(cpu, v0, ~H[v1]!, ~L[v1]!, H[v2]!, L[v2]!, cpu.ca, f, true);
            break;
          case Op.subfze:
            addFull(cpu, v0, ~H[v1]!, ~L[v1]!, 0, 0, cpu.ca, f, true);
            break;
          case Op.subfme:
            addFull(cpu, v0, ~H[v1]!, ~L[v1]!, -1, -1, cpu.ca, f, true);
            break;
          case Op.neg:
            if (f === 0) {
              const l = L[v1]!;
              H[v0] = (~H[v1]! + (l === 0 ? 1 : 0)) | 0;
              L[v0] = -l | 0;
            } else addFull(cpu, v0, ~H[v1]!, ~L[v1]!, 0, 0, 1, f, false);
            break;
          case Op.mulli: {
            // RT, RA, SI: low 64 bits of RA * SI
            mul64lo(H[v1]!, L[v1]!, v2 >> 31, v2);
            H[v0] = out.hi;
            L[v0] = out.lo;
            break;
          }
          case Op.mullw: {
            // 64-bit product of the signed low words; OV if it does not fit in 32 bits.
            const a = L[v1]!;
            const b = L[v2]!;
            umul32(a, b);
            const ph = (out.hi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0;
            const pl = out.lo;
            if (f & F_OE) setOV(cpu, ph !== pl >> 31 ? 1 : 0);
            finish(cpu, v0, ph, pl, f);
            break;
          }
          case Op.mulhw:
          case Op.mulhwu: {
            // High word of the 32x32 product in RT[32:63]; RT[0:31] are undefined (we give 0).
            const a = L[v1]!;
            const b = L[v2]!;
            umul32(a, b);
            const ph = op === Op.mulhw ? (out.hi - (a < 0 ? b : 0) - (b < 0 ? a : 0)) | 0 : out.hi;
            finish(cpu, v0, 0, ph, f);
            break;
          }
          case Op.mulld: {
            const ah = H[v1]!;
            const al = L[v1]!;
            const bh = H[v2]!;
            const bl = L[v2]!;
            if (f & F_OE) {
              mulhd(ah, al, bh, bl);
              const xh = out.hi;
              const xl = out.lo;
              mul64lo(ah, al, bh, bl);
              const sign = out.hi >> 31;
              setOV(cpu, xh !== sign || xl !== sign ? 1 : 0);
            } else mul64lo(ah, al, bh, bl);
            finish(cpu, v0, out.hi, out.lo, f);
            break;
          }
          case Op.mulhd:
            mulhd(H[v1]!, L[v1]!, H[v2]!, L[v2]!);
            finish(cpu, v0, out.hi, out.lo, f);
            break;
          case Op.mulhdu:
            mulhdu(H[v1]!, L[v1]!, H[v2]!, L[v2]!);
            finish(cpu, v0, out.hi, out.lo, f);
            break;
          case Op.divw:
          case Op.divwu: {
            // Quotient of the low words in RT[32:63]; RT[0:31] undefined (we give 0). Divide by
            // zero and -2^31 / -1 leave RT undefined (we give 0) and set OV in the o form.
            const a = L[v1]!;
            const b = L[v2]!;
            let q = 0;
            let bad: boolean;
            if (op === Op.divw) {
              bad = b === 0 || (a === -0x80000000 && b === -1);
              if (!bad) q = (a / b) | 0;
            } else {
              bad = b === 0;
              if (!bad) q = Math.floor((a >>> 0) / (b >>> 0)) | 0;
            }
            if (f & F_OE) setOV(cpu, bad ? 1 : 0);
            finish(cpu, v0, 0, q, f);
            break;
          }
          case Op.divd:
          case Op.divdu: {
            const ah = H[v1]!;
            const al = L[v1]!;
            const bh = H[v2]!;
            const bl = L[v2]!;
            let bad: boolean;
            if (op === Op.divd) {
              bad = (bh | bl) === 0 || (ah === -0x80000000 && al === 0 && bh === -1 && bl === -1);
              if (!bad) sdiv64(ah, al, bh, bl);
            } else {
              bad = (bh | bl) === 0;
              if (!bad) udiv64(ah, al, bh, bl);
            }
            if (bad) {
              out.hi = 0;
              out.lo = 0;
            }
            if (f & F_OE) setOV(cpu, bad ? 1 : 0);
            finish(cpu, v0, out.hi, out.lo, f);
            break;
          }

          // ---------------- Compare (Book I 3.3.10) ----------------
          case Op.cmpi:
          case Op.cmp:
          case Op.cmpli:
          case Op.cmpl: {
            // BF, L, RA, SI/UI/RB
            const v3 = D[i + 5]!;
            const ra = v2;
            let bh: number;
            let bl: number;
            if (op === Op.cmpi) {
              bl = v3;
              bh = v3 >> 31;
            } else if (op === Op.cmpli) {
              bl = v3;
              bh = 0;
            } else {
              bl = L[v3]!;
              bh = H[v3]!;
            }
            const signed = op === Op.cmpi || op === Op.cmp;
            let c: number;
            if (v1 === 1) c = signed ? cmp64s(H[ra]!, L[ra]!, bh, bl) : cmp64u(H[ra]!, L[ra]!, bh, bl);
            else if (signed) c = cmp64s(L[ra]! >> 31, L[ra]!, bl >> 31, bl);
            else c = cmp64u(0, L[ra]!, 0, bl);
            setCRField(cpu, v0, c < 0 ? 8 : c > 0 ? 4 : 2);
            break;
          }

          // ---------------- Trap (Book I 3.3.11) ----------------
          case Op.tw:
          case Op.twi:
          case Op.td:
          case Op.tdi: {
            // TO, RA, RB/SI
            let bh: number;
            let bl: number;
            if (op === Op.tw || op === Op.td) {
              bh = H[v2]!;
              bl = L[v2]!;
            } else {
              bh = v2 >> 31;
              bl = v2;
            }
            let c: number;
            let u: number;
            if (op === Op.td || op === Op.tdi) {
              c = cmp64s(H[v1]!, L[v1]!, bh, bl);
              u = cmp64u(H[v1]!, L[v1]!, bh, bl);
            } else {
              c = cmp64s(L[v1]! >> 31, L[v1]!, bl >> 31, bl);
              u = cmp64u(0, L[v1]!, 0, bl);
            }
            if (trapTaken(v0, c, u)) cpu.interrupt(VEC.PROGRAM, PROGRAM_TRAP, 'trap');
            break;
          }

          // ---------------- Logical (Book I 3.3.13) ----------------
          case Op.andi_:
            finish(cpu, v0, 0, L[v1]! & v2, F_RC);
            break;
          case Op.andis_:
            finish(cpu, v0, 0, L[v1]! & (v2 << 16), F_RC);
            break;
          case Op.ori:
            H[v0] = H[v1]!;
            L[v0] = L[v1]! | v2;
            break;
          case Op.oris:
            H[v0] = H[v1]!;
            L[v0] = L[v1]! | (v2 << 16);
            break;
          case Op.xori:
            H[v0] = H[v1]!;
            L[v0] = L[v1]! ^ v2;
            break;
          case Op.xoris:
            H[v0] = H[v1]!;
            L[v0] = L[v1]! ^ (v2 << 16);
            break;
          case Op.and:
            if (f === 0) {
              H[v0] = H[v1]! & H[v2]!;
              L[v0] = L[v1]! & L[v2]!;
            } else finish(cpu, v0, H[v1]! & H[v2]!, L[v1]! & L[v2]!, f);
            break;
          case Op.andc:
            finish(cpu, v0, H[v1]! & ~H[v2]!, L[v1]! & ~L[v2]!, f);
            break;
          case Op.or:
            if (f === 0) {
              H[v0] = H[v1]! | H[v2]!;
              L[v0] = L[v1]! | L[v2]!;
            } else finish(cpu, v0, H[v1]! | H[v2]!, L[v1]! | L[v2]!, f);
            break;
          case Op.orc:
            finish(cpu, v0, H[v1]! | ~H[v2]!, L[v1]! | ~L[v2]!, f);
            break;
          case Op.xor:
            if (f === 0) {
              H[v0] = H[v1]! ^ H[v2]!;
              L[v0] = L[v1]! ^ L[v2]!;
            } else finish(cpu, v0, H[v1]! ^ H[v2]!, L[v1]! ^ L[v2]!, f);
            break;
          case Op.nand:
            finish(cpu, v0, ~(H[v1]! & H[v2]!), ~(L[v1]! & L[v2]!), f);
            break;
          case Op.nor:
            if (f === 0) {
              H[v0] = ~(H[v1]! | H[v2]!);
              L[v0] = ~(L[v1]! | L[v2]!);
            } else finish(cpu, v0, ~(H[v1]! | H[v2]!), ~(L[v1]! | L[v2]!), f);
            break;
          case Op.eqv:
            finish(cpu, v0, ~(H[v1]! ^ H[v2]!), ~(L[v1]! ^ L[v2]!), f);
            break;
          case Op.extsb: {
            const x = (L[v1]! << 24) >> 24;
            finish(cpu, v0, x >> 31, x, f);
            break;
          }
          case Op.extsh: {
            const x = (L[v1]! << 16) >> 16;
            finish(cpu, v0, x >> 31, x, f);
            break;
          }
          case Op.extsw:
            if (f === 0) {
              const x = L[v1]!;
              H[v0] = x >> 31;
              L[v0] = x;
            } else finish(cpu, v0, L[v1]! >> 31, L[v1]!, f);
            break;
          case Op.cntlzw:
            finish(cpu, v0, 0, Math.clz32(L[v1]!), f);
            break;
          case Op.cntlzd: {
            const h = H[v1]!;
            finish(cpu, v0, 0, h !== 0 ? Math.clz32(h) : 32 + Math.clz32(L[v1]!), f);
            break;
          }
          case Op.cnttzw: {
            const x = L[v1]!;
            finish(cpu, v0, 0, x === 0 ? 32 : 31 - Math.clz32(x & -x), f);
            break;
          }
          case Op.cnttzd: {
            const l = L[v1]!;
            const h = H[v1]!;
            const t = l !== 0 ? 31 - Math.clz32(l & -l) : h !== 0 ? 63 - Math.clz32(h & -h) : 64;
            finish(cpu, v0, 0, t, f);
            break;
          }
          case Op.popcntb:
            H[v0] = popcntBytes(H[v1]!);
            L[v0] = popcntBytes(L[v1]!);
            break;
          case Op.popcntw:
            H[v0] = popcount32(H[v1]!);
            L[v0] = popcount32(L[v1]!);
            break;
          case Op.cmpb:
            cpu.setGpr(v0, cmpb(cpu.getGpr(v1), cpu.getGpr(v2)));
            break;
          case Op.bpermd:
            cpu.setGpr(v0, bpermd(cpu.getGpr(v1), cpu.getGpr(v2)));
            break;
          case Op.modsw:
          case Op.moduw:
          case Op.modsd:
          case Op.modud:
            cpu.setGpr(v0, modulo(cpu.getGpr(v1), cpu.getGpr(v2), op === Op.modsw || op === Op.moduw, op === Op.modsw || op === Op.modsd));
            break;
          case Op.maddld:
            cpu.setGpr(v0, maddld(cpu.getGpr(v1), cpu.getGpr(v2), cpu.getGpr(D[i + 5]!)));
            break;
          case Op.maddhd:
          case Op.maddhdu:
            cpu.setGpr(v0, maddh(cpu.getGpr(v1), cpu.getGpr(v2), cpu.getGpr(D[i + 5]!), op === Op.maddhd));
            break;
          case Op.extswsli: {
            const r = extswsli(cpu.getGpr(v1), v2);
            finish(cpu, v0, Number(r >> 32n) | 0, Number(r & 0xffffffffn) | 0, f);
            break;
          }
          case Op.addpcis: {
            // RT <- NIA + EXTS(D || 0x0000) (Book I 3.3.9)
            const nia = ((BigInt(pageHi >>> 0) << 32n) | BigInt((pageLo + (i >> 1)) >>> 0)) + 4n;
            cpu.setGpr(v0, nia + (BigInt(v1) << 16n));
            break;
          }
          case Op.cmprb:
          case Op.cmpeqb: {
            // BF, [L,] RA, RB; the whole field is written (its SO bit is 0, not XER[SO])
            const c = op === Op.cmprb ? cmprb(cpu.getGpr(v2), cpu.getGpr(D[i + 5]!), v1) : cmpeqb(cpu.getGpr(v1), cpu.getGpr(v2));
            const sh = 28 - 4 * v0;
            cpu.cr = (cpu.cr & ~(0xf << sh)) | (c << sh);
            break;
          }
          case Op.setb:
            cpu.setGpr(v0, setb((cpu.cr >>> (28 - 4 * v1)) & 0xf));
            break;
          case Op.darn:
            // L=3 is a reserved value of a defined field: an invalid form, illegal here.
            if (v1 === 3) cpu.interrupt(VEC.PROGRAM, PROGRAM_ILLEGAL, 'darn with L=3 (reserved): an invalid form');
            cpu.setGpr(v0, darn(v1, cpu.random));
            break;
          case Op.popcntd: {
            const c = popcount32(H[v1]!) + popcount32(L[v1]!);
            H[v0] = 0;
            L[v0] = c;
            break;
          }

          // ---------------- Rotate and shift (Book I 3.3.14) ----------------
          case Op.rlwinm:
          case Op.rlwnm:
          case Op.rlwimi: {
            // RA, RS, SH/RB, MB, ME. ROTL32 rotates the low word duplicated into both halves;
            // MASK(MB+32, ME+32) covers the high word entirely when MB > ME.
            const v3 = D[i + 5]!;
            const v4 = D[i + 6]!;
            const x = L[v1]!;
            const n = op === Op.rlwnm ? L[v2]! & 31 : v2;
            const r = n === 0 ? x : (x << n) | (x >>> (32 - n));
            const ml = MASK32[v3 * 32 + v4]!;
            const mh = v3 > v4 ? -1 : 0;
            if (op === Op.rlwimi) finish(cpu, v0, (r & mh) | (H[v0]! & ~mh), (r & ml) | (L[v0]! & ~ml), f);
            else if (f === 0) {
              H[v0] = r & mh;
              L[v0] = r & ml;
            } else finish(cpu, v0, r & mh, r & ml, f);
            break;
          }
          case Op.rldicl:
          case Op.rldicr:
          case Op.rldic:
          case Op.rldimi:
          case Op.rldcl:
          case Op.rldcr: {
            // RA, RS, SH6/RB, MB6 (ME for rldicr/rldcr)
            const v3 = D[i + 5]!;
            const n = op === Op.rldcl || op === Op.rldcr ? L[v2]! & 63 : v2;
            rotl64(H[v1]!, L[v1]!, n);
            let k: number;
            switch (op) {
              case Op.rldicl:
              case Op.rldcl:
                k = v3 * 64 + 63;
                break;
              case Op.rldicr:
              case Op.rldcr:
                k = v3;
                break;
              default:
                k = v3 * 64 + (63 - n);
            }
            const mh = MASK_HI[k]!;
            const ml = MASK_LO[k]!;
            if (op === Op.rldimi) finish(cpu, v0, (out.hi & mh) | (H[v0]! & ~mh), (out.lo & ml) | (L[v0]! & ~ml), f);
            else if (f === 0) {
              H[v0] = out.hi & mh;
              L[v0] = out.lo & ml;
            } else finish(cpu, v0, out.hi & mh, out.lo & ml, f);
            break;
          }
          case Op.slw: {
            const n = L[v2]! & 63;
            finish(cpu, v0, 0, n & 32 ? 0 : L[v1]! << n, f);
            break;
          }
          case Op.srw: {
            const n = L[v2]! & 63;
            finish(cpu, v0, 0, n & 32 ? 0 : (L[v1]! >>> n) | 0, f);
            break;
          }
          case Op.sraw:
          case Op.srawi: {
            // CA (and CA32) set when the source is negative and 1-bits are shifted out.
            const x = L[v1]!;
            const n = op === Op.srawi ? v2 : L[v2]! & 63;
            let r: number;
            let lost: boolean;
            if (n < 32) {
              r = x >> n;
              lost = n !== 0 && (x & ((1 << n) - 1)) !== 0;
            } else {
              r = x >> 31;
              lost = x !== 0;
            }
            cpu.ca = cpu.ca32 = x < 0 && lost ? 1 : 0;
            finish(cpu, v0, r >> 31, r, f);
            break;
          }
          case Op.sld:
          case Op.srd: {
            const n = L[v2]! & 127;
            let h = 0;
            let l = 0;
            if (n < 64) {
              const x = H[v1]!;
              const y = L[v1]!;
              if (op === Op.sld) {
                if (n >= 32) h = y << (n - 32);
                else if (n === 0) {
                  h = x;
                  l = y;
                } else {
                  h = (x << n) | (y >>> (32 - n));
                  l = y << n;
                }
              } else if (n >= 32) l = (x >>> (n - 32)) | 0;
              else if (n === 0) {
                h = x;
                l = y;
              } else {
                l = (y >>> n) | (x << (32 - n));
                h = (x >>> n) | 0;
              }
            }
            finish(cpu, v0, h, l, f);
            break;
          }
          case Op.srad:
          case Op.sradi: {
            const x = H[v1]!;
            const y = L[v1]!;
            const n = op === Op.sradi ? v2 : L[v2]! & 127;
            let h: number;
            let l: number;
            let lost: boolean;
            if (n >= 64) {
              h = l = x >> 31;
              lost = (x | y) !== 0;
            } else if (n >= 32) {
              h = x >> 31;
              l = n === 32 ? x : x >> (n - 32);
              lost = y !== 0 || (n > 32 && (x & ((1 << (n - 32)) - 1)) !== 0);
            } else if (n === 0) {
              h = x;
              l = y;
              lost = false;
            } else {
              h = x >> n;
              l = (y >>> n) | (x << (32 - n));
              lost = (y & ((1 << n) - 1)) !== 0;
            }
            cpu.ca = cpu.ca32 = x < 0 && lost ? 1 : 0;
            finish(cpu, v0, h, l, f);
            break;
          }
          case Op.isel: {
            // RT, RA0, RB, BC
            const v3 = D[i + 5]!;
            if (crBit(cpu, v3)) {
              H[v0] = v1 === 0 ? 0 : H[v1]!;
              L[v0] = v1 === 0 ? 0 : L[v1]!;
            } else {
              H[v0] = H[v2]!;
              L[v0] = L[v2]!;
            }
            break;
          }

          // ---------------- Move to/from system registers (Book I 3.3.17) ----------------
          case Op.mtcrf:
          case Op.mtocrf: {
            // FXM, RS: CR fields whose FXM bit (7 - field) is set come from RS[32:63].
            let m = 0;
            for (let k = 0; k < 8; k++) if (v0 & (0x80 >> k)) m |= 0xf << (28 - 4 * k);
            cpu.cr = (cpu.cr & ~m) | (L[v1]! & m);
            break;
          }
          case Op.mfcr:
            H[v0] = 0;
            L[v0] = cpu.cr;
            break;
          case Op.mfocrf: {
            // RT, FXM: the selected field; the other bits are undefined (we give 0).
            let m = 0;
            for (let k = 0; k < 8; k++) if (v1 & (0x80 >> k)) m |= 0xf << (28 - 4 * k);
            H[v0] = 0;
            L[v0] = cpu.cr & m;
            break;
          }
          case Op.mfspr:
            // RT, SPR
            if (v1 === SPR_LR) {
              H[v0] = cpu.lrHi;
              L[v0] = cpu.lrLo;
            } else if (v1 === SPR_CTR) {
              H[v0] = cpu.ctrHi;
              L[v0] = cpu.ctrLo;
            } else if (v1 === SPR_XER) {
              H[v0] = 0;
              L[v0] = cpu.xer;
            } else if (v1 === SPR_TB || v1 === SPR_TBU) {
              // Time Base (Book II 5.2), readable in problem state (mftb). Deterministic here:
              // it counts this CPU's completed instructions (Cpu.timeBase()), so runs replay exactly.
              const tb = cpu.instructions + n;
              const hi = Math.floor(tb / 4294967296) | 0;
              H[v0] = v1 === SPR_TB ? hi : 0;
              L[v0] = v1 === SPR_TB ? tb | 0 : hi;
            } else if (v1 === SPR_VRSAVE) {
              H[v0] = 0;
              L[v0] = cpu.vrsave;
            } else {
              sprAccess(cpu, v1, 'mfspr');
              cpu.inRun = n; // the Time Base as of this instruction (DEC)
              cpu.sys!.mfspr(cpu, v1, v0);
            }
            break;
          case Op.mtspr:
            // SPR, RS
            if (v0 === SPR_LR) {
              cpu.lrHi = H[v1]!;
              cpu.lrLo = L[v1]!;
            } else if (v0 === SPR_CTR) {
              cpu.ctrHi = H[v1]!;
              cpu.ctrLo = L[v1]!;
            } else if (v0 === SPR_XER) cpu.xer = L[v1]!;
            else if (v0 === SPR_VRSAVE) cpu.vrsave = L[v1]!;
            else {
              sprAccess(cpu, v0, 'mtspr');
              // An SPR write may change translation (SDR1, PTCR, LPCR, PID): re-enter via fetch.
              cpu.inRun = n;
              cpu.sys!.mtspr(cpu, v0, v1);
              n++;
              setNextPc(cpu, pageHi, pageLo, i);
              if (cpu.yieldRequested) {
                // DEC written: the machine re-times this CPU's turn (and takes an interrupt).
                cpu.yieldRequested = false;
                break outer;
              }
              continue outer;
            }
            break;

          // ---------------- Loads (Book I 3.3.2, 3.3.3) ----------------
          case Op.lbz: {
            const l = eaImm(cpu, v2, v1);
            const x = cpu.load8(eaHi, l);
            H[v0] = 0;
            L[v0] = x;
            break;
          }
          case Op.lhz: {
            const l = eaImm(cpu, v2, v1);
            const x = cpu.load16(eaHi, l);
            H[v0] = 0;
            L[v0] = x;
            break;
          }
          case Op.lha: {
            const l = eaImm(cpu, v2, v1);
            const x = (cpu.load16(eaHi, l) << 16) >> 16;
            H[v0] = x >> 31;
            L[v0] = x;
            break;
          }
          case Op.lwz: {
            const l = eaImm(cpu, v2, v1);
            const x = cpu.load32(eaHi, l);
            H[v0] = 0;
            L[v0] = x;
            break;
          }
          case Op.lwa: {
            const l = eaImm(cpu, v2, v1);
            const x = cpu.load32(eaHi, l);
            H[v0] = x >> 31;
            L[v0] = x;
            break;
          }
          case Op.ld: {
            const l = eaImm(cpu, v2, v1);
            const h = cpu.load64(eaHi, l);
            H[v0] = h;
            L[v0] = cpu.ldLo;
            break;
          }
          case Op.lbzu:
          case Op.lhzu:
          case Op.lhau:
          case Op.lwzu:
          case Op.ldu:
          case Op.lbzx:
          case Op.lbzux:
          case Op.lhzx:
          case Op.lhzux:
          case Op.lhax:
          case Op.lhaux:
          case Op.lwzx:
          case Op.lwzux:
          case Op.lwax:
          case Op.lwaux:
          case Op.ldx:
          case Op.ldux:
          case Op.lhbrx:
          case Op.lwbrx:
          case Op.ldbrx:
            loadOther(cpu, op, v0, v1, v2, D[i + 5]!);
            break;

          // ---------------- Stores (Book I 3.3.4, 3.3.5) ----------------
          case Op.stb: {
            const l = eaImm(cpu, v2, v1);
            cpu.store8(eaHi, l, L[v0]!);
            break stored;
          }
          case Op.sth: {
            const l = eaImm(cpu, v2, v1);
            cpu.store16(eaHi, l, L[v0]!);
            break stored;
          }
          case Op.stw: {
            const l = eaImm(cpu, v2, v1);
            cpu.store32(eaHi, l, L[v0]!);
            break stored;
          }
          case Op.std: {
            const l = eaImm(cpu, v2, v1);
            cpu.store64(eaHi, l, H[v0]!, L[v0]!);
            break stored;
          }
          case Op.stbu:
          case Op.sthu:
          case Op.stwu:
          case Op.stdu:
          case Op.stbx:
          case Op.stbux:
          case Op.sthx:
          case Op.sthux:
          case Op.stwx:
          case Op.stwux:
          case Op.stdx:
          case Op.stdux:
          case Op.sthbrx:
          case Op.stwbrx:
          case Op.stdbrx:
          case Op.stfs:
          case Op.stfsu:
          case Op.stfd:
          case Op.stfdu:
          case Op.stfsx:
          case Op.stfsux:
          case Op.stfdx:
          case Op.stfdux:
          case Op.stfiwx:
            if (FLOAT_STORE[op]) floatStorage(cpu, op, v0, v1, v2);
            else storeOther(cpu, op, v0, v1, v2);
            break stored;
          case Op.lmw:
          case Op.stmw: {
            // RT/RS, D, RA0: words RT..r31 (Book I 3.3.6); in little-endian mode these cause
            // the Alignment interrupt (Book I 3.3.6, "Programming Note" / Book III 7.5.8).
            if (cpu.msrLo & MSR_LE) cpu.interrupt(VEC.ALIGN, 0, `${NAMES[op]} in little-endian mode`);
            let l = eaImm(cpu, v2, v1);
            let h = eaHi;
            if (op === Op.lmw) {
              for (let r = v0; r < 32; r++) {
                const x = cpu.load32(h, l);
                if (r !== v2 || r === 0) {
                  H[r] = 0;
                  L[r] = x;
                }
                const s = (l >>> 0) + 4;
                h = (h + (s > 0xffffffff ? 1 : 0)) | 0;
                l = s | 0;
              }
            } else {
              for (let r = v0; r < 32; r++) {
                cpu.store32(h, l, L[r]!);
                const s = (l >>> 0) + 4;
                h = (h + (s > 0xffffffff ? 1 : 0)) | 0;
                l = s | 0;
              }
            }
            break stored;
          }
          case Op.lwarx:
          case Op.ldarx:
          case Op.stwcx_:
          case Op.stdcx_:
            reservation(cpu, op, v0, v1, v2);
            break stored;
          case Op.dcbz: {
            // RA0, RB: zero the aligned block (Book II 4.3.2).
            const l0 = eaReg(cpu, v0, v1) & ~(DCBZ_BLOCK - 1);
            for (let k = 0; k < DCBZ_BLOCK; k += 4) cpu.store32(eaHi, l0 + k, 0);
            break stored;
          }
          case Op.icbi: {
            const l = eaReg(cpu, v0, v1);
            cpu.invalidateCode(eaHi, l);
            break stored;
          }
          case Op.dcbf:
          case Op.dcbst:
          case Op.dcbt:
          case Op.dcbtst:
            // Cache management has no architected effect on data values here (storage is
            // coherent and there is no cache model); hints are no-ops (Book II 4.3).
            break;

          // ---------------- System (Book I 3.3.1 sc; Book II 4.6 synchronisation) ----------------
          case Op.sc:
            // LEV (v0) = 1 is a hypervisor call: the interrupt sets MSR[HV] (Book III 7.5.14).
            cpu.interrupt(VEC.SC, 0, v0 === 1 ? 'hypervisor call' : 'system call', null, true, v0 === 1);
            break;
          case Op.scv:
            // System Call Vectored (Book I 3.3.1): LR gets the address of the next instruction
            // and the interrupt goes to 0x17000 + 32 * LEV without SRR0/SRR1 (Book III 7.5;
            // QEMU ppc_excp POWERPC_EXCP_SYSCALL_VECTORED: lr = nip, ctr = msr).
            setLR(cpu, pageHi, (pageLo >>> 0) + (i >> 1) + 4);
            cpu.interrupt(VEC.SCV + 0x20 * v0, 0, 'system call vectored', null, true);
            break;
          case Op.sync:
          case Op.eieio:
          case Op.isync:
            // In a user process (one CPU, coherent storage, no translation maintenance) there is
            // nothing to order; the machine gives them their storage-control effects.
            if (cpu.sys !== null) {
              cpu.sys.barrier(cpu, op, v0);
              if (cpu.yieldRequested) {
                // The barrier ended this CPU's turn (see HashMmu.barrier): leave the loop with
                // pc at the next instruction.
                cpu.yieldRequested = false;
                n++;
                setNextPc(cpu, pageHi, pageLo, i);
                break outer;
              }
            }
            break;
          case Op.rfid:
          case Op.hrfid:
          case Op.mfmsr:
          case Op.mtmsrd:
          case Op.tlbie:
          case Op.tlbiel:
          case Op.tlbsync:
          case Op.slbie:
          case Op.slbia:
          case Op.slbmte:
          case Op.slbmfee:
          case Op.slbmfev:
          case Op.stop:
          case Op.attn: {
            privileged(cpu, op);
            if (cpu.sys === null) {
              cpu.interrupt(VEC.PROGRAM, PROGRAM_ILLEGAL, `${NAMES[op]} needs the privileged machine (bare mode), not available in user mode`);
            }
            // MSR, SLB, TLB or pc may change: finish here and re-enter through instruction fetch.
            cpu.inRun = n;
            const jumped = cpu.sys.exec(cpu, op, v0, v1, v2, D[i + 5]!, D[i + 6]!);
            n++;
            if (!jumped) setNextPc(cpu, pageHi, pageLo, i);
            if (cpu.yieldRequested) {
              // MSR[EE] was just set with an interrupt pending (privileged.ts): the machine takes
              // it before this CPU's next instruction.
              cpu.yieldRequested = false;
              break outer;
            }
            continue outer;
          }
          // ---------------- Floating-point storage access (Book I 4.6.2-4.6.4) ----------------
          case Op.lfs:
          case Op.lfsu:
          case Op.lfd:
          case Op.lfdu:
          case Op.lfsx:
          case Op.lfsux:
          case Op.lfdx:
          case Op.lfdux:
          case Op.lfiwax:
          case Op.lfiwzx:
            floatStorage(cpu, op, v0, v1, v2); // (the FP stores are with the other stores)
            break;
          case Op.fmr:
            floatAvailable(cpu);
            cpu.vsr[v0 << 2] = cpu.vsr[v1 << 2]!;
            cpu.vsr[(v0 << 2) | 1] = cpu.vsr[(v1 << 2) | 1]!;
            // fmr.: CR1 <- FPSCR[FX, FEX, VX, OX] (Book I 4.3.1).
            if (f & F_RC) cpu.cr = (cpu.cr & ~0x0f000000) | ((cpu.fpscr >>> 4) & 0x0f000000);
            break;
          // ---------------- Floating-point arithmetic and FPSCR (Book I 4.6.5-4.6.10) ----------------
          case Op.fadd:
          case Op.fadds:
          case Op.fsub:
          case Op.fsubs:
          case Op.fmul:
          case Op.fmuls:
          case Op.fdiv:
          case Op.fdivs:
          case Op.fsqrt:
          case Op.fsqrts:
          case Op.fre:
          case Op.fres:
          case Op.frsqrte:
          case Op.frsqrtes:
          case Op.fmadd:
          case Op.fmadds:
          case Op.fmsub:
          case Op.fmsubs:
          case Op.fnmadd:
          case Op.fnmadds:
          case Op.fnmsub:
          case Op.fnmsubs:
          case Op.fsel:
          case Op.frsp:
          case Op.fctiw:
          case Op.fctiwz:
          case Op.fctid:
          case Op.fctidz:
          case Op.fctiwu:
          case Op.fctiwuz:
          case Op.fctidu:
          case Op.fctiduz:
          case Op.fcfid:
          case Op.fcfids:
          case Op.fcfidu:
          case Op.fcfidus:
          case Op.fcmpu:
          case Op.fcmpo:
          case Op.ftdiv:
          case Op.ftsqrt:
          case Op.mcrfs:
          case Op.fneg:
          case Op.fabs:
          case Op.fnabs:
          case Op.fcpsgn:
          case Op.mffs:
          case Op.mffsce:
          case Op.mffscrn:
          case Op.mffscrni:
          case Op.mffsl:
          case Op.mtfsf:
          case Op.mtfsfi:
          case Op.mtfsb0:
          case Op.mtfsb1:
          case Op.frin:
          case Op.friz:
          case Op.frip:
          case Op.frim:
            floatAvailable(cpu);
            execFloat(cpu, op, v0, v1, v2, D[i + 5]!, (f & F_RC) !== 0);
            break;
          case Op.invalid: {
            // An undecodable word (predecode keeps it in v0): say what it is when known.
            const what = describeOutside(v0);
            illegal(cpu, v0, 'illegal instruction', what === null ? '' : ` (${what})`);
            break;
          }
          default:
            if (isVectorOp(op)) {
              // VMX and VSX (vector-exec.ts); a store may hit a page with decoded code.
              execVector(cpu, op, v0, v1, v2, D[i + 5]!);
              break stored;
            }
            illegal(cpu, v0, 'illegal instruction');
        }
        i += STRIDE;
        n++;
        if (i >= DECODED_LENGTH) break;
        continue;
        }
        // After an instruction that may have stored.
        i += STRIDE;
        n++;
        if (cpu.codeDirty || i >= DECODED_LENGTH) break;
      }
      // Fell off the end of the page, ran out of budget, or code changed under us.
      cpu.codeDirty = false;
      const s = (pageLo >>> 0) + (i >> 1);
      cpu.pcLo = s | 0;
      cpu.pcHi = (pageHi + (s > 0xffffffff ? 1 : 0)) | 0;
    } catch (e) {
      if (e !== FAULT) throw e;
      cpu.codeDirty = false;
      const s = (pageLo >>> 0) + (i >> 1);
      cpu.pcLo = s | 0;
      cpu.pcHi = (pageHi + (s > 0xffffffff ? 1 : 0)) | 0;
      if (cpu.pending!.vector === WATCH_STOP) {
        // A debugger's watchpoint: stopped before the instruction, which has not run.
        cpu.pending = null;
        cpu.stop = 'watchpoint';
        break;
      }
      if (cpu.pending!.afterInsn) {
        n++;
        const t = (cpu.pcLo >>> 0) + 4;
        cpu.pcLo = t | 0;
        cpu.pcHi = (cpu.pcHi + (t > 0xffffffff ? 1 : 0)) | 0;
      }
      deliver(cpu);
    }
  }
  cpu.instructions += n;
  cpu.inRun = 0;
  return n;
}

function plantBreakpoints(cpu: Cpu, D: Int32Array, hi: number, lo: number): void {
  const set = cpu.breakpoints.get(pageKey(hi, lo));
  if (!set) return;
  for (const off of set) D[(off >> 2) * STRIDE] = OP_BREAK;
}

function deliver(cpu: Cpu): void {
  const info = cpu.pending!;
  cpu.pending = null;
  cpu.onInterrupt(cpu, info);
}

function setLR(cpu: Cpu, hi: number, lo: number): void {
  // lo may have carried past 2^32 (next instruction after the last word of the space).
  cpu.lrLo = lo | 0;
  cpu.lrHi = (hi + (lo > 0xffffffff ? 1 : 0)) | 0;
}

/** VRSAVE (Book I 6.3.2): a 32-bit SPR software uses to note live VRs; user read/write. */
const SPR_VRSAVE = 256;

/** Raises the interrupt an SPR access must raise, if any (user process, or problem state). */
function sprAccess(cpu: Cpu, spr: number, what: string): void {
  // SPRs with bit 0x10 of the number set are privileged (Book III 5.4.4, "SPR encodings").
  if (spr & 0x10 && cpu.msrLo & MSR_PR) {
    cpu.interrupt(VEC.PROGRAM, PROGRAM_PRIV, `${what} ${spr}: privileged SPR in problem state`);
  }
  if (cpu.sys === null) cpu.interrupt(VEC.PROGRAM, PROGRAM_ILLEGAL, `${what} ${spr}: SPR not implemented in user mode`);
}

/** pc = the instruction after slot i of the page. */
function setNextPc(cpu: Cpu, pageHi: number, pageLo: number, i: number): void {
  const s = (pageLo >>> 0) + (i >> 1) + 4;
  cpu.pcLo = s | 0;
  cpu.pcHi = (pageHi + (s > 0xffffffff ? 1 : 0)) | 0;
}

/** The floating-point stores, which share the other stores' self-modifying-code check in run(). */
const FLOAT_STORE: boolean[] = [];
for (const op of [Op.stfs, Op.stfsu, Op.stfd, Op.stfdu, Op.stfsx, Op.stfsux, Op.stfdx, Op.stfdux, Op.stfiwx]) FLOAT_STORE[op] = true;

/** With MSR[FP] = 0 a floating-point instruction takes the FP Unavailable interrupt (Book III 7.5.11). */
function floatAvailable(cpu: Cpu): void {
  if ((cpu.msrLo & MSR_FP) === 0) cpu.interrupt(VEC.FPU, 0, 'floating-point instruction with MSR[FP] = 0');
}

/**
 * Floating-point loads and stores (Book I 4.6.2-4.6.4): single-format accesses convert
 * (float-format.ts), lfiwax/lfiwzx load a word sign- or zero-extended into the FPR's image,
 * stfiwx stores its low word; update forms write the EA to RA.
 */
function floatStorage(cpu: Cpu, op: Op, fr: number, a: number, b: number): void {
  floatAvailable(cpu);
  let lo: number;
  let ra = 0;
  switch (op) {
    case Op.lfs:
    case Op.lfd:
    case Op.stfs:
    case Op.stfd:
      lo = eaImm(cpu, b, a); // FRT, D, (RA|0)
      break;
    case Op.lfsu:
    case Op.lfdu:
    case Op.stfsu:
    case Op.stfdu:
      lo = eaImm(cpu, b, a);
      ra = b;
      break;
    case Op.lfsux:
    case Op.lfdux:
    case Op.stfsux:
    case Op.stfdux:
      lo = eaReg(cpu, a, b);
      ra = a;
      break;
    default:
      lo = eaReg(cpu, a, b); // FRT, (RA|0), RB
  }
  const hi = eaHi;
  switch (op) {
    case Op.lfs:
    case Op.lfsu:
    case Op.lfsx:
    case Op.lfsux: {
      const [h, l] = singleToDouble(cpu.load32(hi, lo));
      cpu.vsr[fr << 2] = h;
      cpu.vsr[(fr << 2) | 1] = l;
      break;
    }
    case Op.lfd:
    case Op.lfdu:
    case Op.lfdx:
    case Op.lfdux:
      cpu.vsr[fr << 2] = cpu.load64(hi, lo);
      cpu.vsr[(fr << 2) | 1] = cpu.ldLo;
      break;
    case Op.lfiwax:
    case Op.lfiwzx: {
      const w = cpu.load32(hi, lo);
      cpu.vsr[fr << 2] = op === Op.lfiwax ? w >> 31 : 0;
      cpu.vsr[(fr << 2) | 1] = w;
      break;
    }
    case Op.stfs:
    case Op.stfsu:
    case Op.stfsx:
    case Op.stfsux:
      cpu.store32(hi, lo, doubleToSingle(cpu.vsr[fr << 2]!, cpu.vsr[(fr << 2) | 1]!));
      break;
    case Op.stfiwx:
      cpu.store32(hi, lo, cpu.vsr[(fr << 2) | 1]!);
      break;
    default:
      cpu.store64(hi, lo, cpu.vsr[fr << 2]!, cpu.vsr[(fr << 2) | 1]!);
  }
  if (ra !== 0) {
    cpu.hi[ra] = hi;
    cpu.lo[ra] = lo;
  }
}

/** X-form and update-form loads (Book I 3.3.2, 3.3.3, 3.3.15 for byte-reversed). */
function loadOther(cpu: Cpu, op: Op, rt: number, a: number, b: number, _c: number): void {
  const H = cpu.hi;
  const L = cpu.lo;
  let lo: number;
  let ra = 0;
  switch (op) {
    case Op.lbzu:
    case Op.lhzu:
    case Op.lhau:
    case Op.lwzu:
    case Op.ldu:
      // RT, D, RA
      lo = eaImm(cpu, b, a);
      ra = b;
      break;
    default:
      // RT, RA(0), RB
      lo = eaReg(cpu, a, b);
      if (op === Op.lbzux || op === Op.lhzux || op === Op.lhaux || op === Op.lwzux || op === Op.lwaux || op === Op.ldux) ra = a;
  }
  const hi = eaHi;
  let rh = 0;
  let rl: number;
  switch (op) {
    case Op.lbzu:
    case Op.lbzx:
    case Op.lbzux:
      rl = cpu.load8(hi, lo);
      break;
    case Op.lhzu:
    case Op.lhzx:
    case Op.lhzux:
      rl = cpu.load16(hi, lo);
      break;
    case Op.lhau:
    case Op.lhax:
    case Op.lhaux:
      rl = (cpu.load16(hi, lo) << 16) >> 16;
      rh = rl >> 31;
      break;
    case Op.lwzu:
    case Op.lwzx:
    case Op.lwzux:
      rl = cpu.load32(hi, lo);
      break;
    case Op.lwax:
    case Op.lwaux:
      rl = cpu.load32(hi, lo);
      rh = rl >> 31;
      break;
    case Op.lhbrx: {
      const x = cpu.load16(hi, lo);
      rl = ((x & 0xff) << 8) | (x >>> 8);
      break;
    }
    case Op.lwbrx:
      rl = bswap32(cpu.load32(hi, lo));
      break;
    case Op.ldbrx: {
      const h = cpu.load64(hi, lo);
      rl = bswap32(h);
      rh = bswap32(cpu.ldLo);
      break;
    }
    default: {
      // ld forms
      rh = cpu.load64(hi, lo);
      rl = cpu.ldLo;
    }
  }
  H[rt] = rh;
  L[rt] = rl;
  if (ra !== 0) {
    H[ra] = hi;
    L[ra] = lo;
  }
}

/** X-form and update-form stores (Book I 3.3.4, 3.3.5, 3.3.15). */
function storeOther(cpu: Cpu, op: Op, rs: number, a: number, b: number): void {
  const H = cpu.hi;
  const L = cpu.lo;
  let lo: number;
  let ra = 0;
  switch (op) {
    case Op.stbu:
    case Op.sthu:
    case Op.stwu:
    case Op.stdu:
      // RS, D, RA
      lo = eaImm(cpu, b, a);
      ra = b;
      break;
    default:
      lo = eaReg(cpu, a, b);
      if (op === Op.stbux || op === Op.sthux || op === Op.stwux || op === Op.stdux) ra = a;
  }
  const hi = eaHi;
  switch (op) {
    case Op.stbu:
    case Op.stbx:
    case Op.stbux:
      cpu.store8(hi, lo, L[rs]!);
      break;
    case Op.sthu:
    case Op.sthx:
    case Op.sthux:
      cpu.store16(hi, lo, L[rs]!);
      break;
    case Op.stwu:
    case Op.stwx:
    case Op.stwux:
      cpu.store32(hi, lo, L[rs]!);
      break;
    case Op.sthbrx: {
      const x = L[rs]!;
      cpu.store16(hi, lo, ((x & 0xff) << 8) | ((x >>> 8) & 0xff));
      break;
    }
    case Op.stwbrx:
      cpu.store32(hi, lo, bswap32(L[rs]!));
      break;
    case Op.stdbrx:
      cpu.store64(hi, lo, bswap32(L[rs]!), bswap32(H[rs]!));
      break;
    default:
      cpu.store64(hi, lo, H[rs]!, L[rs]!);
  }
  if (ra !== 0) {
    H[ra] = hi;
    L[ra] = lo;
  }
}

/**
 * lwarx/ldarx/stwcx./stdcx. (Book II 4.4.2): a reservation on the aligned granule; the
 * conditional store succeeds (CR0 = 0b001 || SO) only while it is held. A misaligned
 * address causes the Alignment interrupt (Book III 7.5.8).
 */
function reservation(cpu: Cpu, op: Op, rt: number, ra: number, rb: number): void {
  const lo = eaReg(cpu, ra, rb);
  const hi = eaHi;
  const size = op === Op.lwarx || op === Op.stwcx_ ? 4 : 8;
  if (lo & (size - 1)) {
    cpu.interrupt(VEC.ALIGN, 0, `${NAMES[op]} at unaligned address`, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }
  if (op === Op.lwarx || op === Op.ldarx) {
    if (size === 4) {
      cpu.lo[rt] = cpu.load32(hi, lo);
      cpu.hi[rt] = 0;
    } else {
      cpu.hi[rt] = cpu.load64(hi, lo);
      cpu.lo[rt] = cpu.ldLo;
    }
    cpu.reserve(hi, lo);
    return;
  }
  const ok = cpu.resValid && cpu.resHi === hi && cpu.resLo === (lo & ~(RES_GRANULE - 1));
  if (ok) {
    if (size === 4) cpu.store32(hi, lo, cpu.lo[rt]!);
    else cpu.store64(hi, lo, cpu.hi[rt]!, cpu.lo[rt]!);
  }
  cpu.clearReservation();
  cpu.cr = (cpu.cr & 0x0fffffff) | (((ok ? 2 : 0) | cpu.so) << 28);
}
