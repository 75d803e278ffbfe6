// VMX/VSX probe programs for the QEMU oracle (vector-qemu.test.ts): every vector entry of the
// table, each case with random source registers, target, GPRs, rounding mode and a 64-byte
// scratch area in storage; after one instruction the program records both candidate target
// registers (vs5 and vs37 = v5, so the FPR overlay is seen), the scratch area (stores), the
// CR, the VSCR, the FPSCR and the GPRs r5 and r7. The same ELF runs under qemu-ppc64(le)
// -cpu power9 and under the emulator; the records must agree byte for byte, except where
// vectorBlind() says the ISA leaves a result undefined or QEMU 7.2 departs from it.

import { INSNS, type InsnDef } from '../../src/isa/table.js';
import { operand, Rng } from './fp-probe.js';

export interface VecCase {
  readonly insn: string;
  readonly def: InsnDef;
  /** A, B, C, T (16 bytes each, as words most significant first), scratch (64 bytes). */
  readonly regs: readonly number[];
  readonly scratch: readonly number[];
  readonly r5: bigint;
  readonly r7: bigint;
  readonly fpscr: number;
  /** VSCR[NJ] before the instruction: set in every other case of a VMX floating-point entry (6.14.1's non-Java mode, Linux's default). */
  readonly nj: boolean;
}

/** The VMX floating-point entries (Book I 6.14), whose results depend on VSCR[NJ]. */
const VMX_FP = /^(v\w+fp\.?|vc[ft][su]x[s]?|vrfi[nzpm])$/;

/** Bytes per output record: vs5, vs37, scratch, CR (8), VSCR (16), FPSCR (8), r7, r5. */
export const VEC_RECORD = 16 + 16 + 64 + 8 + 16 + 8 + 8 + 8;

/** One register's four words: patterns that matter to vector code (equal bytes, zeros, FP values). */
function register(r: Rng): number[] {
  const w = () => Number(r.next64() & 0xffffffffn) | 0;
  const hiLo = (x: bigint) => [Number(x >> 32n) | 0, Number(x & 0xffffffffn) | 0];
  switch (r.int(7)) {
    case 0: return [w(), w(), w(), w()];
    case 1: return [...hiLo(operand(r, false)), ...hiLo(operand(r, false))];
    case 2: return [...hiLo(operand(r, true)), ...hiLo(operand(r, true))];
    case 3: {
      const b = r.int(256) * 0x01010101;
      return [b | 0, b | 0, b | 0, b | 0];
    }
    case 4: {
      const bytes = Array.from({ length: 16 }, () => [0, 1, 0x7f, 0x80, 0xff, r.int(256)][r.int(6)]!);
      return [0, 1, 2, 3].map((k) => ((bytes[4 * k]! << 24) | (bytes[4 * k + 1]! << 16) | (bytes[4 * k + 2]! << 8) | bytes[4 * k + 3]!) | 0);
    }
    case 5: {
      // Small shift counts and indices in every byte (shifts, permutes, vbpermq).
      const bytes = Array.from({ length: 16 }, () => r.int(2) ? r.int(32) : r.int(140));
      return [0, 1, 2, 3].map((k) => ((bytes[4 * k]! << 24) | (bytes[4 * k + 1]! << 16) | (bytes[4 * k + 2]! << 8) | bytes[4 * k + 3]!) | 0);
    }
    default: {
      // A single-format value in word 0 (xscvspdp), specials often.
      const s = [0x7f800000, 0xff800000, 0x7fc00001, 0x7f800001, 0x00000001, 0x80000000, 0x3f800000, w()][r.int(8)]!;
      return [s | 0, w(), w(), w()];
    }
  }
}

const VECTOR = INSNS.filter((d) => d.facility === 'vector');

