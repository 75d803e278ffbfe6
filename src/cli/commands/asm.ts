import { Option, type Command } from 'commander';
import { readInput } from '../../cpu/load-program.js';
import { assemble, toBinary, toElf } from '../../isa/index.js';
import { OutputFile } from '../output-file.js';

export function registerAsm(program: Command): void {
  program
    .command('asm')
    .argument('<in>', 'assembly source (GNU as syntax subset)')
    .requiredOption('-o, --output <file>', 'output file')
    .option('--le', 'little-endian')
    .addOption(new Option('--format <format>', 'output format').choices(['elf', 'bin']).default('elf'))
    .description('assemble a source file into an ELF64 executable or a raw .text image')
    .action((input: string, o: { output: string; le?: boolean; format: 'elf' | 'bin' }) => {
      const src = readInput(input).toString('utf8');
      const result = assemble(src, { fileName: input, littleEndian: o.le ?? false, format: o.format });
      // An executable as `ld` writes it (mode 0755); a raw image is data.
      const out = new OutputFile(o.output, '-o', o.format === 'elf' ? 0o755 : 0o644);
      out.write(o.format === 'elf' ? toElf(result) : toBinary(result));
      out.close();
    });
}
