// Seeded random program generator for the execution oracle (test/oracle/exec.test.ts).
//
// generateProgram(seed, opts) returns GNU-as source for a static 64-bit PowerPC Linux user
// program (`.abiversion 2`, entry `_start`; assemble with `as -a64 -mpower9`, link with plain
// `ld`). The same seed and options always give the same text. The program:
//   1. gives every GPR except r1 a known value, and sets CR, XER (SO OV CA OV32 CA32), LR, CTR;
//   2. runs a random mix of fixed-point, rotate/shift, compare, CR/XER/LR/CTR moves, loads and
//      stores of every width and form on a 256-byte scratch buffer in .data, lwarx/stwcx.
//      pairs, small counted loops (bdnz, bne) and forward branches;
//   3. ends in a fixed epilogue that stores the GPRs, CR, XER & 0xe00c0000, LR and CTR after
//      the scratch buffer, formats the buffer and those values as hex text lines
//      (`NAME    =0123456789abcdef`), writes them with one `write(1, buf, len)` (sc, r0 = 4)
//      and ends with `exit_group(0)` (sc, r0 = 234).
//
// Registers: r1 (the stack pointer, whose value differs between loaders) is never read or
// written by the random code, and its line in the dump is always 0. r9 is the base register:
// it holds scratch+128 at every instruction boundary except right after an update-form access,
// which is always followed by an `addi r9,r9,-d` that restores it; no random instruction reads
// r9 as data, and the dump prints r9 as its offset from the buffer (so addresses never leak
// into results). Loop counters (bne loops) are reserved while their loop runs.
//
// Endianness: with `endianNeutral` the program is written so that its output is identical
// big- and little-endian, which lets qemu-ppc64 and qemu-ppc64le check the generator against
// each other: the scratch buffer is initialised with .quad doublewords, every access of size
// s < 8 is naturally aligned and, little-endian, goes to offset ^ (8 - s) within its
// doubleword (so each access sees the same value as big-endian), and lmw/stmw are rendered
// little-endian as the equivalent lwz/stw sequence. Without `endianNeutral`, normal loads and
// stores may also be unaligned (they are legal in problem state), and the output depends on
// the byte order. The random choices never depend on `littleEndian`, so a seed gives "the
// same program" in both byte orders.
//
// EXCLUSIONS — what Power ISA v3.0B leaves undefined, invalid or implementation-dependent,
// and how the generator avoids it (Book I 3.3.x fixed-point facility unless said otherwise):
//  1. divw, divwu, divd, divdu (and o/. forms) with a zero divisor or the most negative
//     dividend over -1 (0x8000_0000 / -1 for divw, 0x8000_0000_0000_0000 / -1 for divd): RT
//     is undefined, and so are CR0 LT/GT/EQ when Rc=1. The generator never divides by a value
//     it has not first forced with `ori rB,rB,3; xori rB,rB,2`, which makes the divisor
//     (both its low word and its doubleword) congruent to 1 mod 4: never 0, never -1. (OV and
//     OV32 of the o forms are therefore always 0 after a divide, and always defined.)
//  2. mulhw, mulhwu, divw, divwu: RT bits 0:31 (the high word) are undefined, and with Rc=1
//     CR0 bits 0:2 (LT GT EQ) are undefined in 64-bit mode. Each is immediately followed by
//     `extsw[.] RT,RT` or `clrldi[.] RT,RT,32` (recording when the original recorded), which
//     replaces the high word and rewrites all of CR0 from defined bits. (mullw is fine: RT is
//     the full 64-bit product of the low words; mulhd, mulhdu, mulld, mulli are fully defined.)
//  3. Load with update with RA=0 or RA=RT, store with update with RA=0: invalid forms. Every
//     update form uses RA=r9, which is never a load target and never r0.
//  4. lmw with RA in the range of registers loaded (RT..r31): invalid. lmw/stmw use RA=r9 and
//     RT >= r10. Their EA must be word-aligned (else alignment interrupt or boundedly
//     undefined): always aligned. lmw/stmw are not supported in little-endian mode (the ISA
//     invokes the alignment error handler; GNU as refuses them when assembling little-endian
//     and qemu-ppc64le 7.2 aborts on them): little-endian programs get lwz/stw sequences.
//  5. lwarx/ldarx and stwcx./stdcx. need a naturally aligned EA (else alignment interrupt):
//     always aligned. Book II: a store conditional whose length or address differs from the
//     reservation's has an undefined outcome, and other stores to the reservation granule, or
//     interrupts, may clear the reservation: the generator emits only `l?arx` + (0..2
//     register-only instructions, none writing the index register) + `st?cx.` of
//     the same length and address, which both oracles (no other agents, no interrupts)
//     complete. (lbarx/lharx/stbcx./sthcx. are outside the emulator's subset.)
//  6. mtocrf with other than exactly one FXM bit set leaves CR undefined, and mfocrf with
//     other than exactly one bit leaves RT undefined: only one-bit masks. Earlier ISA
//     versions also left the bits of RT outside the selected field undefined after mfocrf,
//     so each mfocrf is followed by `rlwinm RT,RT,0,4n,4n+3` keeping only field n.
//  7. XER bits other than SO OV CA OV32 CA32 (bits 0:31 and most of 35:56 are reserved;
//     57:63 is the lswx/stswx byte count, outside this subset): every mfxer is followed
//     by `andis. RT,RT,0xe00c`, and the dump masks XER the same way. mtxer may write any
//     value (only the five defined bits are ever observed).
//  8. Reserved instruction fields and branch BO encodings with "z" bits: only the assembler's
//     canonical forms (extended mnemonics, BO = 4, 12, 16, 18) are used.
//  9. Registers never read by the random code: r1 (the stack address differs between
//     loaders) and r9 (an absolute address; only used as a base). The process's initial
//     register values are never read: the prologue sets everything first.
//
// Not excluded (defined in v3.0B and exercised): OV/OV32/CA/CA32 and SO of every o/carrying
// form, CR0 of every record form (SO copied from XER), shifts by 32..63/64..127, rotates with
// wrapping masks (MB > ME), isel with RA=0, addi/addis with RA=0, unaligned normal loads and
// stores (non-neutral mode), byte-reversed accesses, neg/nego of the most negative number.

