#!/usr/bin/env node
// ppc64emu command line: parse, call the library, print. Bad input of any kind ends with one
// line on stderr and exit status 2.

import { Command, CommanderError } from 'commander';
import { InputError } from '../errors.js';
import { registerAsm } from './commands/asm.js';
import { registerDebug } from './commands/debug.js';
import { registerGdbserver } from './commands/gdbserver.js';
import { registerLitmus } from './commands/litmus.js';
import { withProgramHeader } from './program-header.js';
import { registerDemo } from './commands/demo.js';
import { registerDisasm } from './commands/disasm.js';
import { registerRun } from './commands/run.js';
import { registerScenario } from './commands/scenario.js';
import { registerValidate } from './commands/validate.js';

const EXIT_BAD_INPUT = 2;

function fail(message: string): never {
  process.stderr.write(`ppc64emu: ${message.replace(/^error: /, '').trim()}\n`);
  process.exit(EXIT_BAD_INPUT);
}

async function main(argv: string[]): Promise<void> {
  const program = new Command('ppc64emu')
    .description('64-bit PowerPC emulator with a hash MMU, built to judge TLB flush sequences')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  program.configureHelp({ sortSubcommands: false });
  registerRun(program);
  registerAsm(program);
  registerDisasm(program);
  registerDebug(program);
  registerGdbserver(program);
  registerValidate(program);
  registerScenario(program);
  registerLitmus(program);
  registerDemo(program);
  for (const c of program.commands) c.exitOverride().configureOutput({ writeErr: () => {} });
  try {
    await program.parseAsync(withProgramHeader(argv));
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') {
        process.exit(0);
      }
      fail(e.message);
    }
    if (e instanceof InputError) fail(e.message);
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`ppc64emu: internal error: ${msg}\n`);
    if (process.env.PPC64EMU_DEBUG) console.error(e);
    process.exit(70);
  }
}

// A reader that stops early (`ppc64emu demo | head`) closes the pipe: that ends the output,
// it is not an error to report with a stack trace.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  throw e;
});

void main(process.argv);
