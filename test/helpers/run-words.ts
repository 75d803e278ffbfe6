// Test harness: build a user process from instructions given as mnemonic + operand values
// (encoded through the instruction table, no assembler involved), run it, inspect the CPU.

import { encode, lookupMnemonic, presentOperands } from '../../src/isa/encode.js';
import { UserProcess } from '../../src/cpu/user-process.js';
import type { ElfImage } from '../../src/cpu/elf-loader.js';

export const CODE = 0x10000000n;
export const DATA = 0x10100000n;

export type Insn = [string, ...number[]];

/** Encodes `mnemonic` with operand values as written (omitted trailing optionals allowed). */
export function enc(mnemonic: string, ...ops: number[]): number {
  const mn = lookupMnemonic(mnemonic);
  if (!mn) throw new Error(`unknown mnemonic ${mnemonic}`);
  const present = presentOperands(mn.operands, ops.length);
  if (!present) throw new Error(`${mnemonic}: wrong operand count ${ops.length}`);
  const vals: number[] = [];
  let k = 0;
  for (const p of present) vals.push(p ? ops[k++]! : 0);
  return encode(mn, vals);
}

export interface RunOptions {
  le?: boolean;
  /** Initial register values. */
  regs?: Record<number, bigint>;
  /** Bytes placed at DATA (a 64 KiB writable region). */
  data?: Uint8Array;
  maxInsns?: number;
  /** Seeds getrandom and AT_RANDOM. */
  seed?: number;
  setup?: (p: UserProcess) => void;
}

/**
 * Runs the instructions followed by exit_group(r3): `li r0,234; sc` is appended, so the test
 * program must leave r3 as it likes (the exit code is r3 & 0xff). Returns the process.
 */
export function runInsns(insns: Array<Insn | number>, opts: RunOptions = {}): UserProcess {
  const le = opts.le ?? false;
  const words = insns.map((x) => (typeof x === 'number' ? x : enc(x[0], ...(x.slice(1) as number[]))));
  words.push(enc('li', 0, 234), enc('sc'));
  const code = new Uint8Array(words.length * 4);
  const dv = new DataView(code.buffer);
  words.forEach((w, k) => dv.setUint32(k * 4, w, le));
  const data = new Uint8Array(65536);
  if (opts.data) data.set(opts.data);
  const image: ElfImage = {
    littleEndian: le,
    abiVersion: 2,
    entry: CODE,
    toc: null,
    phdrAddr: null,
    phnum: 0,
    codeSections: [],
    rawSymbols: [],
    segments: [
      { vaddr: CODE, memsz: code.length, data: code, flags: 5 },
      { vaddr: DATA, memsz: data.length, data, flags: 6 },
    ],
    symbols: new Map(),
  };
  const p = new UserProcess(image, { fileName: 'test', seed: opts.seed ?? 0 });
  for (const [r, v] of Object.entries(opts.regs ?? {})) p.cpu.setGpr(Number(r), v);
  opts.setup?.(p);
  p.run(opts.maxInsns ?? 1_000_000);
  return p;
}

/** Unsigned 64-bit view of a GPR. */
export function gpr(p: UserProcess, n: number): bigint {
  return p.cpu.getGpr(n);
}

/** CR field n (0..7) as a 4-bit number (LT GT EQ SO). */
export function crField(p: UserProcess, n: number): number {
  return (p.cpu.cr >>> (28 - 4 * n)) & 0xf;
}
