import type { Command } from 'commander';
import { FLAGSHIP_EXPLORE_OPTIONS, FLAGSHIP_OPS, FLAGSHIP_RUN_OPTIONS, FLAGSHIP_SEEDS, flagshipConclusions, runFlagship } from '../../kernel-shim/flagship.js';

/** The main job (npm start): prints kernel-shim/flagship.ts's table and first counterexample. */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('the main job (npm start): every zsmalloc variant on 1 and 2 CPUs, a table of verdicts, the first counterexample')
    .action(() => {
      const out = (s: string) => process.stdout.write(s + '\n');
      const n = FLAGSHIP_SEEDS.length;
      out('ppc64emu — "CPU-local TLB flushing" (linuxppc-dev, June 2012), asked of the model.');
      out(`zsmalloc on a POWER8-model hash MMU, isa timing, speculative TLB loads on; ${FLAGSHIP_OPS} operations, seeds ${FLAGSHIP_SEEDS.join(', ')}.`);
      out('');
      out(`${'variant'.padEnd(14)} ${'1 CPU'.padEnd(14)} ${'2 CPUs'.padEnd(14)} ${'cycle explored'.padEnd(16)} what it does`);
      const { rows, first } = runFlagship();
      for (const r of rows) {
        const cells = r.corrupted.map((bad) => (bad === 0 ? `safe ${n}/${n}` : `CORRUPT ${bad}/${n}`));
        const v = r.explored.violation;
        const explored = v ? `${v.id} cpu ${v.cpu}` : r.explored.complete ? `safe (${r.explored.states})` : 'bounded';
        out(`${r.variant.padEnd(14)} ${cells[0]!.padEnd(14)} ${cells[1]!.padEnd(14)} ${explored.padEnd(16)} ${r.describe}`);
      }
      out('');
      out(`cycle explored: \`ppc64emu scenario zsmalloc --variant V ${FLAGSHIP_EXPLORE_OPTIONS}\` — one unmap/remap of`);
      out("CPU 0's area, every interleaving and ISA-permitted delay on 2 CPUs; D1 = some CPU can still use the old");
      out('translation when the area is remapped (states explored in parentheses when none can).');
      out(`sampled runs: \`ppc64emu scenario zsmalloc --variant V --cpus 1|2 --seed S ${FLAGSHIP_RUN_OPTIONS}\`.`);
      out('');
      out('conclusions:');
      for (const l of flagshipConclusions({ rows, first })) out(`  ${l}`);
      out('');
      if (first) {
        out(`first counterexample — replay: ppc64emu scenario zsmalloc --variant ${first.variant} --cpus ${first.cpus} --seed ${first.seed} ${FLAGSHIP_RUN_OPTIONS}`);
        out(`  ${first.result.failure}`);
        for (const l of first.result.timeline) out(`    ${l}`);
      } else out('no variant corrupted any object in these runs.');
    });
}
