// Exploration (the validator's third layer): runs a fixture's CPUs under every order of the
// events that matter and every effect the ISA lets happen early, looking for a violation of
// the dynamic checks (checker.ts).
//
// A state's successors are its enabled actions:
//   step      a CPU executes its next instruction that touches storage or translation state
//             (loads, stores, syncs, tlbie/slb*, SPR moves), then every following
//             register-only instruction at once: those commute with other CPUs' actions, so
//             interleaving them would only repeat states (a partial-order reduction);
//   complete  a pending tlbie/tlbiel takes effect on one target CPU before its issuer's
//             completion point forces it (Book III 5.10.1);
//   publish   one invisible page-table store becomes visible to other CPUs' table walks before
//             the storing CPU's sync forces it, oldest ordering epoch first (hash-mmu.ts);
//   speculate a CPU loads the translation of a `.page` EA into its TLB, when its SLB and the
//             table as it sees it allow (Book III 5.7.5).
// Exhaustive mode is a depth-first search with a visited-state set (states hashed from the
// CPUs' registers, storage, TLBs, SLBs, pending invalidations, invisible stores and the
// checker's own state); it comes back to a state on its stack from a snapshot of the machine,
// MMU and checker.
// Random mode runs seeded random walks. A violation's path is shrunk to a 1-minimal one (no
// single action can be dropped with the same check still failing) and replayed with a
// timeline.

import { prng } from '../cpu/machine.js';
import type { CpuModel } from '../cpu/models.js';
import type { Fixture } from './fixture.js';
import type { Violation } from './checker.js';
import { Session, type Action, type SessionSnapshot, type TimelineEntry } from './session.js';
import type { RelaxedAction } from './relaxed/schedule.js';
import { stateDigest } from './state-digest.js';

export type { Action, TimelineEntry } from './session.js';

export interface ExploreOptions {
  /** single: one run, the first enabled action each time (CPUs in turn, no early effects). */
  readonly mode: 'single' | 'exhaustive' | 'random';
  readonly model: CpuModel;
  readonly cpus: number;
  /** Bound on distinct states (exhaustive) or on actions over all walks (random). */
  readonly maxStates: number;
  /** Random mode's seed. */
  readonly seed: number;
  /** Called now and then with the states explored so far. */
  readonly onProgress?: (states: number) => void;
}

export interface Counterexample {
  readonly violation: Violation;
  /** The actions that lead to it (a Power-model exploration's are RelaxedActions: its events by number). */
  readonly path: readonly (Action | RelaxedAction)[];
  readonly timeline: readonly TimelineEntry[];
  /** Random mode: the walk (0-based) that found it with this seed. */
  readonly walk?: number;
}

export interface ExploreResult {
  readonly mode: 'single' | 'exhaustive' | 'random';
  /** Distinct states (exhaustive) or actions taken (random). */
  readonly states: number;
  readonly transitions: number;
  /** Exhaustive: every reachable state was explored (the bound was not hit). */
  readonly complete: boolean;
  readonly walks: number;
  readonly maxStates: number;
  readonly seed: number;
  readonly counterexample: Counterexample | null;
}

/** Actions in one random walk before it is abandoned (a CPU spinning forever). */
const WALK_LIMIT = 20_000;

/** Replays `path` on a fresh machine; null when some action is not enabled at its turn. */
function replay(fixture: Fixture, opts: ExploreOptions, path: readonly Action[], record: boolean, check: boolean): Session | null {
  const s = new Session(fixture, opts.model, opts.cpus, record);
  for (const a of path) {
    if (s.checker.violation) break;
    if (check && !s.allows(a)) return null;
    s.perform(a);
  }
  return s;
}

/** Drops single actions while the same check still fails: a 1-minimal counterexample path. */
function shrink(fixture: Fixture, opts: ExploreOptions, path: readonly Action[], id: Violation['id']): Action[] {
  let best = [...path];
  for (let i = best.length - 1; i >= 0; i--) {
    const candidate = [...best.slice(0, i), ...best.slice(i + 1)];
    const s = replay(fixture, opts, candidate, false, true);
    if (!s) continue;
    if (!s.checker.violation && s.enabled().length === 0) s.finalCheck();
    if (s.checker.violation?.id === id) best = candidate;
  }
  return best;
}

function counterexample(fixture: Fixture, opts: ExploreOptions, path: readonly Action[], violation: Violation, walk?: number): Counterexample {
  const short = shrink(fixture, opts, path, violation.id);
  const s = replay(fixture, opts, short, true, false)!;
  if (!s.checker.violation && s.enabled().length === 0) s.finalCheck();
  const v = s.checker.violation ?? violation;
  const timeline = [...s.recorded, { cpu: v.cpu, line: null, text: `VIOLATION ${v.id}: ${v.message}`, kind: 'violation' as const }];
  return walk === undefined ? { violation: v, path: short, timeline } : { violation: v, path: short, timeline, walk };
}