const SCRATCH = 256; // bytes of scratch buffer
const BASEOFF = 128; // r9 = scratch + BASEOFF
const BASE = 9;
const NSAVE = 36; // 32 GPRs, CR, XER, LR, CTR
const LINE = 26; // "NAME    =" + 16 hex digits + "\n"
const TEMPLATE_OFF = SCRATCH + NSAVE * 8; // from scratch
const NLINES = SCRATCH / 8 + NSAVE;

/** Registers random code may read: all but r1 (stack) and r9 (base). */
const DATA_REGS = [0, 2, 3, 4, 5, 6, 7, 8, ...Array.from({ length: 22 }, (_, k) => k + 10)];
/** bne-loop counters come from here: below r10, so no lmw can reach them. */
const COUNTER_REGS = [2, 3, 4, 5, 6, 7, 8];

export interface ProgenOptions {
  littleEndian: boolean;
  /** Output identical in both byte orders (naturally aligned accesses, munged LE offsets). */
  endianNeutral?: boolean;
}

/** xorshift32 started from a 32-bit integer hash of the seed; tiny and fully deterministic. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    let z = (Math.imul(seed >>> 0, 0x9e3779b1) ^ 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
    z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    this.s = z === 0 ? 0x6d2b79f5 : z;
    for (let i = 0; i < 8; i++) this.next();
  }
  next(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor((this.next() / 4294967296) * n);
  }
  /** Uniform integer in [lo, hi]. */
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  chance(p: number): boolean {
    return this.next() / 4294967296 < p;
  }
  pick<T>(a: readonly T[]): T {
    return a[this.int(a.length)]!;
  }
  u64(): bigint {
    return (BigInt(this.next()) << 32n) | BigInt(this.next());
  }
}

const r = (n: number): string => `%r${n}`;
/** An RA operand where register 0 means the value 0: written as 0, as objdump does. */
const ra0 = (n: number): string => (n === 0 ? '0' : `%r${n}`);
const MASK64 = (1n << 64n) - 1n;
const SPECIALS: bigint[] = [
  0n, 1n, MASK64, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x7fffffffffffffffn, 0x8000000000000000n,
  0x100000000n, 0xffffffff80000000n, 0xffffffff7fffffffn, 0x8000n, 0xffffn, 0x00000000ffff8000n,
];

function s16(v: number): number {
  return ((v & 0xffff) ^ 0x8000) - 0x8000;
}

/** Instructions that set register `t` to the 64-bit value v. */
function loadConst(t: number, v: bigint): string[] {
  v &= MASK64;
  const sv = BigInt.asIntN(64, v);
  if (sv >= -32768n && sv <= 32767n) return [`li ${r(t)},${sv}`];
  if (sv >= -0x80000000n && sv <= 0x7fffffffn) {
    const lo = Number(v & 0xffffn);
    const out = [`lis ${r(t)},${s16(Number((v >> 16n) & 0xffffn))}`];
    if (lo) out.push(`ori ${r(t)},${r(t)},${lo}`);
    return out;
  }
  const h3 = Number((v >> 48n) & 0xffffn);
  const h2 = Number((v >> 32n) & 0xffffn);
  const h1 = Number((v >> 16n) & 0xffffn);
  const h0 = Number(v & 0xffffn);
  const out = [`lis ${r(t)},${s16(h3)}`];
  if (h2) out.push(`ori ${r(t)},${r(t)},${h2}`);
  out.push(`sldi ${r(t)},${r(t)},32`);
  if (h1) out.push(`oris ${r(t)},${r(t)},${h1}`);
  if (h0) out.push(`ori ${r(t)},${r(t)},${h0}`);
  return out;
}

