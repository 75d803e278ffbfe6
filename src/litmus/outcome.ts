// What running a litmus test under a memory model produced (src/litmus/run.ts), in the terms
// herd7's log prints (log.ts): the reachable final states over the test's observables, and
// the count of allowed executions that satisfy the condition's proposition and that do not.

import type { LitmusLoc, LitmusTest, LitmusValue } from './ast.js';

export type ModelName = 'power' | 'sc';

export interface FinalState {
  /** One value per observable, in `LitmusOutcome.observables` order. */
  readonly values: readonly LitmusValue[];
}

export interface LitmusOutcome {
  readonly test: LitmusTest;
  readonly model: ModelName;
  /**
   * What the States lines show: the condition's and `locations [...]` locations merged in
   * herd's order (registers by thread then number, then memory by name; condition.ts).
   */
  readonly observables: readonly LitmusLoc[];
  /** Distinct final states of the allowed executions (after `filter`), in herd's order. */
  readonly states: readonly FinalState[];
  /** Allowed executions whose final state satisfies the condition's proposition. */
  readonly positive: number;
  /** Allowed executions whose final state does not. */
  readonly negative: number;
  /** Candidate executions examined (for --json and BENCHMARKS.md). */
  readonly candidates: number;
  /** Wall-clock seconds for the test. */
  readonly seconds: number;
}
