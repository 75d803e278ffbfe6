// ELF64 loader: real executables from the GNU tools checked against readelf/objdump, hand-made
// malformed files, and a fuzz loop (every mutation of a valid file must give an ElfImage or an
// ElfError, never another exception).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ElfError, MAX_LOAD_BYTES, parseElf64, type ElfImage } from '../../src/cpu/elf-loader.js';
import { Rng } from '../oracle/progen.js';

// ------------------------------------------------------------------ tools

function haveTool(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return r.status === 0;
}
const TOOLS = [
  'powerpc64-linux-gnu-gcc', 'powerpc64-linux-gnu-as', 'powerpc64-linux-gnu-ld', 'powerpc64-linux-gnu-readelf',
  'powerpc64-linux-gnu-objdump', 'powerpc64le-linux-gnu-as', 'powerpc64le-linux-gnu-ld',
];
const missing = TOOLS.filter((t) => !haveTool(t));
if (missing.length) {
  console.warn(`elf-loader.test: skipping the GNU-tool tests: not installed: ${missing.join(', ')}`);
}

function run(cmd: string, args: string[], cwd?: string): string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', cwd });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stderr}`);
  return r.stdout;
}

// ------------------------------------------------------------------ readelf/objdump parsing

interface ReadElf {
  entry: bigint;
  flags: number;
  bigEndian: boolean;
  loads: Array<{ offset: number; vaddr: bigint; filesz: number; memsz: number; flags: number }>;
  symbols: Array<{ value: bigint; type: string; ndx: string; name: string }>;
  sections: Map<string, number>;
}

function readelf(path: string): ReadElf {
  const out = run('powerpc64-linux-gnu-readelf', ['-h', '-l', '-s', '-S', '-W', path]);
  const entry = BigInt(/Entry point address:\s+(0x[0-9a-f]+)/.exec(out)![1]!);
  const flags = Number(/Flags:\s+(0x[0-9a-f]+)/.exec(out)![1]!);
  const bigEndian = /Data:.*big endian/.test(out);
  const loads: ReadElf['loads'] = [];
  for (const m of out.matchAll(/^\s*LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+([R ][W ][E ])\s/gm)) {
    const f = m[5]!;
    loads.push({
      offset: Number(m[1]),
      vaddr: BigInt(m[2]!),
      filesz: Number(m[3]),
      memsz: Number(m[4]),
      flags: (f[0] === 'R' ? 4 : 0) | (f[1] === 'W' ? 2 : 0) | (f[2] === 'E' ? 1 : 0),
    });
  }
  const symbols: ReadElf['symbols'] = [];
  for (const m of out.matchAll(/^\s*\d+:\s+([0-9a-f]{16})\s+\d+\s+(\w+)\s+\w+\s+\w+\s+(\w+)\s+(\S+)\s*$/gm)) {
    symbols.push({ value: BigInt('0x' + m[1]), type: m[2]!, ndx: m[3]!, name: m[4]! });
  }
  const sections = new Map<string, number>();
  for (const m of out.matchAll(/^\s*\[\s*(\d+)\]\s+(\S+)\s+\w+\s+[0-9a-f]{16}/gm)) sections.set(m[2]!, Number(m[1]));
  return { entry, flags, bigEndian, loads, symbols, sections };
}

/** Contents of a section as objdump -s prints it: address -> byte. */
function objdumpSection(path: string, section: string): Map<bigint, number> {
  const out = run('powerpc64-linux-gnu-objdump', ['-s', '-j', section, path]);
  const mem = new Map<bigint, number>();
  for (const m of out.matchAll(/^ ([0-9a-f]+) ((?:[0-9a-f]{2,8} ?){1,4})/gm)) {
    let a = BigInt('0x' + m[1]);
    for (const word of m[2]!.trim().split(/\s+/)) {
      for (let i = 0; i < word.length; i += 2) mem.set(a++, parseInt(word.slice(i, i + 2), 16));
    }
  }
  return mem;
}

function be64(mem: Map<bigint, number>, a: bigint): bigint {
  let v = 0n;
  for (let i = 0n; i < 8n; i++) v = (v << 8n) | BigInt(mem.get(a + i)!);
  return v;
}

