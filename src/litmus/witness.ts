// One execution of a litmus test kept to be drawn (`litmus --html`): for `exists` and
// `~exists`, an allowed execution whose final state satisfies the proposition (the witness
// that the outcome can happen); for `forall`, one that does not (the counterexample). Its
// events per thread in program order (reads, writes, fences), the initial writes, and the
// communication relations of Herding Cats (TOPLAS 2014, section 4.1): rf from each read's
// write, co between successive writes of a location, fr from each read to the co-successors
// of its write. Plain data, so a worker thread can post it.

import { disassemble } from '../isa/disasm.js';
import type { AllowedExecution } from '../memory-model/enumerate.js';
import type { Quantifier } from './ast.js';
import { litmusValue, type LitmusProgram } from './program.js';

export interface WitnessEvent {
  /** The event's index in the execution graph (-1 for a fence, which is not a graph event). */
  readonly id: number;
  readonly kind: 'R' | 'W' | 'F';
  readonly loc: string;
  readonly value: string;
  /** The instruction, as objdump prints it. */
  readonly insn: string;
}

export interface Witness {
  /** `satisfies`: the shown execution makes the proposition true; `violates`: false. */
  readonly shows: 'satisfies' | 'violates';
  readonly init: ReadonlyArray<{ readonly id: number; readonly loc: string; readonly value: string }>;
  readonly threads: ReadonlyArray<readonly WitnessEvent[]>;
  /** Pairs of graph ids. */
  readonly rf: ReadonlyArray<readonly [number, number]>;
  readonly co: ReadonlyArray<readonly [number, number]>;
  readonly fr: ReadonlyArray<readonly [number, number]>;
  /** The observed final state, `loc=value;` as in herd's state lines. */
  readonly final: string;
}

/** Whether an execution whose proposition evaluates to `holds` is the one to show for this quantifier. */
export function wanted(q: Quantifier, holds: boolean): boolean {
  return q === 'forall' ? !holds : holds;
}

function valueText(p: LitmusProgram, v: bigint): string {
  const lv = litmusValue(p, v);
  return lv.kind === 'int' ? lv.value.toString() : lv.name;
}

export function witnessOf(p: LitmusProgram, x: AllowedExecution, q: Quantifier, final: string): Witness {
  const g = x.graph;
  const threads = x.traces.map((tr, t) =>
    tr.events
      .map((e, k): WitnessEvent | null => {
        if (e.kind === 'M') return null;
        const word = p.threads[t]!.words[e.insn]!;
        return {
          id: e.kind === 'F' ? -1 : g.indexOf[t]![k]!,
          kind: e.kind,
          loc: e.kind === 'F' ? '' : p.names[e.loc]!,
          value: e.kind === 'F' ? '' : valueText(p, e.value),
          insn: disassemble(word).text,
        };
      })
      .filter((e): e is WitnessEvent => e !== null),
  );
  const init = g.events.flatMap((e, id) => (e.thread === -1 ? [{ id, loc: p.names[e.loc]!, value: valueText(p, e.value) }] : []));
  const rf: Array<[number, number]> = [];
  const fr: Array<[number, number]> = [];
  const co: Array<[number, number]> = [];
  for (let a = 0; a < g.n; a++)
    for (let b = 0; b < g.n; b++) {
      if (x.comm.rf.has(a, b)) rf.push([a, b]);
      if (x.comm.fr.has(a, b)) fr.push([a, b]);
    }
  // co drawn as its immediate successions: a before b with no write between.
  for (const ws of g.writesOf) {
    const order = [...ws].sort((a, b) => ws.filter((w) => x.comm.co.has(w, a)).length - ws.filter((w) => x.comm.co.has(w, b)).length);
    for (let k = 0; k + 1 < order.length; k++) co.push([order[k]!, order[k + 1]!]);
  }
  // fr drawn only to the immediate co-successor of the read's write (the rest follows by co).
  const next = new Map(co.map(([a, b]) => [a, b]));
  const source = new Map(rf.map(([w, r]) => [r, w]));
  const frShown = fr.filter(([r, w]) => next.get(source.get(r)!) === w);
  return { shows: wanted(q, true) ? 'satisfies' : 'violates', init, threads, rf, co, fr: frShown, final };
}
