// Exploration under the Power memory model (docs/memory-model.md, "Translation and the
// validator"): every run of each CPU's code for every value its loads may return and every
// translation its `.page` accesses may use (threads.ts); every candidate execution of those
// runs that ppc.cat allows (memory-model/enumerate.ts, power.ts); for each, every order in
// which the machine may perform its events (time-order.ts) interleaved with the MMU's early
// effects, on the validation machine with the dynamic checks (schedule.ts). A path counts
// when every event of its execution was performed, the translations as the execution assumed
// them: then a check that failed on the way, or a `.final` condition, is a counterexample.

import { InputError } from '../../errors.js';
import type { CpuModel } from '../../cpu/models.js';
import { DEFAULT_BOUNDS, TooManyRuns } from '../../memory-model/thread-runs.js';
import { enumerateExecutions, TooManyCandidates, type AllowedExecution } from '../../memory-model/enumerate.js';
import type { Fixture } from '../fixture.js';
import type { Violation } from '../checker.js';
import type { TimelineEntry } from '../session.js';
import { buildWorld } from '../world.js';
import { fixtureRuns } from './threads.js';
import { RelaxedRun, type RelaxedAction } from './schedule.js';
import { timeOrder, type TimeOrder } from './time-order.js';
import { stateDigest } from '../state-digest.js';

export type { RelaxedAction } from './schedule.js';

export interface RelaxedOptions {
  readonly model: CpuModel;
  readonly cpus: number;
  /** Bound on schedule states over all executions. */
  readonly maxStates: number;
  readonly onProgress?: (states: number) => void;
}

export interface RelaxedCounterexample {
  readonly violation: Violation;
  /** Shrunk: 1-minimal in the MMU's own choices (see shrink below). */
  readonly path: readonly RelaxedAction[];
  readonly timeline: readonly TimelineEntry[];
  /** Whether `path` fails the same check in the same execution (every action enabled where it stands). Not in JSON. */
  readonly fails?: (path: readonly RelaxedAction[]) => boolean;
}

export interface RelaxedResult {
  /** Schedule states explored over all executions. */
  readonly states: number;
  readonly transitions: number;
  /** Allowed executions of the CPUs' runs, and those whose schedules were explored (the others repeat one). */
  readonly executions: number;
  readonly distinct: number;
  /** False when --max-states stopped it or runs were cut at the loop bound. */
  readonly complete: boolean;
  /** Runs left out because they take more backward branches to one loop head than the bound (RunBounds.unroll). */
  readonly cut: number;
  readonly unroll: number;
  readonly counterexample: RelaxedCounterexample | null;
}

class Found extends Error {
  constructor(readonly cx: RelaxedCounterexample) {
    super('found');
  }
}
class Bounded extends Error {}

const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);


/**
 * What a schedule exploration depends on: the events the MMU or the checker sees (what each
 * is, per CPU in program order), the time order among them (through the others, which are
 * performed as soon as they can be), the coherence order of page-table stores and whether the
 * `.final` conditions hold. Executions that differ elsewhere (which store a load read, a lock
 * attempt that failed) have the same schedules.
 */
function problemKey(order: TimeOrder, run: RelaxedRun): string {
  const n = order.units.length;
  const closure: bigint[] = new Array<bigint>(n).fill(0n);
  const done = new Array<boolean>(n).fill(false);
  // The order is acyclic: settle units whose predecessors are settled until all are.
  for (let left = n; left > 0; ) {
    for (let u = 0; u < n; u++) {
      if (done[u]) continue;
      let ready = true;
      let c = order.preds[u]!;
      for (let p = 0, m = order.preds[u]!; m !== 0n; p++, m >>= 1n) {
        if ((m & 1n) === 0n) continue;
        if (!done[p]) {
          ready = false;
          break;
        }
        c |= closure[p]!;
      }
      if (!ready) continue;
      closure[u] = c;
      done[u] = true;
      left--;
    }
  }
  const visible = order.units.map((_, u) => run.describeVisible(u));
  const parts: string[] = [];
  visible.forEach((d, u) => {
    if (d === null) return;
    const before: number[] = [];
    for (let p = 0; p < n; p++) if (visible[p] !== null && (closure[u]! >> BigInt(p)) & 1n) before.push(p);
    parts.push(`${d}<${before.map((p) => visible.slice(0, p).filter((x) => x !== null).length).join('.')}`);
  });
  return `${parts.join('|')}#${run.finalSummary()}`;
}

/**
 * Drops the MMU's own choices (early completions, publications, speculative loads) one at a
 * time while `fails` still holds: a counterexample 1-minimal in them, as the sequentially
 * consistent explorer's (explore.ts shrink). The events themselves all stay (an execution's
 * every event is performed); their order is the one found.
 */
function shrink(path: readonly RelaxedAction[], fails: (p: readonly RelaxedAction[]) => boolean): RelaxedAction[] {
  let best = [...path];
  for (let i = best.length - 1; i >= 0; i--) {
    if (best[i]!.kind === 'event') continue;
    const candidate = [...best.slice(0, i), ...best.slice(i + 1)];
    if (fails(candidate)) best = candidate;
  }
  return best;
}

