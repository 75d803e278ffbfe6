// One-call entry point for running a Linux user-mode ELF program to completion.

import { parseElf64 } from './elf-loader.js';
import type { StopReason } from './cpu.js';
import { UserProcess } from './user-process.js';

export interface RunElfOptions {
  maxInsns?: number;
  fileName?: string;
}

export interface RunElfResult {
  stdout: Uint8Array;
  stderr: Uint8Array;
  exitCode: number | null;
  stopReason: StopReason;
  instructions: number;
  diagnostics: string[];
}

export function concat(chunks: Uint8Array[]): Uint8Array {
  const n = chunks.reduce((a, c) => a + c.length, 0);
  const r = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    r.set(c, o);
    o += c.length;
  }
  return r;
}

/** Loads and runs an ELF64 program; throws ElfError on a malformed file. */
export function runElf(bytes: Uint8Array, opts: RunElfOptions = {}): RunElfResult {
  const fileName = opts.fileName ?? 'program';
  const image = parseElf64(bytes, fileName);
  const proc = new UserProcess(image, { fileName });
  const max = opts.maxInsns ?? 1e10;
  proc.run(max);
  const cpu = proc.cpu;
  return {
    stdout: concat(proc.stdout),
    stderr: concat(proc.stderr),
    exitCode: cpu.exitCode,
    stopReason: cpu.stop ?? 'max-insns',
    instructions: cpu.instructions,
    diagnostics: proc.diagnostics,
  };
}
