// ELF output: the header and program headers as specified (ELF-64, EM_PPC64, e_flags = ABI
// version, page-aligned PT_LOAD segments), then GNU objdump reading it back and QEMU user mode
// running it (both skip with a printed reason when absent).

import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, toElf } from '../../src/isa/asm/index.js';
import { disassemble } from '../../src/isa/disasm.js';
import { inTempDir, skipReason, tools, warnSkip } from '../oracle/binutils.js';

const HELLO = `
  .abiversion 2
  .globl _start
  .text
  .type _start, @function
_start:
  li 0, 4            # write(1, msg, len)
  li 3, 1
  lis 4, msg@ha
  addi 4, 4, msg@l
  li 5, len
  sc
  li 0, 1            # exit(7)
  li 3, 7
  sc
  .data
msg: .ascii "hello\\n"
  len = . - msg
`;

function header(elf: Uint8Array) {
  const le = elf[5] === 1;
  const v = new DataView(elf.buffer, elf.byteOffset, elf.byteLength);
  const phoff = Number(v.getBigUint64(32, le));
  const phnum = v.getUint16(56, le);
  const phdrs = Array.from({ length: phnum }, (_, i) => {
    const o = phoff + 56 * i;
    return {
      type: v.getUint32(o, le),
      flags: v.getUint32(o + 4, le),
      offset: v.getBigUint64(o + 8, le),
      vaddr: v.getBigUint64(o + 16, le),
      filesz: v.getBigUint64(o + 32, le),
      memsz: v.getBigUint64(o + 40, le),
      align: v.getBigUint64(o + 48, le),
    };
  });
  return {
    magic: [...elf.subarray(0, 4)],
    klass: elf[4],
    data: elf[5],
    type: v.getUint16(16, le),
    machine: v.getUint16(18, le),
    entry: v.getBigUint64(24, le),
    flags: v.getUint32(48, le),
    shnum: v.getUint16(60, le),
    phdrs,
  };
}

const qemu = (le: boolean) => {
  const name = le ? 'qemu-ppc64le' : 'qemu-ppc64';
  const r = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
};

describe('ELF output', () => {
  warnSkip('elf');
  for (const le of [false, true]) {
    const order = le ? 'LE' : 'BE';

    it(`writes an ELF64 EM_PPC64 executable (${order})`, () => {
      const r = assemble(HELLO, { fileName: 'hello.s', littleEndian: le });
      const h = header(toElf(r));
      expect(h.magic).toEqual([0x7f, 0x45, 0x4c, 0x46]);
      expect(h.klass).toBe(2);
      expect(h.data).toBe(le ? 1 : 2);
      expect(h.type).toBe(2); // ET_EXEC
      expect(h.machine).toBe(21); // EM_PPC64
      expect(h.flags).toBe(2);
      expect(h.entry).toBe(0x10000000n);
      expect(h.shnum).toBe(6); // null, .text, .data, .symtab, .strtab, .shstrtab
      expect(h.phdrs).toEqual([
        { type: 1, flags: 5, offset: 0x10000n, vaddr: 0x10000000n, filesz: 36n, memsz: 36n, align: 0x10000n },
        { type: 1, flags: 6, offset: 0x20000n, vaddr: 0x10010000n, filesz: 6n, memsz: 6n, align: 0x10000n },
      ]);
    });

    it.skipIf(!tools)(`is read back by objdump (${order})${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
      const r = assemble(HELLO, { fileName: 'hello.s', littleEndian: le });
      const text = r.sections.find((s) => s.name === '.text')!;
      const dv = new DataView(text.bytes.buffer, text.bytes.byteOffset);
      const ours = Array.from({ length: text.bytes.length / 4 }, (_, i) =>
        disassemble(dv.getUint32(4 * i, le), text.address + BigInt(4 * i)).text.replace(/\s+/g, ' '),
      );
      const out = inTempDir((dir) => {
        const f = join(dir, 'hello');
        writeFileSync(f, toElf(r));
        const t = le ? tools!.le : tools!.be;
        return spawnSync(t.objdump, ['-d', '-x', '-Mpower9', f], { encoding: 'utf8' });
      });
      expect(out.status, out.stderr).toBe(0);
      expect(out.stdout).toContain(`file format elf64-powerpc${le ? 'le' : ''}`);
      expect(out.stdout).toContain('start address 0x0000000010000000');
      expect(out.stdout).toMatch(/\.text\s+00000024\s+0000000010000000/);
      expect(out.stdout).toMatch(/\.data\s+00000006\s+0000000010010000/);
      expect(out.stdout).toMatch(/0000000010000000 g\s+\.text\s+0000000000000000 _start/);
      const theirs = [...out.stdout.matchAll(/^\s+[0-9a-f]+:\t(?:[0-9a-f]{2} ){4}\t(.*)$/gm)].map((m) => m[1]!.replace(/\s+/g, ' ').replace(/ <.*>$/, ''));
      expect(theirs).toEqual(ours);
    });

    const q = qemu(le);
    it.skipIf(!q)(`runs under QEMU user mode (${order})${q ? '' : ' (skipped: qemu-user not installed)'}`, () => {
      const r = assemble(HELLO, { fileName: 'hello.s', littleEndian: le });
      const res = inTempDir((dir) => {
        const f = join(dir, 'hello');
        writeFileSync(f, toElf(r), { mode: 0o755 });
        return spawnSync(q!, [f], { encoding: 'utf8', timeout: 20_000 });
      });
      expect(res.stdout).toBe('hello\n');
      expect(res.status).toBe(7);
    });
  }
});
