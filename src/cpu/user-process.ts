// A Linux user process on one CPU: the ELF image mapped into a user address space, the stack
// and registers at entry as qemu-user (linux-user/elfload.c, init_thread for PPC64) and the
// kernel (fs/binfmt_elf.c create_elf_tables) set them, the syscall subset, and interrupts
// turned into the signals Linux would deliver (which end the process, as no handlers exist).

import { Cpu, MSR_EE, MSR_DR, MSR_IR, MSR_LE, MSR_PR, MSR_SF_HI, VEC, type InterruptInfo } from './cpu.js';
import type { ElfImage } from './elf-loader.js';
import { PROT_R, PROT_W, PROT_X, UserAddressSpace } from './memory.js';
import { run } from './interp.js';
import { isScvVector } from './interrupts.js';

/** Top of the initial stack and its size (an 8 MiB RLIMIT_STACK-sized region). */
export const STACK_TOP = 0x7ffffff00000n;
export const STACK_SIZE = 8 * 1024 * 1024;

/** Linux powerpc syscall numbers (arch/powerpc/kernel/syscalls/syscall.tbl). */
export const SYS_EXIT = 1;
export const SYS_WRITE = 4;
export const SYS_EXIT_GROUP = 234;
const ENOSYS = 38;
const EBADF = 9;
const EFAULT = 14;

/** Signals a fault would raise, with the exit status a shell reports (128 + signo). */
const SIGILL = 4;
const SIGTRAP = 5;
const SIGBUS = 7;
const SIGSEGV = 11;

export interface UserProcessOptions {
  fileName?: string;
  argv?: string[];
}

export class UserProcess {
  readonly space = new UserAddressSpace();
  readonly cpu: Cpu;
  readonly stdout: Uint8Array[] = [];
  readonly stderr: Uint8Array[] = [];
  /** Emulator diagnostics (unknown syscalls, the fault that ended the process). */
  readonly diagnostics: string[] = [];
  private readonly reportedSyscalls = new Set<bigint>();
  /** Receives an event per interrupt taken (syscalls and faults), for --events. */
  onEvent: ((e: Record<string, unknown>) => void) | null = null;

  constructor(readonly image: ElfImage, opts: UserProcessOptions = {}) {
    this.cpu = new Cpu(0, this.space, (cpu, info) => this.interrupt(cpu, info));
    for (const seg of image.segments) {
      const prot = ((seg.flags & 4) ? PROT_R : 0) | ((seg.flags & 2) ? PROT_W : 0) | ((seg.flags & 1) ? PROT_X : 0);
      if (seg.memsz === 0) continue;
      this.space.map(seg.vaddr, seg.memsz, prot);
      this.space.write(seg.vaddr, seg.data);
    }
    const cpu = this.cpu;
    // 64-bit problem state with translation on, byte order from the ELF header.
    cpu.msrHi = MSR_SF_HI;
    cpu.msrLo = MSR_PR | MSR_EE | MSR_IR | MSR_DR | (image.littleEndian ? MSR_LE : 0);
    cpu.setGpr(1, this.buildStack(opts.argv ?? [opts.fileName ?? 'a.out']));
    cpu.pc = image.entry;
    if (image.abiVersion === 2) cpu.setGpr(12, image.entry); // ELFv2: r12 = entry (global entry point)
    else if (image.toc !== null) cpu.setGpr(2, image.toc); // ELFv1: r2 = TOC from the descriptor
  }

  /** argc, argv, envp (empty) and an auxiliary vector, from the top of the stack down. */
  private buildStack(argv: string[]): bigint {
    this.space.map(STACK_TOP - BigInt(STACK_SIZE), STACK_SIZE, PROT_R | PROT_W);
    const le = this.image.littleEndian;
    let sp = STACK_TOP - 16n;
    const strAddrs: bigint[] = [];
    for (const a of argv) {
      const b = new TextEncoder().encode(a + '\0');
      sp -= BigInt(b.length);
      this.space.write(sp, b);
      strAddrs.push(sp);
    }
    sp &= ~15n;
    // AT_PAGESZ (6) = 64 KiB as ppc64 Linux kernels use, AT_ENTRY (9), AT_NULL (0).
    const words: bigint[] = [BigInt(argv.length), ...strAddrs, 0n, 0n, 6n, 65536n, 9n, this.image.entry, 0n, 0n];
    if (words.length % 2) words.push(0n);
    sp -= BigInt(words.length * 8);
    const buf = new Uint8Array(words.length * 8);
    const dv = new DataView(buf.buffer);
    words.forEach((w, k) => dv.setBigUint64(k * 8, w, le));
    this.space.write(sp, buf);
    return sp;
  }