/** Explores `fixture` as `opts` says. */
export function explore(fixture: Fixture, opts: ExploreOptions): ExploreResult {
  if (opts.mode === 'exhaustive') return exhaustive(fixture, opts);
  return randomWalks(fixture, opts, opts.mode === 'single' ? () => 0 : prng(opts.seed));
}

interface Frame {
  readonly id: number;
  /** The session at this state, to come back to after exploring a successor. */
  readonly snap: SessionSnapshot;
  /** How this state was reached: the parent frame and the action (root: null). */
  readonly from: { readonly parent: Frame; readonly action: Action } | null;
  readonly actions: readonly Action[];
  next: number;
}

function pathTo(f: Frame | null, last?: Action): Action[] {
  const out: Action[] = last ? [last] : [];
  for (let x = f; x?.from; x = x.from.parent) out.push(x.from.action);
  return out.reverse();
}

function exhaustive(fixture: Fixture, opts: ExploreOptions): ExploreResult {
  const result = (states: number, transitions: number, complete: boolean, cx: Counterexample | null): ExploreResult => ({
    mode: 'exhaustive',
    states,
    transitions,
    complete,
    walks: 0,
    maxStates: opts.maxStates,
    seed: opts.seed,
    counterexample: cx,
  });
  const session = new Session(fixture, opts.model, opts.cpus, false, false);
  if (session.checker.violation) return result(1, 0, false, counterexample(fixture, opts, [], session.checker.violation));
  const visited = new Set<string>([stateDigest(session.key())]);
  let ids = 0;
  const rootActions = session.enabled();
  if (rootActions.length === 0) {
    session.finalCheck();
    const v = session.checker.violation;
    return result(1, 0, true, v ? counterexample(fixture, opts, [], v) : null);
  }
  const stack: Frame[] = [{ id: ids, snap: session.snapshot(), from: null, actions: rootActions, next: 0 }];
  session.frame = ids;
  let states = 1;
  let transitions = 0;
  while (stack.length > 0) {
    if (states >= opts.maxStates) return result(states, transitions, false, null);
    const top = stack[stack.length - 1]!;
    if (top.next >= top.actions.length) {
      stack.pop();
      continue;
    }
    const a = top.actions[top.next++]!;
    if (session.frame !== top.id) session.restore(top.snap);
    session.perform(a);
    transitions++;
    if (session.checker.violation) return result(states, transitions, false, counterexample(fixture, opts, pathTo(top, a), session.checker.violation));
    const k = stateDigest(session.key());
    if (visited.has(k)) continue;
    visited.add(k);
    states++;
    if (opts.onProgress && states % 256 === 0) opts.onProgress(states);
    const actions = session.enabled();
    if (actions.length === 0) {
      session.finalCheck();
      if (session.checker.violation) return result(states, transitions, false, counterexample(fixture, opts, pathTo(top, a), session.checker.violation));
      continue;
    }
    stack.push({ id: ++ids, snap: session.snapshot(), from: { parent: top, action: a }, actions, next: 0 });
    session.frame = ids;
  }
  return result(states, transitions, true, null);
}

/** Random walks from the start (`single`: one walk that always takes the first action). */
function randomWalks(fixture: Fixture, opts: ExploreOptions, random: () => number): ExploreResult {
  let states = 0;
  let walks = 0;
  const result = (cx: Counterexample | null): ExploreResult => ({
    mode: opts.mode,
    states,
    transitions: states,
    complete: false,
    walks,
    maxStates: opts.maxStates,
    seed: opts.seed,
    counterexample: cx,
  });
  while (states < opts.maxStates) {
    const s = new Session(fixture, opts.model, opts.cpus, false);
    const walk = walks++;
    for (let n = 0; n < WALK_LIMIT && states < opts.maxStates; n++) {
      if (s.checker.violation) return result(counterexample(fixture, opts, s.path, s.checker.violation, walk));
      const actions = s.enabled();
      if (actions.length === 0) {
        s.finalCheck();
        if (s.checker.violation) return result(counterexample(fixture, opts, s.path, s.checker.violation, walk));
        break;
      }
      s.perform(actions[Math.floor(random() * actions.length)]!);
      states++;
      if (opts.onProgress && states % 256 === 0) opts.onProgress(states);
    }
    if (s.checker.violation) return result(counterexample(fixture, opts, s.path, s.checker.violation, walk));
    if (opts.mode === 'single') break;
  }
  return result(null);
}
