// Candidate executions (Alglave, Maranget, Tautschnig, "Herding Cats", TOPLAS 2014, section
// 4.1): the events each thread's run produced (program order, the values its reads returned,
// its dependencies and fences), plus a choice of read-from (rf) and coherence (co). A model
// (power.ts, sc.ts) says whether a candidate is allowed.

import type { Barrier } from '../isa/effects.js';

/**
 * R, W: storage accesses; F: a barrier; M: anything else a caller of the thread runs needs in
 * program order (an MMU instruction, a fixture's mark, an access that took an interrupt),
 * never an event of the graph.
 */
export type EventKind = 'R' | 'W' | 'F' | 'M';

/** One event of a thread's run, in program order. */
export interface TraceEvent {
  readonly kind: EventKind;
  /** Location index (R, W); -1 for a fence. */
  readonly loc: number;
  /** Value read (R) or written (W). */
  readonly value: bigint;
  /** The barrier (F). */
  readonly fence: Barrier | null;
  /** lwarx/ldarx reads and successful stwcx./stdcx. writes (herd's EX). */
  readonly exclusive: boolean;
  /** For a successful store conditional: the index of its load-reserve read; else -1. */
  readonly rmw: number;
  /**
   * Dependencies on this thread's earlier reads, as bit masks over event indices: the
   * address (addr), the stored value (data), a conditional branch before it (ctrl), such a
   * branch followed by isync before it (ctrlisync). Herding Cats 4.2.
   */
  readonly addr: bigint;
  readonly data: bigint;
  readonly ctrl: bigint;
  readonly ctrlisync: bigint;
  /** Index of the instruction in the thread's code (for explanations). */
  readonly insn: number;
  /** What the caller's RunEnv attached (M events; the translation of an access). */
  readonly payload?: unknown;
}

/** One complete run of one thread: its events and its final registers. */
export interface ThreadTrace {
  readonly events: readonly TraceEvent[];
  readonly regs: readonly bigint[];
}

/**
 * The events of a combination of thread traces laid out for checking: one initial write per
 * location first (they belong to no thread), then every thread's reads and writes. Fences
 * are not events of the graph: they are folded into the fence relations (herd's
 * `fencerel(F)` = po;[F];po over memory events).
 */
export interface GraphEvent {
  readonly thread: number; // -1 for an initial write
  readonly index: number; // index in the thread's trace (-1 for an initial write)
  readonly kind: 'R' | 'W';
  readonly loc: number;
  readonly value: bigint;
  readonly exclusive: boolean;
}
