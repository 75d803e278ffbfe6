// A Linux user process on one CPU: the ELF image mapped into a user address space, the stack
// and registers at entry as qemu-user (linux-user/elfload.c, init_thread for PPC64) and the
// kernel (fs/binfmt_elf.c create_elf_tables) set them, the syscall subset, and interrupts
// turned into the signals Linux would deliver (which end the process, as no handlers exist).

import { Cpu, MSR_EE, MSR_DR, MSR_FP, MSR_IR, MSR_LE, MSR_PR, MSR_SF_HI, MSR_VEC, MSR_VSX, VEC, type InterruptInfo } from './cpu.js';
import type { ElfImage } from './elf-loader.js';
import { PROT_R, PROT_W, PROT_X, UserAddressSpace } from './memory.js';
import { run } from './interp.js';
import { isScvVector } from './interrupts.js';
import { splitmix64 } from './random.js';
import { ERRNO, LINUX_PAGE, MAX_PROCESS_BYTES, SYSCALLS, syscallName, type LinuxState, type SyscallResult } from './linux-syscalls.js';

/** Top of the initial stack and its size (an 8 MiB RLIMIT_STACK-sized region). */
export const STACK_TOP = 0x7ffffff00000n;
export const STACK_SIZE = 8 * 1024 * 1024;

/** Linux powerpc syscall numbers (arch/powerpc/kernel/syscalls/syscall.tbl). */
export const SYS_EXIT = 1;
export const SYS_WRITE = 4;
export const SYS_EXIT_GROUP = 234;

/** Auxiliary vector keys (include/uapi/linux/auxvec.h, arch/powerpc/include/uapi/asm/auxvec.h). */
const AT = {
  NULL: 0n, PHDR: 3n, PHENT: 4n, PHNUM: 5n, PAGESZ: 6n, BASE: 7n, FLAGS: 8n, ENTRY: 9n, UID: 11n, EUID: 12n,
  GID: 13n, EGID: 14n, PLATFORM: 15n, HWCAP: 16n, CLKTCK: 17n, DCACHEBSIZE: 19n, ICACHEBSIZE: 20n,
  UCACHEBSIZE: 21n, SECURE: 23n, RANDOM: 25n, HWCAP2: 26n, EXECFN: 31n,
} as const;
/**
 * AT_HWCAP and AT_HWCAP2 per platform, in Linux's bits (arch/powerpc/include/uapi/asm/cputable.h):
 * PPC_FEATURE_32 | 64 | HAS_ALTIVEC | HAS_FPU | HAS_MMU | ARCH_2_05 | ARCH_2_06 | HAS_VSX for
 * all three; HWCAP2 adds ARCH_2_07 on POWER8 and ARCH_3_00 | DARN on POWER9. Not claimed:
 * DFP, HTM, TAR, EBB, DSCR, VEC_CRYPTO, IEEE128 (outside the subset). glibc's ifunc resolvers
 * read these to choose its string and memory routines. User mode reports the POWER8 platform
 * unless told otherwise (opts.platform).
 */
const PPC_FEATURE = { B32: 0x80000000n, B64: 0x40000000n, ALTIVEC: 0x10000000n, FPU: 0x08000000n, MMU: 0x04000000n, ARCH_2_05: 0x1000n, ARCH_2_06: 0x100n, VSX: 0x80n } as const;
const PPC_FEATURE2 = { ARCH_2_07: 0x80000000n, ARCH_3_00: 0x00800000n, DARN: 0x00200000n } as const;
const HWCAP = Object.values(PPC_FEATURE).reduce((a, b) => a | b, 0n);
const HWCAP2: Readonly<Record<string, bigint>> = {
  power7: 0n,
  power8: PPC_FEATURE2.ARCH_2_07,
  power9: PPC_FEATURE2.ARCH_2_07 | PPC_FEATURE2.ARCH_3_00 | PPC_FEATURE2.DARN,
};

/** Where anonymous mmaps start (growing down), below the stack and a guard gap. */
const MMAP_TOP = 0x7fff00000000n;

/** Signals a fault would raise, with the exit status a shell reports (128 + signo). */
const SIGILL = 4;
const SIGTRAP = 5;
const SIGBUS = 7;
const SIGSEGV = 11;