interface Ctx {
  /** Registers the random code must not write (loop counters). */
  reserved: Set<number>;
  /** Inside a bdnz loop: CTR must not be written. */
  inCtrLoop: boolean;
}

class Generator {
  private readonly out: string[] = [];
  private label = 0;
  private noRead = -1;
  private readonly neutral: boolean;
  private readonly le: boolean;

  constructor(
    private readonly rng: Rng,
    opts: ProgenOptions,
  ) {
    this.le = opts.littleEndian;
    this.neutral = opts.endianNeutral ?? false;
  }

  emit(s: string): void {
    this.out.push(s.endsWith(':') ? s : '\t' + s);
  }
  lines(): string[] {
    return this.out;
  }

  // ---------------------------------------------------------------- values and registers
  value(): bigint {
    const k = this.rng.int(10);
    if (k < 3) return BigInt.asUintN(64, BigInt(this.rng.range(-128, 127)));
    if (k < 4) return this.rng.pick(SPECIALS);
    if (k < 5) return BigInt.asUintN(64, BigInt(this.rng.range(-0x80000000, 0x7fffffff)));
    return this.rng.u64();
  }
  /** A register to read; never `noRead` (a register holding a byte-order-dependent value). */
  src(): number {
    for (;;) {
      const t = this.rng.pick(DATA_REGS);
      if (t !== this.noRead) return t;
    }
  }
  dst(ctx: Ctx): number {
    for (;;) {
      const t = this.rng.pick(DATA_REGS);
      if (!ctx.reserved.has(t)) return t;
    }
  }
  /** A destination other than r0 (for RA operands where 0 would mean "no register"). */
  dstNot0(ctx: Ctx): number {
    for (;;) {
      const t = this.dst(ctx);
      if (t !== 0) return t;
    }
  }
  newLabel(): string {
    return `.L${this.label++}`;
  }

  // ---------------------------------------------------------------- prologue
  prologue(): void {
    this.emit('# prologue: give every register but r1 a known value');
    const rn = this.rng;
    const set = (t: number, v: bigint) => loadConst(t, v).forEach((l) => this.emit(l));
    set(0, this.value());
    this.emit(`mtcrf 0xff,${r(0)}`);
    const xer = (rn.chance(0.3) ? 0x80000000 : 0) | (rn.chance(0.3) ? 0x40000000 : 0) |
      (rn.chance(0.5) ? 0x20000000 : 0) | (rn.chance(0.3) ? 0x80000 : 0) | (rn.chance(0.5) ? 0x40000 : 0);
    set(0, BigInt(xer >>> 0));
    this.emit(`mtxer ${r(0)}`);
    set(0, this.value());
    this.emit(`mtlr ${r(0)}`);
    set(0, this.value());
    this.emit(`mtctr ${r(0)}`);
    this.emit(`lis ${r(BASE)},scratch@highest`);
    this.emit(`ori ${r(BASE)},${r(BASE)},scratch@higher`);
    this.emit(`sldi ${r(BASE)},${r(BASE)},32`);
    this.emit(`oris ${r(BASE)},${r(BASE)},scratch@h`);
    this.emit(`ori ${r(BASE)},${r(BASE)},scratch@l`);
    this.emit(`addi ${r(BASE)},${r(BASE)},${BASEOFF}`);
    for (const t of DATA_REGS) set(t, this.value());
    this.emit('# random body');
  }

  // ---------------------------------------------------------------- body
  body(nItems: number): void {
    const ctx: Ctx = { reserved: new Set(), inCtrLoop: false };
    for (let i = 0; i < nItems; i++) {
      const k = this.rng.int(100);
      if (k < 6) this.loop(ctx);
      else if (k < 12) this.forwardBranch(ctx);
      else this.simpleItem(ctx);
    }
  }

  /** One straight-line item: an ALU instruction, a constant, a memory access or a larx pair. */
  simpleItem(ctx: Ctx): void {
    const k = this.rng.int(100);
    if (k < 8) loadConst(this.dst(ctx), this.value()).forEach((l) => this.emit(l));
    else if (k < 64) this.alu(ctx);
    else if (k < 92) this.memory(ctx);
    else if (k < 96) this.multiple();
    else this.reservePair(ctx);
  }

