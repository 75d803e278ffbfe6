// The main job's data (npm start, `ppc64emu demo`): the 2012 question put to the model. Every
// zsmalloc variant runs on one and on two CPUs with several seeds (isa timing, speculation on),
// and one unmap/remap cycle of each is explored exhaustively on two CPUs by the validator.

import { CPU_MODELS } from '../cpu/models.js';
import { runZsmallocScenario, VARIANTS, type ScenarioResult } from './scenario.js';
import { exploreZsmallocCycle } from './scenario-explore.js';
import type { Violation } from '../validate/index.js';

export const FLAGSHIP_SEEDS = [1, 2, 3, 4] as const;
export const FLAGSHIP_OPS = 300;

export interface FlagshipRow {
  variant: string;
  describe: string;
  /** Runs that corrupted an object, on 1 and on 2 CPUs (of FLAGSHIP_SEEDS.length each). */
  corrupted: [number, number];
  /** The explored cycle: the violation found, or the states explored when none can happen. */
  explored: { violation: Violation | null; states: number; complete: boolean };
}

export interface Flagship {
  rows: FlagshipRow[];
  /** The first corrupted run, to replay and show. */
  first: { variant: string; cpus: number; seed: number; result: ScenarioResult } | null;
}

export function runFlagship(): Flagship {
  const rows: FlagshipRow[] = [];
  let first: Flagship['first'] = null;
  for (const [variant, v] of Object.entries(VARIANTS)) {
    const corrupted: [number, number] = [0, 0];
    for (const cpus of [1, 2] as const) {
      for (const seed of FLAGSHIP_SEEDS) {
        const result = runZsmallocScenario({ variant, cpus, threads: 2, ops: FLAGSHIP_OPS, seed, policy: 'isa', speculate: true, model: 'power8' });
        if (result.verdict === 'safe') continue;
        corrupted[cpus - 1]!++;
        first ??= { variant, cpus, seed, result };
      }
    }
    const x = exploreZsmallocCycle({ variant, model: CPU_MODELS.power8, cpus: 2, mode: 'exhaustive', maxStates: 200_000, seed: 1 }).result.exploration;
    rows.push({ variant, describe: v.describe, corrupted, explored: { violation: x.counterexample?.violation ?? null, states: x.states, complete: x.complete } });
  }
  return { rows, first };
}
