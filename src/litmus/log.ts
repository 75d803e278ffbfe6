// herd7's log text for one test (formatLog), as herd/top_herd.ml prints it, so herdtools'
// log tools (mcompare7, ...) read ours; and a JSON record of the same facts (formatJson).
//
// The format, from herd/top_herd.ml (herd/herdtools7 on GitHub):
//   Test NAME Allowed|Forbidden|Required         (lib/constrGen.ml pp_kind of the quantifier)
//   States N                                      then one line per state, `loc=value;` joined by ' '
//   Ok|No                                         check_cond: exists pos>0, ~exists pos=0, forall neg=0
//   Witnesses
//   Positive: P Negative: N                       check_wit: swapped for ~exists (P = executions
//                                                 that do not satisfy the proposition)
//   Condition <condition>                         lib/constrGen.ml dump_constraints
//   Observation NAME Never|Always|Sometimes p n   p, n relative to the proposition: Never when
//                                                 p = 0, else Always when n = 0
//   Time NAME 0.01                                `%0.2f` seconds
//   Hash=...                                      every Hash info line of the test
//   (blank line)
// Positive and negative count executions, not states (model_kont adds one per execution).
// Memory locations print bare (`x=1;`): brackets only come with herd's -brackets option.

import { formatCondition, locName } from './condition.js';
import type { LitmusLoc, LitmusValue, Quantifier } from './ast.js';
import type { FinalState, LitmusOutcome } from './outcome.js';

export type Verdict = 'Allowed' | 'Forbidden' | 'Required';
export type Observation = 'Never' | 'Sometimes' | 'Always';

const VERDICT: Record<Quantifier, Verdict> = { exists: 'Allowed', '~exists': 'Forbidden', forall: 'Required' };

/** herd's kind of a test: Allowed (exists), Forbidden (~exists), Required (forall). */
export function verdictOf(o: LitmusOutcome): Verdict {
  return VERDICT[o.test.condition.quantifier];
}

/** Whether the condition is validated: herd's `Ok` (else `No`). */
export function isOk(o: LitmusOutcome): boolean {
  switch (o.test.condition.quantifier) {
    case 'exists':
      return o.positive > 0;
    case '~exists':
      return o.positive === 0;
    case 'forall':
      return o.negative === 0;
  }
}

export function observationOf(o: LitmusOutcome): Observation {
  return o.positive === 0 ? 'Never' : o.negative === 0 ? 'Always' : 'Sometimes';
}

/** A final value: already at its observable's type (run.ts, types.ts), so printed as it is. */
function stateValue(v: LitmusValue): string {
  return v.kind === 'int' ? v.value.toString() : v.name;
}

/** One States line: `1:r1=0; 1:r3=1;`. */
export function formatState(observables: readonly LitmusLoc[], s: FinalState): string {
  if (s.values.length !== observables.length) {
    throw new Error(`a final state has ${s.values.length} values for ${observables.length} observables`);
  }
  return s.values.map((v, k) => `${locName(observables[k]!)}=${stateValue(v)};`).join(' ');
}

/** Seconds as C's `%0.2f`; negative or non-finite times (a clock glitch) print as 0.00. */
function seconds(s: number): string {
  return (Number.isFinite(s) && s > 0 ? s : 0).toFixed(2);
}

/** herd7's log block for one test, ending with its blank line. */
export function formatLog(o: LitmusOutcome): string {
  const name = o.test.name;
  const [wpos, wneg] = o.test.condition.quantifier === '~exists' ? [o.negative, o.positive] : [o.positive, o.negative];
  const lines = [
    `Test ${name} ${verdictOf(o)}`,
    `States ${o.states.length}`,
    ...o.states.map((s) => formatState(o.observables, s)),
    isOk(o) ? 'Ok' : 'No',
    'Witnesses',
    `Positive: ${wpos} Negative: ${wneg}`,
    `Condition ${formatCondition(o.test.condition)}`,
    `Observation ${name} ${observationOf(o)} ${o.positive} ${o.negative}`,
    `Time ${name} ${seconds(o.seconds)}`,
    ...o.test.info.filter(([k]) => k === 'Hash').map(([k, v]) => `${k}=${v}`),
  ];
  return lines.join('\n') + '\n\n';
}

/**
 * A machine-readable record of the outcome. `positive`/`negative` are relative to the
 * proposition (as on herd's Observation line, not swapped as on its Witnesses line for
 * ~exists); each state maps location names to printed values.
 */
export function formatJson(o: LitmusOutcome): object {
  return {
    test: o.test.name,
    model: o.model,
    verdict: verdictOf(o),
    ok: isOk(o),
    observation: observationOf(o),
    positive: o.positive,
    negative: o.negative,
    states: o.states.map((s) => Object.fromEntries(s.values.map((v, k) => [locName(o.observables[k]!), stateValue(v)]))),
    condition: formatCondition(o.test.condition),
    candidates: o.candidates,
    seconds: o.seconds,
  };
}