  loop(ctx: Ctx): void {
    const body = this.rng.range(1, 6);
    const n = this.rng.range(1, 5);
    const top = this.newLabel();
    if (this.rng.chance(0.5)) {
      const t = this.dst(ctx);
      this.emit(`li ${r(t)},${n}`);
      this.emit(`mtctr ${r(t)}`);
      this.emit(`${top}:`);
      const inner: Ctx = { reserved: ctx.reserved, inCtrLoop: true };
      for (let i = 0; i < body; i++) this.simpleItem(inner);
      this.emit(`bdnz ${top}`);
    } else {
      const free = COUNTER_REGS.filter((c) => !ctx.reserved.has(c));
      const c = this.rng.pick(free);
      this.emit(`li ${r(c)},${n}`);
      this.emit(`${top}:`);
      const inner: Ctx = { reserved: new Set([...ctx.reserved, c]), inCtrLoop: ctx.inCtrLoop };
      for (let i = 0; i < body; i++) this.simpleItem(inner);
      const v = this.rng.int(3);
      if (v === 0) {
        this.emit(`addic. ${r(c)},${r(c)},-1`);
        this.emit(`bne ${top}`);
      } else {
        const f = this.rng.int(8);
        this.emit(`addi ${r(c)},${r(c)},-1`);
        this.emit(v === 1 ? `cmpdi cr${f},${r(c)},0` : `cmplwi cr${f},${r(c)},0`);
        this.emit(`bne cr${f},${top}`);
      }
    }
  }

  forwardBranch(ctx: Ctx): void {
    const skip = this.newLabel();
    const k = this.rng.int(10);
    if (k < 2) this.emit(`b ${skip}`);
    else if (k < 3) this.emit(`${this.rng.chance(0.5) ? 'bdnz' : 'bdz'} ${skip}`);
    else if (k < 6) {
      const bi = this.rng.int(32);
      this.emit(`bc ${this.rng.chance(0.5) ? 12 : 4},${bi},${skip}`);
    } else {
      const f = this.rng.int(8);
      this.emit(`${this.rng.pick(['beq', 'bne', 'blt', 'bge', 'bgt', 'ble', 'bso', 'bns'])} cr${f},${skip}`);
    }
    const n = this.rng.range(1, 4);
    for (let i = 0; i < n; i++) this.simpleItem(ctx);
    this.emit(`${skip}:`);
  }

