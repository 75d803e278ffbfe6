import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { run } from '../../cpu/interp.js';
import { loadUserProgram } from '../../cpu/load-program.js';
import { concat } from '../../cpu/user-run.js';

/** fixtures/ next to dist/ (installed package) or the repository root. */
function fixture(name: string): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const up of ['..', '../..', '../../..']) {
    const p = join(here, up, 'fixtures', name);
    if (existsSync(p)) return p;
  }
  return join('fixtures', name);
}

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job (npm start): run the fixture programs and show what they print')
    .action(() => {
      const path = fixture('user/fib.s');
      process.stdout.write(`ppc64emu demo: ${path}, assembled in-process, run big- and little-endian\n\n`);
      const outputs: string[] = [];
      for (const le of [false, true]) {
        const proc = loadUserProgram(path, { le });
        const t0 = process.hrtime.bigint();
        while (proc.cpu.stop === null) run(proc.cpu, 1e9);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        const text = new TextDecoder().decode(concat(proc.stdout));
        outputs.push(text);
        const lines = text.trimEnd().split('\n');
        process.stdout.write(
          `${le ? 'little' : 'big'}-endian: ${lines.length} lines, last ${lines.at(-1)}, ` +
            `exit status ${proc.cpu.exitCode}, ${proc.cpu.instructions} instructions in ${ms.toFixed(1)} ms\n`,
        );
      }
      process.stdout.write(`\nfirst lines: ${outputs[0]!.split('\n').slice(0, 8).join(' ')} ...\n`);
      process.stdout.write(outputs[0] === outputs[1] ? 'both byte orders print the same numbers\n' : 'MISMATCH between byte orders\n');
      if (outputs[0] !== outputs[1]) process.exitCode = 1;
    });
}
