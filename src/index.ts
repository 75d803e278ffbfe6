// The library API: everything the CLI does is available here without it — assemble,
// disassemble, load a program, step it, inspect it.

export { InputError } from './errors.js';

// ISA layer: the instruction table and what derives from it (decode, encode, disassembly,
// the assembler).
export * from './isa/index.js';
export { disassembleRegion } from './isa/listing.js';

// CPU layer: state, interpreter, user processes.
export { Cpu, VEC, type StopReason, type InterruptInfo } from './cpu/cpu.js';
export { run } from './cpu/interp.js';
export { UserAddressSpace, PhysPage, Access, type AddressSpace } from './cpu/memory.js';
export { UserProcess } from './cpu/user-process.js';
export { runElf, type RunElfResult, type RunElfOptions } from './cpu/user-run.js';
export { parseElf64, ElfError, type ElfImage } from './cpu/elf-loader.js';
export { loadUserProgram, programBytes, loadBareMachine, type BareOptions } from './cpu/load-program.js';
export { Machine, type MachineOptions } from './cpu/machine.js';
export { CPU_MODELS, type CpuModel, type CpuModelName } from './cpu/models.js';
export { HashMmu, type MmuPolicy } from './mmu/hash-mmu.js';
export { EventLog, eventToJson, type MmuEvent } from './mmu/events.js';
export { cpuStateJson, type StateJson } from './cpu/state-json.js';
export { runTraced } from './cpu/trace.js';

// Debugger.
export { Debugger } from './debug/debugger.js';

// Validator: rules, dynamic checks, exploration.
export {
  validate,
  validateStatic,
  parseFixture,
  explore,
  RULES,
  CHECKS,
  DEFAULT_MAX_STATES,
  type ValidateResult,
  type ValidateOptions,
  type ExploreResult,
  type Counterexample,
  type TimelineEntry,
  type Finding,
  type Violation,
} from './validate/index.js';
export { renderTimeline } from './validate/report.js';

// Kernel shim: boot, the zsmalloc scenario, its explored cycle and the main job's data.
export { bootKernel } from './kernel-shim/index.js';
export { runZsmallocScenario, VARIANTS, type ScenarioOptions, type ScenarioResult } from './kernel-shim/scenario.js';
export { exploreZsmallocCycle, zsmallocCycleFixture } from './kernel-shim/scenario-explore.js';
export { runFlagship, type Flagship, type FlagshipRow } from './kernel-shim/flagship.js';

// Memory model and litmus tests: herd7 PPC litmus tests under the Power model (Herding Cats'
// ppc.cat) or SC, and the candidate-execution machinery they run on.
export { parseLitmus, runLitmus, formatLog, formatJson, litmusFile, LitmusError, type LitmusRun, type LitmusOutcome, type LitmusTest, type ModelName } from './litmus/index.js';
export { enumerateExecutions, type AllowedExecution, type EnumerationStats, type Model } from './memory-model/enumerate.js';
export { checkPower, checkSc, preservedProgramOrder, type Axiom } from './memory-model/power.js';
export { threadRuns, type ThreadProgram, type RunBounds } from './memory-model/thread-runs.js';
export { effectsOf, type Effects, type StorageAccess, type Barrier } from './isa/effects.js';
