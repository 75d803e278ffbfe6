// How `validate` and `scenario --explore` print a validator result, and the progress bar they
// show on a terminal during an exploration.

import { renderHtmlTimeline } from '../validate/html-timeline.js';
import cliProgress from 'cli-progress';
import { CHECKS, type ValidateResult } from '../validate/index.js';
import { renderTimeline } from '../validate/report.js';

const hexify = (_k: string, v: unknown) => (typeof v === 'bigint' ? '0x' + v.toString(16) : v);

function summary(r: ValidateResult): string {
  const x = r.exploration;
  const where = `${r.cpus} CPU${r.cpus === 1 ? '' : 's'}, ${r.model.name}, ${r.accesses === 'power' ? 'Power memory model' : 'sc accesses'}`;
  const runs = r.executions ? `${r.executions.allowed} allowed execution${r.executions.allowed === 1 ? '' : 's'} (${r.executions.distinct} with distinct schedules), ` : '';
  if (x.counterexample) return `${x.mode} exploration found it after ${x.states} states (${where})`;
  if (x.mode === 'single') return `one run (${where}; --explore exhaustive covers every interleaving and ISA-permitted delay)`;
  if (x.mode === 'exhaustive') {
    if (x.complete) return `exhaustive: ${runs}all ${x.states} reachable states (${where})`;
    const cut = r.executions?.cut ?? 0;
    if (x.states < x.maxStates && cut > 0) {
      return `exhaustive over runs of at most ${r.executions!.unroll} read-decided backward branches per loop, ${cut} longer run${cut === 1 ? '' : 's'} left out: ${runs}${x.states} states (${where}): incomplete`;
    }
    return `exhaustive, stopped at --max-states ${x.maxStates} after ${runs}${x.states} states (${where}): incomplete`;
  }
  return `random: ${x.walks} walk${x.walks === 1 ? '' : 's'}, ${x.states} actions, seed ${x.seed} (${where})`;
}

/** The result as JSON (bigints as hex strings), with `extra` fields first. */
export function resultJson(file: string, r: ValidateResult, extra: Record<string, unknown> = {}): string {
  const cx = r.exploration.counterexample;
  const out = {
    ...extra,
    file,
    verdict: r.verdict,
    model: r.model.name,
    cpus: r.cpus,
    accesses: r.accesses,
    ...(r.executions ? { executions: r.executions } : {}),
    layers: ['rules', 'dynamic', ...(r.exploration.mode === 'single' ? [] : ['explore'])],
    findings: r.findings,
    exploration: { ...r.exploration, counterexample: undefined },
    counterexample: cx && { ...cx, check: CHECKS.find((c) => c.id === cx.violation.id) },
  };
  return JSON.stringify(out, hexify, 2) + '\n';
}

/** Findings, the counterexample with its timeline, and the verdict line. */
export function resultText(file: string, r: ValidateResult): string {
  const out: string[] = [];
  const errors = r.findings.filter((f) => f.severity === 'error').length;
  const warnings = r.findings.length - errors;
  for (const f of r.findings) out.push(`${file}:${f.line}: cpu ${f.cpu}: ${f.severity} ${f.id}: ${f.message} (${f.source})`);
  const cx = r.exploration.counterexample;
  if (cx) {
    const check = CHECKS.find((c) => c.id === cx.violation.id)!;
    const replay = r.exploration.mode === 'random' ? ` (found by walk ${cx.walk} of seed ${r.exploration.seed}; the same --seed replays it)` : '';
    out.push(`${file}: cpu ${cx.violation.cpu}: violation ${cx.violation.id}: ${cx.violation.message}`);
    out.push(`  ${check.id}: ${check.title} (${check.source})`);
    out.push(`counterexample, ${cx.path.length} actions${replay}:`);
    out.push(renderTimeline(cx.timeline, r.fixture.cpus.map((c) => c.id)));
  }
  out.push(
    `${r.verdict === 'pass' ? 'pass' : 'violation'}: ${errors} rule error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}, ` +
      `${cx ? `dynamic check ${cx.violation.id} failed` : 'no dynamic violation'}; ${summary(r)}`,
  );
  if (r.verdict === 'pass' && r.cpus > 1 && r.accesses === 'sc') {
    out.push(
      'note: loads and stores between CPUs were explored sequentially consistently (page-table stores seen by walkers excepted); ' +
        'this pass does not cover orderings that rest on lwsync, sync, eieio, isync or dependencies (exhaustive exploration under --model power does)',
    );
  }
  return out.join('\n') + '\n';
}

/**
 * A progress bar on stderr (states and states/s) when stderr is a terminal and the output is
 * not JSON; null otherwise. Returns the callback for the explorer and a stop function.
 */
export function progress(show: boolean, max: number): { onProgress?: (n: number) => void; stop: () => void } {
  if (!show || process.stderr.isTTY !== true) return { stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { format: 'exploring |{bar}| {value}/{total} states  {rate} states/s', clearOnComplete: true, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  const started = Date.now();
  bar.start(max, 0, { rate: 0 });
  return {
    onProgress: (n) => bar.update(n, { rate: Math.round(n / Math.max(0.001, (Date.now() - started) / 1000)) }),
    stop: () => bar.stop(),
  };
}

/** The result as the HTML timeline page (validate/html-timeline.ts): its counterexample, or the verdict alone. */
export function resultHtml(file: string, r: ValidateResult, source: string): string {
  return renderHtmlTimeline({
    file,
    verdict: resultText(file, r).trimEnd().split('\n').at(-1)!,
    cpus: r.fixture.cpus.map((c) => c.id),
    timeline: r.exploration.counterexample?.timeline ?? [],
    source: source.split('\n'),
  });
}
