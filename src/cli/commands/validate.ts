import type { Command } from 'commander';
import { Option } from 'commander';
import { InputError } from '../../errors.js';
import { readInput } from '../../cpu/load-program.js';
import { CPU_MODELS as MODEL_NAMES } from '../options.js';
import { validateStatic } from '../../validate/index.js';
import type { CpuModelName } from '../../cpu/models.js';

interface ValidateOptions {
  cpus?: number;
  cpuModel?: CpuModelName;
  explore?: string;
  json?: boolean;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('<file>', 'validation fixture: assembly with .cpu sections (docs/validate.md)')
    .option('--cpus <n>', 'number of CPUs (default: the fixture\'s .cpu sections)')
    .addOption(new Option('--cpu-model <model>', 'CPU model (default: the fixture\'s .model, else power9)').choices(MODEL_NAMES))
    .addOption(new Option('--explore <mode>', 'explore interleavings and ISA-permitted behaviours').choices(['exhaustive', 'random']))
    .option('--json', 'print the result as JSON')
    .description('judge a flush sequence: exit 0 when no rule is violated, 1 with findings, 2 on bad input')
    .action((file: string, o: ValidateOptions) => {
      if (o.explore !== undefined) {
        throw new InputError('--explore: exploration of interleavings is not built yet; this version checks the static rules');
      }
      const findings = validateStatic(readInput(file).toString('utf8'), file, { model: o.cpuModel });
      const errors = findings.filter((f) => f.severity === 'error').length;
      const warnings = findings.length - errors;
      const verdict = errors > 0 ? 'violation' : 'pass';
      if (o.json) {
        process.stdout.write(JSON.stringify({ file, verdict, layers: ['rules'], findings }, null, 2) + '\n');
      } else {
        for (const f of findings) {
          process.stdout.write(`${file}:${f.line}: cpu ${f.cpu}: ${f.severity} ${f.id}: ${f.message} (${f.source})\n`);
        }
        process.stdout.write(
          `${verdict}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} ` +
            `(static rules; interleavings and ISA-permitted delays are not explored yet)\n`,
        );
      }
      process.exitCode = errors > 0 ? 1 : 0;
    });
}