/** The operand text of one case: registers fixed by role, immediates random. */
function operands(d: InsnDef, r: Rng, high: boolean): string {
  const vs = (n: number) => `vs${high ? 32 + n : n}`;
  const storage = /^(l|st)/.test(d.name);
  return d.operands
    .map((o, k) => {
      switch (o.def.name) {
        case 'XT': case 'XS': return vs(5);
        case 'XA': return vs(1);
        case 'XB': return vs(2);
        case 'XC': return vs(3);
        case 'VRT': case 'VRS': return 'v5';
        case 'VRA': return 'v1';
        case 'VRB': return 'v2';
        case 'VRC': return 'v3';
        case 'RT': return 'r7';
        case 'RA': return k === 0 ? 'r7' : 'r5';
        case 'RA0': return storage ? 'r8' : r.int(4) === 0 ? '0' : 'r8';
        case 'RB': return 'r9';
        case 'DQ': return `${16 * (r.int(3) - 1)}(r8)`;
        case 'DS': return `${4 * (r.int(7) - 2)}(r8)`;
        case 'BF': return `cr${r.int(8)}`;
        case 'DM': case 'SHW': return String(r.int(4));
        case 'UIM': return String(r.int(1 << o.def.bits));
        case 'SIM': return String(r.int(32) - 16);
        case 'SHB': return String(r.int(16));
        case 'IMM8': return String(r.int(256));
        default: throw new Error(`vector-probe: operand ${o.def.name} of ${d.name}`);
      }
    })
    .filter((t, k, all) => !(d.operands[k]!.def.kind === 'gpr0' && /\(r8\)$/.test(all[k - 1] ?? ''))) // D(RA) printed together
    .join(',');
}

/** `perEntry` cases of every vector entry of the table. */
export function vecCases(seed: number, perEntry: number): VecCase[] {
  const r = new Rng(seed);
  const out: VecCase[] = [];
  for (const def of VECTOR) {
    for (let k = 0; k < perEntry; k++) {
      const insn = `${def.name} ${operands(def, r, r.int(2) === 1)}`;
      // Round to nearest for the negated multiply-adds (scalar and vector): QEMU rounds after negating (see fp-probe.ts).
      const fpscr = /^x[sv]nm/.test(def.name) ? 0 : r.int(4);
      out.push({
        insn,
        def,
        regs: [...register(r), ...register(r), ...register(r), ...register(r)],
        scratch: Array.from({ length: 16 }, () => Number(r.next64() & 0xffffffffn) | 0),
        r5: r.int(3) === 0 ? BigInt(r.int(48)) : r.next64(),
        r7: r.next64(),
        fpscr,
        nj: VMX_FP.test(def.name) && (k & 1) === 1,
      });
    }
  }
  return out;
}

