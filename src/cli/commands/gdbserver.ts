import type { Command } from 'commander';
import { serveGdb } from '../../debug/gdb/server.js';
import { machineTarget, processTarget, type DebugTarget } from '../../debug/target.js';
import { addRunOptions, parseCount, type RunOptions } from '../options.js';
import { openBare, openProgram } from '../session.js';
import { InputError } from '../../errors.js';

export function registerGdbserver(program: Command): void {
  addRunOptions(
    program
      .command('gdbserver')
      .argument('<port>', 'TCP port on 127.0.0.1 (0: any free port)', parseCount(0, 65535))
      .argument('<program>', 'program to debug (as for run)')
      .option('--console', "also send the guest's output to gdb as console-output (O) packets"),
  )
    .description('serve one gdb-multiarch connection (target remote :PORT) over the GDB remote protocol')
    .action(async (port: number, path: string, o: RunOptions & { console?: boolean }) => {
      let target: DebugTarget;
      if (o.bare) {
        const { machine, symbols } = openBare(path, o);
        target = machineTarget(machine, symbols);
      } else target = processTarget(openProgram(path, o));
      await new Promise<void>((resolve, reject) => {
        const server = serveGdb(target, {
          port,
          console: o.console === true,
          onListening: (p) => process.stderr.write(`ppc64emu: gdbserver listening on 127.0.0.1:${p}\n`),
          onClose: () => resolve(),
          onOutput: (out, err) => {
            for (const b of out) process.stdout.write(b);
            for (const b of err) process.stderr.write(b);
          },
        });
        // A port in use or not ours to bind is bad input (one line, exit 2), not a crash.
        server.on('error', (e: NodeJS.ErrnoException) =>
          reject(new InputError(`gdbserver: cannot listen on 127.0.0.1:${port}: ${e.code === 'EADDRINUSE' ? 'port in use' : e.code === 'EACCES' ? 'permission denied' : (e.code ?? e.message)}`)),
        );
      });
    });
}
