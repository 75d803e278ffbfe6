// Option parsing shared by the commands: values are checked here so that every bad option
// becomes one clear line and exit status 2.

import { InvalidArgumentError, Option, type Command } from 'commander';

export function parseAddress(text: string): bigint {
  const t = text.trim();
  if (!/^(0x[0-9a-f_]+|[0-9]+)$/i.test(t)) throw new InvalidArgumentError(`not an address: ${text}`);
  const v = BigInt(t.replace(/_/g, ''));
  if (v >= 1n << 64n) throw new InvalidArgumentError(`address does not fit in 64 bits: ${text}`);
  return v;
}

export function parseCount(min: number, max: number) {
  return (text: string): number => {
    if (!/^[0-9]+$/.test(text.trim())) throw new InvalidArgumentError(`not a whole number: ${text}`);
    const v = Number(text);
    if (v < min || v > max) throw new InvalidArgumentError(`must be between ${min} and ${max}: ${text}`);
    return v;
  };
}

export const CPU_MODELS = ['power7', 'power8', 'power9'] as const;
export const MMU_POLICIES = ['eager', 'isa'] as const;

export interface RunOptions {
  bare?: boolean;
  entry?: bigint;
  loadAddr?: bigint;
  le?: boolean;
  cpus: number;
  cpuModel: (typeof CPU_MODELS)[number];
  maxInsns?: number;
  stopAt?: string[];
  mmuPolicy: (typeof MMU_POLICIES)[number];
  speculate: 'off' | 'on';
  seed?: number;
  stateOut?: string;
  trace?: string;
  events?: string;
}

/** Adds the options `run`, `debug` and `gdbserver` share (DESIGN.md command-line contract). */
export function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--bare', 'raw binary, 64-bit hypervisor real mode')
    .option('--entry <addr>', 'entry address for --bare (default 0x100)', parseAddress)
    .option('--load-addr <addr>', 'load address for --bare (default 0)', parseAddress)
    .option('--le', 'little-endian (assembly sources and --bare binaries)')
    .option('--cpus <n>', 'number of CPUs', parseCount(1, 64), 1)
    .addOption(new Option('--cpu-model <model>', 'CPU model').choices(CPU_MODELS).default('power9'))
    .option('--max-insns <n>', 'stop after N instructions', parseCount(0, Number.MAX_SAFE_INTEGER))
    .option('--stop-at <addr>', 'stop before executing ADDR (address or label; repeatable)', collect, [])
    .addOption(new Option('--mmu-policy <policy>', 'invalidation timing').choices(MMU_POLICIES).default('eager'))
    .addOption(new Option('--speculate <mode>', 'speculative TLB loads').choices(['off', 'on']).default('off'))
    .option('--seed <s>', 'seeded random interleaving of the CPUs (default: round-robin); also seeds darn, getrandom and AT_RANDOM', parseCount(0, 2 ** 32 - 1))
    .option('--state-out <file>', 'write the final state as JSON')
    .option('--trace <file>', 'write one line per executed instruction')
    .option('--events <file>', 'write events as JSON lines');
}

function collect(v: string, prev: string[]): string[] {
  return [...prev, v];
}
