// ELF64 executable loader for PowerPC64 Linux user programs (big- and little-endian, ELFv1 and
// ELFv2 ABI). Facts used (System V gABI "ELF-64 Object File Format"; 64-bit PowerPC ELF ABI
// supplements v1.9 and v2):
//   - e_ident: magic 7f 'E' 'L' 'F', EI_CLASS 2 = ELFCLASS64, EI_DATA 1 = LSB / 2 = MSB,
//     EI_VERSION 1; e_machine 21 = EM_PPC64; header 64 bytes, program header 56, section
//     header 64, symbol 24.
//   - e_flags & 3 is the ABI version: 1 = ELFv1, 2 = ELFv2, 0 = unspecified (ELFv1 on a
//     big-endian file; little-endian PowerPC64 Linux has only ever used ELFv2).
//   - ELFv1: e_entry is the address of a function descriptor (usually in .opd) whose first
//     doubleword is the code address and whose second is the TOC pointer (r2); function
//     symbols in .symtab likewise hold descriptor addresses.
//
// Every check that can fail throws ElfError with a one-line message starting with the file
// name; nothing else may escape for any input bytes (tested by a fuzz loop).

import { InputError } from '../errors.js';
import { hex } from '../hex.js';
import type { ListedSection, ListedSymbol } from '../isa/objdump.js';

export class ElfError extends InputError {
  override name = 'ElfError';
}

export interface ElfSegment {
  vaddr: bigint;
  memsz: number;
  /** The p_filesz bytes of the segment (a copy); the rest up to memsz is zero. */
  data: Uint8Array;
  /** PF_R = 4, PF_W = 2, PF_X = 1. */
  flags: number;
}

export interface ElfImage {
  littleEndian: boolean;
  abiVersion: 1 | 2;
  /** Code address of the first instruction (for ELFv1 read from the entry descriptor). */
  entry: bigint;
  /** ELFv1: the TOC pointer from the entry descriptor; ELFv2: null. */
  toc: bigint | null;
  /** PT_LOAD segments in file order. */
  segments: ElfSegment[];
  /**
   * Symbols from .symtab (empty when the file has none): name -> address. ELFv1 function
   * symbols that point at a descriptor in .opd are given their code address instead, so that
   * `break NAME` stops at the function's first instruction.
   */
  symbols: Map<string, bigint>;
  /**
   * Where the program headers are in the loaded image (PT_PHDR, or the PT_LOAD whose file bytes
   * hold them), and how many there are: the kernel's AT_PHDR and AT_PHNUM (fs/binfmt_elf.c
   * create_elf_tables), which static glibc reads to find its TLS segment.
   */
  phdrAddr: bigint | null;
  phnum: number;
  /** Allocated executable sections (SHF_ALLOC | SHF_EXECINSTR, with file bytes), in header order: what objdump -d disassembles. */
  codeSections: CodeSection[];
  /** Symbols as the table holds them (no .opd redirection), for objdump-style labels. */
  rawSymbols: RawSymbol[];
}

/** An executable section and a symbol as the objdump-style listing takes them (src/isa/objdump.ts). */
export type CodeSection = ListedSection;
export type RawSymbol = ListedSymbol;

/** The sum of the PT_LOAD memory sizes accepted (a user program far past this is a bad file). */
export const MAX_LOAD_BYTES = 256 * 1024 * 1024;

const EHDR_SIZE = 64;
const PHDR_SIZE = 56;
const SHDR_SIZE = 64;
const SYM_SIZE = 24;
const EM_PPC64 = 21;
const ET_EXEC = 2;
const ET_DYN = 3;
const PT_NULL = 0;
const PT_LOAD = 1;
const PT_DYNAMIC = 2;
const PT_INTERP = 3;
const PT_PHDR = 6;
const PN_XNUM = 0xffff;
const SHT_NOBITS = 8;
const SHT_SYMTAB = 2;
const SHN_UNDEF = 0;
const SHN_LORESERVE = 0xff00;
const SHN_ABS = 0xfff1;
const SHN_XINDEX = 0xffff;
const STT_SECTION = 3;
const STT_FILE = 4;
const STT_FUNC = 2;
const STB_LOCAL = 0;
const TWO64 = 1n << 64n;

const ET_NAMES: Record<number, string> = { 0: 'ET_NONE', 1: 'ET_REL', 2: 'ET_EXEC', 3: 'ET_DYN', 4: 'ET_CORE' };


