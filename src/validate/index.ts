// The flush-sequence validator's library surface. This first layer is static: rules over each
// CPU's straight-line instruction sequence (rules.ts) in a fixture (fixture.ts).

import { InputError } from '../errors.js';
import { CPU_MODELS, type CpuModel, type CpuModelName } from '../cpu/models.js';
import { parseFixture } from './fixture.js';
import { runRules, type Finding } from './rules.js';

export { parseFixture, FixtureError, type Fixture, type FixtureCpu, type FixtureInsn, type FixtureMark, type Annotation } from './fixture.js';
export { RULES, runRules, type Finding, type Rule, type RuleId, type Severity } from './rules.js';

/** The model used when neither the caller nor the fixture's `.model` line names one (as the CLI's default). */
export const DEFAULT_VALIDATE_MODEL: CpuModelName = 'power9';

export interface ValidateStaticOptions {
  /** Overrides the fixture's `.model` line; a name or a model object (e.g. with features changed). */
  readonly model?: CpuModelName | CpuModel;
}

/**
 * Parses `source` as a validation fixture and runs the static rules on every CPU's code.
 * Throws an InputError (`file:line:col: message`) on bad input.
 */
export function validateStatic(source: string, fileName: string, opts: ValidateStaticOptions = {}): Finding[] {
  const fixture = parseFixture(source, fileName);
  if (typeof opts.model === 'string' && !Object.hasOwn(CPU_MODELS, opts.model)) {
    throw new InputError(`unknown CPU model '${opts.model}' (power7, power8, power9)`);
  }
  const model =
    typeof opts.model === 'string' ? CPU_MODELS[opts.model] : (opts.model ?? fixture.model ?? CPU_MODELS[DEFAULT_VALIDATE_MODEL]);
  return runRules(fixture, model);
}
