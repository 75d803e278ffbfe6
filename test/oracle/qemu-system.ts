// QEMU system emulation as the oracle for bare-metal, single-CPU programs: a raw image runs on
// `qemu-system-ppc64 -M powernv8|powernv9` (loaded at 0 with -bios, entered at 0x10 in 64-bit
// hypervisor real mode), stopped by a gdb-multiarch breakpoint; gdb then prints the registers
// and memory ranges, which are parsed here.
//
// Each run picks a random TCP port for QEMU's gdb stub, checks it is free, starts QEMU halted
// (-S), waits until the stub listens (retrying with another port when QEMU cannot bind it),
// drives gdb in batch mode and always kills QEMU. A run that does not reach the stop address
// in time (the whole run is bounded by `timeoutMs`, 20 s by default) is an error.
//
// Tests use `it.skipIf(qemuSystemSkipReason !== null)` and print the reason, so a machine
// without the Debian packages qemu-system-ppc / gdb-multiarch skips visibly
// (PPC64EMU_NO_QEMU_SYSTEM=1 simulates that).

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, toBinary } from '../../src/isa/index.js';

export const QEMU_SYSTEM = 'qemu-system-ppc64';
export const GDB = 'gdb-multiarch';

export type QemuMachine = 'powernv8' | 'powernv9';

/** A range of storage to read back after the stop: [addr, addr + length). */
export interface MemRange {
  addr: bigint;
  length: number;
}

/** The registers gdb reads; all 64-bit values (cr and dsisr are 32-bit registers). */
export const SPECIAL_REGS = ['pc', 'msr', 'cr', 'lr', 'ctr', 'xer', 'srr0', 'srr1', 'dar', 'dsisr'] as const;
export type SpecialReg = (typeof SPECIAL_REGS)[number];

export interface QemuState extends Record<SpecialReg, bigint> {
  gpr: bigint[];
  /** QEMU's Processor Identification Register (8 on powernv8's first thread, 0 on powernv9). */
  pir: bigint;
  /** The requested memory ranges, in order. */
  mem: Uint8Array[];
}

export interface QemuRunOptions {
  /** Raw image, loaded at real address 0 (-bios); QEMU enters it at 0x10. */
  image: Uint8Array;
  /** Breakpoint address: the state is read when execution first reaches it. */
  stop: bigint;
  machine: QemuMachine;
  mem?: MemRange[];
  /** Bound on the whole run, QEMU start to kill (default 20 s). */
  timeoutMs?: number;
}