/** Addresses objdump -d labels with a function name (`<name>:` headers). */
function objdumpLabels(path: string): Map<string, bigint> {
  const out = run('powerpc64-linux-gnu-objdump', ['-d', path]);
  const m = new Map<string, bigint>();
  for (const x of out.matchAll(/^([0-9a-f]{16}) <([^>]+)>:$/gm)) m.set(x[2]!, BigInt('0x' + x[1]));
  return m;
}

function checkAgainstReadelf(img: ElfImage, bytes: Uint8Array, re: ReadElf): void {
  expect(img.littleEndian).toBe(!re.bigEndian);
  expect(img.segments.length).toBe(re.loads.length);
  img.segments.forEach((s, i) => {
    const l = re.loads[i]!;
    expect(s.vaddr).toBe(l.vaddr);
    expect(s.memsz).toBe(l.memsz);
    expect(s.data.length).toBe(l.filesz);
    expect(s.flags).toBe(l.flags);
    expect(Buffer.from(s.data).equals(Buffer.from(bytes.subarray(l.offset, l.offset + l.filesz)))).toBe(true);
  });
}

// ------------------------------------------------------------------ real executables

const C_SRC = `
static long table[8] = { 3, 1, 4, 1, 5, 9, 2, 6 };
static long counter;
static char buffer[4096];
long pick(long i) { return table[i & 7] * 10 + (long)buffer[i & 4095]; }
void _start(void) {
  long s = 0;
  for (long i = 0; i < 20; i++) { s += pick(i); counter++; }
  register long r0 __asm__("r0") = 234;
  register long r3 __asm__("r3") = (s + counter) & 0xff;
  __asm__ volatile("sc" : "+r"(r0), "+r"(r3) : : "memory");
  for (;;) ;
}
`;

const ASM_SRC = `
	.abiversion 2
	.text
	.globl _start
	.type _start,@function
_start:
	li 3, 7
	bl helper
	li 0, 234
	sc
	.globl helper
	.type helper,@function
helper:
	addi 3, 3, 1
	blr
	.data
	.globl value
value:
	.quad 0x1122334455667788
	.bss
	.globl zeroes
zeroes:
	.space 8192
`;

describe.skipIf(missing.length > 0)('parseElf64 on GNU-built executables', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ppc64emu-elf-'));
    writeFileSync(join(dir, 'v1.c'), C_SRC);
    writeFileSync(join(dir, 'v2.s'), ASM_SRC);
    run('powerpc64-linux-gnu-gcc', ['-O2', '-nostdlib', '-static', '-ffreestanding', '-fno-stack-protector', '-o', 'v1', 'v1.c'], dir);
    run('powerpc64-linux-gnu-as', ['-a64', '-mpower9', '-o', 'v2be.o', 'v2.s'], dir);
    run('powerpc64-linux-gnu-ld', ['-o', 'v2be', 'v2be.o'], dir);
    run('powerpc64le-linux-gnu-as', ['-mpower9', '-o', 'v2le.o', 'v2.s'], dir);
    run('powerpc64le-linux-gnu-ld', ['-o', 'v2le', 'v2le.o'], dir);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('big-endian ELFv1 from gcc: entry and TOC from the .opd descriptor', () => {
    const path = join(dir, 'v1');
    const bytes = new Uint8Array(readFileSync(path));
    const img = parseElf64(bytes, 'v1');
    const re = readelf(path);
    expect(re.flags & 3).toBe(1);
    expect(img.abiVersion).toBe(1);
    checkAgainstReadelf(img, bytes, re);
    // e_entry points at the descriptor; its doublewords are the code address and the TOC.
    const opd = objdumpSection(path, '.opd');
    expect(img.entry).toBe(be64(opd, re.entry));
    expect(img.toc).toBe(be64(opd, re.entry + 8n));
    expect(img.entry).not.toBe(re.entry);
    // objdump labels the code of _start (as `_start` or the dot symbol `._start`).
    const labels = objdumpLabels(path);
    expect(labels.get('_start') ?? labels.get('._start')).toBe(img.entry);
    // Function symbols are given their code address; data symbols keep their value.
    expect(img.symbols.get('_start')).toBe(img.entry);
    expect(img.symbols.get('pick')).toBe(labels.get('pick') ?? labels.get('.pick'));
    const table = re.symbols.find((s) => s.name === 'table')!;
    expect(img.symbols.get('table')).toBe(table.value);
    // .bss makes the data segment's memory larger than its file image.
    expect(img.segments.some((s) => s.memsz > s.data.length)).toBe(true);
  });

  for (const [name, le] of [['v2be', false], ['v2le', true]] as const) {
    it(`${le ? 'little' : 'big'}-endian ELFv2 from as + ld: entry is e_entry, no TOC`, () => {
      const path = join(dir, name);
      const bytes = new Uint8Array(readFileSync(path));
      const img = parseElf64(bytes, name);
      const re = readelf(path);
      expect(re.flags & 3).toBe(2);
      expect(img.abiVersion).toBe(2);
      expect(img.littleEndian).toBe(le);
      expect(img.entry).toBe(re.entry);
      expect(img.toc).toBeNull();
      checkAgainstReadelf(img, bytes, re);
      for (const s of ['_start', 'helper', 'value', 'zeroes']) {
        expect(img.symbols.get(s)).toBe(re.symbols.find((x) => x.name === s)!.value);
      }
      expect(img.symbols.get('_start')).toBe(img.entry);
      const bss = img.segments.find((s) => s.memsz >= s.data.length + 8192);
      expect(bss).toBeDefined();
    });
  }

  it('fuzz: mutations of the GNU-built files give an ElfImage or an ElfError', () => {
    for (const name of ['v1', 'v2be', 'v2le']) fuzz(new Uint8Array(readFileSync(join(dir, name))), name, 2000);
  });
});

