// Turns a program file into a runnable user process: assembly source (.s/.S, assembled
// in-process), or an ELF64 executable. Bare-metal raw binaries (--bare) belong to the
// machine with the MMU and are not loaded here.

import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { InputError } from '../errors.js';
import { assemble, toElf } from '../isa/index.js';
import { parseElf64 } from './elf-loader.js';
import { UserProcess } from './user-process.js';

export interface LoadOptions {
  /** Assemble .s sources little-endian. */
  le?: boolean;
}

export function isAssemblySource(path: string): boolean {
  return /\.(s|S|asm)$/.test(path);
}

/** ELF bytes for a program file: read as is, or assembled from source. */
export function programBytes(path: string, opts: LoadOptions = {}): Uint8Array {
  let data: Buffer;
  try {
    data = readFileSync(path);
  } catch (e) {
    throw new InputError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read file'}`);
  }
  if (isAssemblySource(path)) {
    const result = assemble(data.toString('utf8'), { fileName: path, littleEndian: opts.le ?? false });
    return toElf(result);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function loadUserProgram(path: string, opts: LoadOptions = {}): UserProcess {
  const image = parseElf64(programBytes(path, opts), path);
  return new UserProcess(image, { fileName: basename(path) });
}
