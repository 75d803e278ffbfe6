// `ppc64emu disasm ELF` against `objdump -d -Mpower9` line for line: the file-format header,
// sections, symbol lines (ELFv1 dot symbols as objdump synthesises them), branch targets as
// "addr <sym+0xoff>", the address column, zero runs as "...". Programs: our assembler's ELFv2
// output (BE and LE) and gcc's ELFv1 static glibc "hello", where the only lines allowed to
// differ are words outside the subset (ours ".long", objdump's a VMX/VSX/FP mnemonic).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseElf64 } from '../../src/cpu/elf-loader.js';
import { decode } from '../../src/isa/decode.js';
import { assemble, toElf } from '../../src/isa/index.js';
import { objdumpListing } from '../../src/isa/objdump.js';
import { skipReason, tools, warnSkip } from './binutils.js';

function ours(path: string): string[] {
  const img = parseElf64(new Uint8Array(readFileSync(path)), path);
  return objdumpListing({ fileName: path, littleEndian: img.littleEndian, sections: img.codeSections, symbols: img.rawSymbols });
}
function objdump(path: string, le: boolean): string[] {
  const r = spawnSync((le ? tools!.le : tools!.be).objdump, ['-d', '-Mpower9', path], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return r.stdout.replace(/\n$/, '').split('\n');
}

describe.skipIf(skipReason !== null)('objdump -d layout', () => {
  let dir = '';
  beforeAll(() => {
    warnSkip('objdump-listing');
    dir = mkdtempSync(join(tmpdir(), 'ppc64emu-objdump-'));
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  for (const le of [false, true]) {
    it(`our assembler's fixtures/user/fib.s (${le ? 'LE' : 'BE'}) lists exactly as objdump`, () => {
      const src = readFileSync(join(__dirname, '..', '..', 'fixtures', 'user', 'fib.s'), 'utf8');
      const path = join(dir, `fib-${le ? 'le' : 'be'}`);
      writeFileSync(path, toElf(assemble(src, { fileName: 'fib.s', littleEndian: le })));
      expect(ours(path)).toEqual(objdump(path, le));
    });
  }

  const gcc = spawnSync('powerpc64-linux-gnu-gcc', ['-static', '-xc', '-', '-o', '/dev/null'], { input: 'int main(void){return 0;}\n' }).status === 0;
  it.skipIf(!gcc)('a static glibc program (ELFv1): every line equal but for words outside the subset', () => {
    const path = join(dir, 'hello');
    const b = spawnSync('powerpc64-linux-gnu-gcc', ['-static', '-O2', '-o', path, join(__dirname, '..', '..', 'fixtures', 'user', 'glibc', 'hello.c')], { encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    const a = ours(path);
    const o = objdump(path, false);
    expect(a.length).toBe(o.length);
    let outside = 0;
    for (let i = 0; i < a.length; i++) {
      if (a[i] === o[i]) continue;
      // Only ".long WORD" where objdump names an instruction the table does not decode.
      const m = /^( *[0-9a-f]+):\t((?:[0-9a-f]{2} ){4})\t\.long 0x([0-9a-f]+)$/.exec(a[i]!);
      expect(m, `line ${i + 1}: ours ${JSON.stringify(a[i])} objdump ${JSON.stringify(o[i])}`).not.toBeNull();
      expect(o[i]!.startsWith(`${m![1]}:\t${m![2]}\t`), `line ${i + 1}`).toBe(true);
      expect(decode(parseInt(m![3]!, 16)), `line ${i + 1}`).toBeNull();
      outside++;
    }
    expect(outside).toBeLessThan(a.length / 100);
    // --start-address/--stop-address: from inside the first section into the second.
    const img = parseElf64(new Uint8Array(readFileSync(path)), path);
    const [first, second] = img.codeSections;
    const start = first!.addr + 0x18n;
    const stop = second!.addr + 0x10n;
    const ranged = objdumpListing({ fileName: path, littleEndian: false, sections: img.codeSections, symbols: img.rawSymbols }, { start, stop });
    const r = spawnSync(tools!.be.objdump, ['-d', '-Mpower9', `--start-address=0x${start.toString(16)}`, `--stop-address=0x${stop.toString(16)}`, path], { encoding: 'utf8' });
    expect(ranged).toEqual(r.stdout.replace(/\n$/, '').split('\n'));
  });
});