/** GNU-as source (ELFv2, `_start`; as -mpower9, ld) running every case and writing the records. */
export function vecProbeSource(cases: readonly VecCase[]): string {
  const L = ['\t.abiversion 2', '\t.text', '\t.globl _start', '\t.type _start,@function', '_start:'];
  L.push('\tlis r30,input@ha', '\taddi r30,r30,input@l', '\tlis r31,output@ha', '\taddi r31,r31,output@l');
  L.push('\tlis r29,scratch@ha', '\taddi r29,r29,scratch@l', '\taddi r8,r29,16', '\tli r10,16', '\tli r11,32', '\tli r12,48');
  const IN = 64 + 64 + 24; // registers, scratch image, r5, r7, FPSCR
  for (const c of cases) {
    L.push('\tlxvd2x vs1,0,r30', '\tlxvd2x vs2,r30,r10', '\tlxvd2x vs3,r30,r11', '\tlxvd2x vs5,r30,r12');
    L.push('\tlxvd2x vs33,0,r30', '\tlxvd2x vs34,r30,r10', '\tlxvd2x vs35,r30,r11', '\tlxvd2x vs37,r30,r12');
    for (let k = 0; k < 8; k++) L.push(`\tld r0,${64 + 8 * k}(r30)`, `\tstd r0,${8 * k}(r29)`);
    L.push('\tld r5,128(r30)', '\tld r7,136(r30)', '\tlfd f6,144(r30)', '\tmtfsf 255,f6', '\tli r0,0', '\tmtcrf 255,r0');
    L.push('\tvxor v6,v6,v6');
    if (c.nj) L.push('\tvspltisw v6,1', '\tvspltisw v7,-16', '\tvslw v6,v6,v7'); // 0x10000 in each word: NJ
    L.push('\tmtvscr v6', `\tli r9,${c.insn.includes('r9') ? c.r5 & 15n : 0n}`);
    // The length forms read their byte count from RB[0:7]: 0-31 there (above 16 means 16).
    if (/^(lxvl|lxvll|stxvl|stxvll) /.test(c.insn)) L.push(`\tli r9,${c.r5 & 31n}`, '\tsldi r9,r9,56');
    L.push(`\t${c.insn}`);
    L.push('\tstxvd2x vs5,0,r31', '\tstxvd2x vs37,r31,r10');
    for (let k = 0; k < 8; k++) L.push(`\tld r0,${8 * k}(r29)`, `\tstd r0,${32 + 8 * k}(r31)`);
    L.push('\tmfcr r0', '\tstd r0,96(r31)', '\tmfvscr v6', '\tli r0,104', '\tstxvd2x vs38,r31,r0', '\tmffs f6', '\tstfd f6,120(r31)');
    L.push('\tstd r7,128(r31)', '\tstd r5,136(r31)', `\taddi r30,r30,${IN}`, `\taddi r31,r31,${VEC_RECORD}`);
  }
  const total = cases.length * VEC_RECORD;
  L.push('\tli r0,4', '\tli r3,1', '\tlis r4,output@ha', '\taddi r4,r4,output@l', `\tlis r5,${total >>> 16}`, `\tori r5,r5,${total & 0xffff}`, '\tsc');
  L.push('\tli r0,1', '\tli r3,0', '\tsc', '\t.data', '\t.balign 16', 'scratch:', '\t.space 64', 'input:');
  const word = (x: number) => `\t.long 0x${(x >>> 0).toString(16)}`;
  const quad = (x: bigint) => `\t.quad 0x${x.toString(16)}`;
  for (const c of cases) {
    // lxvd2x loads doubleword 0 from the lower address in either byte order: write each
    // register as two doublewords so it reads back as the same four words.
    for (let k = 0; k < 16; k += 2) L.push(quad((BigInt(c.regs[k]! >>> 0) << 32n) | BigInt(c.regs[k + 1]! >>> 0)));
    for (const x of c.scratch) L.push(word(x));
    L.push(quad(c.r5), quad(c.r7), quad(BigInt(c.fpscr)));
  }
  L.push('\t.balign 16', 'output:', `\t.space ${total}`, '');
  return L.join('\n').replace(/\b(r|f)(\d+)\b/g, '$2').replace(/\bcr(\d)\b/g, '$1').replace(/\bvs?(\d+)\b/g, '$1');
}

/** Byte ranges of a record: [offset, length]. */
const FIELD = { vs5: [0, 16], vs37: [16, 16], scratch: [32, 64], cr: [96, 8], vscr: [104, 16], fpscr: [120, 8], r7: [128, 8], r5: [136, 8] } as const;

/**
 * Bytes of a case's record to ignore, as a mask per byte (0xff: compared), given our record:
 * what the ISA leaves undefined, and FPSCR bits QEMU 7.2 does not give as the ISA defines
 * them, as in fp-probe.ts (FR, which QEMU never sets; FPRF after a conversion to integer; FI
 * and C after a compare; VXSNAN beside VXIMZ; FPRF of a single result that is a single
 * denormal, which QEMU classifies as its double image). The VSCR's reserved bits: QEMU's
 * mtvscr keeps them, the ISA reserves them (only NJ and SAT are compared). vextu[hw][lr]x,
 * vextract*, vinsert*, xxextractuw and xxinsertw with a byte index past the last whole
 * element: undefined. A vector operation where one
 * element overflows and another underflows: QEMU reports the overflow alone (its status check
 * takes one of the two), the ISA both (each element's exceptions are recorded). A vector
 * conversion to integer with an invalid element (VXCVI): QEMU's status check is sticky
 * across elements, so it saturates the later ones too; only the first element is compared
 * then.
 */