// ------------------------------------------------------------------ synthetic ELF files

interface SynthSeg {
  type?: number;
  vaddr: bigint;
  data: Uint8Array;
  memsz?: number;
  flags: number;
  name?: string;
}
interface SynthSym {
  name: string;
  value: bigint;
  /** Index into segs (section index = seg + 1), or 'abs'. */
  seg: number | 'abs';
  type: number; // STT_*
  bind?: number;
}
interface SynthOpts {
  le?: boolean;
  abi?: number;
  entry: bigint;
  segs: SynthSeg[];
  syms?: SynthSym[];
}

/** Lays out a small static executable: one section per segment, plus .symtab/.strtab/.shstrtab. */
function synth(o: SynthOpts): Uint8Array {
  const le = o.le ?? false;
  const align = (n: number, a: number) => Math.ceil(n / a) * a;
  const phoff = 64;
  let off = align(phoff + 56 * o.segs.length, 16);
  const segOff: number[] = [];
  for (const s of o.segs) {
    // file offset congruent to vaddr mod 0x1000
    const want = Number(s.vaddr & 0xfffn);
    off = align(off, 0x1000) + want;
    segOff.push(off);
    off += s.data.length;
  }
  const strs = ['', ...(o.syms ?? []).map((s) => s.name)];
  const strtab = Buffer.from(strs.join('\0') + '\0');
  const strOff = (k: number) => strs.slice(0, k).reduce((a, s) => a + s.length + 1, 0);
  const secNames = ['', ...o.segs.map((s, i) => s.name ?? `.seg${i}`), '.symtab', '.strtab', '.shstrtab'];
  const shstrtab = Buffer.from(secNames.join('\0') + '\0');
  const shName = (k: number) => secNames.slice(0, k).reduce((a, s) => a + s.length + 1, 0);
  const nsym = (o.syms?.length ?? 0) + 1;
  const symOff = align(off, 8);
  const strtabOff = symOff + nsym * 24;
  const shstrOff = strtabOff + strtab.length;
  const shoff = align(shstrOff + shstrtab.length, 8);
  const shnum = secNames.length;
  const total = shoff + shnum * 64;
  const b = new Uint8Array(total);
  const v = new DataView(b.buffer);
  b.set([0x7f, 0x45, 0x4c, 0x46, 2, le ? 1 : 2, 1, 0]);
  v.setUint16(16, 2, le);
  v.setUint16(18, 21, le);
  v.setUint32(20, 1, le);
  v.setBigUint64(24, o.entry, le);
  v.setBigUint64(32, BigInt(phoff), le);
  v.setBigUint64(40, BigInt(shoff), le);
  v.setUint32(48, o.abi ?? 2, le);
  v.setUint16(52, 64, le);
  v.setUint16(54, 56, le);
  v.setUint16(56, o.segs.length, le);
  v.setUint16(58, 64, le);
  v.setUint16(60, shnum, le);
  v.setUint16(62, shnum - 1, le);
  o.segs.forEach((s, i) => {
    const p = phoff + 56 * i;
    v.setUint32(p, s.type ?? 1, le);
    v.setUint32(p + 4, s.flags, le);
    v.setBigUint64(p + 8, BigInt(segOff[i]!), le);
    v.setBigUint64(p + 16, s.vaddr, le);
    v.setBigUint64(p + 24, s.vaddr, le);
    v.setBigUint64(p + 32, BigInt(s.data.length), le);
    v.setBigUint64(p + 40, BigInt(s.memsz ?? s.data.length), le);
    v.setBigUint64(p + 48, 0x1000n, le);
    b.set(s.data, segOff[i]!);
  });
  (o.syms ?? []).forEach((s, k) => {
    const p = symOff + (k + 1) * 24;
    v.setUint32(p, strOff(k + 1), le);
    b[p + 4] = ((s.bind ?? 1) << 4) | s.type;
    v.setUint16(p + 6, s.seg === 'abs' ? 0xfff1 : s.seg + 1, le);
    v.setBigUint64(p + 8, s.value, le);
  });
  b.set(strtab, strtabOff);
  b.set(shstrtab, shstrOff);
  const sh = (i: number, name: number, type: number, addr: bigint, offset: number, size: number, link: number, entsize: number) => {
    const p = shoff + 64 * i;
    v.setUint32(p, name, le);
    v.setUint32(p + 4, type, le);
    v.setBigUint64(p + 16, addr, le);
    v.setBigUint64(p + 24, BigInt(offset), le);
    v.setBigUint64(p + 32, BigInt(size), le);
    v.setUint32(p + 40, link, le);
    v.setBigUint64(p + 56, BigInt(entsize), le);
  };
  o.segs.forEach((s, i) => sh(i + 1, shName(i + 1), 1, s.vaddr, segOff[i]!, s.data.length, 0, 0));
  const k = o.segs.length + 1;
  sh(k, shName(k), 2, 0n, symOff, nsym * 24, k + 1, 24);
  sh(k + 1, shName(k + 1), 3, 0n, strtabOff, strtab.length, 0, 0);
  sh(k + 2, shName(k + 2), 3, 0n, shstrOff, shstrtab.length, 0, 0);
  return b;
}

