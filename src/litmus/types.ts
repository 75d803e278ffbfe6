// The C types a litmus init block may give a register or a location (`int64_t 0:r2;`,
// `uint32_t x = 0xffffffff;`), and what they change: the width and signedness a final value
// is printed and compared at. herd7 computes PPC values on 64 bits and shows each observable
// at its declared type, `int` when none is given (herd/herdtools7 herd/tests/instructions/PPC:
// A014 prints an untyped register holding 0xaaaaaaaaaaaaaaab as -1431655765, A005 an int64_t
// one holding 0xffffffff as 4294967295). Addresses print as their location's name whatever
// the type.

export interface ValueType {
  readonly bits: 8 | 16 | 32 | 64;
  readonly signed: boolean;
}

/** herd's default type of an observable with no declared type. */
export const DEFAULT_TYPE: ValueType = { bits: 32, signed: true };

const POINTER: ValueType = { bits: 64, signed: false };

// ppc64 (LP64) widths of the C base types.
const BASE: Record<string, ValueType> = {
  char: { bits: 8, signed: true },
  short: { bits: 16, signed: true },
  int: { bits: 32, signed: true },
  long: { bits: 64, signed: true },
  int8_t: { bits: 8, signed: true },
  uint8_t: { bits: 8, signed: false },
  int16_t: { bits: 16, signed: true },
  uint16_t: { bits: 16, signed: false },
  int32_t: { bits: 32, signed: true },
  uint32_t: { bits: 32, signed: false },
  int64_t: { bits: 64, signed: true },
  uint64_t: { bits: 64, signed: false },
  intptr_t: { bits: 64, signed: true },
  uintptr_t: { bits: 64, signed: false },
  atomic_t: { bits: 32, signed: true },
};

/**
 * The type named by the words before an init entry's location (`unsigned long`, `int *`,
 * `_Atomic int`), or a reason it is not one. `long long` is long; `unsigned`/`signed` alone
 * are int.
 */
export function typeOfWords(words: readonly string[], pointer: boolean): ValueType | string {
  if (pointer) return POINTER;
  let signed: boolean | null = null;
  let base: string | null = null;
  for (const w of words) {
    if (w === '_Atomic' || w === 'volatile' || w === 'const') continue;
    if (w === 'unsigned' || w === 'signed') {
      if (signed !== null) return `'${w}' given twice`;
      signed = w === 'signed';
      continue;
    }
    if (w === 'ins_t') return "instruction values ('ins_t') are not supported";
    const t = w.startsWith('atomic_') && w !== 'atomic_t' ? w.slice('atomic_'.length) : w;
    if (!(t in BASE)) return `unknown type '${w}'`;
    if (base !== null && !(base === 'long' && t === 'long')) return `'${w}' after '${base}'`;
    base = t;
  }
  const b = BASE[base ?? 'int']!;
  if (signed === null) return b;
  if (base !== null && base.endsWith('_t')) return `'${signed ? 'signed' : 'unsigned'}' before '${base}'`;
  return { bits: b.bits, signed };
}

/** A 64-bit value as the type shows it. */
export function narrow(v: bigint, t: ValueType): bigint {
  return t.signed ? BigInt.asIntN(t.bits, v) : BigInt.asUintN(t.bits, v);
}
