import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { parseElf64 } from '../../cpu/elf-loader.js';
import { isAssemblySource, isElf, looksLikeText, readInput } from '../../cpu/load-program.js';
import { disassembleRegion } from '../../isa/listing.js';
import { objdumpListing } from '../../isa/objdump.js';

export function registerDisasm(program: Command): void {
  program
    .command('disasm')
    .argument('[file]', 'ELF64 file (its executable sections, as objdump -d) or raw binary (from address 0)')
    .option('--le', 'little-endian (raw binaries and --hex words)')
    .option('--hex <words...>', 'disassemble the given 32-bit words (hex)')
    .option('--start-address <addr>', 'ELF: list from this address (as objdump)')
    .option('--stop-address <addr>', 'ELF: list up to this address (as objdump)')
    .description('disassemble in objdump style (an ELF as objdump -d lays it out: by section, with symbols)')
    .action((file: string | undefined, o: { le?: boolean; hex?: string[]; startAddress?: string; stopAddress?: string }) => {
      const address = (name: string, v: string | undefined): bigint | undefined => {
        if (v === undefined) return undefined;
        if (!/^(0x[0-9a-f]+|\d+)$/i.test(v)) throw new InputError(`--${name}: not an address: ${v}`);
        return BigInt(v);
      };
      const range = { start: address('start-address', o.startAddress), stop: address('stop-address', o.stopAddress) };
      // Large listings (a static glibc has ~100k instructions) are appended line by line:
      // spreading them into push() overflows the call stack.
      const out: string[] = [];
      const append = (lines: readonly string[]) => {
        for (const l of lines) out.push(l);
      };
      if (o.hex) {
        if (file !== undefined) o.hex.unshift(file);
        const bytes = new Uint8Array(o.hex.length * 4);
        const dv = new DataView(bytes.buffer);
        o.hex.forEach((h, k) => {
          if (!/^(0x)?[0-9a-f]{1,8}$/i.test(h)) throw new InputError(`--hex: not a 32-bit hex word: ${h}`);
          dv.setUint32(k * 4, parseInt(h.replace(/^0x/i, ''), 16), o.le ?? false);
        });
        append(disassembleRegion(bytes, 0n, o.le ?? false));
      } else {
        if (file === undefined) throw new InputError('disasm: give a FILE or --hex WORD...');
        const data = readInput(file);
        if (isElf(data)) {
          const img = parseElf64(data, file);
          if (img.codeSections.length > 0) {
            append(objdumpListing({ fileName: file, littleEndian: img.littleEndian, sections: img.codeSections, symbols: img.rawSymbols }, range));
          } else {
            // No section headers (stripped of them): the executable segments, as before.
            for (const seg of img.segments) {
              if (!(seg.flags & 1)) continue;
              out.push('', `segment at 0x${seg.vaddr.toString(16)}:`, '');
              append(disassembleRegion(seg.data, seg.vaddr, img.littleEndian, img.symbols));
            }
          }
        } else {
          if (isAssemblySource(file) || looksLikeText(data)) {
            throw new InputError(`${file}: is a text file (assembly source?), not a binary: assemble it first (ppc64emu asm ${file} -o OUT)`);
          }
          append(disassembleRegion(data, 0n, o.le ?? false));
        }
      }
      process.stdout.write(out.join('\n') + '\n');
    });
}
