// Turns a program file into something runnable: a user process (assembly source assembled
// in-process, or an ELF64 executable), or with --bare a machine holding a raw image.

import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { assemble, toBinary, toElf } from '../isa/index.js';
import { Machine, type MachineOptions } from './machine.js';
import { HashMmu, type MmuPolicy } from '../mmu/hash-mmu.js';
import { isElf, parseElf64 } from './elf-loader.js';
export { isElf } from './elf-loader.js';
import { UserProcess } from './user-process.js';

export interface LoadOptions {
  /** Assemble .s sources little-endian. */
  le?: boolean;
  /** Seeds getrandom, AT_RANDOM and darn (user processes). */
  seed?: number;
}

export function isAssemblySource(path: string): boolean {
  return /\.(s|S|asm)$/.test(path);
}

/** Nothing but printable ASCII and whitespace in its first 4 KiB: a text file, not a binary. */
export function looksLikeText(data: Uint8Array): boolean {
  const n = Math.min(data.length, 4096);
  if (n === 0) return false;
  for (let i = 0; i < n; i++) {
    const b = data[i]!;
    if (b === 9 || b === 10 || b === 13) continue;
    if (b < 0x20 || b > 0x7e) return false;
  }
  return true;
}

/** A program file's bytes; a missing or unreadable file is bad input. */
export function readInput(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (e) {
    throw new InputError(`${path}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : 'cannot read file'}`);
  }
}

/** ELF bytes for a program file: read as is, or assembled from source. */
export function programBytes(path: string, opts: LoadOptions = {}): Uint8Array {
  const data = readInput(path);
  if (isAssemblySource(path)) {
    const result = assemble(data.toString('utf8'), { fileName: path, littleEndian: opts.le ?? false });
    return toElf(result);
  }
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export function loadUserProgram(path: string, opts: LoadOptions = {}): UserProcess {
  const image = parseElf64(programBytes(path, opts), path);
  return new UserProcess(image, { fileName: basename(path), exePath: resolve(path), seed: opts.seed ?? 0 });
}

export interface BareOptions extends MachineOptions {
  /** Invalidation and page-table-store timing (src/mmu/hash-mmu.ts). */
  policy?: MmuPolicy;
  /** Speculative TLB loads. */
  speculate?: boolean;
  le?: boolean;
  /** Where the raw image goes in physical storage (default 0). */
  loadAddr?: bigint;
  /** Where every CPU starts (default 0x100). */
  entry?: bigint;
}

/**
 * A bare-metal program on a fresh machine: a raw binary (or a .s source assembled as a raw
 * image at the load address) copied to physical storage, every CPU started at the entry in
 * 64-bit hypervisor real mode.
 */
export function loadBareMachine(path: string, opts: BareOptions = {}): { machine: Machine; symbols: Map<string, bigint> } {
  const loadAddr = opts.loadAddr ?? 0n;
  let image: Uint8Array;
  let symbols = new Map<string, bigint>();
  const data = readInput(path);
  if (isAssemblySource(path)) {
    const r = assemble(data.toString('utf8'), { fileName: path, littleEndian: opts.le ?? false, format: 'bin', textAddress: loadAddr });
    image = toBinary(r);
    symbols = new Map(r.symbols);
  } else {
    if (isElf(data)) throw new InputError(`${path}: is an ELF executable; --bare loads a raw image or a .s source (run it without --bare, or extract its code with objcopy -O binary)`);
    if (looksLikeText(data)) throw new InputError(`${path}: is a text file, not a raw image; name assembly sources .s to assemble them`);
    image = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }
  const machine = new Machine(opts);
  new HashMmu(machine, { policy: opts.policy ?? 'eager', speculate: opts.speculate ?? false });
  if (loadAddr + BigInt(image.length) > machine.mem.size) {
    throw new InputError(`${path}: ${image.length} bytes at 0x${loadAddr.toString(16)} do not fit in storage`);
  }
  machine.load(loadAddr, image);
  machine.start(opts.entry ?? 0x100n, opts.le ?? false);
  return { machine, symbols };
}