export function vectorBlind(c: VecCase, ours: Uint8Array, le: boolean): Uint8Array {
  const m = new Uint8Array(VEC_RECORD).fill(0xff);
  const name = c.def.name;
  const f = FIELD.fpscr[0];
  if (name.startsWith('xs')) {
    m[f + 5]! &= ~0x04; // FR (0x00040000)
    if (/^xscvdp[su]x/.test(name)) (m[f + 5]! &= ~0x01), (m[f + 6]! &= ~0xf0); // FPRF
    if (/^xscmp/.test(name)) m[f + 5]! &= ~0x03; // FI, C
    if (/^xsn?m(add|sub)/.test(name)) m[f + 4]! &= ~0x01; // VXSNAN
    if (/^xs\w+sp$/.test(name) && !/^xscv/.test(name)) {
      const t = / vs(5|37)\b/.exec(c.insn)![1] === '5' ? FIELD.vs5[0] : FIELD.vs37[0];
      const dv = new DataView(ours.buffer, ours.byteOffset + t, 8);
      const e = Number((dv.getBigUint64(0, le) >> 52n) & 0x7ffn);
      if (e > 0 && e < 897) (m[f + 5]! &= ~0x01), (m[f + 6]! &= ~0xf0); // below 2^-126: a single denormal
    }
  }
  if (name.startsWith('xv') && (ours[f + (le ? 3 : 4)]! & 0x10) !== 0) m[f + 4]! &= ~0x08; // UX beside OX
  const toInt = /^xvcv(dp|sp)[su]x([dw])s$/.exec(name);
  if (toInt && (ours[f + (le ? 1 : 6)]! & 0x01) !== 0) {
    // The elements after the first: with four word elements (xvcvsp[su]xws) QEMU gives every
    // element after an invalid one the invalid one's result (checked by hand: 1.0 and -2.0
    // after a NaN come out as 0x80000000).
    const from = toInt[1] === 'sp' && toInt[2] === 'w' ? 4 : 8;
    m.fill(0, FIELD.vs5[0] + from, FIELD.vs5[0] + 16);
    m.fill(0, FIELD.vs37[0] + from, FIELD.vs37[0] + 16);
  }
  if (name === 'mtvscr') m.fill(0, FIELD.vscr[0], FIELD.vscr[0] + 16), (m[FIELD.vscr[0] + 13] = 0x01), (m[FIELD.vscr[0] + 15] = 0x01);
  // v3.0's extract/insert with a byte index past the last whole element: undefined.
  const xi = /^(vextractu?([bhwd])|vinsert([bhwd])|xxextractuw|xxinsertw)$/.exec(name);
  if (xi) {
    const size = { b: 1, h: 2, w: 4, d: 8 }[(xi[2] ?? xi[3] ?? 'w') as 'b' | 'h' | 'w' | 'd'];
    const uim = Number(/,(\d+)$/.exec(c.insn)![1]);
    if (uim + size > 16) m.fill(0, FIELD.vs5[0], FIELD.vs37[0] + 16);
  }
  const ext = /^vextu([hw])[lr]x$/.exec(name);
  if (ext && Number(c.r5 & 15n) > (ext[1] === 'h' ? 14 : 12)) m.fill(0, FIELD.r7[0], FIELD.r7[0] + 8);
  return m;
}

/** The first difference between QEMU's and our records under vectorBlind; null when equal. */
export function vecRecordDiff(cases: readonly VecCase[], qemu: Uint8Array, ours: Uint8Array, le: boolean): string | null {
  if (qemu.length !== ours.length) return `output length: qemu ${qemu.length} bytes, ours ${ours.length}`;
  const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
  for (let k = 0; k < cases.length; k++) {
    const q = qemu.subarray(k * VEC_RECORD, (k + 1) * VEC_RECORD);
    const o = ours.subarray(k * VEC_RECORD, (k + 1) * VEC_RECORD);
    const m = vectorBlind(cases[k]!, o, le);
    // The mask is written for a big-endian image of each 8-byte field; flip it for LE output.
    for (let i = 0; i < VEC_RECORD; i++) {
      const mi = le ? m[(i & ~7) + 7 - (i & 7)]! : m[i]!;
      if (((q[i]! ^ o[i]!) & mi) !== 0) {
        const field = Object.entries(FIELD).find(([, [off, len]]) => i >= off && i < off + len)![0];
        const c = cases[k]!;
        return `case ${k}: ${c.insn} (regs ${c.regs.map((x) => (x >>> 0).toString(16)).join(' ')}; r5 ${c.r5.toString(16)}; RN ${c.fpscr}): ` +
          `${field} differs at byte ${i}: qemu ${hex(q)}, ours ${hex(o)}`;
      }
    }
  }
  return null;
}