/** Explores `fixture` under the Power model. Throws InputError for code it cannot model. */
export function exploreRelaxed(fixture: Fixture, opts: RelaxedOptions): RelaxedResult {
  let found: ReturnType<typeof fixtureRuns>;
  try {
    found = fixtureRuns(fixture, buildWorld(fixture, opts.model, opts.cpus));
  } catch (e) {
    if (e instanceof TooManyRuns) throw new InputError(`${e.message} under the Power model: too large to enumerate (use --model sc)`);
    throw e;
  }
  const { runs, locations } = found;
  runs.forEach((r, i) => {
    const fc = fixture.cpus[i]!;
    if (r.traces.length === 0) throw new InputError(`${fixture.fileName}:${fc.line}:1: cpu ${fc.id} has no run that reaches its end within ${DEFAULT_BOUNDS.unroll} read-decided backward branches per loop`);
  });
  const cut = runs.reduce((n, r) => n + r.pruned, 0);
  const run = new RelaxedRun(fixture, opts.model, opts.cpus, locations);
  let states = 0;
  let transitions = 0;
  let executions = 0;
  const seen = new Set<string>();

  const replay = (x: AllowedExecution, order: TimeOrder, found: readonly RelaxedAction[]): RelaxedCounterexample => {
    const fails = failsAs(x, order, found);
    const path = shrink(found, fails);
    const r = new RelaxedRun(fixture, opts.model, opts.cpus, locations);
    r.timeline = [];
    r.begin(x, order);
    for (const a of path) r.perform(a);
    const v = r.violation!;
    return { violation: v, path, timeline: [...r.timeline, { cpu: v.cpu, line: null, text: `VIOLATION ${v.id}: ${v.message}`, kind: 'violation' as const }], fails };
  };

  // Whether a path is a counterexample of the check `found` fails, in execution x: every
  // action enabled where it stands, every event performed, the same check failed at the end.
  const failsAs = (x: AllowedExecution, order: TimeOrder, found: readonly RelaxedAction[]) => {
    const run = (path: readonly RelaxedAction[], strict: boolean): Violation | null => {
      const r = new RelaxedRun(fixture, opts.model, opts.cpus, locations);
      r.begin(x, order);
      for (const a of path) {
        if (r.violation && r.complete) break;
        if (strict && !r.enabled().some((b) => JSON.stringify(a, big) === JSON.stringify(b, big))) return null;
        if (!r.perform(a)) return null;
      }
      return r.complete ? r.violation : null;
    };
    const id = run(found, false)!.id;
    return (path: readonly RelaxedAction[]) => run(path, true)?.id === id;
  };


  const schedules = (x: AllowedExecution, order: TimeOrder) => {
    run.begin(x, order);
    const visited = new Set<string>([stateDigest(run.key())]);
    type Frame = { snap: ReturnType<RelaxedRun['snapshot']>; actions: RelaxedAction[]; next: number; path: RelaxedAction[] };
    const check = (path: RelaxedAction[]) => {
      if (run.complete && run.violation) throw new Found(replay(x, order, path));
    };
    check([]);
    const stack: Frame[] = [{ snap: run.snapshot(), actions: run.enabled(), next: 0, path: [] }];
    states++;
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.actions.length) {
        stack.pop();
        continue;
      }
      if (states >= opts.maxStates) throw new Bounded();
      const a = top.actions[top.next++]!;
      run.restore(top.snap);
      transitions++;
      if (!run.perform(a)) continue; // not this execution's translation
      const path = [...top.path, a];
      check(path);
      const k = stateDigest(run.key());
      if (visited.has(k)) continue;
      visited.add(k);
      states++;
      if (opts.onProgress && states % 256 === 0) opts.onProgress(states);
      stack.push({ snap: run.snapshot(), actions: run.enabled(), next: 0, path });
    }
  };

  const result = (complete: boolean, cx: RelaxedCounterexample | null): RelaxedResult => ({
    states, transitions, executions, distinct: seen.size, complete: complete && cut === 0, cut, unroll: DEFAULT_BOUNDS.unroll, counterexample: cx,
  });
  try {
    enumerateExecutions(locations.ra.length, locations.init, runs.map((r) => r.traces), 'power', (x) => {
      executions++;
      const order = timeOrder(x);
      run.begin(x, order);
      const key = problemKey(order, run);
      if (seen.has(key)) return;
      seen.add(key);
      schedules(x, order);
    });
  } catch (e) {
    if (e instanceof Found) return result(false, e.cx);
    if (e instanceof Bounded) return result(false, null);
    if (e instanceof TooManyCandidates) throw new InputError(`${fixture.fileName}:1:1: the CPUs' runs have ${e.message} under the Power model: too large to enumerate (use --model sc)`);
    throw e;
  }
  return result(true, null);
}