/** Bounds-checked little/big-endian reads over the whole file. */
class Reader {
  private readonly dv: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly le: boolean,
    readonly fail: (msg: string) => never,
  ) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  private check(off: number, n: number, what: string): void {
    if (!Number.isSafeInteger(off) || off < 0 || off + n > this.bytes.length) {
      this.fail(`${what} at offset ${hex(off)} is past end of file`);
    }
  }
  u8(off: number, what = 'field'): number {
    this.check(off, 1, what);
    return this.dv.getUint8(off);
  }
  u16(off: number, what = 'field'): number {
    this.check(off, 2, what);
    return this.dv.getUint16(off, this.le);
  }
  u32(off: number, what = 'field'): number {
    this.check(off, 4, what);
    return this.dv.getUint32(off, this.le);
  }
  u64(off: number, what = 'field'): bigint {
    this.check(off, 8, what);
    return this.dv.getBigUint64(off, this.le);
  }
  /** True when [off, off+size) lies inside the file (both bigint, any values). */
  fits(off: bigint, size: bigint): boolean {
    return off >= 0n && size >= 0n && off + size <= BigInt(this.bytes.length);
  }
}

interface Section {
  name: number;
  type: number;
  flags: bigint;
  addr: bigint;
  offset: number;
  size: number;
  link: number;
  entsize: bigint;
}

/**
 * Parses and validates a PowerPC64 ELF executable. Throws ElfError (message
 * `FILE: reason`) for anything that is not a well-formed static ELF64 PowerPC64 executable.
 */
/** Starts with the ELF magic (7f 'E' 'L' 'F'). */
export function isElf(data: Uint8Array): boolean {
  return data.length >= 4 && data[0] === 0x7f && data[1] === 0x45 && data[2] === 0x4c && data[3] === 0x46;
}

