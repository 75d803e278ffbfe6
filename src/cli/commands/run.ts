import type { Command } from 'commander';
import { run } from '../../cpu/interp.js';
import { cpuStateJson, type StateJson } from '../../cpu/state-json.js';
import { bareTraceLine, runTraced } from '../../cpu/trace.js';
import { concat } from '../../cpu/user-run.js';
import { addRunOptions, type RunOptions } from '../options.js';
import { InputError } from '../../errors.js';
import { eventToJson } from '../../mmu/events.js';
import { Checker, CHECKS } from '../../validate/checker.js';
import type { HashMmu } from '../../mmu/hash-mmu.js';
import { openBare, openProgram } from '../session.js';
import { OutputFile } from '../output-file.js';
import type { Cpu } from '../../cpu/cpu.js';
import { hex } from '../../hex.js';

/** The output files a run writes, opened before it starts (bad paths fail first). */
function outputs(o: RunOptions) {
  return {
    events: o.events ? new OutputFile(o.events, '--events') : null,
    trace: o.trace ? new OutputFile(o.trace, '--trace') : null,
    state: o.stateOut ? new OutputFile(o.stateOut, '--state-out') : null,
  };
}

export function registerRun(program: Command): void {
  addRunOptions(program.command('run').argument('<program>', '.s/.S source, ELF64 file, or raw binary with --bare'))
    .description('run a program to completion (or until --stop-at / --max-insns)')
    .action((path: string, o: RunOptions) => {
      if (o.bare) return runBare(path, o);
      const proc = openProgram(path, o);
      const out = outputs(o);
      const cpu = proc.cpu;
      const budget = o.maxInsns ?? Number.MAX_SAFE_INTEGER;
      const events = out.events;
      if (events) proc.onEvent = (e) => events.write(JSON.stringify(e) + '\n');
      const trace = out.trace;
      if (trace) {
        runTraced(proc, budget, (l) => trace.write(l + '\n'));
        trace.close();
      } else {
        let done = 0;
        while (done < budget && cpu.stop === null) done += run(cpu, Math.min(budget - done, 1e9));
      }
      events?.close();
      process.stdout.write(concat(proc.stdout));
      process.stderr.write(concat(proc.stderr));
      for (const d of proc.diagnostics) process.stderr.write(`ppc64emu: ${d}\n`);
      const stopReason = cpu.stop === 'breakpoint' ? 'stop-at' : (cpu.stop ?? 'max-insns');
      if (o.stateOut) {
        const state: StateJson = {
          stopReason,
          exitCode: cpu.exitCode,
          instructions: cpu.instructions,
          cpus: [cpuStateJson(cpu)],
        };
        out.state!.write(JSON.stringify(state, null, 2) + '\n');
        out.state!.close();
      }
      if (stopReason === 'stop-at') process.stderr.write(`ppc64emu: stopped at 0x${cpu.pc.toString(16)}\n`);
      if (stopReason === 'max-insns') process.stderr.write(`ppc64emu: stopped after ${cpu.instructions} instructions (--max-insns)\n`);
      process.exitCode = cpu.exitCode ?? 0;
    });
}

/** --bare: the machine runs until every CPU halts (attn), a --stop-at, or --max-insns. */
function runBare(path: string, o: RunOptions): void {
  const { machine } = openBare(path, o);
  const out = outputs(o);
  const trace = out.trace;
  if (trace) {
    machine.onInstruction = (cpu) => {
      const line = bareTraceLine(machine, cpu) + '\n';
      return () => trace.write(line);
    };
  }
  const events = out.events;
  const mmu = machine.mmu as HashMmu;
  if (events) {
    mmu.events.on((e) => events.write(eventToJson(e) + '\n'));
    machine.onInterrupt = (cpu, info) =>
      mmu.events.emit({ type: 'interrupt', cpu: cpu.id, vector: info.vector, pc: cpu.pc, ea: info.ea, message: info.message });
  }
  // Dynamic checks that need no annotations (a torn PTE load, two tlbies in flight without
  // LOCKLESS_TLBIE, two valid PTEs for one VA): reported after the run.
  const checker = new Checker(mmu);
  // A machine whose CPUs never halt would otherwise run silently forever.
  const budget = o.maxInsns ?? DEFAULT_BARE_BOUND;
  machine.run(budget);
  events?.close();
  trace?.close();
  const stopReason = machine.stop === 'breakpoint' ? 'stop-at' : (machine.stop ?? 'max-insns');
  if (o.stateOut) {
    const state: StateJson = {
      stopReason,
      exitCode: null,
      instructions: machine.instructions,
      cpus: machine.cpus.map(cpuStateJson),
    };
    out.state!.write(JSON.stringify(state, null, 2) + '\n');
    out.state!.close();
  }
  const v = checker.violation;
  if (v) {
    const check = CHECKS.find((c) => c.id === v.id)!;
    process.stderr.write(`ppc64emu: cpu ${v.cpu}: dynamic check ${v.id} (${check.title}): ${v.message}\n`);
    process.exitCode = 1;
  }
  if (stopReason === 'unhandled-interrupt') {
    process.stderr.write(`ppc64emu: ${machine.stopMessage}\n`);
    process.exitCode = 1;
  }
  const why =
    stopReason === 'max-insns'
      ? `stopped after ${machine.instructions} instructions (${o.maxInsns === undefined ? `the default bound of a --bare run; --max-insns N to change it` : '--max-insns'})`
      : stopReason === 'stop-at'
        ? `cpu ${machine.cpus.find((c) => c.stop === 'breakpoint')?.id ?? 0} stopped at ${hex(machine.cpus.find((c) => c.stop === 'breakpoint')?.pc ?? 0n)} (--stop-at) after ${machine.instructions} instructions`
        : `${stopReason === 'halt' ? 'halted (attn)' : stopReason} after ${machine.instructions} instructions`;
  process.stderr.write(`ppc64emu: ${why}\n${machine.cpus.map(cpuSummary).join('\n')}\n`);
}

/** Instructions a --bare run executes when --max-insns is not given (a few seconds). */
export const DEFAULT_BARE_BOUND = 200_000_000;

/** One line per CPU for the end of a bare run: pc, MSR and every non-zero GPR. */
function cpuSummary(cpu: Cpu): string {
  const regs: string[] = [];
  for (let r = 0; r < 32; r++) {
    const v = cpu.getGpr(r);
    if (v !== 0n) regs.push(`r${r}=${hex(v)}`);
  }
  return `  cpu ${cpu.id}: pc ${hex(cpu.pc)} msr ${hex((BigInt(cpu.msrHi >>> 0) << 32n) | BigInt(cpu.msrLo >>> 0))}${cpu.stop && cpu.stop !== 'halt' ? ` (${cpu.stop})` : ''}${regs.length ? ' ' + regs.join(' ') : ''}`;
}
