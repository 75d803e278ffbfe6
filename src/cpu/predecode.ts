// Pre-decoding of a page of instruction words into the interpreter's flat format, derived
// from the instruction table: per instruction STRIDE int32 slots
//   [op, flags, v0, v1, v2, v3, v4, origOp]
// where v0..v4 are the operand values in the table entry's operand order (already
// sign-extended and scaled; VRs as VSR numbers), flags holds the Rc/OE/LK/AA variant bits, and origOp keeps the
// real op when a breakpoint is planted over it.

import { decode } from '../isa/decode.js';
import { Op } from '../isa/ops.js';
import { INSNS } from '../isa/table.js';
import { PAGE_SIZE, type PhysPage } from './memory.js';

export const STRIDE = 8;
export const INSNS_PER_PAGE = PAGE_SIZE / 4;
export const DECODED_LENGTH = INSNS_PER_PAGE * STRIDE;

export const F_RC = 1;
export const F_OE = 2;
export const F_LK = 4;
export const F_AA = 8;

/** Pseudo-op planted over an instruction that has a breakpoint or --stop-at address. */
export const OP_BREAK = 0x7fff;

// A VMX register operand (vN) is stored as its VSR number, 32 + n (Book I 7.2.1: VR n is
// VSR 32+n), so the vector unit addresses one register file with no per-execution offset.
const EXTRACTORS = INSNS.map((d) => d.operands.map((o) => (o.def.kind === 'vr' ? (w: number) => 32 + o.def.extract(w) : o.def.extract)));

export function predecodeWord(out: Int32Array, base: number, word: number): void {
  const def = decode(word);
  if (!def) {
    out[base] = Op.invalid;
    out[base + 1] = 0;
    out[base + 2] = word;
    out[base + 7] = Op.invalid;
    return;
  }
  let f = 0;
  if (def.flags.rc && (word & 1)) f |= F_RC;
  if (def.flags.lk && (word & 1)) f |= F_LK;
  if (def.flags.aa && (word & 2)) f |= F_AA;
  if (def.flags.oe && (word & 0x400)) f |= F_OE;
  out[base] = def.op;
  out[base + 1] = f;
  const ex = EXTRACTORS[def.id]!;
  for (let k = 0; k < 5; k++) out[base + 2 + k] = k < ex.length ? ex[k]!(word) : 0;
  out[base + 7] = def.op;
}

/** Decodes a whole page in the given byte order and caches it on the page. */
export function predecodePage(page: PhysPage, le: boolean): Int32Array {
  const d = new Int32Array(DECODED_LENGTH);
  for (let i = 0; i < INSNS_PER_PAGE; i++) {
    const w = page.dv.getUint32(i * 4, le);
    predecodeWord(d, i * STRIDE, w);
  }
  page.decoded = d;
  page.decodedLE = le;
  return d;
}
