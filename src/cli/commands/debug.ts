import type { Command } from 'commander';
import { InputError } from '../../errors.js';
import { startRepl } from '../../debug/repl.js';
import { addRunOptions, type RunOptions } from '../options.js';
import { openProgram } from '../session.js';

export function registerDebug(program: Command): void {
  addRunOptions(program.command('debug').argument('<program>', 'program to debug (as for run)'))
    .option('--commands <file>', 'read debugger commands from FILE instead of the terminal')
    .description('interactive step debugger (step, break, regs, x, disasm, ...)')
    .action(async (path: string, o: RunOptions & { commands?: string }) => {
      const proc = openProgram(path, o);
      if (o.commands !== undefined) {
        try {
          await startRepl(proc, o.commands);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code) throw new InputError(`${o.commands}: cannot read file`);
          throw e;
        }
      } else await startRepl(proc);
    });
}