export interface UserProcessOptions {
  fileName?: string;
  argv?: string[];
  /** What readlink("/proc/self/exe") returns (default: "/" + fileName). */
  exePath?: string;
  /** Seeds getrandom and AT_RANDOM (default 0): the same seed, the same bytes. */
  seed?: number;
  /** AT_PLATFORM (default "power8"). */
  platform?: string;
}

/** The `name` of a syscall event, when the number has one (syscall.tbl). */
function syscallNameField(nr: bigint): { name?: string } {
  const m = /^(\S+) \(/.exec(syscallName(nr));
  return m ? { name: m[1]! } : {};
}

export class UserProcess {
  readonly space = new UserAddressSpace();
  readonly cpu: Cpu;
  readonly stdout: Uint8Array[] = [];
  readonly stderr: Uint8Array[] = [];
  /** Emulator diagnostics (unknown syscalls, the fault that ended the process). */
  readonly diagnostics: string[] = [];
  private readonly reportedSyscalls = new Set<bigint>();
  /** What the system calls change (program break, mmap area, output). */
  readonly linux: LinuxState;
  /** Receives an event per interrupt taken (syscalls and faults), for --events. */
  onEvent: ((e: Record<string, unknown>) => void) | null = null;

  constructor(readonly image: ElfImage, opts: UserProcessOptions = {}) {
    this.cpu = new Cpu(0, this.space, (cpu, info) => this.interrupt(cpu, info));
    for (const seg of image.segments) {
      const prot = ((seg.flags & 4) ? PROT_R : 0) | ((seg.flags & 2) ? PROT_W : 0) | ((seg.flags & 1) ? PROT_X : 0);
      if (seg.memsz === 0) continue;
      // Mapped in whole 64 KiB pages, as a 64K-page kernel maps them (the tail of the last
      // page is zero), so mprotect of a page-aligned range (glibc's RELRO) finds it mapped.
      const start = seg.vaddr & ~(LINUX_PAGE - 1n);
      const stop = (seg.vaddr + BigInt(seg.memsz) + LINUX_PAGE - 1n) & ~(LINUX_PAGE - 1n);
      this.space.map(start, Number(stop - start), prot);
      this.space.write(seg.vaddr, seg.data);
    }
    let end = 0n;
    for (const seg of image.segments) if (seg.vaddr + BigInt(seg.memsz) > end) end = seg.vaddr + BigInt(seg.memsz);
    // fs/binfmt_elf.c: the break starts at the end of the image, page aligned.
    const brkStart = (end + LINUX_PAGE - 1n) & ~(LINUX_PAGE - 1n);
    this.linux = {
      space: this.space,
      littleEndian: image.littleEndian,
      stdout: this.stdout,
      stderr: this.stderr,
      // An absolute path, as the kernel's d_path gives (glibc's _dl_get_origin asserts it).
      exePath: opts.exePath ?? `/${(opts.fileName ?? 'a.out').replace(/^\/+/, '')}`,
      brkStart,
      brk: brkStart,
      mmapTop: MMAP_TOP,
      maxBytes: MAX_PROCESS_BYTES,
      random: splitmix64(opts.seed ?? 0),
      mappingsShrank: () => this.cpu.flushSoftTlb(),
    };
    const cpu = this.cpu;
    cpu.random = this.linux.random; // darn draws from the process's seeded generator
    // 64-bit problem state with translation on, byte order from the ELF header.
    cpu.msrHi = MSR_SF_HI;
    // Linux enables FP, VMX and VSX on first use: here from the start.
    cpu.msrLo = MSR_PR | MSR_EE | MSR_IR | MSR_DR | MSR_FP | MSR_VEC | MSR_VSX | (image.littleEndian ? MSR_LE : 0);
    cpu.setGpr(1, this.buildStack(opts.argv ?? [opts.fileName ?? 'a.out'], opts.platform ?? 'power8'));
    cpu.pc = image.entry;
    if (image.abiVersion === 2) cpu.setGpr(12, image.entry); // ELFv2: r12 = entry (global entry point)
    else if (image.toc !== null) cpu.setGpr(2, image.toc); // ELFv1: r2 = TOC from the descriptor
  }

  /**
   * The initial stack as fs/binfmt_elf.c create_elf_tables lays it out: strings and the 16
   * AT_RANDOM bytes at the top, then argc, argv, an empty envp and the auxiliary vector.
   */
  private buildStack(argv: string[], platform: string): bigint {
    this.space.map(STACK_TOP - BigInt(STACK_SIZE), STACK_SIZE, PROT_R | PROT_W);
    const le = this.image.littleEndian;
    let sp = STACK_TOP - 16n;
    const push = (b: Uint8Array): bigint => {
      sp -= BigInt(b.length);
      this.space.write(sp, b);
      return sp;
    };
    const cstr = (t: string): Uint8Array => new TextEncoder().encode(t + '\0');
    const execfn = push(cstr(argv[0] ?? 'a.out'));
    const platformAddr = push(cstr(platform));
    const strAddrs = argv.map((a) => push(cstr(a)));
    const random = new Uint8Array(16);
    const dv16 = new DataView(random.buffer);
    dv16.setBigUint64(0, this.linux.random());
    dv16.setBigUint64(8, this.linux.random());
    const randomAddr = push(random);
    sp &= ~15n;
    const image = this.image;
    const aux: Array<[bigint, bigint]> = [
      ...(image.phdrAddr !== null ? ([[AT.PHDR, image.phdrAddr], [AT.PHENT, 56n], [AT.PHNUM, BigInt(image.phnum)]] as Array<[bigint, bigint]>) : []),
      [AT.PAGESZ, LINUX_PAGE], // 64 KiB, as ppc64 Linux kernels use
      [AT.BASE, 0n], [AT.FLAGS, 0n], [AT.ENTRY, image.entry],
      [AT.UID, 0n], [AT.EUID, 0n], [AT.GID, 0n], [AT.EGID, 0n],
      [AT.PLATFORM, platformAddr], [AT.HWCAP, HWCAP], [AT.HWCAP2, HWCAP2[platform] ?? 0n], [AT.CLKTCK, 100n],
      // ARCH_DLINFO (arch/powerpc/include/asm/elf.h): cache block sizes, 128 bytes on POWER8/9.
      [AT.DCACHEBSIZE, 128n], [AT.ICACHEBSIZE, 128n], [AT.UCACHEBSIZE, 0n],
      [AT.SECURE, 0n], [AT.RANDOM, randomAddr], [AT.EXECFN, execfn], [AT.NULL, 0n],
    ];
    const words: bigint[] = [BigInt(argv.length), ...strAddrs, 0n, 0n, ...aux.flat()];
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
      ...(info.vector === VEC.SC || info.vector === VEC.SCV
        ? { syscall: cpu.getGpr(0) < 0x10000n ? Number(cpu.getGpr(0)) : '0x' + cpu.getGpr(0).toString(16), ...syscallNameField(cpu.getGpr(0)) }
        : { message: info.message }),
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
    const def = raw < 0x10000n ? SYSCALLS.get(Number(raw)) : undefined;
    let r: SyscallResult;
    if (def === undefined) {
      if (!this.reportedSyscalls.has(raw)) {
        this.reportedSyscalls.add(raw);
        this.diagnostics.push(`unsupported syscall ${syscallName(raw)} at pc 0x${(cpu.pc - 4n).toString(16)}: returning -ENOSYS`);
      }
      r = { errno: ERRNO.ENOSYS };
    } else {
      r = def.run(this.linux, [3, 4, 5, 6, 7, 8].map((n) => cpu.getGpr(n)), cpu);
    }
    if ('exit' in r) {
      cpu.stop = 'exit';
      cpu.exitCode = r.exit;
      return;
    }
    const error = 'errno' in r;
    const result = 'errno' in r ? BigInt(r.errno) : r.value;
    if (via === 'scv') {
      cpu.setGpr(3, error ? BigInt.asUintN(64, -result) : result);
      return;
    }
    cpu.setGpr(3, result);
    // CR0[SO] reports failure (arch/powerpc/kernel/entry: syscall_exit sets SO on error).
    cpu.cr = error ? cpu.cr | 0x10000000 : cpu.cr & ~0x10000000;
  }
}