function present(cmd: string): boolean {
  return spawnSync(cmd, ['--version'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}

function locate(): string | null {
  if (process.env.PPC64EMU_NO_QEMU_SYSTEM) return 'disabled by PPC64EMU_NO_QEMU_SYSTEM';
  const missing: string[] = [];
  if (!present(QEMU_SYSTEM)) missing.push(`${QEMU_SYSTEM} (Debian package qemu-system-ppc)`);
  if (!present(GDB)) missing.push(`${GDB} (Debian package gdb-multiarch)`);
  return missing.length ? `not installed: ${missing.join(', ')}` : null;
}

/** Why QEMU-system oracle tests must skip, or null when qemu-system-ppc64 and gdb-multiarch are present. */
export const qemuSystemSkipReason: string | null = locate();

/** Assembles a bare-metal source as our CLI does for `run --bare`: a raw image at address 0. */
export function assembleImage(source: string, fileName: string): { image: Uint8Array; symbols: Map<string, bigint> } {
  const r = assemble(source, { fileName, format: 'bin' });
  return { image: toBinary(r), symbols: new Map(r.symbols) };
}

// ---- ports ----

const PORT_LOW = 20000;
const PORT_HIGH = 60000;
const PORT_ATTEMPTS = 8;

function randomPort(): number {
  return PORT_LOW + Math.floor(Math.random() * (PORT_HIGH - PORT_LOW));
}

/** Whether nothing listens on 127.0.0.1:port right now (a bind succeeds). */
function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

interface Started {
  qemu: ChildProcess;
  port: number;
  stderr: () => string;
}

/**
 * Starts QEMU halted with its gdb stub on a free random port; resolves once the stub accepts
 * connections. Tries another port when QEMU exits first (the port was taken in between).
 */
async function startQemu(bios: string, machine: QemuMachine, deadline: number): Promise<Started> {
  let lastError = '';
  for (let attempt = 0; attempt < PORT_ATTEMPTS && Date.now() < deadline; attempt++) {
    const port = randomPort();
    if (!(await portFree(port))) continue;
    const qemu = spawn(
      QEMU_SYSTEM,
      ['-M', machine, '-bios', bios, '-nographic', '-display', 'none', '-monitor', 'none', '-serial', 'none', '-S', '-gdb', `tcp:127.0.0.1:${port}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    qemu.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
    let exited = false;
    qemu.once('exit', () => (exited = true));
    qemu.once('error', (e) => {
      exited = true;
      err += String(e);
    });
    while (!exited && Date.now() < deadline) {
      if (await canConnect(port)) {
        // Connected: QEMU (not some other process) owns the port if it is still running.
        if (!exited) return { qemu, port, stderr: () => err };
        break;
      }
      await sleep(25);
    }
    kill(qemu);
    lastError = err.trim() || (exited ? 'QEMU exited' : 'QEMU did not open its gdb port in time');
  }
  throw new Error(`could not start ${QEMU_SYSTEM} -M ${machine}: ${lastError || 'no free port found'}`);
}

function kill(p: ChildProcess): void {
  if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
}

// ---- gdb ----

const hex = (v: bigint) => '0x' + v.toString(16);

function gdbScript(port: number, stop: bigint, mem: MemRange[]): string {
  const lines = [
    'set architecture powerpc:common64',
    'set endian big',
    'set pagination off',
    'set confirm off',
    'set tcp connect-timeout 5',
    `target remote 127.0.0.1:${port}`,
    `break *${hex(stop)}`,
    'continue',
    // A marker so the parser knows the breakpoint was reached (and not, say, a timeout).
    'printf "ORACLE-STOPPED\\n"',
  ];
  for (let n = 0; n < 32; n++) lines.push(`printf "REG r${n} %016lx\\n", $r${n}`);
  for (const r of [...SPECIAL_REGS, 'pir']) lines.push(`printf "REG ${r} %016lx\\n", $${r}`);
  mem.forEach((m, k) => {
    lines.push(`printf "MEM ${k}\\n"`);
    if (m.length > 0) lines.push(`x/${m.length}xb ${hex(m.addr)}`);
  });
  lines.push('printf "ORACLE-END\\n"', 'kill');
  return lines.join('\n') + '\n';
}

function runGdb(script: string, deadline: number): Promise<{ out: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const gdb = spawn(GDB, ['-nx', '-batch', '-x', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    gdb.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
    gdb.stderr!.setEncoding('utf8').on('data', (d: string) => (out += d));
    let timedOut = false;
    const t = setTimeout(() => {
      timedOut = true;
      kill(gdb);
    }, Math.max(0, deadline - Date.now()));
    gdb.once('close', () => {
      clearTimeout(t);
      resolve({ out, timedOut });
    });
    gdb.once('error', (e) => {
      clearTimeout(t);
      resolve({ out: out + String(e), timedOut });
    });
  });
}

/** Parses gdb's output of the script above. Exported for unit use. */
export function parseGdbOutput(out: string, mem: MemRange[]): QemuState {
  if (!out.includes('ORACLE-STOPPED')) throw new Error(`the breakpoint was not reached; gdb said:\n${out.slice(-2000)}`);
  const regs = new Map<string, bigint>();
  for (const m of out.matchAll(/^REG (\w+) ([0-9a-f]+)$/gm)) regs.set(m[1]!, BigInt('0x' + m[2]!));
  const get = (name: string): bigint => {
    const v = regs.get(name);
    if (v === undefined) throw new Error(`gdb printed no value for ${name}:\n${out.slice(-2000)}`);
    return v;
  };
  // Memory: the lines after "MEM k" up to the next marker, "0x1000:\t0x12\t0x34 ..." (x/Nxb).
  const memOut: Uint8Array[] = [];
  const blocks = out.split(/^MEM (\d+)$/m);
  for (let k = 0; k < mem.length; k++) {
    const idx = blocks.indexOf(String(k));
    const text = idx >= 0 ? (blocks[idx + 1] ?? '').split(/^(?:MEM \d+|ORACLE-END)$/m)[0]! : '';
    const bytes: number[] = [];
    for (const line of text.split('\n')) {
      const colon = line.indexOf(':');
      if (colon < 0 || !/^0x[0-9a-f]+/i.test(line.trim())) continue;
      for (const b of line.slice(colon + 1).matchAll(/0x([0-9a-f]{1,2})\b/gi)) bytes.push(parseInt(b[1]!, 16));
    }
    if (bytes.length !== mem[k]!.length) {
      throw new Error(`memory range ${k} (${hex(mem[k]!.addr)}, ${mem[k]!.length} bytes): gdb gave ${bytes.length} bytes:\n${text}`);
    }
    memOut.push(Uint8Array.from(bytes));
  }
  const state = {
    gpr: Array.from({ length: 32 }, (_, n) => get(`r${n}`)),
    pir: get('pir'),
    mem: memOut,
  } as QemuState;
  for (const r of SPECIAL_REGS) state[r] = get(r);
  return state;
}

/**
 * Runs `image` on QEMU until it reaches `stop` and returns the state there. Rejects when
 * the stop is not reached within the time limit or a tool fails. QEMU is always killed.
 */
export async function runQemuSystem(opts: QemuRunOptions): Promise<QemuState> {
  if (qemuSystemSkipReason) throw new Error(`QEMU system oracle unavailable: ${qemuSystemSkipReason}`);
  const deadline = Date.now() + (opts.timeoutMs ?? 20_000);
  const mem = opts.mem ?? [];
  const dir = mkdtempSync(join(tmpdir(), 'ppc64emu-qemu-'));
  let started: Started | null = null;
  try {
    const bios = join(dir, 'image.bin');
    writeFileSync(bios, opts.image);
    started = await startQemu(bios, opts.machine, deadline);
    const script = join(dir, 'gdb.cmds');
    writeFileSync(script, gdbScript(started.port, opts.stop, mem));
    const { out, timedOut } = await runGdb(script, deadline);
    if (timedOut) {
      throw new Error(
        `QEMU did not reach ${hex(opts.stop)} within ${opts.timeoutMs ?? 20_000} ms` +
          (out.includes('ORACLE-STOPPED') ? ' (gdb stalled reading state)' : '') +
          `; gdb said:\n${out.slice(-1000)}${started.stderr() ? `\nQEMU said: ${started.stderr()}` : ''}`,
      );
    }
    return parseGdbOutput(out, mem);
  } finally {
    if (started) kill(started.qemu);
    rmSync(dir, { recursive: true, force: true });
  }
}
