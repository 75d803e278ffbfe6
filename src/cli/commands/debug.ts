import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { startRepl } from '../../debug/repl.js';
import { addRunOptions, type RunOptions } from '../options.js';
import { openBare, openProgram } from '../session.js';
import { machineTarget, processTarget, type DebugTarget } from '../../debug/target.js';

export function registerDebug(program: Command): void {
  addRunOptions(program.command('debug').argument('<program>', 'program to debug (as for run)'))
    .option('--commands <file>', 'read debugger commands from FILE instead of the terminal')
    .description('interactive step debugger (step, break, regs, x, disasm, ...)')
    .action(async (path: string, o: RunOptions & { commands?: string }) => {
      let target: DebugTarget;
      if (o.bare) {
        const { machine, symbols } = openBare(path, o);
        target = machineTarget(machine, symbols);
      } else target = processTarget(openProgram(path, o));
      if (o.commands !== undefined) {
        try {
          await startRepl(target, o.commands);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code) throw new InputError(`${o.commands}: cannot read file`);
          throw e;
        }
      } else await startRepl(target);
    });
}