  // ---------------------------------------------------------------- fixed-point instructions
  alu(ctx: Ctx): void {
    const rn = this.rng;
    const rc = () => (rn.chance(0.35) ? '.' : '');
    const oe = () => (rn.chance(0.3) ? 'o' : '');
    const k = rn.int(21);
    switch (k) {
      case 0:
      case 1: {
        // XO-form three-operand arithmetic (divides handled in case 3)
        const op = rn.pick(['add', 'addc', 'adde', 'subf', 'subfc', 'subfe', 'mullw', 'mulld']);
        this.emit(`${op}${oe()}${rc()} ${r(this.dst(ctx))},${r(this.src())},${r(this.src())}`);
        break;
      }
      case 2: {
        const op = rn.pick(['addze', 'addme', 'subfze', 'subfme', 'neg']);
        this.emit(`${op}${oe()}${rc()} ${r(this.dst(ctx))},${r(this.src())}`);
        break;
      }
      case 3: {
        // divides: force the divisor congruent to 1 mod 4 (exclusion 1)
        const op = rn.pick(['divw', 'divwu', 'divd', 'divdu']);
        const b = this.dst(ctx);
        const a = this.src();
        const t = this.dst(ctx);
        const dot = rc();
        this.emit(`ori ${r(b)},${r(b)},3`);
        this.emit(`xori ${r(b)},${r(b)},2`);
        this.emit(`${op}${oe()}${dot} ${r(t)},${r(a)},${r(b)}`);
        if (op === 'divw' || op === 'divwu') this.fixHighWord(t, dot);
        break;
      }
      case 4: {
        const op = rn.pick(['mulhw', 'mulhwu', 'mulhd', 'mulhdu']);
        const t = this.dst(ctx);
        const dot = rc();
        this.emit(`${op}${dot} ${r(t)},${r(this.src())},${r(this.src())}`);
        if (op === 'mulhw' || op === 'mulhwu') this.fixHighWord(t, dot);
        break;
      }
      case 5: {
        const op = rn.pick(['addi', 'addis', 'addic', 'addic.', 'subfic', 'mulli']);
        const imm = rn.chance(0.3) ? rn.pick([0, 1, -1, 32767, -32768]) : rn.range(-32768, 32767);
        const a = this.src();
        this.emit(`${op} ${r(this.dst(ctx))},${op === 'addi' || op === 'addis' ? ra0(a) : r(a)},${imm}`);
        break;
      }
      case 6:
      case 7: {
        const op = rn.pick(['and', 'andc', 'or', 'orc', 'xor', 'nand', 'nor', 'eqv']);
        this.emit(`${op}${rc()} ${r(this.dst(ctx))},${r(this.src())},${r(this.src())}`);
        break;
      }
      case 8: {
        const op = rn.pick(['andi.', 'andis.', 'ori', 'oris', 'xori', 'xoris']);
        this.emit(`${op} ${r(this.dst(ctx))},${r(this.src())},${rn.int(65536)}`);
        break;
      }
      case 9: {
        const op = rn.pick(['extsb', 'extsh', 'extsw', 'cntlzw', 'cntlzd', 'cnttzw', 'cnttzd', 'popcntb', 'popcntw', 'popcntd']);
        const dot = op.startsWith('popcnt') ? '' : rc();
        this.emit(`${op}${dot} ${r(this.dst(ctx))},${r(this.src())}`);
        break;
      }
      case 20: {
        // v2.06-v3.0 additions; modulo divisors forced as the divides' are (exclusion 1: RT is
        // undefined for a zero divisor and for the most negative dividend modulo -1)
        const kind = rn.int(7);
        if (kind === 0) this.emit(`${rn.pick(['cmpb', 'bpermd'])} ${r(this.dst(ctx))},${r(this.src())},${r(this.src())}`);
        else if (kind === 1) {
          const b = this.dst(ctx);
          const a = this.src();
          this.emit(`ori ${r(b)},${r(b)},3`);
          this.emit(`xori ${r(b)},${r(b)},2`);
          this.emit(`${rn.pick(['modsw', 'moduw', 'modsd', 'modud'])} ${r(this.dst(ctx))},${r(a)},${r(b)}`);
        } else if (kind === 2) this.emit(`${rn.pick(['maddld', 'maddhd', 'maddhdu'])} ${r(this.dst(ctx))},${r(this.src())},${r(this.src())},${r(this.src())}`);
        else if (kind === 3) this.emit(`extswsli${rc()} ${r(this.dst(ctx))},${r(this.src())},${rn.int(64)}`);
        else if (kind === 4) this.emit(`setb ${r(this.dst(ctx))},cr${rn.int(8)}`);
        else if (kind === 6) {
          // RT gets an address: the same under QEMU and here (a static ELF at its link address),
          // but not between the byte orders' programs, so endian-neutral programs drop it
          const d = rn.range(-32768, 32767);
          if (!this.neutral) this.emit(`addpcis ${r(this.dst(ctx))},${d}`);
        }
        else if (rn.chance(0.5)) this.emit(`cmprb cr${rn.int(8)},${rn.int(2)},${r(this.src())},${r(this.src())}`);
        else this.emit(`cmpeqb cr${rn.int(8)},${r(this.src())},${r(this.src())}`);
        break;
      }
      case 10: {
        const f = rn.int(8);
        const kind = rn.int(7);
        if (kind === 0) this.emit(`${rn.pick(['cmpw', 'cmpd', 'cmplw', 'cmpld'])} cr${f},${r(this.src())},${r(this.src())}`);
        else if (kind === 1) this.emit(`${rn.pick(['cmpwi', 'cmpdi'])} cr${f},${r(this.src())},${rn.range(-32768, 32767)}`);
        else if (kind === 2) this.emit(`${rn.pick(['cmplwi', 'cmpldi'])} cr${f},${r(this.src())},${rn.int(65536)}`);
        else if (kind === 3) this.emit(`${rn.pick(['cmp', 'cmpl'])} ${f},${rn.int(2)},${r(this.src())},${r(this.src())}`);
        else if (kind === 4) this.emit(`cmpi ${f},${rn.int(2)},${r(this.src())},${rn.range(-32768, 32767)}`);
        else this.emit(`cmpli ${f},${rn.int(2)},${r(this.src())},${rn.int(65536)}`);
        break;
      }
      case 11: {
        const op = rn.pick(['rlwinm', 'rlwimi', 'rlwnm']);
        const sh = op === 'rlwnm' ? r(this.src()) : String(rn.int(32));
        this.emit(`${op}${rc()} ${r(this.dst(ctx))},${r(this.src())},${sh},${rn.int(32)},${rn.int(32)}`);
        break;
      }
      case 12: {
        const op = rn.pick(['rldicl', 'rldicr', 'rldic', 'rldimi']);
        this.emit(`${op}${rc()} ${r(this.dst(ctx))},${r(this.src())},${rn.int(64)},${rn.int(64)}`);
        break;
      }
      case 13: {
        const op = rn.pick(['rldcl', 'rldcr']);
        this.emit(`${op}${rc()} ${r(this.dst(ctx))},${r(this.src())},${r(this.src())},${rn.int(64)}`);
        break;
      }
      case 14:
      case 15: {
        const kind = rn.int(4);
        if (kind < 2) {
          const op = rn.pick(['slw', 'srw', 'sraw', 'sld', 'srd', 'srad']);
          this.emit(`${op}${rc()} ${r(this.dst(ctx))},${r(this.src())},${r(this.src())}`);
        } else if (kind === 2) this.emit(`srawi${rc()} ${r(this.dst(ctx))},${r(this.src())},${rn.int(32)}`);
        else this.emit(`sradi${rc()} ${r(this.dst(ctx))},${r(this.src())},${rn.int(64)}`);
        break;
      }
      case 16:
        this.emit(`isel ${r(this.dst(ctx))},${ra0(this.src())},${r(this.src())},${rn.int(32)}`);
        break;
      case 17: {
        // CR moves (exclusion 6)
        const kind = rn.int(4);
        if (kind === 0) this.emit(`mtcrf ${rn.int(256)},${r(this.src())}`);
        else if (kind === 1) this.emit(`mtocrf ${1 << rn.int(8)},${r(this.src())}`);
        else if (kind === 2) this.emit(`mfcr ${r(this.dst(ctx))}`);
        else {
          const n = rn.int(8);
          const t = this.dst(ctx);
          this.emit(`mfocrf ${r(t)},${0x80 >> n}`);
          this.emit(`rlwinm ${r(t)},${r(t)},0,${4 * n},${4 * n + 3}`);
        }
        break;
      }
      case 18: {
        // XER (exclusion 7)
        if (rn.chance(0.5)) this.emit(`mtxer ${r(this.src())}`);
        else {
          const t = this.dst(ctx);
          this.emit(`mfxer ${r(t)}`);
          this.emit(`andis. ${r(t)},${r(t)},0xe00c`);
        }
        break;
      }
      default: {
        const kind = rn.int(4);
        if (kind === 0) this.emit(`mtlr ${r(this.src())}`);
        else if (kind === 1) this.emit(`mflr ${r(this.dst(ctx))}`);
        else if (kind === 2 && !ctx.inCtrLoop) this.emit(`mtctr ${r(this.src())}`);
        else this.emit(`mfctr ${r(this.dst(ctx))}`);
      }
    }
  }

