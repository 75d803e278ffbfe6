// Output formats: a static ELF64 executable (ET_EXEC, EM_PPC64) and a raw memory image.
//
// ELF layout (System V gABI, ELF-64 Object File Format; e_flags holds the PowerPC64 ELF ABI
// version): header, program headers, then each segment's bytes at a file offset congruent to
// its address modulo the 64 KiB segment alignment, then .symtab, .strtab, .shstrtab and the
// section header table, so objdump and the loaders see an ordinary static executable.

import type { AsmSection, AssembleResult } from './assembler.js';
import { SEGMENT_ALIGN } from './sections.js';

const EM_PPC64 = 21;
const ET_EXEC = 2;
const PT_LOAD = 1;
const PF_X = 1;
const PF_W = 2;
const PF_R = 4;
const SHT_PROGBITS = 1;
const SHT_SYMTAB = 2;
const SHT_STRTAB = 3;
const SHF_WRITE = 1;
const SHF_ALLOC = 2;
const SHF_EXECINSTR = 4;
const SHN_ABS = 0xfff1;
const STB_GLOBAL = 1;
const EHDR = 64;
const PHDR = 56;
const SHDR = 64;
const SYM = 24;

class StrTab {
  private readonly parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private readonly seen = new Map<string, number>();
  add(s: string): number {
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    const b = new TextEncoder().encode(s + '\0');
    const off = this.size;
    this.parts.push(b);
    this.size += b.length;
    this.seen.set(s, off);
    return off;
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let o = 0;
    for (const p of this.parts) {
      out.set(p, o);
      o += p.length;
    }
    return out;
  }
}

interface Segment {
  readonly sections: readonly AsmSection[];
  readonly vaddr: bigint;
  readonly size: bigint;
  readonly flags: number;
  offset: number;
}

function segmentOf(sections: readonly AsmSection[], flags: number): Segment | null {
  const used = sections.filter((s) => s.bytes.length > 0);
  if (used.length === 0) return null;
  const start = used.reduce((m, s) => (s.address < m ? s.address : m), used[0]!.address);
  const end = used.reduce((m, s) => (s.address + BigInt(s.bytes.length) > m ? s.address + BigInt(s.bytes.length) : m), 0n);
  return { sections: used, vaddr: start, size: end - start, flags, offset: 0 };
}

const align = (n: number, a: number) => Math.ceil(n / a) * a;