function words(le: boolean, ...ws: number[]): Uint8Array {
  const b = new Uint8Array(ws.length * 4);
  const v = new DataView(b.buffer);
  ws.forEach((w, i) => v.setUint32(i * 4, w, le));
  return b;
}
function dwords(le: boolean, ...ds: bigint[]): Uint8Array {
  const b = new Uint8Array(ds.length * 8);
  const v = new DataView(b.buffer);
  ds.forEach((d, i) => v.setBigUint64(i * 8, d, le));
  return b;
}

const CODE = 0x10000000n;
const DATA = 0x10020000n;
// li r3,0 ; li r0,234 ; sc
const EXIT = [0x38600000, 0x380000ea, 0x44000002];

function v2(le = false): Uint8Array {
  return synth({
    le,
    entry: CODE,
    segs: [
      { vaddr: CODE, data: words(le, ...EXIT), flags: 5, name: '.text' },
      { vaddr: DATA, data: dwords(le, 0x1234n), memsz: 0x2000, flags: 6, name: '.data' },
    ],
    syms: [
      { name: '_start', value: CODE, seg: 0, type: 2 },
      { name: 'local_label', value: CODE + 4n, seg: 0, type: 0, bind: 0 },
      { name: 'var', value: DATA, seg: 1, type: 1 },
      { name: 'CONST', value: 42n, seg: 'abs', type: 0 },
    ],
  });
}

const OPD = 0x10010000n;
const TOC = 0x10018000n;
function v1(abi = 1): Uint8Array {
  return synth({
    abi,
    entry: OPD,
    segs: [
      { vaddr: CODE, data: words(false, ...EXIT), flags: 5, name: '.text' },
      { vaddr: OPD, data: dwords(false, CODE, TOC, 0n, CODE + 4n, TOC, 0n), flags: 6, name: '.opd' },
    ],
    syms: [
      { name: '_start', value: OPD, seg: 1, type: 2 },
      { name: 'second', value: OPD + 24n, seg: 1, type: 2 },
      { name: 'opd_data', value: OPD + 8n, seg: 1, type: 1 },
    ],
  });
}

