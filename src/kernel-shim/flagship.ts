// The main job's data (npm start, `ppc64emu demo`): the 2012 question put to the model. Every
// zsmalloc variant runs on one and on two CPUs with several seeds (isa timing, speculation on),
// and one unmap/remap cycle of each is explored exhaustively on two CPUs by the validator.

import { CPU_MODELS } from '../cpu/models.js';
import { runZsmallocScenario, VARIANTS, type ScenarioResult } from './scenario.js';
import { exploreZsmallocCycle } from './scenario-explore.js';
import type { Violation } from '../validate/index.js';

export const FLAGSHIP_SEEDS = [1, 2, 3, 4] as const;
export const FLAGSHIP_OPS = 300;
/** The options every sampled run uses, as the scenario command spells them (for replay lines). */
export const FLAGSHIP_RUN_OPTIONS = `--threads 2 --ops ${FLAGSHIP_OPS} --cpu-model power8 --mmu-policy isa --speculate on`;
/** The explored cycle's options, as the scenario command spells them. */
export const FLAGSHIP_EXPLORE_OPTIONS = '--cpus 2 --cpu-model power8 --explore exhaustive --max-states 200000';
/** The CPU that unmaps and remaps its area in the explored cycle. */
const UNMAPPING_CPU = 0;

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

/**
 * What the run concludes, a line per variant and the answer to the 2012 question, derived from
 * the rows (which CPU the explored violation names, whether sampling saw any corruption).
 */
export function flagshipConclusions(f: Flagship): string[] {
  const runs = FLAGSHIP_SEEDS.length * 2;
  const lines: string[] = [];
  for (const r of f.rows) {
    const bad = r.corrupted[0] + r.corrupted[1];
    const v = r.explored.violation;
    const who = (cpu: number) =>
      cpu === UNMAPPING_CPU
        ? `cpu ${cpu}, the CPU that unmapped the area, can itself still use the old translation`
        : `cpu ${cpu}, not the CPU that unmapped the area, can still use the old translation, which a CPU-local invalidation does not reach`;
    if (v && bad > 0) lines.push(`${r.variant}: unsafe. ${bad} of ${runs} sampled runs corrupted an object, and exploring one cycle shows why: ${who(v.cpu)} when the area is remapped (${v.id}).`);
    else if (v) lines.push(`${r.variant}: unsafe, although all ${runs} sampled runs were safe. Exploring one cycle finds that ${who(v.cpu)} (${v.id}); the sampled schedules never reached that order, so sampling alone could not show this flush correct.`);
    else if (!r.explored.complete) lines.push(`${r.variant}: ${bad > 0 ? `unsafe (${bad} of ${runs} sampled runs corrupted an object)` : 'no corruption sampled'}; the explored cycle hit its state bound before finishing, so no verdict from exploration.`);
    else if (bad > 0) lines.push(`${r.variant}: ${bad} of ${runs} sampled runs corrupted an object although the explored cycle is safe: the fault lies outside the one unmap/remap cycle explored.`);
    else lines.push(`${r.variant}: safe. No sampled run corrupted an object, and no order of the explored cycle (${r.explored.states} ${r.explored.states === 1 ? 'state' : 'states'}) leaves any CPU able to use the old translation.`);
  }
  const safe = f.rows.filter((r) => !r.explored.violation && r.explored.complete && r.corrupted[0] + r.corrupted[1] === 0).map((r) => r.variant);
  const local = f.rows.find((r) => r.variant === 'tlbiel-local');
  if (local?.explored.violation) {
    lines.push(
      `The 2012 question: a CPU-local TLB flush is not enough for zsmalloc's mapping area, since another CPU may hold the translation (loaded speculatively or by an earlier access) when the area is remapped. Safe here: ${safe.join(', ')}.`,
    );
  } else lines.push(`Safe here: ${safe.join(', ') || 'none'}.`);
  return lines;
}
