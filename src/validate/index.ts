// The flush-sequence validator's library surface: three layers over one fixture (fixture.ts).
//   1. rules (rules.ts): static checks of each CPU's straight-line sequence;
//   2. dynamic detection (checker.ts): every translation loaded or held is checked while the
//      fixture runs;
//   3. exploration (explore.ts): every interleaving and ISA-permitted early effect, within bounds.

import { InputError } from '../errors.js';
import { CPU_MODELS, type CpuModel, type CpuModelName } from '../cpu/models.js';
import { parseFixture, type Fixture } from './fixture.js';
import { runRules, type Finding } from './rules.js';
import { explore, type ExploreResult } from './explore.js';
import { exploreRelaxed } from './relaxed/index.js';

export { DEFAULT_VALIDATE_MODEL, parseFixture, FixtureError, type Fixture, type FixtureCpu, type FixtureInsn, type FixtureMark, type Annotation } from './fixture.js';
export { RULES, runRules, type Finding, type Rule, type RuleId, type Severity } from './rules.js';
export { CHECKS, type Check, type CheckId, type Violation } from './checker.js';
export { exploreRelaxed, type RelaxedAction, type RelaxedOptions, type RelaxedResult } from './relaxed/index.js';
export { explore, type Action, type Counterexample, type ExploreOptions, type ExploreResult, type TimelineEntry } from './explore.js';

export interface ValidateStaticOptions {
  /** Overrides the fixture's `.model` line; a name or a model object (e.g. with features changed). */
  readonly model?: CpuModelName | CpuModel;
}

function resolveModel(model: CpuModelName | CpuModel | undefined): CpuModel | undefined {
  if (typeof model === 'string' && !Object.hasOwn(CPU_MODELS, model)) {
    throw new InputError(`unknown CPU model '${model}' (power7, power8, power9)`);
  }
  return typeof model === 'string' ? CPU_MODELS[model] : model;
}

/**
 * Parses `source` as a validation fixture and runs the static rules on every CPU's code.
 * Throws an InputError (`file:line:col: message`) on bad input.
 */
export function validateStatic(source: string, fileName: string, opts: ValidateStaticOptions = {}): Finding[] {
  const override = resolveModel(opts.model);
  const fixture = parseFixture(source, fileName, override ? { model: override } : {});
  return runRules(fixture, fixture.runModel);
}

export type ExploreMode = 'single' | 'exhaustive' | 'random';

export interface ValidateOptions extends ValidateStaticOptions {
  /** Machine CPUs (default: defaultCpus()). */
  readonly cpus?: number;
  /** `single`: one run, CPUs in turn, no early effects (default); or an exploration. */
  readonly explore?: ExploreMode;
  readonly maxStates?: number;
  readonly seed?: number;
  /** Loads and stores between CPUs in an exhaustive exploration (default `power`; random and single runs are `sc`). */
  readonly memoryModel?: AccessModel;
  readonly onProgress?: (states: number) => void;
}

export interface ValidateResult {
  readonly fixture: Fixture;
  readonly model: CpuModel;
  readonly cpus: number;
  readonly findings: readonly Finding[];
  readonly exploration: ExploreResult;
  /** The model loads and stores between CPUs were explored under. */
  readonly accesses: AccessModel;
  /** Power model: allowed executions of the CPUs' runs, and those with distinct schedules. */
  readonly executions: { readonly allowed: number; readonly distinct: number; readonly cut: number; readonly unroll: number } | null;
  /** `violation` when a rule error or a dynamic check failed. */
  readonly verdict: 'pass' | 'violation';
}

export const DEFAULT_MAX_STATES = 200_000;

/**
 * How exploration treats loads and stores between CPUs: `power`, the Power memory model
 * (ppc.cat; relaxed/index.ts, docs/memory-model.md), or `sc`, sequential consistency with only
 * page-table stores seen by walkers relaxed (explore.ts; the engine before the Power model,
 * kept as a cross-check and for `--explore single|random`).
 */
export type AccessModel = 'power' | 'sc';

/**
 * CPUs a fixture runs on by default: one per `.cpu` section (up to the highest number), and at
 * least two when it declares pages, so that some other CPU may hold and load translations.
 */
export function defaultCpus(fixture: Fixture): number {
  const highest = Math.max(0, ...fixture.cpus.map((c) => c.id)) + 1;
  return fixture.pages.length > 0 ? Math.max(2, highest) : highest;
}

/** All three layers: rules, then a run or an exploration with the dynamic checks. */
export function validate(source: string, fileName: string, opts: ValidateOptions = {}): ValidateResult {
  const override = resolveModel(opts.model);
  const fixture = parseFixture(source, fileName, override ? { model: override } : {});
  const model = fixture.runModel;
  const findings = runRules(fixture, model);
  const cpus = opts.cpus ?? defaultCpus(fixture);
  const highest = Math.max(0, ...fixture.cpus.map((c) => c.id));
  if (!Number.isInteger(cpus) || cpus < 1 || cpus > 64) throw new InputError(`--cpus: ${cpus} is not a CPU count (1..64)`);
  if (cpus <= highest) throw new InputError(`--cpus ${cpus}: the fixture has code for cpu ${highest}`);
  const mode = opts.explore ?? 'single';
  const accesses: AccessModel = mode === 'exhaustive' ? (opts.memoryModel ?? 'power') : 'sc';
  if (opts.memoryModel === 'power' && mode !== 'exhaustive') throw new InputError(`--model power explores exhaustively; --explore ${mode} runs the sc engine (use --model sc)`);
  const maxStates = opts.maxStates ?? DEFAULT_MAX_STATES;
  let exploration: ExploreResult;
  let executions: ValidateResult['executions'] = null;
  if (accesses === 'power') {
    const r = exploreRelaxed(fixture, { model, cpus, maxStates, ...(opts.onProgress ? { onProgress: opts.onProgress } : {}) });
    executions = { allowed: r.executions, distinct: r.distinct, cut: r.cut, unroll: r.unroll };
    exploration = { mode, states: r.states, transitions: r.transitions, complete: r.complete, walks: 0, maxStates, seed: opts.seed ?? 1, counterexample: r.counterexample };
  } else {
    exploration = explore(fixture, {
      mode,
      model,
      cpus,
      maxStates,
      seed: opts.seed ?? 1,
      ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
    });
  }
  const failed = findings.some((f) => f.severity === 'error') || exploration.counterexample !== null;
  return { fixture, model, cpus, findings, exploration, accesses, executions, verdict: failed ? 'violation' : 'pass' };
}
