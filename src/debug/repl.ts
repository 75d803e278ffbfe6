// The interactive front of the debugger: reads command lines from a terminal or from a file
// (--commands, so tests and scripts can drive it) and prints the Debugger's answers.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Debugger } from './debugger.js';
import type { DebugTarget } from './target.js';

export const PROMPT = '(ppc64emu) ';

/** Instructions an interactive continue runs between looks at the keyboard (~a few ms). */
const CONTINUE_SLICE = 200_000;

/** Runs every line of `lines`, echoing each after the prompt; returns the transcript. */
export function runScript(dbg: Debugger, lines: string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (dbg.quit) break;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    out.push(PROMPT + line.trim());
    const r = dbg.execute(line);
    // The guest's own output appears where it happened, as on a terminal.
    const o = dbg.target.drainOutput?.();
    const text = o ? Buffer.concat([...o.stdout, ...o.stderr]).toString('utf8') : '';
    if (text) out.push(text.replace(/\n$/, ''));
    if (r) out.push(r);
  }
  return out.join('\n') + '\n';
}

/** Copies what the guest wrote since the last look to our stdout and stderr. */
function forwardOutput(target: DebugTarget): void {
  const o = target.drainOutput?.();
  if (!o) return;
  for (const b of o.stdout) process.stdout.write(b);
  for (const b of o.stderr) process.stderr.write(b);
}

export async function startRepl(target: DebugTarget, commandsFile?: string): Promise<void> {
  const dbg = new Debugger(target);
  const intro = `ppc64emu debugger; type help for commands\n${dbg.execute('disasm pc 1')}\n`;
  if (commandsFile !== undefined) {
    const lines = readFileSync(commandsFile, 'utf8').split('\n');
    process.stdout.write(intro + runScript(dbg, lines));
    return;
  }
  process.stdout.write(intro);
  const rl = createInterface({ input: process.stdin, output: process.stdout, prompt: PROMPT });
  // Ctrl-C stops a running continue and returns to the prompt; at the prompt it only clears
  // the line (quit or Ctrl-D leave), as in gdb.
  let running = false;
  let interrupted = false;
  rl.on('SIGINT', () => {
    if (running) interrupted = true;
    else {
      process.stdout.write('^C\n');
      rl.prompt();
    }
  });
  rl.prompt();
  let last = '';
  for await (const typed of rl) {
    // An empty line repeats the last command, as in gdb (step and continue most of all).
    const line = typed.trim() === '' ? last : typed;
    last = line;
    let r: string;
    if (dbg.isContinue(line)) {
      running = true;
      interrupted = false;
      let done = dbg.beginContinue();
      while (done === null) {
        await new Promise((resolve) => setImmediate(resolve)); // let Ctrl-C through
        done = interrupted ? dbg.interruptContinue() : dbg.continueSlice(CONTINUE_SLICE);
        forwardOutput(target);
      }
      running = false;
      r = done;
    } else r = dbg.execute(line);
    forwardOutput(target);
    if (r) process.stdout.write(r + '\n');
    if (dbg.quit) break;
    rl.prompt();
  }
  rl.close();
}