/** Header/program-header field offsets for patching (ELF64). */
const E = { type: 16, machine: 18, version: 20, entry: 24, phoff: 32, shoff: 40, flags: 48, ehsize: 52, phentsize: 54, phnum: 56, shentsize: 58, shnum: 60, shstrndx: 62 };
const P = { type: 0, flags: 4, offset: 8, vaddr: 16, filesz: 32, memsz: 40, align: 48 };

function patch(b: Uint8Array, off: number, size: 1 | 2 | 4 | 8, value: number | bigint, le = false): Uint8Array {
  const c = Uint8Array.from(b);
  const v = new DataView(c.buffer);
  if (size === 1) v.setUint8(off, Number(value));
  else if (size === 2) v.setUint16(off, Number(value), le);
  else if (size === 4) v.setUint32(off, Number(value), le);
  else v.setBigUint64(off, BigInt(value), le);
  return c;
}
const ph = (i: number, field: keyof typeof P) => 64 + 56 * i + P[field];

function elfError(b: Uint8Array): string {
  try {
    parseElf64(b, 'prog');
  } catch (e) {
    expect(e).toBeInstanceOf(ElfError);
    const m = (e as Error).message;
    expect(m.startsWith('prog: ')).toBe(true);
    expect(m).not.toContain('\n');
    return m;
  }
  throw new Error('parseElf64 accepted the file');
}