export function parseElf64(bytes: Uint8Array, fileName: string): ElfImage {
  const fail = (msg: string): never => {
    throw new ElfError(`${fileName}: ${msg}`);
  };

  // --- ELF identification and header ---
  if (!isElf(bytes)) fail('not an ELF file');
  if (bytes.length < 16) fail('truncated ELF header');
  const cls = bytes[4]!;
  if (cls === 1) fail('ELF class 32 is not supported (need ELF64)');
  if (cls !== 2) fail(`invalid ELF class ${cls} (need 2, ELF64)`);
  const data = bytes[5]!;
  if (data !== 1 && data !== 2) fail(`invalid ELF data encoding ${data} (need 1, little-endian, or 2, big-endian)`);
  if (bytes[6] !== 1) fail(`unsupported ELF identification version ${bytes[6]} (need 1)`);
  if (bytes.length < EHDR_SIZE) fail(`truncated ELF header (${bytes.length} bytes, need ${EHDR_SIZE})`);
  const le = data === 1;
  const r = new Reader(bytes, le, fail);

  const eType = r.u16(16);
  const eMachine = r.u16(18);
  const eVersion = r.u32(20);
  const eEntry = r.u64(24);
  const ePhoff = r.u64(32);
  const eShoff = r.u64(40);
  const eFlags = r.u32(48);
  const eEhsize = r.u16(52);
  const ePhentsize = r.u16(54);
  let ePhnum = r.u16(56);
  const eShentsize = r.u16(58);
  let eShnum = r.u16(60);
  let eShstrndx = r.u16(62);

  if (eMachine !== EM_PPC64) {
    // 21 read in the other byte order is 0x1500: EI_DATA names the wrong byte order.
    if (eMachine === ((EM_PPC64 & 0xff) << 8)) fail(`EI_DATA (byte 5) says ${le ? 'little' : 'big'}-endian, but the header is ${le ? 'big' : 'little'}-endian (e_machine reads as ${eMachine}, PowerPC64 = ${EM_PPC64} byte-swapped)`);
    fail(`machine ${eMachine} is not PowerPC64 (${EM_PPC64})`);
  }
  if (eType === ET_DYN) fail('is a position-independent executable (ET_DYN), which is not supported; link with -static -no-pie');
  if (eType !== ET_EXEC) fail(`ELF type ${eType} (${ET_NAMES[eType] ?? 'unknown'}) is not an executable (need ET_EXEC)`);
  if (eVersion !== 1) fail(`unsupported ELF version ${eVersion} (need 1)`);
  if (eEhsize !== EHDR_SIZE) fail(`ELF header size ${eEhsize} is not ${EHDR_SIZE}`);
  const abiField = eFlags & 3;
  if (abiField === 3) fail(`e_flags ${hex(eFlags)} names unknown ABI version 3`);
  const abiVersion: 1 | 2 = abiField === 2 ? 2 : abiField === 1 ? 1 : le ? 2 : 1;

  // --- section header table (only its size is needed first, for PN_XNUM) ---
  let section0: Section | null = null;
  if (eShoff !== 0n) {
    if (eShentsize !== SHDR_SIZE) fail(`section header size ${eShentsize} is not ${SHDR_SIZE}`);
    if (!r.fits(eShoff, BigInt(SHDR_SIZE))) fail(`section header table at ${hex(eShoff)} extends past end of file`);
    section0 = readSection(r, Number(eShoff));
  }
  if (ePhnum === PN_XNUM) {
    if (!section0) fail('e_phnum is PN_XNUM but there is no section header 0 to hold the count');
    ePhnum = r.u32(Number(eShoff) + 44);
  }

  // --- program headers ---
  if (ePhnum === 0) fail('no program headers (no PT_LOAD segment)');
  if (ePhentsize !== PHDR_SIZE) fail(`program header size ${ePhentsize} is not ${PHDR_SIZE}`);
  if (!r.fits(ePhoff, BigInt(ePhnum) * BigInt(PHDR_SIZE))) {
    fail(`program header table (${ePhnum} entries at offset ${hex(ePhoff)}) extends past end of file`);
  }
  const phoff = Number(ePhoff);
  const segments: ElfSegment[] = [];
  const ranges: Array<{ index: number; start: bigint; end: bigint; fileEnd: bigint; off: number }> = [];
  let totalMem = 0;
  let phdrAddr: bigint | null = null;
  for (let i = 0; i < ePhnum; i++) {
    const o = phoff + i * PHDR_SIZE;
    const pType = r.u32(o);
    const pFlags = r.u32(o + 4);
    const pOffset = r.u64(o + 8);
    const pVaddr = r.u64(o + 16);
    const pFilesz = r.u64(o + 32);
    const pMemsz = r.u64(o + 40);
    const pAlign = r.u64(o + 48);
    if (pType === PT_NULL) continue;
    if (pType === PT_PHDR) phdrAddr = pVaddr;
    if (pType === PT_INTERP) fail(`program header ${i} is PT_INTERP: dynamically linked programs are not supported; link with -static`);
    if (pType === PT_DYNAMIC) fail(`program header ${i} is PT_DYNAMIC: dynamically linked programs are not supported; link with -static`);
    if (!r.fits(pOffset, pFilesz)) fail(`program header ${i} extends past end of file`);
    if (pType !== PT_LOAD) continue;
    if (pFilesz > pMemsz) fail(`program header ${i}: p_filesz ${hex(pFilesz)} is larger than p_memsz ${hex(pMemsz)}`);
    if (pMemsz > BigInt(MAX_LOAD_BYTES)) fail(`program header ${i}: p_memsz ${hex(pMemsz)} is too large (limit ${hex(MAX_LOAD_BYTES)})`);
    if (pVaddr + pMemsz > TWO64) fail(`program header ${i}: segment at ${hex(pVaddr)} of size ${hex(pMemsz)} wraps past the end of the address space`);
    if (pAlign > 1n) {
      if ((pAlign & (pAlign - 1n)) !== 0n) fail(`program header ${i}: p_align ${hex(pAlign)} is not a power of two`);
      if (pVaddr % pAlign !== pOffset % pAlign) fail(`program header ${i}: p_vaddr ${hex(pVaddr)} and p_offset ${hex(pOffset)} differ modulo p_align ${hex(pAlign)}`);
    }
    const memsz = Number(pMemsz);
    totalMem += memsz;
    if (totalMem > MAX_LOAD_BYTES) fail(`PT_LOAD segments total more than ${hex(MAX_LOAD_BYTES)} bytes`);
    const off = Number(pOffset);
    const filesz = Number(pFilesz);
    segments.push({ vaddr: pVaddr, memsz, data: Uint8Array.from(bytes.subarray(off, off + filesz)), flags: pFlags & 7 });
    ranges.push({ index: i, start: pVaddr, end: pVaddr + pMemsz, fileEnd: pVaddr + pFilesz, off });
  }
  if (segments.length === 0) fail('no PT_LOAD segment');
  if (phdrAddr === null) {
    const holder = ranges.find((x) => ePhoff >= BigInt(x.off) && ePhoff + BigInt(ePhnum * PHDR_SIZE) <= BigInt(x.off) + (x.fileEnd - x.start));
    if (holder) phdrAddr = holder.start + (ePhoff - BigInt(holder.off));
  }
  const sorted = [...ranges].filter((x) => x.end > x.start).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  for (let k = 1; k < sorted.length; k++) {
    const a = sorted[k - 1]!;
    const b = sorted[k]!;
    if (b.start < a.end) fail(`program headers ${a.index} and ${b.index}: PT_LOAD segments overlap at ${hex(b.start)}`);
  }
  const inLoad = (addr: bigint): boolean => ranges.some((x) => addr >= x.start && addr < x.end);
  /** Reads a doubleword from a segment's file bytes, or null when [addr, addr+8) is not there. */
  const readLoaded64 = (addr: bigint): bigint | null => {
    for (const x of ranges) {
      if (addr >= x.start && addr + 8n <= x.fileEnd) return r.u64(x.off + Number(addr - x.start));
    }
    return null;
  };

  // --- entry point ---
  let entry: bigint;
  let toc: bigint | null = null;
  if (!inLoad(eEntry)) fail(`e_entry ${hex(eEntry)} is not in a loadable segment`);
  if (abiVersion === 1) {
    const code = readLoaded64(eEntry);
    const tocVal = readLoaded64(eEntry + 8n);
    if (code === null || tocVal === null) {
      fail(`e_entry ${hex(eEntry)}: the ELFv1 function descriptor there is not in a segment's file data`);
    }
    entry = code!;
    toc = tocVal!;
    if (!inLoad(entry)) fail(`entry point ${hex(entry)} (from the ELFv1 descriptor at ${hex(eEntry)}) is not in a loadable segment`);
  } else {
    entry = eEntry;
  }
  if ((entry & 3n) !== 0n) fail(`entry point ${hex(entry)} is not 4-byte aligned`);

  // --- sections and symbols ---
  const symbols = new Map<string, bigint>();
  const codeSections: CodeSection[] = [];
  const rawSymbols: RawSymbol[] = [];
  if (section0) {
    if (eShnum === 0) {
      const n = section0.size;
      if (n > 0 && n < SHN_LORESERVE) fail(`section header 0 holds a section count ${n} below SHN_LORESERVE`);
      eShnum = n;
    }
    if (eShstrndx === SHN_XINDEX) eShstrndx = section0.link;
    if (eShnum > 0) {
      if (!r.fits(eShoff, BigInt(eShnum) * BigInt(SHDR_SIZE))) {
        fail(`section header table (${eShnum} entries at offset ${hex(eShoff)}) extends past end of file`);
      }
      const sections: Section[] = [];
      for (let i = 0; i < eShnum; i++) sections.push(readSection(r, Number(eShoff) + i * SHDR_SIZE, i));
      const names = readSymbols(r, sections, eShstrndx, abiVersion, readLoaded64, symbols, rawSymbols);
      sections.forEach((s, i) => {
        // SHF_ALLOC (2) | SHF_EXECINSTR (4), SHT_PROGBITS (1)
        if (i > 0 && s.type === 1 && (s.flags & 6n) === 6n && s.size > 0) {
          codeSections.push({ index: i, name: names[i] ?? '', addr: s.addr, data: bytes.subarray(s.offset, s.offset + s.size) });
        }
      });
    }
  }

  return { littleEndian: le, abiVersion, entry, toc, segments, symbols, phdrAddr, phnum: ePhnum, codeSections, rawSymbols };
}

