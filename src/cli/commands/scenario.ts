import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../../errors.js';
import { runZsmallocScenario, VARIANTS } from '../../kernel-shim/scenario.js';
import { exploreZsmallocCycle } from '../../kernel-shim/scenario-explore.js';
import { CPU_MODELS as MODELS } from '../../cpu/models.js';
import { DEFAULT_MAX_STATES } from '../../validate/index.js';
import { CPU_MODELS, MMU_POLICIES, parseCount } from '../options.js';
import { progress, resultHtml, resultJson, resultText } from '../validate-output.js';
import { OutputFile } from '../output-file.js';

interface ScenarioCliOptions {
  variant: string;
  cpus: number;
  threads: number;
  ops: number;
  seed: number;
  mmuPolicy: 'eager' | 'isa';
  speculate: 'off' | 'on';
  cpuModel: 'power7' | 'power8' | 'power9';
  explore?: 'exhaustive' | 'random';
  maxStates: number;
  fixtureOut?: string;
  html?: string;
  json?: boolean;
}

export function registerScenario(program: Command): void {
  program
    .command('scenario')
    .argument('<name>', 'scenario: zsmalloc')
    .addOption(new Option('--variant <v>', 'how zsmalloc maps and unmaps').choices(Object.keys(VARIANTS)).default('patch-2012'))
    .option('--cpus <n>', 'CPUs', parseCount(1, 64), 2)
    .option('--threads <n>', 'threads', parseCount(1, 1024), 2)
    .option('--ops <n>', 'operations', parseCount(1, 10_000_000), 300)
    .option('--seed <s>', 'seed', parseCount(0, 2 ** 32 - 1), 1)
    .addOption(new Option('--mmu-policy <p>', 'invalidation timing').choices(MMU_POLICIES).default('isa'))
    .addOption(new Option('--speculate <m>', 'speculative TLB loads').choices(['off', 'on']).default('on'))
    .addOption(new Option('--cpu-model <m>', 'CPU model').choices(CPU_MODELS).default('power9'))
    .addOption(
      new Option('--explore <mode>', "explore one unmap/remap cycle of CPU 0's area with the validator: every interleaving and ISA-permitted delay").choices([
        'exhaustive',
        'random',
      ]),
    )
    .option('--max-states <n>', 'with --explore: bound on states (exhaustive) or actions (random)', parseCount(1, 1e9), DEFAULT_MAX_STATES)
    .option('--fixture-out <file>', 'with --explore: also write the generated validation fixture here')
    .option('--html <file>', 'with --explore: also write the counterexample as a self-contained HTML timeline')
    .option('--json', 'print the result as JSON')
    .description('run a kernel-shim scenario: exit 0 when it stays safe, 1 with the corruption and its timeline')
    .action((name: string, o: ScenarioCliOptions) => {
      if (name !== 'zsmalloc') throw new InputError(`unknown scenario '${name}' (zsmalloc)`);
      if (o.explore !== undefined) {
        const fixtureOut = o.fixtureOut ? new OutputFile(o.fixtureOut, '--fixture-out') : null;
        const html = o.html ? new OutputFile(o.html, '--html') : null;
        const bar = progress(!o.json, o.maxStates);
        let x: ReturnType<typeof exploreZsmallocCycle>;
        try {
          x = exploreZsmallocCycle({
            variant: o.variant,
            model: MODELS[o.cpuModel],
            cpus: o.cpus,
            mode: o.explore,
            maxStates: o.maxStates,
            seed: o.seed,
            ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
          });
        } finally {
          bar.stop();
        }
        if (fixtureOut) {
          fixtureOut.write(x.fixture);
          fixtureOut.close();
        }
        if (html) {
          html.write(resultHtml(x.fileName, x.result, x.fixture));
          html.close();
        }
        if (o.json) process.stdout.write(resultJson(x.fileName, x.result, { scenario: name, variant: o.variant, fixture: x.fixture }));
        else {
          process.stdout.write(`zsmalloc ${o.variant} (${VARIANTS[o.variant]!.describe}): one unmap/remap cycle of CPU 0's area, explored
`);
          process.stdout.write(resultText(x.fileName, x.result));
        }
        process.exitCode = x.result.verdict === 'pass' ? 0 : 1;
        return;
      }
      if (o.html) throw new InputError('--html draws an explored counterexample: use it with --explore');
      const r = runZsmallocScenario({
        variant: o.variant,
        cpus: o.cpus,
        threads: o.threads,
        ops: o.ops,
        seed: o.seed,
        policy: o.mmuPolicy,
        speculate: o.speculate === 'on',
        model: o.cpuModel,
      });
      if (o.json) process.stdout.write(JSON.stringify({ scenario: name, variant: o.variant, ...r }, null, 2) + '\n');
      else {
        process.stdout.write(`zsmalloc ${o.variant} (${VARIANTS[o.variant]!.describe}): ${r.verdict} after ${r.ops} operations\n`);
        if (r.failure) process.stdout.write(`  ${r.failure}\n${r.timeline.map((l) => `    ${l}`).join('\n')}\n`);
      }
      process.exitCode = r.verdict === 'safe' ? 0 : 1;
    });
}
