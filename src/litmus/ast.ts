// A herd7 PPC litmus test as read from its file (parse.ts): the header, the initial state, one
// column of instruction text per thread, and the final condition. Nothing here is evaluated;
// the memory-model engine (src/memory-model) runs the threads and the condition.
//
// The syntax is herdtools7's ("litmus" and "herd" manuals, section "Litmus test syntax"):
//   PPC NAME
//   "optional doc string"
//   key=value                      (optional lines, e.g. Cycle=..., Hash=...)
//   { 0:r2=x; 1:r4=y; x=1; }       (registers and memory locations)
//    P0          | P1          ;
//    li r1,1     | lwz r1,0(r2) ;
//   locations [x; 1:r1;]           (optional)
//   filter (...)                   (optional)
//   exists (0:r1=1 /\ 1:r3=0)      (or ~exists, forall)

import type { ValueType } from './types.js';

/** 1-based line and column in the litmus file. */
export interface Pos {
  readonly line: number;
  readonly col: number;
}

/** A register of a thread (`1:r3`) or a memory location (`x`). */
export type LitmusLoc =
  | { readonly kind: 'reg'; readonly thread: number; readonly reg: number }
  | { readonly kind: 'mem'; readonly name: string };

/** A value in the init block or a condition: an integer, or the address of a location. */
export type LitmusValue =
  | { readonly kind: 'int'; readonly value: bigint }
  | { readonly kind: 'addr'; readonly name: string };

export interface InitEntry {
  readonly loc: LitmusLoc;
  readonly value: LitmusValue;
  /** The declared C type (`int64_t 0:r2`), null when none is given (herd's default, int). */
  readonly type: ValueType | null;
  readonly pos: Pos;
}

/** One non-empty cell of a thread's column: an instruction, a label, or `label: insn`. */
export interface ThreadLine {
  readonly text: string;
  /** Where the cell's text starts. */
  readonly pos: Pos;
}

export interface LitmusThread {
  /** N of the column header `PN`. */
  readonly id: number;
  readonly lines: readonly ThreadLine[];
}

/** A proposition over final states (herd's condition language). */
export type Prop =
  | { readonly kind: 'true' }
  | { readonly kind: 'false' }
  | { readonly kind: 'eq'; readonly loc: LitmusLoc; readonly value: LitmusValue; readonly pos: Pos }
  | { readonly kind: 'not'; readonly p: Prop }
  | { readonly kind: 'and'; readonly l: Prop; readonly r: Prop }
  | { readonly kind: 'or'; readonly l: Prop; readonly r: Prop }
  | { readonly kind: 'implies'; readonly l: Prop; readonly r: Prop };

export type Quantifier = 'exists' | '~exists' | 'forall';

export interface Condition {
  readonly quantifier: Quantifier;
  readonly prop: Prop;
  readonly pos: Pos;
}

export interface LitmusTest {
  /** File name as given (used in messages). */
  readonly file: string;
  /** Architecture word of the header: always "PPC" here (others are refused). */
  readonly arch: string;
  readonly name: string;
  readonly doc: string | null;
  /** key=value lines between the header and the init block, in order. */
  readonly info: ReadonlyArray<readonly [string, string]>;
  readonly init: readonly InitEntry[];
  readonly threads: readonly LitmusThread[];
  /** `locations [...]`: extra observables, in order. */
  readonly locations: readonly LitmusLoc[];
  readonly filter: Prop | null;
  readonly condition: Condition;
}