/** Reads a section header; offsets/sizes of non-NOBITS sections must lie in the file. */
function readSection(r: Reader, o: number, index = 0): Section {
  const name = r.u32(o);
  const type = r.u32(o + 4);
  const flags = r.u64(o + 8);
  const addr = r.u64(o + 16);
  const offset = r.u64(o + 24);
  const size = r.u64(o + 32);
  const link = r.u32(o + 40);
  const entsize = r.u64(o + 56);
  // Section 0 of a file with extended numbering uses sh_size/sh_link as counts; never a range.
  const ranged = index !== 0 && type !== SHT_NOBITS && type !== 0;
  if (ranged && !r.fits(offset, size)) {
    r.fail(`section header ${index} (offset ${hex(offset)}, size ${hex(size)}) extends past end of file`);
  }
  const big = size > 0xffffffffn;
  return {
    name,
    type,
    flags,
    addr,
    offset: ranged ? Number(offset) : 0,
    size: index === 0 ? (big ? 0xffffffff : Number(size)) : ranged ? Number(size) : 0,
    link,
    entsize,
  };
}

function readSymbols(
  r: Reader,
  sections: Section[],
  shstrndx: number,
  abiVersion: 1 | 2,
  readLoaded64: (addr: bigint) => bigint | null,
  out: Map<string, bigint>,
  raw: RawSymbol[],
): string[] {
  const fail = r.fail;
  const dec = new TextDecoder('utf-8', { fatal: false });
  const cstr = (tab: Section, off: number, what: string): string => {
    if (off >= tab.size) fail(`${what}: name offset ${hex(off)} is outside its string table`);
    const start = tab.offset + off;
    const limit = tab.offset + tab.size;
    let end = start;
    while (end < limit && r.bytes[end] !== 0) end++;
    if (end === limit) fail(`${what}: name at string table offset ${hex(off)} is not NUL-terminated`);
    return dec.decode(r.bytes.subarray(start, end));
  };
  let opdIndex = -1;
  const names: string[] = [];
  if (shstrndx !== SHN_UNDEF) {
    if (shstrndx >= sections.length) fail(`e_shstrndx ${shstrndx} is not a section (${sections.length} sections)`);
    const shstr = sections[shstrndx]!;
    if (shstr.type === SHT_NOBITS || shstr.type === 0) fail(`e_shstrndx ${shstrndx} is not a string table`);
    for (let i = 1; i < sections.length; i++) {
      names[i] = cstr(shstr, sections[i]!.name, `section header ${i}`);
      if (names[i] === '.opd') opdIndex = i;
    }
  }
  for (let i = 1; i < sections.length; i++) {
    const s = sections[i]!;
    if (s.type !== SHT_SYMTAB) continue;
    if (s.entsize !== BigInt(SYM_SIZE)) fail(`section ${i} (SHT_SYMTAB): entry size ${s.entsize} is not ${SYM_SIZE}`);
    if (s.size % SYM_SIZE !== 0) fail(`section ${i} (SHT_SYMTAB): size ${hex(s.size)} is not a multiple of ${SYM_SIZE}`);
    if (s.link === 0 || s.link >= sections.length) fail(`section ${i} (SHT_SYMTAB): string table index ${s.link} is not a section`);
    const strtab = sections[s.link]!;
    if (strtab.type === SHT_NOBITS || strtab.type === 0) fail(`section ${i} (SHT_SYMTAB): section ${s.link} is not a string table`);
    const n = s.size / SYM_SIZE;
    const globals = new Set<string>();
    for (let k = 1; k < n; k++) {
      const o = s.offset + k * SYM_SIZE;
      const nameOff = r.u32(o);
      const info = r.u8(o + 4);
      const shndx = r.u16(o + 6);
      let value = r.u64(o + 8);
      const type = info & 15;
      const bind = info >> 4;
      if (nameOff === 0 || type === STT_SECTION || type === STT_FILE) continue;
      if (shndx === SHN_UNDEF) continue;
      if (shndx >= SHN_LORESERVE && shndx !== SHN_ABS && shndx !== SHN_XINDEX) continue; // COMMON etc.
      const name = cstr(strtab, nameOff, `symbol ${k} of section ${i}`);
      if (name === '') continue;
      if (shndx < SHN_LORESERVE) raw.push({ name, value, section: shndx, func: type === STT_FUNC, bind });
      if (abiVersion === 1 && type === STT_FUNC && opdIndex > 0 && shndx === opdIndex) {
        const code = readLoaded64(value);
        if (code !== null) {
          value = code;
          // objdump's synthetic ".name" symbol at the code of an ELFv1 function (BFD's
          // ppc64_elf_get_synthetic_symtab), in the section holding that code.
          const at = sections.findIndex((sec, j) => j > 0 && (sec.flags & 2n) !== 0n && code >= sec.addr && code < sec.addr + BigInt(sec.size));
          if (at > 0) raw.push({ name: '.' + name, value: code, section: at, func: true, bind, synthetic: true });
        }
      }
      const isGlobal = bind !== STB_LOCAL;
      if (out.has(name) && (globals.has(name) || !isGlobal)) continue;
      out.set(name, value);
      if (isGlobal) globals.add(name);
    }
  }
  return names;
}
