// `objdump -d` of an ELF executable, laid out as GNU objdump lays it out so the two can be
// diffed: the file-format header, one "Disassembly of section" block per allocated executable
// section, a "<symbol>:" line where a symbol of the section starts, branch targets as
// "addr <symbol+0xoff>", addresses without their common leading zeros, and a run of zero
// words shown as "..." (objdump's skip_zeroes: 8 bytes, or 4 at the end of a symbol's range).
// The instruction text itself is disassemble()'s (src/isa/disasm.ts).

import { disassemble } from './disasm.js';

export interface ListedSection {
  readonly index: number;
  readonly name: string;
  readonly addr: bigint;
  readonly data: Uint8Array;
}

export interface ListedSymbol {
  readonly name: string;
  readonly value: bigint;
  readonly section: number;
  readonly func: boolean;
  /** STB_LOCAL 0, STB_GLOBAL 1, STB_WEAK 2. */
  readonly bind: number;
  /** objdump's synthetic ELFv1 dot symbol: a real symbol at the same address is preferred. */
  readonly synthetic?: boolean;
}

export interface ObjdumpInput {
  readonly fileName: string;
  readonly littleEndian: boolean;
  readonly sections: readonly ListedSection[];
  readonly symbols: readonly ListedSymbol[];
}

export interface ObjdumpRange {
  readonly start?: bigint;
  readonly stop?: bigint;
}

const SKIP_ZEROES = 8;
const SKIP_ZEROES_AT_END = 4;

/** Binding preference when several symbols share an address: global, then weak, then local. */
const BIND_RANK = [1, 3, 2];

/** The symbol objdump names an address after when several share it: a real one, a function, the strongest binding, the first. */
function better(a: ListedSymbol, b: ListedSymbol): boolean {
  if ((a.synthetic ?? false) !== (b.synthetic ?? false)) return !a.synthetic;
  if (a.func !== b.func) return a.func;
  const ra = BIND_RANK[a.bind] ?? 0;
  const rb = BIND_RANK[b.bind] ?? 0;
  return ra > rb;
}

/** Symbols of one section by address, one per address, sorted. */
function sectionSymbols(symbols: readonly ListedSymbol[], section: ListedSection): ListedSymbol[] {
  const end = section.addr + BigInt(section.data.length);
  const best = new Map<bigint, ListedSymbol>();
  for (const s of symbols) {
    if (s.section !== section.index || s.value < section.addr || s.value >= end) continue;
    const cur = best.get(s.value);
    if (!cur || better(s, cur)) best.set(s.value, s);
  }
  return [...best.values()].sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

/** objdump's address column: the 16-digit address less the leading zeros the section's end has, in groups of four, zeros shown as spaces. */
function addressColumn(addr: bigint, sectionEnd: bigint): string {
  const endText = sectionEnd.toString(16).padStart(16, '0');
  let zeros = 0;
  while (zeros < 16 && endText[zeros] === '0') zeros++;
  const skip = zeros > 0 ? (zeros - 1) & ~3 : 0;
  const t = addr.toString(16).padStart(16, '0').slice(skip);
  const firstNonZero = t.search(/[^0]/);
  const keep = firstNonZero < 0 ? t.length - 1 : firstNonZero;
  return ' '.repeat(keep) + t.slice(keep);
}

export function objdumpListing(input: ObjdumpInput, range: ObjdumpRange = {}): string[] {
  const out: string[] = ['', `${input.fileName}:     file format elf64-powerpc${input.littleEndian ? 'le' : ''}`, '', ''];
  const perSection = input.sections.map((s) => ({ s, syms: sectionSymbols(input.symbols, s) }));
  const targetText = (target: bigint): string => {
    const hit = perSection.find(({ s }) => target >= s.addr && target < s.addr + BigInt(s.data.length));
    let sym: ListedSymbol | undefined;
    for (const x of hit?.syms ?? []) if (x.value <= target) sym = x;
    if (!sym) return target.toString(16);
    const off = target - sym.value;
    return `${target.toString(16)} <${sym.name}${off === 0n ? '' : `+0x${off.toString(16)}`}>`;
  };
  for (const { s, syms } of perSection) {
    const end = s.addr + BigInt(s.data.length);
    const from = range.start !== undefined && range.start > s.addr ? range.start : s.addr;
    const to = range.stop !== undefined && range.stop < end ? range.stop : end;
    if (from >= to) continue;
    out.push(`Disassembly of section ${s.name}:`);
    const dv = new DataView(s.data.buffer, s.data.byteOffset, s.data.byteLength);
    let k = 0;
    let off = Number(from - s.addr);
    const stop = Number(to - s.addr);
    while (k < syms.length && syms[k]!.value < from) k++;
    if (!(k < syms.length && syms[k]!.value === from)) {
      // No symbol starts here: objdump names the start after the symbol it lies in, or the section.
      const inside = k > 0 ? syms[k - 1]! : null;
      const name = inside ? `${inside.name}+0x${(from - inside.value).toString(16)}` : s.name;
      out.push('', `${from.toString(16).padStart(16, '0')} <${name}>:`);
    }
    while (off < stop) {
      const addr = s.addr + BigInt(off);
      if (k < syms.length && syms[k]!.value === addr) {
        out.push('', `${addr.toString(16).padStart(16, '0')} <${syms[k]!.name}>:`);
        k++;
      }
      // The end of this symbol's range for skipping zeros: the next symbol from the table (a
      // synthetic ELFv1 dot symbol does not end one, as objdump shows), or the end listed.
      let next = k;
      while (next < syms.length && syms[next]!.synthetic) next++;
      const rangeEnd = Math.min(stop, next < syms.length ? Number(syms[next]!.value - s.addr) : stop);
      // Zeros are skipped only up to the next symbol of any kind (its header must print).
      const skipEnd = Math.min(rangeEnd, k < syms.length ? Number(syms[k]!.value - s.addr) : stop);
      let z = off;
      while (z < skipEnd && s.data[z] === 0) z++;
      if (z - off >= SKIP_ZEROES || (z === rangeEnd && z - off >= SKIP_ZEROES_AT_END)) {
        if (z !== rangeEnd) z = off + ((z - off) & ~3);
        out.push('\t...');
        off = z;
        continue;
      }
      if (off + 4 > s.data.length) {
        const bytes = Array.from(s.data.subarray(off), (b) => b.toString(16).padStart(2, '0')).join(' ');
        out.push(`${addressColumn(addr, end)}:\t${bytes}`);
        break;
      }
      const w = dv.getUint32(off, input.littleEndian);
      const bytes = Array.from(s.data.subarray(off, off + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
      out.push(`${addressColumn(addr, end)}:\t${bytes} \t${disassemble(w, addr, targetText, true).text}`);
      off += 4;
    }
    out.push('');
  }
  if (out[out.length - 1] === '') out.pop();
  return out;
}