describe('parseElf64 on synthetic files', () => {
  it('reads an ELFv2 file in both byte orders', () => {
    for (const le of [false, true]) {
      const img = parseElf64(v2(le), 'prog');
      expect(img.littleEndian).toBe(le);
      expect(img.abiVersion).toBe(2);
      expect(img.entry).toBe(CODE);
      expect(img.toc).toBeNull();
      expect(img.segments.map((s) => [s.vaddr, s.memsz, s.data.length, s.flags])).toEqual([
        [CODE, 12, 12, 5],
        [DATA, 0x2000, 8, 6],
      ]);
      expect(img.segments[0]!.data).toEqual(words(le, ...EXIT));
      expect([...img.symbols]).toEqual([
        ['_start', CODE],
        ['local_label', CODE + 4n],
        ['var', DATA],
        ['CONST', 42n],
      ]);
    }
  });

  it('reads an ELFv1 file: entry and TOC from the descriptor, function symbols to code', () => {
    for (const abi of [1, 0]) {
      const img = parseElf64(v1(abi), 'prog');
      expect(img.abiVersion).toBe(1);
      expect(img.entry).toBe(CODE);
      expect(img.toc).toBe(TOC);
      expect(img.symbols.get('_start')).toBe(CODE);
      expect(img.symbols.get('second')).toBe(CODE + 4n);
      expect(img.symbols.get('opd_data')).toBe(OPD + 8n);
    }
  });

  it('treats e_flags 0 on a little-endian file as ELFv2', () => {
    const img = parseElf64(patch(v2(true), E.flags, 4, 0, true), 'prog');
    expect(img.abiVersion).toBe(2);
    expect(img.entry).toBe(CODE);
  });

  it('copies segment bytes (later changes to the input do not leak in)', () => {
    const b = v2();
    const img = parseElf64(Buffer.from(b), 'prog');
    b.fill(0);
    expect(img.segments[0]!.data).toEqual(words(false, ...EXIT));
    expect(Object.getPrototypeOf(img.segments[0]!.data)).toBe(Uint8Array.prototype);
  });

  it('prefers global symbols over locals of the same name', () => {
    const b = synth({
      entry: CODE,
      segs: [{ vaddr: CODE, data: words(false, ...EXIT, 0, 0), flags: 5 }],
      syms: [
        { name: 'dup', value: CODE + 4n, seg: 0, type: 0, bind: 0 },
        { name: 'dup', value: CODE + 8n, seg: 0, type: 0, bind: 1 },
        { name: 'dup', value: CODE + 12n, seg: 0, type: 0, bind: 0 },
      ],
    });
    expect(parseElf64(b, 'prog').symbols.get('dup')).toBe(CODE + 8n);
  });

  it('accepts a file without section headers (no symbols)', () => {
    let b = patch(v2(), E.shoff, 8, 0n);
    b = patch(b, E.shnum, 2, 0);
    b = patch(b, E.shstrndx, 2, 0);
    const img = parseElf64(b, 'prog');
    expect(img.symbols.size).toBe(0);
    expect(img.entry).toBe(CODE);
  });

  const cases: Array<[string, () => Uint8Array, string | RegExp]> = [
    ['empty file', () => new Uint8Array(0), 'prog: not an ELF file'],
    ['text file', () => new TextEncoder().encode('#!/bin/sh\necho hi\n'), 'prog: not an ELF file'],
    ['truncated identification', () => v2().subarray(0, 10), 'prog: truncated ELF header'],
    ['truncated header', () => v2().subarray(0, 40), /^prog: truncated ELF header \(40 bytes, need 64\)$/],
    ['ELF32', () => patch(v2(), 4, 1, 1), 'prog: ELF class 32 is not supported (need ELF64)'],
    ['bad class', () => patch(v2(), 4, 1, 7), /^prog: invalid ELF class 7/],
    ['bad data encoding', () => patch(v2(), 5, 1, 0), /^prog: invalid ELF data encoding 0/],
    ['bad ident version', () => patch(v2(), 6, 1, 2), /^prog: unsupported ELF identification version 2/],
    ['x86', () => patch(v2(), E.machine, 2, 62), 'prog: machine 62 is not PowerPC64 (21)'],
    ['ppc32 machine', () => patch(v2(), E.machine, 2, 20), 'prog: machine 20 is not PowerPC64 (21)'],
    ['relocatable object', () => patch(v2(), E.type, 2, 1), /^prog: ELF type 1 \(ET_REL\) is not an executable/],
    ['PIE', () => patch(v2(), E.type, 2, 3), /^prog: is a position-independent executable \(ET_DYN\)/],
    ['core file', () => patch(v2(), E.type, 2, 4), /^prog: ELF type 4 \(ET_CORE\)/],
    ['bad e_version', () => patch(v2(), E.version, 4, 0), /^prog: unsupported ELF version 0/],
    ['bad e_ehsize', () => patch(v2(), E.ehsize, 2, 52), /^prog: ELF header size 52 is not 64/],
    ['ABI version 3', () => patch(v2(), E.flags, 4, 3), /^prog: e_flags 0x3 names unknown ABI version 3/],
    ['no program headers', () => patch(v2(), E.phnum, 2, 0), /^prog: no program headers/],
    ['bad e_phentsize', () => patch(v2(), E.phentsize, 2, 32), /^prog: program header size 32 is not 56/],
    ['program header table past EOF', () => patch(v2(), E.phoff, 8, 0xffffffffffffff00n), /^prog: program header table \(2 entries at offset 0xffffffffffffff00\) extends past end of file$/],
    ['segment past EOF', () => patch(v2(), ph(1, 'filesz'), 8, 0x100000n), 'prog: program header 1 extends past end of file'],
    ['segment offset past EOF', () => patch(v2(), ph(0, 'offset'), 8, 0xfffffffffffffff0n), 'prog: program header 0 extends past end of file'],
    ['filesz > memsz', () => patch(v2(), ph(1, 'memsz'), 8, 4n), /^prog: program header 1: p_filesz 0x8 is larger than p_memsz 0x4$/],
    ['huge memsz', () => patch(v2(), ph(1, 'memsz'), 8, 0x100000000000n), /^prog: program header 1: p_memsz 0x100000000000 is too large/],
    ['segment wraps', () => patch(v2(), ph(1, 'vaddr'), 8, 0xfffffffffffff000n), /wraps past the end of the address space/],
    ['bad alignment', () => patch(v2(), ph(1, 'align'), 8, 0x3000n), /^prog: program header 1: p_align 0x3000 is not a power of two$/],
    ['incongruent vaddr', () => patch(v2(), ph(1, 'vaddr'), 8, DATA + 8n), /p_vaddr 0x10020008 and p_offset 0x[0-9a-f]+ differ modulo p_align 0x1000/],
    ['no PT_LOAD', () => patch(patch(v2(), ph(0, 'type'), 4, 4), ph(1, 'type'), 4, 4), 'prog: no PT_LOAD segment'],
    ['PT_INTERP', () => patch(v2(), ph(1, 'type'), 4, 3), /^prog: program header 1 is PT_INTERP: dynamically linked programs are not supported/],
    ['PT_DYNAMIC', () => patch(v2(), ph(1, 'type'), 4, 2), /^prog: program header 1 is PT_DYNAMIC/],
    ['overlap', () => patch(patch(v2(), ph(1, 'vaddr'), 8, CODE - 0x20000n), ph(1, 'memsz'), 8, 0x20008n), /^prog: program headers 1 and 0: PT_LOAD segments overlap at 0x10000000$/],
    ['entry outside', () => patch(v2(), E.entry, 8, 0x20000000n), 'prog: e_entry 0x20000000 is not in a loadable segment'],
    ['entry misaligned', () => patch(v2(), E.entry, 8, CODE + 2n), 'prog: entry point 0x10000002 is not 4-byte aligned'],
    ['v1 descriptor in bss', () => patch(patch(v1(), ph(1, 'memsz'), 8, 0x1000n), E.entry, 8, OPD + 0x100n), /^prog: e_entry 0x10010100: the ELFv1 function descriptor there is not in a segment's file data$/],
    ['v1 descriptor straddles file end', () => patch(v1(), E.entry, 8, OPD + 40n), /function descriptor there is not in a segment's file data/],
    ['v1 code outside', () => patch(v1(), E.entry, 8, OPD + 8n), /^prog: entry point 0x10018000 \(from the ELFv1 descriptor at 0x10010008\) is not in a loadable segment$/],
    ['section headers past EOF', () => patch(v2(), E.shoff, 8, 0x7fffffffn), /^prog: section header table at 0x7fffffff extends past end of file$/],
    ['bad e_shentsize', () => patch(v2(), E.shentsize, 2, 40), /^prog: section header size 40 is not 64$/],
    ['too many sections', () => patch(v2(), E.shnum, 2, 0xfeff), /^prog: section header table \(65279 entries/],
    ['bad e_shstrndx', () => patch(v2(), E.shstrndx, 2, 99), /^prog: e_shstrndx 99 is not a section/],
  ];
  for (const [name, make, msg] of cases) {
    it(`rejects: ${name}`, () => {
      const m = elfError(make());
      if (typeof msg === 'string') expect(m).toBe(msg);
      else expect(m).toMatch(msg);
    });
  }

  it('rejects a broken symbol table', () => {
    const b = v2();
    const v = new DataView(b.buffer);
    const shoff = Number(v.getBigUint64(E.shoff));
    const symtabSh = shoff + 64 * 3; // sections: null, .text, .data, .symtab
    expect(v.getUint32(symtabSh + 4)).toBe(2);
    expect(elfError(patch(b, symtabSh + 56, 8, 16n))).toMatch(/SHT_SYMTAB\): entry size 16 is not 24/);
    expect(elfError(patch(b, symtabSh + 32, 8, 25n))).toMatch(/size 0x19 is not a multiple of 24/);
    expect(elfError(patch(b, symtabSh + 40, 4, 77))).toMatch(/string table index 77 is not a section/);
    expect(elfError(patch(b, symtabSh + 24, 8, 0xffffff00n))).toMatch(/^prog: section header 3 \(offset 0xffffff00, size 0x78\) extends past end of file$/);
    // a name offset past the end of .strtab
    const symOff = Number(v.getBigUint64(symtabSh + 24));
    expect(elfError(patch(b, symOff + 24, 4, 0x10000))).toMatch(/symbol 1 of section 3: name offset 0x10000 is outside its string table/);
    // .strtab whose last byte is not NUL
    const strtabSh = shoff + 64 * 4;
    const strOff = Number(v.getBigUint64(strtabSh + 24));
    const strSize = Number(v.getBigUint64(strtabSh + 32));
    expect(elfError(patch(b, strOff + strSize - 1, 1, 0x41))).toMatch(/is not NUL-terminated/);
  });

  it('supports extended program header numbering (PN_XNUM)', () => {
    let b = patch(v2(), E.phnum, 2, 0xffff);
    const shoff = Number(new DataView(b.buffer).getBigUint64(E.shoff));
    b = patch(b, shoff + 44, 4, 2); // section 0 sh_info = real count
    expect(parseElf64(b, 'prog').segments.length).toBe(2);
  });

  it('limits the total loaded size', () => {
    expect(MAX_LOAD_BYTES).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    const b = patch(patch(v2(), ph(1, 'memsz'), 8, BigInt(MAX_LOAD_BYTES)), ph(0, 'memsz'), 8, 0x1000n);
    expect(elfError(b)).toMatch(/PT_LOAD segments total more than/);
  });

  it('fuzz: truncations and bit flips of synthetic files give an ElfImage or an ElfError', () => {
    fuzz(v2(false), 'v2be', 3000);
    fuzz(v2(true), 'v2le', 3000);
    fuzz(v1(), 'v1', 3000);
  });
});

// ------------------------------------------------------------------ fuzzing

/** The byte ranges that hold structure (headers, tables): most mutations land there. */
function structuralRanges(b: Uint8Array): Array<[number, number]> {
  const le = b[5] === 1;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: Array<[number, number]> = [[0, 64]];
  const phoff = Number(v.getBigUint64(32, le));
  const phnum = v.getUint16(56, le);
  out.push([phoff, phoff + 56 * phnum]);
  const shoff = Number(v.getBigUint64(40, le));
  const shnum = v.getUint16(60, le);
  if (shoff) {
    out.push([shoff, shoff + 64 * shnum]);
    for (let i = 0; i < shnum; i++) {
      const s = shoff + 64 * i;
      const type = v.getUint32(s + 4, le);
      if (type === 2 || type === 3) {
        const o = Number(v.getBigUint64(s + 24, le));
        const n = Number(v.getBigUint64(s + 32, le));
        if (n < 1 << 20) out.push([o, o + n]);
      }
    }
  }
  return out.filter(([a, z]) => z > a && z <= b.length);
}

const INTERESTING = [0n, 1n, 2n, 3n, 8n, 21n, 24n, 56n, 64n, 0x7fn, 0x80n, 0xffn, 0xffffn, 0x7fffffffn, 0xffffffffn,
  0x10000000n, 0x7fffffffffffffffn, 0x8000000000000000n, 0xffffffffffffffffn, 0xfffffffffffffff8n];

function mutate(rng: Rng, base: Uint8Array, ranges: Array<[number, number]>): Uint8Array {
  const k = rng.int(10);
  if (k === 0) return base.slice(0, rng.int(base.length + 1));
  const b = Uint8Array.from(base);
  const v = new DataView(b.buffer);
  const n = rng.range(1, 4);
  for (let i = 0; i < n; i++) {
    const [lo, hi] = rng.chance(0.9) ? rng.pick(ranges) : [0, b.length];
    const at = rng.range(lo, hi - 1);
    if (k < 5) b[at]! ^= 1 << rng.int(8);
    else if (k < 7) b[at] = rng.int(256);
    else {
      // an interesting value into an aligned field
      const size = rng.pick([2, 4, 8] as const);
      const off = Math.min(at - (at % size), b.length - size);
      if (off < 0) continue;
      const x = rng.pick(INTERESTING);
      const le = rng.chance(0.5);
      if (size === 2) v.setUint16(off, Number(x & 0xffffn), le);
      else if (size === 4) v.setUint32(off, Number(x & 0xffffffffn), le);
      else v.setBigUint64(off, x, le);
    }
  }
  return b;
}

function fuzz(base: Uint8Array, name: string, iterations: number): void {
  const rng = new Rng(0xe1f ^ base.length);
  const ranges = structuralRanges(base);
  let accepted = 0;
  let rejected = 0;
  for (let it = 0; it < iterations; it++) {
    const b = mutate(rng, base, ranges);
    let img: ElfImage;
    try {
      img = parseElf64(b, name);
    } catch (e) {
      if (!(e instanceof ElfError)) {
        throw new Error(`${name} iteration ${it}: ${(e as Error)?.constructor?.name}: ${(e as Error)?.message}`);
      }
      if (!e.message.startsWith(`${name}: `) || e.message.includes('\n')) {
        throw new Error(`${name} iteration ${it}: badly formed message ${JSON.stringify(e.message)}`);
      }
      rejected++;
      continue;
    }
    accepted++;
    // Whatever is accepted is self-consistent.
    let inSeg = false;
    let total = 0;
    for (const s of img.segments) {
      expect(s.data.length).toBeLessThanOrEqual(s.memsz);
      total += s.memsz;
      if (img.entry >= s.vaddr && img.entry < s.vaddr + BigInt(s.memsz)) inSeg = true;
    }
    expect(total).toBeLessThanOrEqual(MAX_LOAD_BYTES);
    expect(inSeg).toBe(true);
    expect(img.entry & 3n).toBe(0n);
  }
  // Both outcomes must actually occur, or the mutations are not reaching the parser.
  expect(accepted).toBeGreaterThan(iterations / 50);
  expect(rejected).toBeGreaterThan(iterations / 10);
}
