import type { Command } from 'commander';
import { Option } from 'commander';
import cliProgress from 'cli-progress';
import { readInput } from '../../cpu/load-program.js';
import { CPU_MODELS as MODEL_NAMES, parseCount } from '../options.js';
import { CHECKS, DEFAULT_MAX_STATES, validate, type ExploreMode, type ValidateResult } from '../../validate/index.js';
import { renderTimeline } from '../../validate/report.js';
import type { CpuModelName } from '../../cpu/models.js';

interface ValidateCliOptions {
  cpus?: number;
  cpuModel?: CpuModelName;
  explore?: 'exhaustive' | 'random';
  maxStates: number;
  seed: number;
  json?: boolean;
}

const hexify = (_k: string, v: unknown) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v);

function summary(r: ValidateResult): string {
  const x = r.exploration;
  const where = `${r.cpus} CPU${r.cpus === 1 ? '' : 's'}, ${r.model.name}`;
  if (x.mode === 'single') return `one run (${where}; --explore exhaustive covers every interleaving and ISA-permitted delay)`;
  if (x.counterexample) return `${x.mode} exploration found it after ${x.states} states (${where})`;
  if (x.mode === 'exhaustive') {
    return x.complete
      ? `exhaustive: all ${x.states} reachable states (${where})`
      : `exhaustive, stopped at --max-states ${x.maxStates} after ${x.states} states (${where}): incomplete`;
  }
  return `random: ${x.walks} walk${x.walks === 1 ? '' : 's'}, ${x.states} actions, seed ${x.seed} (${where})`;
}

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('<file>', 'validation fixture: assembly with .cpu sections (docs/validate.md)')
    .option('--cpus <n>', "CPUs (default: the fixture's .cpu sections, at least 2 when it declares pages)", parseCount(1, 64))
    .addOption(new Option('--cpu-model <model>', "CPU model (default: the fixture's .model, else power9)").choices(MODEL_NAMES))
    .addOption(new Option('--explore <mode>', 'explore interleavings and ISA-permitted behaviours').choices(['exhaustive', 'random']))
    .option('--max-states <n>', 'bound on states (exhaustive) or actions (random)', parseCount(1, 1e9), DEFAULT_MAX_STATES)
    .option('--seed <s>', 'seed of the random exploration (the same seed replays the same counterexample)', parseCount(0, 2 ** 32 - 1), 1)
    .option('--json', 'print the result as JSON')
    .description('judge a flush sequence: exit 0 when no violation is possible within the bounds, 1 with a counterexample, 2 on bad input')
    .action((file: string, o: ValidateCliOptions) => {
      const source = readInput(file).toString('utf8');
      const tty = !o.json && process.stderr.isTTY === true && o.explore !== undefined;
      const bar = tty
        ? new cliProgress.SingleBar(
            { format: 'exploring |{bar}| {value}/{total} states  {rate} states/s', clearOnComplete: true, hideCursor: true, stream: process.stderr },
            cliProgress.Presets.shades_classic,
          )
        : null;
      const started = Date.now();
      bar?.start(o.maxStates, 0, { rate: 0 });
      let r: ValidateResult;
      try {
        r = validate(source, file, {
          ...(o.cpuModel ? { model: o.cpuModel } : {}),
          ...(o.cpus !== undefined ? { cpus: o.cpus } : {}),
          explore: (o.explore ?? 'single') as ExploreMode,
          maxStates: o.maxStates,
          seed: o.seed,
          ...(bar ? { onProgress: (n: number) => bar.update(n, { rate: Math.round(n / Math.max(0.001, (Date.now() - started) / 1000)) }) } : {}),
        });
      } finally {
        bar?.stop();
      }
      const errors = r.findings.filter((f) => f.severity === 'error').length;
      const warnings = r.findings.length - errors;
      const cx = r.exploration.counterexample;
      if (o.json) {
        const out = {
          file,
          verdict: r.verdict,
          model: r.model.name,
          cpus: r.cpus,
          layers: ['rules', 'dynamic', ...(r.exploration.mode === 'single' ? [] : ['explore'])],
          findings: r.findings,
          exploration: { ...r.exploration, counterexample: undefined },
          counterexample: cx && { ...cx, check: CHECKS.find((c) => c.id === cx.violation.id) },
        };
        process.stdout.write(JSON.stringify(out, hexify, 2) + '\n');
      } else {
        for (const f of r.findings) {
          process.stdout.write(`${file}:${f.line}: cpu ${f.cpu}: ${f.severity} ${f.id}: ${f.message} (${f.source})\n`);
        }
        if (cx) {
          const check = CHECKS.find((c) => c.id === cx.violation.id)!;
          const replay = r.exploration.mode === 'random' ? ` (found by walk ${cx.walk} of seed ${r.exploration.seed}; the same --seed replays it)` : '';
          process.stdout.write(`${file}: cpu ${cx.violation.cpu}: violation ${cx.violation.id}: ${cx.violation.message}\n  ${check.id}: ${check.title} (${check.source})\n`);
          process.stdout.write(`counterexample, ${cx.path.length} actions${replay}:\n${renderTimeline(cx.timeline, r.fixture.cpus.map((c) => c.id))}\n`);
        }
        process.stdout.write(
          `${r.verdict === 'pass' ? 'pass' : 'violation'}: ${errors} rule error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ` +
            `${cx ? `dynamic check ${cx.violation.id} failed` : 'no dynamic violation'}; ${summary(r)}\n`,
        );
      }
      process.exitCode = r.verdict === 'pass' ? 0 : 1;
    });
}