  /** Runs until the process exits or faults, or `budget` instructions have completed. */
  run(budget: number): number {
    let done = 0;
    while (done < budget && this.cpu.stop === null) done += run(this.cpu, budget - done);
    return done;
  }

  private interrupt(cpu: Cpu, info: InterruptInfo): void {
    this.onEvent?.({
      type: 'interrupt',
      cpu: cpu.id,
      vector: '0x' + info.vector.toString(16),
      pc: '0x' + cpu.pc.toString(16).padStart(16, '0'),
      ...(info.vector === VEC.SC ? { syscall: cpu.getGpr(0) < 0x10000n ? Number(cpu.getGpr(0)) : '0x' + cpu.getGpr(0).toString(16) } : { message: info.message }),
      ...(info.ea !== null ? { ea: '0x' + info.ea.toString(16).padStart(16, '0') } : {}),
    });
    if (info.vector === VEC.SC) {
      this.syscall(cpu, 'sc');
      return;
    }
    if (isScvVector(info.vector)) {
      // Linux takes scv 0 as a system call and kills scv 1-127 with SIGILL
      // (arch/powerpc/kernel/exceptions-64s.S: system_call_vectored_sigill).
      if (info.vector === VEC.SCV) {
        this.syscall(cpu, 'scv');
        return;
      }
      cpu.pc -= 4n; // the signal is reported at the scv itself
      info = { ...info, vector: VEC.PROGRAM, message: `scv ${(info.vector - VEC.SCV) / 0x20}: reserved system call vector (Linux: SIGILL)` };
    }
    // No signal handlers: the default action ends the process (Linux arch/powerpc/kernel/traps.c
    // maps Program/trap to SIGILL/SIGTRAP, alignment to SIGBUS, DSI/ISI to SIGSEGV).
    const signo =
      info.vector === VEC.PROGRAM
        ? info.message === 'trap'
          ? SIGTRAP
          : SIGILL
        : info.vector === VEC.ALIGN
          ? SIGBUS
          : SIGSEGV;
    const name = { [SIGILL]: 'SIGILL', [SIGTRAP]: 'SIGTRAP', [SIGBUS]: 'SIGBUS', [SIGSEGV]: 'SIGSEGV' }[signo];
    cpu.stop = 'unhandled-interrupt';
    cpu.exitCode = 128 + signo;
    cpu.stopMessage = `${name} at pc 0x${cpu.pc.toString(16).padStart(16, '0')}: ${info.message}`;
    this.diagnostics.push(cpu.stopMessage);
  }

  /**
   * Linux syscall ABI on powerpc (Documentation/powerpc/syscall64-abi.rst): r0 number, r3..r8
   * arguments, r3 result; after sc an error sets CR0[SO] with the positive errno in r3, after
   * scv 0 an error is r3 = -errno and CR0 is left alone (LR already holds the return address,
   * as the hardware sets it; CTR, volatile under the scv ABI, is left unchanged here).
   */
  private syscall(cpu: Cpu, via: 'sc' | 'scv'): void {
    // The syscall number is r0 as a whole 64-bit value (a huge one must not round to another).
    const raw = cpu.getGpr(0);
    const nr = raw < 0x10000n ? Number(raw) : -1;
    let result: bigint;
    let error = false;
    switch (nr) {
      case SYS_EXIT:
      case SYS_EXIT_GROUP:
        cpu.stop = 'exit';
        cpu.exitCode = Number(cpu.getGpr(3) & 0xffn);
        return;
      case SYS_WRITE: {
        const fd = Number(cpu.getGpr(3));
        const addr = cpu.getGpr(4);
        const len = Number(cpu.getGpr(5) & 0x7fffffffn);
        const data = len === 0 ? new Uint8Array(0) : this.space.read(addr, len);
        if (fd !== 1 && fd !== 2) {
          result = BigInt(EBADF);
          error = true;
        } else if (data === null) {
          result = BigInt(EFAULT);
          error = true;
        } else {
          (fd === 1 ? this.stdout : this.stderr).push(data);
          result = BigInt(len);
        }
        break;
      }
      default:
        if (!this.reportedSyscalls.has(raw)) {
          this.reportedSyscalls.add(raw);
          this.diagnostics.push(`unsupported syscall ${raw} at pc 0x${(cpu.pc - 4n).toString(16)}: returning -ENOSYS`);
        }
        result = BigInt(ENOSYS);
        error = true;
    }
    if (via === 'scv') {
      cpu.setGpr(3, error ? BigInt.asUintN(64, -result) : result);
      return;
    }
    cpu.setGpr(3, result);
    // CR0[SO] reports failure (arch/powerpc/kernel/entry: syscall_exit sets SO on error).
    cpu.cr = error ? cpu.cr | 0x10000000 : cpu.cr & ~0x10000000;
  }
}
