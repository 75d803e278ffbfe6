// The interactive front of the debugger: reads command lines from a terminal or from a file
// (--commands, so tests and scripts can drive it) and prints the Debugger's answers.

import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { Debugger } from './debugger.js';
import type { DebugTarget } from './target.js';

export const PROMPT = '(ppc64emu) ';

/** Runs every line of `lines`, echoing each after the prompt; returns the transcript. */
export function runScript(dbg: Debugger, lines: string[]): string {
  const out: string[] = [];
  for (const line of lines) {
    if (dbg.quit) break;
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    out.push(PROMPT + line.trim());
    const r = dbg.execute(line);
    if (r) out.push(r);
  }
  return out.join('\n') + '\n';
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
  rl.prompt();
  for await (const line of rl) {
    const r = dbg.execute(line);
    if (r) process.stdout.write(r + '\n');
    if (dbg.quit) break;
    rl.prompt();
  }
  rl.close();
}
