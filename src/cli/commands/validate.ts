import type { Command } from 'commander';
import { Option } from 'commander';
import { isElf, readInput } from '../../cpu/load-program.js';
import { InputError } from '../../errors.js';
import { CPU_MODELS as MODEL_NAMES, parseCount } from '../options.js';
import { DEFAULT_MAX_STATES, validate, type ValidateResult } from '../../validate/index.js';
import type { CpuModelName } from '../../cpu/models.js';
import { progress, resultHtml, resultJson, resultText } from '../validate-output.js';
import { OutputFile } from '../output-file.js';

interface ValidateCliOptions {
  cpus?: number;
  cpuModel?: CpuModelName;
  explore: 'exhaustive' | 'random' | 'single';
  maxStates: number;
  seed: number;
  model?: 'power' | 'sc';
  json?: boolean;
  html?: string;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('<file>', 'validation fixture: assembly with .cpu sections (docs/validate.md)')
    .option('--cpus <n>', "CPUs (default: the fixture's .cpu sections, at least 2 when it declares pages)", parseCount(1, 64))
    .addOption(new Option('--cpu-model <model>', "CPU model (default: the fixture's .model, else power9)").choices(MODEL_NAMES))
    .addOption(
      new Option('--explore <mode>', 'exhaustive (default): every interleaving and ISA-permitted behaviour; random: seeded walks; single: one schedule, no verdict beyond it')
        .choices(['exhaustive', 'random', 'single'])
        .default('exhaustive'),
    )
    .option('--max-states <n>', 'bound on states (exhaustive) or actions (random)', parseCount(1, 1e9), DEFAULT_MAX_STATES)
    .option('--seed <s>', 'seed of the random exploration (the same seed replays the same counterexample)', parseCount(0, 2 ** 32 - 1), 1)
    .addOption(
      new Option('--model <model>', 'loads and stores between CPUs: power (the Power memory model, exhaustive exploration only; the default there) or sc (sequentially consistent; --explore random and single)').choices([
        'power',
        'sc',
      ]),
    )
    .option('--json', 'print the result as JSON')
    .option('--html <file>', 'also write the counterexample as a self-contained HTML timeline (a swimlane per CPU)')
    .description('judge a flush sequence: exit 0 when no violation is possible within the bounds, 1 with a counterexample, 2 on bad input')
    .action((file: string, o: ValidateCliOptions) => {
      const data = readInput(file);
      if (isElf(data)) throw new InputError(`${file}: is an ELF executable; validate reads a fixture source (.s, docs/validate.md)`);
      if (data.includes(0)) throw new InputError(`${file}: is a binary file; validate reads a fixture source (.s, docs/validate.md)`);
      const source = data.toString('utf8');
      const html = o.html ? new OutputFile(o.html, '--html') : null; // a bad path fails before the work
      const bar = progress(!o.json && o.explore !== 'single', o.maxStates);
      let r: ValidateResult;
      try {
        r = validate(source, file, {
          ...(o.cpuModel ? { model: o.cpuModel } : {}),
          ...(o.cpus !== undefined ? { cpus: o.cpus } : {}),
          explore: o.explore,
          ...(o.model ? { memoryModel: o.model } : {}),
          maxStates: o.maxStates,
          seed: o.seed,
          ...(bar.onProgress ? { onProgress: bar.onProgress } : {}),
        });
      } finally {
        bar.stop();
      }
      process.stdout.write(o.json ? resultJson(file, r) : resultText(file, r));
      if (html) {
        html.write(resultHtml(file, r, source));
        html.close();
      }
      process.exitCode = r.verdict === 'pass' ? 0 : 1;
    });
}