/** The program as an ELF64 executable. */
export function toElf(r: AssembleResult): Uint8Array {
  const le = r.littleEndian;
  const segs = [
    segmentOf(r.sections.filter((s) => s.kind === 'text'), PF_R | PF_X),
    segmentOf(r.sections.filter((s) => s.kind === 'data'), PF_R | PF_W),
  ].filter((s): s is Segment => s !== null);

  // File offsets: each segment's offset is congruent to its address modulo the page size.
  let off = EHDR + PHDR * segs.length;
  const pageA = Number(SEGMENT_ALIGN);
  for (const s of segs) {
    const want = Number(s.vaddr % SEGMENT_ALIGN);
    let o = off - (off % pageA) + want;
    if (o < off) o += pageA;
    s.offset = o;
    off = o + Number(s.size);
  }
  const sectionOffset = (sec: AsmSection): number => {
    const seg = segs.find((s) => s.sections.includes(sec));
    return seg ? seg.offset + Number(sec.address - seg.vaddr) : off;
  };

  // Section header string table and symbol table.
  const shstr = new StrTab();
  const str = new StrTab();
  const shIndex = new Map<string, number>();
  r.sections.forEach((s, i) => shIndex.set(s.name, i + 1));
  const symtabIndex = r.sections.length + 1;
  const strtabIndex = symtabIndex + 1;
  const shstrtabIndex = strtabIndex + 1;
  const ordered = [...r.symbolTable].sort((a, b) => Number(a.global) - Number(b.global));
  const firstGlobal = 1 + ordered.filter((s) => !s.global).length;
  const symtab = new Uint8Array(SYM * (ordered.length + 1));
  const sv = new DataView(symtab.buffer);
  ordered.forEach((s, i) => {
    const o = SYM * (i + 1);
    sv.setUint32(o, str.add(s.name), le);
    sv.setUint8(o + 4, (s.global ? STB_GLOBAL : 0) << 4);
    sv.setUint8(o + 5, 0);
    sv.setUint16(o + 6, s.section === null ? SHN_ABS : shIndex.get(s.section)!, le);
    sv.setBigUint64(o + 8, BigInt.asUintN(64, s.value), le);
    sv.setBigUint64(o + 16, 0n, le);
  });
  const strtab = str.bytes();
  const names = r.sections.map((s) => shstr.add(s.name));
  const symName = shstr.add('.symtab');
  const strName = shstr.add('.strtab');
  const shstrName = shstr.add('.shstrtab');
  const shstrtab = shstr.bytes();

  const symtabOff = align(off, 8);
  const strtabOff = symtabOff + symtab.length;
  const shstrtabOff = strtabOff + strtab.length;
  const shoff = align(shstrtabOff + shstrtab.length, 8);
  const shnum = shstrtabIndex + 1;
  const total = shoff + SHDR * shnum;

  const out = new Uint8Array(total);
  const v = new DataView(out.buffer);
  // ELF header.
  out.set([0x7f, 0x45, 0x4c, 0x46, 2 /* ELFCLASS64 */, le ? 1 : 2, 1 /* EV_CURRENT */, 0 /* ELFOSABI_NONE */]);
  v.setUint16(16, ET_EXEC, le);
  v.setUint16(18, EM_PPC64, le);
  v.setUint32(20, 1, le);
  v.setBigUint64(24, BigInt.asUintN(64, r.entry), le);
  v.setBigUint64(32, BigInt(EHDR), le);
  v.setBigUint64(40, BigInt(shoff), le);
  v.setUint32(48, r.abiVersion, le);
  v.setUint16(52, EHDR, le);
  v.setUint16(54, PHDR, le);
  v.setUint16(56, segs.length, le);
  v.setUint16(58, SHDR, le);
  v.setUint16(60, shnum, le);
  v.setUint16(62, shstrtabIndex, le);
  // Program headers.
  segs.forEach((s, i) => {
    const o = EHDR + PHDR * i;
    v.setUint32(o, PT_LOAD, le);
    v.setUint32(o + 4, s.flags, le);
    v.setBigUint64(o + 8, BigInt(s.offset), le);
    v.setBigUint64(o + 16, s.vaddr, le);
    v.setBigUint64(o + 24, s.vaddr, le);
    v.setBigUint64(o + 32, s.size, le);
    v.setBigUint64(o + 40, s.size, le);
    v.setBigUint64(o + 48, SEGMENT_ALIGN, le);
  });
  // Contents.
  for (const s of r.sections) if (s.bytes.length) out.set(s.bytes, sectionOffset(s));
  out.set(symtab, symtabOff);
  out.set(strtab, strtabOff);
  out.set(shstrtab, shstrtabOff);
  // Section headers (index 0 is the null section).
  const sh = (i: number, name: number, type: number, flags: number, addr: bigint, offset: number, size: number, link: number, info: number, alignment: number, entsize: number) => {
    const o = shoff + SHDR * i;
    v.setUint32(o, name, le);
    v.setUint32(o + 4, type, le);
    v.setBigUint64(o + 8, BigInt(flags), le);
    v.setBigUint64(o + 16, addr, le);
    v.setBigUint64(o + 24, BigInt(offset), le);
    v.setBigUint64(o + 32, BigInt(size), le);
    v.setUint32(o + 40, link, le);
    v.setUint32(o + 44, info, le);
    v.setBigUint64(o + 48, BigInt(alignment), le);
    v.setBigUint64(o + 56, BigInt(entsize), le);
  };
  r.sections.forEach((s, i) => {
    const flags = SHF_ALLOC | (s.kind === 'data' ? SHF_WRITE : 0) | (s.code ? SHF_EXECINSTR : 0);
    sh(i + 1, names[i]!, SHT_PROGBITS, flags, s.address, sectionOffset(s), s.bytes.length, 0, 0, s.align, 0);
  });
  sh(symtabIndex, symName, SHT_SYMTAB, 0, 0n, symtabOff, symtab.length, strtabIndex, firstGlobal, 8, SYM);
  sh(strtabIndex, strName, SHT_STRTAB, 0, 0n, strtabOff, strtab.length, 0, 0, 1, 0);
  sh(shstrtabIndex, shstrName, SHT_STRTAB, 0, 0n, shstrtabOff, shstrtab.length, 0, 0, 1, 0);
  return out;
}


/**
 * The raw memory image for `run --bare`: .text at address 0 (with .org respected) followed by
 * the data sections, from the lowest section address to the end of the highest one. A result
 * assembled for ELF is first placed again with .text at 0.
 */
export function toBinary(result: AssembleResult): Uint8Array {
  const r = result.format === 'bin' ? result : result.relink('bin');
  const used = r.sections.filter((s) => s.bytes.length > 0);
  if (used.length === 0) return new Uint8Array(0);
  const start = used.reduce((m, s) => (s.address < m ? s.address : m), used[0]!.address);
  const end = used.reduce((m, s) => (s.address + BigInt(s.bytes.length) > m ? s.address + BigInt(s.bytes.length) : m), 0n);
  if (end - start > 1n << 30n) throw new RangeError('image larger than 1 GiB');
  const out = new Uint8Array(Number(end - start));
  for (const s of used) out.set(s.bytes, Number(s.address - start));
  return out;
}
