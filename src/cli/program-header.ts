// A program source names the options it needs on a `# run:` line near its top, e.g.
//   # run: --bare --entry 0x10 --cpu-model power8 --stop-at done
// `run`, `debug` and `gdbserver` read it: its options come first, so anything given on the
// command line after them wins (commander keeps the last value of an option).

import { readFileSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';

const COMMANDS = new Set(['run', 'debug', 'gdbserver']);
/** Only the top of a file is read for the header. */
const HEADER_LINES = 40;

/** `argv` with the program's `# run:` options inserted before the user's arguments. */
export function withProgramHeader(argv: readonly string[]): string[] {
  const cmd = argv[2];
  if (cmd === undefined || !COMMANDS.has(cmd)) return [...argv];
  const program = argv.slice(3).find((a) => /\.(s|S)$/.test(a) && statSync(a, { throwIfNoEntry: false })?.isFile());
  if (!program) return [...argv];
  let text: string;
  try {
    text = readFileSync(program, 'utf8');
  } catch {
    return [...argv]; // the command reports the unreadable file itself
  }
  const lines = text.split('\n', HEADER_LINES);
  const header: string[] = [];
  lines.forEach((line, k) => {
    const m = /^\s*#\s*run:(.*)$/.exec(line);
    if (!m) return;
    const words = m[1]!.trim().split(/\s+/).filter(Boolean);
    if (words[0] !== undefined && !words[0].startsWith('--')) {
      throw new InputError(`${program}:${k + 1}:${line.indexOf(words[0]) + 1}: a '# run:' line holds options (--name value ...), not '${words[0]}'`);
    }
    header.push(...words);
  });
  return [argv[0]!, argv[1]!, cmd, ...header, ...argv.slice(3)];
}