  /** Exclusion 2: give RT a defined high word (and CR0 defined LT/GT/EQ when recording). */
  fixHighWord(t: number, dot: string): void {
    if (this.rng.chance(0.5)) this.emit(`extsw${dot} ${r(t)},${r(t)}`);
    else this.emit(`clrldi${dot} ${r(t)},${r(t)},32`);
  }

  // ---------------------------------------------------------------- storage
  /** A scratch offset for an access of `size` bytes (aligned to `align`, or any in full mode). */
  offset(size: number, align: number, mayBeUnaligned: boolean): number {
    if (mayBeUnaligned && !this.neutral && this.rng.chance(0.4)) return this.rng.int(SCRATCH - size + 1);
    return this.rng.int((SCRATCH - size) / align + 1) * align;
  }
  /** The displacement from r9 at which the rendered program accesses scratch offset `off`. */
  disp(off: number, size: number): number {
    const o = this.neutral && this.le && size < 8 ? off ^ (8 - size) : off;
    return o - BASEOFF;
  }

  memory(ctx: Ctx): void {
    const rn = this.rng;
    const store = rn.chance(0.45);
    const kind = rn.int(9); // 0-2 D, 3-4 D update, 5-6 X, 7 X update, 8 byte-reversed X
    type Op = { name: string; size: number; ds: boolean };
    const loads: Op[] = [
      { name: 'lbz', size: 1, ds: false }, { name: 'lhz', size: 2, ds: false }, { name: 'lha', size: 2, ds: false },
      { name: 'lwz', size: 4, ds: false }, { name: 'lwa', size: 4, ds: true }, { name: 'ld', size: 8, ds: true },
    ];
    const stores: Op[] = [
      { name: 'stb', size: 1, ds: false }, { name: 'sth', size: 2, ds: false },
      { name: 'stw', size: 4, ds: false }, { name: 'std', size: 8, ds: true },
    ];
    const reg = store ? this.src() : this.dst(ctx);
    if (kind === 8) {
      const op = rn.pick(store ? ['sthbrx', 'stwbrx', 'stdbrx'] : ['lhbrx', 'lwbrx', 'ldbrx']);
      const size = op[op.length - 4] === 'h' ? 2 : op[op.length - 4] === 'w' ? 4 : 8;
      const off = this.offset(size, size, true);
      this.indexed(ctx, `${op} ${r(reg)}`, this.disp(off, size), off - BASEOFF, false, reg);
      return;
    }
    let op = rn.pick(store ? stores : loads);
    const update = kind === 3 || kind === 4 || kind === 7;
    const xform = kind >= 5;
    if (update && op.name === 'lwa' && !xform) op = loads[3]!; // there is no lwau
    // DS-form displacements must be multiples of 4; r9 is 8-aligned so the offset must be too.
    // In neutral mode every access is naturally aligned.
    const dsForm = op.ds && !xform;
    const off = this.offset(op.size, dsForm && !this.neutral ? 4 : op.size, !dsForm);
    const d = this.disp(off, op.size);
    if (!xform) {
      this.emit(`${op.name}${update ? 'u' : ''} ${r(reg)},${d}(${r(BASE)})`);
      if (update && d !== 0) this.emit(`addi ${r(BASE)},${r(BASE)},${-d}`);
    } else {
      this.indexed(ctx, `${op.name}${update ? 'ux' : 'x'} ${r(reg)}`, d, off - BASEOFF, update, reg);
    }
  }

