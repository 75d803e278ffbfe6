// Runs one litmus test under a memory model: every run of each thread for every value its
// reads may see (memory-model/thread-runs.ts), every candidate execution built from them
// (memory-model/enumerate.ts), and the final states of the allowed ones, counted as herd7
// counts them: Positive/Negative are allowed executions whose final state satisfies the
// condition's proposition or not, after the filter.

import { InputError } from '../errors.js';
import { enumerateExecutions, TooManyCandidates, type AllowedExecution, type EnumerationStats } from '../memory-model/enumerate.js';
import { DEFAULT_BOUNDS, threadRuns, type RunBounds, type ThreadRuns } from '../memory-model/thread-runs.js';
import { widenDomains } from '../memory-model/widen.js';
import type { LitmusLoc, LitmusTest, LitmusValue } from './ast.js';
import { evalProp, locName, observablesOf } from './condition.js';
import type { FinalState, LitmusOutcome, ModelName } from './outcome.js';
import { buildProgram, litmusValue, type LitmusProgram } from './program.js';
import { DEFAULT_TYPE, narrow } from './types.js';
import { formatState } from './log.js';
import { wanted, witnessOf, type Witness } from './witness.js';

export interface LitmusRunOptions {
  readonly model: ModelName;
  readonly bounds?: RunBounds;
  /** Candidate executions examined before the test is refused (default MAX_CANDIDATES). */
  readonly maxCandidates?: number;
  /** Keep one execution to draw (witness.ts): the first that satisfies `exists`/`~exists`'s proposition, or violates `forall`'s. */
  readonly witness?: boolean;
}

/** Every run of every thread, the read domains widened to a fixpoint (memory-model/widen.ts). */
function runsToFixpoint(t: LitmusTest, p: LitmusProgram, bounds: RunBounds): ThreadRuns[] {
  const domains = p.init.map((v) => [v]);
  return widenDomains(
    domains,
    (foreign) => {
      const sizes = p.names.map(() => 0);
      return p.threads.map((th, t) => threadRuns(th, { names: p.names, sizes }, domains, bounds, undefined, foreign(t)));
    },
    (l, max) => new InputError(`${t.file}:1:1: location ${p.names[l]} takes more than ${max} values`),
  );
}

function compareValues(a: LitmusValue, b: LitmusValue): number {
  if (a.kind !== b.kind) return a.kind === 'int' ? -1 : 1;
  if (a.kind === 'int' && b.kind === 'int') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  return (a as { name: string }).name < (b as { name: string }).name ? -1 : 1;
}

export interface LitmusRun extends LitmusOutcome {
  readonly stats: EnumerationStats;
  /** With `witness`: the execution kept, or null when no allowed execution is of the kind wanted. */
  readonly witness: Witness | null;
}

export function runLitmus(t: LitmusTest, opts: LitmusRunOptions): LitmusRun {
  const started = performance.now();
  const p = buildProgram(t);
  const runs = runsToFixpoint(t, p, opts.bounds ?? DEFAULT_BOUNDS);
  const observables = observablesOf(t);
  const locIndex = new Map(p.names.map((n, k) => [n, k]));
  const states = new Map<string, FinalState>();
  let positive = 0;
  let negative = 0;
  let witness: Witness | null = null;
  // Each observable at its declared type (herd's default: int); addresses stay names.
  const types = new Map(t.init.map((e) => [locName(e.loc), e.type ?? DEFAULT_TYPE]));
  const asTyped = (l: LitmusLoc, v: LitmusValue): LitmusValue => (v.kind === 'int' ? { kind: 'int', value: narrow(v.value, types.get(locName(l)) ?? DEFAULT_TYPE) } : v);
  const visit = (x: AllowedExecution) => {
    const value = (l: LitmusLoc): LitmusValue =>
      asTyped(l, l.kind === 'reg' ? litmusValue(p, x.traces[l.thread]?.regs[l.reg] ?? 0n) : litmusValue(p, x.memory[locIndex.get(l.name)!]!));
    if (t.filter && !evalProp(t.filter, value, asTyped)) return;
    const holds = evalProp(t.condition.prop, value, asTyped);
    if (holds) positive++;
    else negative++;
    const values = observables.map(value);
    if (opts.witness && witness === null && wanted(t.condition.quantifier, holds)) witness = witnessOf(p, x, t.condition.quantifier, formatState(observables, { values }));
    const key = values.map((v) => (v.kind === 'int' ? v.value.toString() : `&${v.name}`)).join(',');
    if (!states.has(key)) states.set(key, { values });
  };
  let stats: EnumerationStats;
  try {
    const traces = runs.map((r) => r.traces);
    stats = enumerateExecutions(p.names.length, p.init, traces, opts.model, visit, undefined, opts.maxCandidates);
  } catch (e) {
    if (e instanceof TooManyCandidates) throw new InputError(`${t.file}:1:1: ${t.name} has ${e.message}: too large to enumerate`);
    throw e;
  }
  const sorted = [...states.values()].sort((a, b) => {
    for (let k = 0; k < a.values.length; k++) {
      const c = compareValues(a.values[k]!, b.values[k]!);
      if (c !== 0) return c;
    }
    return 0;
  });
  return {
    test: t,
    model: opts.model,
    observables,
    states: sorted,
    positive,
    negative,
    candidates: stats.candidates,
    seconds: (performance.now() - started) / 1000,
    stats,
    witness,
  };
}