  /**
   * Emits `li rX,d` and the X-form access `head,RA,RB` with {RA,RB} = {r9, rX}; `avoid` (the
   * access's RT/RS) is never rX. In neutral mode rX is then set to the unmunged displacement,
   * so that no register holds a value that depends on the byte order.
   */
  indexed(ctx: Ctx, head: string, d: number, canon: number, update: boolean, avoid: number): void {
    let x = this.dst(ctx);
    while (x === avoid) x = this.dst(ctx);
    this.emit(`li ${r(x)},${d}`);
    if (update || x === 0 || this.rng.chance(0.5)) this.emit(`${head},${r(BASE)},${r(x)}`);
    else this.emit(`${head},${r(x)},${r(BASE)}`);
    if (update && d !== 0) this.emit(`addi ${r(BASE)},${r(BASE)},${-d}`);
    if (this.neutral) this.emit(`li ${r(x)},${canon}`);
  }

  /** lmw/stmw (exclusion 4), rendered as lwz/stw sequences little-endian. */
  multiple(): void {
    const rn = this.rng;
    const store = rn.chance(0.5);
    // lmw writes RT..r31: keep well away from reserved counters (all below r10).
    const t = rn.chance(0.7) ? rn.range(24, 31) : rn.range(10, 31);
    const n = 32 - t;
    const off = rn.int((SCRATCH - 4 * n) / 4 + 1) * 4;
    if (!this.le) {
      this.emit(`${store ? 'stmw' : 'lmw'} ${r(t)},${off - BASEOFF}(${r(BASE)})`);
      return;
    }
    for (let i = 0; i < n; i++) {
      this.emit(`${store ? 'stw' : 'lwz'} ${r(t + i)},${this.disp(off + 4 * i, 4)}(${r(BASE)})`);
    }
  }

  /** A load-and-reserve / store-conditional pair on one aligned address (exclusion 5). */
  reservePair(ctx: Ctx): void {
    const rn = this.rng;
    // lwarx/stwcx. and ldarx/stdcx. (the byte and halfword forms of v2.06 are outside the subset).
    const [l, s, size] = rn.pick([['lwarx', 'stwcx.', 4], ['ldarx', 'stdcx.', 8]] as const);
    const off = this.offset(size, size, false);
    const d = this.disp(off, size);
    const x = this.dstNot0(ctx);
    // x carries the address from l?arx to st?cx.: nothing in between may write it.
    const inner: Ctx = { reserved: new Set([...ctx.reserved, x]), inCtrLoop: ctx.inCtrLoop };
    const t = this.dst(inner);
    this.emit(`li ${r(x)},${d}`);
    const swap = rn.chance(0.5);
    const ea = swap ? `${r(x)},${r(BASE)}` : `${r(BASE)},${r(x)}`;
    this.emit(`${l} ${r(t)},${ea}`);
    const between = rn.int(3);
    if (this.neutral) this.noRead = x;
    for (let i = 0; i < between; i++) this.alu(inner);
    this.noRead = -1;
    let v = this.src();
    while (v === x) v = this.src();
    this.emit(`${s} ${r(v)},${ea}`);
    if (this.neutral) this.emit(`li ${r(x)},${off - BASEOFF}`);
  }

  // ---------------------------------------------------------------- data
  data(): string[] {
    const out: string[] = ['', '\t.data', '\t.balign 64', 'scratch:'];
    for (let i = 0; i < SCRATCH / 8; i++) out.push(`\t.quad 0x${this.value().toString(16).padStart(16, '0')}`);
    out.push('save:', `\t.space ${NSAVE * 8}`, 'template:');
    const names: string[] = [];
    for (let i = 0; i < SCRATCH / 8; i++) names.push(`m+0x${(i * 8).toString(16).padStart(2, '0')}`);
    for (let i = 0; i < 32; i++) names.push(i === 1 ? 'r1(skip)' : i === BASE ? `r${i}(off)` : `r${i}`);
    names.push('cr', 'xer', 'lr', 'ctr');
    for (const n of names) out.push(`\t.ascii "${n.padEnd(8)}=${'.'.repeat(16)}\\n"`);
    return out;
  }
}

/** The fixed epilogue: save state after scratch, format it as hex lines, write, exit_group. */
export function epilogue(): string[] {
  const save = (slot: number) => SCRATCH + slot * 8 - BASEOFF; // displacement from r9
  const L: string[] = ['# fixed epilogue: dump state and exit', '.Lepilogue:'];
  for (let n = 0; n < 32; n++) if (n !== 1 && n !== BASE) L.push(`std ${r(n)},${save(n)}(${r(BASE)})`);
  L.push(
    `li ${r(11)},0`,
    `std ${r(11)},${save(1)}(${r(BASE)})`,
    `addi ${r(10)},${r(BASE)},${-BASEOFF}`,
    `subf ${r(11)},${r(10)},${r(BASE)}`,
    `std ${r(11)},${save(BASE)}(${r(BASE)})`,
    `mfcr ${r(11)}`,
    `std ${r(11)},${save(32)}(${r(BASE)})`,
    `mfxer ${r(11)}`,
    `andis. ${r(11)},${r(11)},0xe00c`,
    `std ${r(11)},${save(33)}(${r(BASE)})`,
    `mflr ${r(11)}`,
    `std ${r(11)},${save(34)}(${r(BASE)})`,
    `mfctr ${r(11)}`,
    `std ${r(11)},${save(35)}(${r(BASE)})`,
    `addi ${r(12)},${r(BASE)},${TEMPLATE_OFF - BASEOFF + 9}`,
    `li ${r(0)},${NLINES}`,
    `mtctr ${r(0)}`,
    '.Ldump_line:',
    `ld ${r(11)},0(${r(10)})`,
    `addi ${r(10)},${r(10)},8`,
    `li ${r(5)},16`,
    '.Ldump_digit:',
    `rotldi ${r(11)},${r(11)},4`,
    `clrldi ${r(6)},${r(11)},60`,
    `cmpwi ${r(6)},10`,
    `addi ${r(6)},${r(6)},48`,
    'blt .Ldump_store',
    `addi ${r(6)},${r(6)},39`,
    '.Ldump_store:',
    `stb ${r(6)},0(${r(12)})`,
    `addi ${r(12)},${r(12)},1`,
    `addi ${r(5)},${r(5)},-1`,
    `cmpwi ${r(5)},0`,
    'bne .Ldump_digit',
    `addi ${r(12)},${r(12)},${LINE - 16}`,
    'bdnz .Ldump_line',
    `li ${r(0)},4`,
    `li ${r(3)},1`,
    `addi ${r(4)},${r(BASE)},${TEMPLATE_OFF - BASEOFF}`,
    `li ${r(5)},${NLINES * LINE}`,
    'sc',
    `li ${r(0)},234`,
    `li ${r(3)},0`,
    'sc',
    'trap',
  );
  return L.map((l) => (l.endsWith(':') ? l : '\t' + l));
}

/** Number of output lines (and their names) a generated program writes. */
export const DUMP_LINES = NLINES;

/** GNU-as source of the program for `seed`. */
export function generateProgram(seed: number, opts: ProgenOptions): string {
  const rng = new Rng(seed);
  const g = new Generator(rng, opts);
  const items = rng.range(40, 90);
  g.prologue();
  g.body(items);
  const head = [
    `# progen seed ${seed}, ${opts.littleEndian ? 'little' : 'big'}-endian${opts.endianNeutral ? ', endian-neutral' : ''}`,
    '# generated by test/oracle/progen.ts; assemble: as -a64 -mpower9, link: ld',
    '\t.abiversion 2',
    '\t.text',
    '\t.globl _start',
    '\t.type _start,@function',
    '_start:',
  ];
  return [...head, ...g.lines(), ...epilogue(), ...g.data(), ''].join('\n');
}
