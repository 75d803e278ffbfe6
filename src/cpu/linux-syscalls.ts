// The Linux system calls a user process may make, as the powerpc kernel defines them for a
// 64-bit process: numbers from arch/powerpc/kernel/syscalls/syscall.tbl, structures from the
// powerpc uapi headers. The set is what a static glibc program needs (qemu-ppc64 -strace of
// a static "hello" shows brk, set_tid_address, set_robust_list, rseq, prlimit64, readlink,
// getrandom, mprotect, newfstatat, write, exit_group). Everything here is deterministic: time
// comes from the CPU's Time Base, randomness from a generator seeded by --seed. The guest
// reaches no host file: only fds 0-2 exist, and /proc/self/exe is the one path it can name.

import type { Cpu } from './cpu.js';
import { PAGE_SIZE, PROT_R, PROT_W, PROT_X, type UserAddressSpace } from './memory.js';

/** Linux errno values (include/uapi/asm-generic/errno-base.h, errno.h). */
export const ERRNO = { ENOENT: 2, EBADF: 9, ENOMEM: 12, EFAULT: 14, EINVAL: 22, ENOTTY: 25, ENOSYS: 38 } as const;

/** The page size the process is told (AT_PAGESZ) and mappings are rounded to: 64 KiB, as ppc64 Linux kernels use. */
export const LINUX_PAGE = 65536n;
const roundUp = (a: bigint): bigint => (a + LINUX_PAGE - 1n) & ~(LINUX_PAGE - 1n);

/** The state of the process the calls change. */
export interface LinuxState {
  readonly space: UserAddressSpace;
  readonly littleEndian: boolean;
  readonly stdout: Uint8Array[];
  readonly stderr: Uint8Array[];
  /** The program's path, for readlink("/proc/self/exe"). */
  readonly exePath: string;
  /** The initial program break (the end of the loaded image, page aligned) and the current one. */
  readonly brkStart: bigint;
  brk: bigint;
  /** The most the process may have mapped (MAX_PROCESS_BYTES unless a caller lowers it). */
  maxBytes: number;
  /** Where the next mmap without an address goes: mappings grow down from below the stack. */
  mmapTop: bigint;
  /** The next pseudo-random 64-bit value (getrandom, AT_RANDOM). */
  random(): bigint;
  /** Called after pages are unmapped or lose permissions: the CPU must forget cached translations. */
  mappingsShrank(): void;
}

/** A call's result: a value for r3, an errno, or the end of the process. */
export type SyscallResult = { value: bigint } | { errno: number } | { exit: number };

interface SyscallDef {
  readonly name: string;
  run(s: LinuxState, a: readonly bigint[], cpu: Cpu): SyscallResult;
}

const ok = (value: bigint | number): SyscallResult => ({ value: BigInt(value) });
const fail = (errno: number): SyscallResult => ({ errno });

/** The process id every call reports (there is one process, one thread). */
export const PID = 1000;
/** Time Base frequency (512 MHz on POWER8/9, as the device tree's timebase-frequency says). */
const TB_HZ = 512_000_000n;
/** CLOCK_REALTIME at Time Base 0: 2026-01-01T00:00:00Z, so that runs replay exactly. */
const EPOCH_SECONDS = 1_767_225_600n;
/** RLIM_INFINITY (include/uapi/asm-generic/resource.h) and the stack limit the process runs with. */
const RLIM_INFINITY = (1n << 64n) - 1n;
const RLIMIT_STACK = 3n;
const STACK_LIMIT = 8n * 1024n * 1024n;
/** AT_FDCWD and AT_EMPTY_PATH (include/uapi/linux/fcntl.h). */
const AT_EMPTY_PATH = 0x1000n;
/** mmap flags (include/uapi/asm-generic/mman-common.h, mman.h). */
const MAP_FIXED = 0x10n;
const MAP_ANONYMOUS = 0x20n;
/** The largest single mapping or write a call accepts (the guest cannot make the host allocate without limit). */
const MAX_MAP = 1n << 30n;
/** All the process may have mapped at once (its image, stack, heap and mmaps): host memory is real. */
export const MAX_PROCESS_BYTES = 1 << 30;
const fits = (s: LinuxState, more: bigint): boolean => BigInt(s.space.mappedBytes()) + more <= BigInt(s.maxBytes);
const MAX_IO = 1 << 24;

function bytesOf(words: Array<[number, bigint]>, size: number, le: boolean): Uint8Array {
  const b = new Uint8Array(size);
  const dv = new DataView(b.buffer);
  for (const [off, v] of words) dv.setBigUint64(off, BigInt.asUintN(64, v), le);
  return b;
}

function put(s: LinuxState, addr: bigint, data: Uint8Array): boolean {
  if (!writable(s, addr, data.length)) return false;
  s.space.write(addr, data);
  return true;
}

function writable(s: LinuxState, addr: bigint, length: number): boolean {
  for (let a = addr & ~BigInt(PAGE_SIZE - 1); a < addr + BigInt(length); a += BigInt(PAGE_SIZE)) if (!s.space.isMapped(a)) return false;
  return true;
}

function cString(s: LinuxState, addr: bigint, max = 4096): string | null {
  const out: number[] = [];
  for (let i = 0; i < max; i++) {
    const b = s.space.read(addr + BigInt(i), 1);
    if (b === null) return null;
    if (b[0] === 0) return new TextDecoder().decode(Uint8Array.from(out));
    out.push(b[0]!);
  }
  return null;
}

function output(s: LinuxState, fd: bigint, data: Uint8Array): boolean {
  if (fd !== 1n && fd !== 2n) return false;
  (fd === 1n ? s.stdout : s.stderr).push(data);
  return true;
}

/** Nanoseconds since Time Base 0. */
function nanoseconds(cpu: Cpu): bigint {
  return (BigInt(cpu.timeBase()) * 1_000_000_000n) / TB_HZ;
}

/** struct stat (arch/powerpc/include/uapi/asm/stat.h, 64-bit: 144 bytes) of a terminal-like fd 0-2. */
function charDeviceStat(s: LinuxState): Uint8Array {
  const b = bytesOf([[0, 0x16n], [8, 3n], [16, 1n], [40, 0x8800n], [56, 1024n]], 144, s.littleEndian);
  const dv = new DataView(b.buffer);
  dv.setUint32(24, 0o20620, s.littleEndian); // st_mode: S_IFCHR | rw--w----
  dv.setUint32(28, 0, s.littleEndian); // st_uid
  dv.setUint32(32, 0, s.littleEndian); // st_gid
  return b;
}

/** A 65-byte field of struct new_utsname (include/uapi/linux/utsname.h). */
function utsField(text: string): Uint8Array {
  const b = new Uint8Array(65);
  b.set(new TextEncoder().encode(text).subarray(0, 64));
  return b;
}

function mmap(s: LinuxState, a: readonly bigint[]): SyscallResult {
  const [addr, len, prot, flags] = a as [bigint, bigint, bigint, bigint];
  if (len === 0n || len > MAX_MAP) return fail(len === 0n ? ERRNO.EINVAL : ERRNO.ENOMEM);
  // No file can be mapped (the guest has none); a shared anonymous mapping of a process that
  // never forks behaves as a private one, so MAP_SHARED needs nothing more.
  if ((flags & MAP_ANONYMOUS) === 0n) return fail(ERRNO.EBADF);
  const size = roundUp(len);
  if (!fits(s, size)) return fail(ERRNO.ENOMEM);
  let at: bigint;
  if ((flags & MAP_FIXED) !== 0n) {
    if ((addr & (LINUX_PAGE - 1n)) !== 0n) return fail(ERRNO.EINVAL);
    at = addr;
    s.space.unmap(at, Number(size));
    s.mappingsShrank();
  } else {
    at = s.mmapTop - size;
    s.mmapTop = at;
  }
  s.space.map(at, Number(size), protBits(prot));
  return ok(at);
}

function protBits(prot: bigint): number {
  // PROT_READ 1, PROT_WRITE 2, PROT_EXEC 4 (include/uapi/asm-generic/mman-common.h).
  return ((prot & 1n) !== 0n ? PROT_R : 0) | ((prot & 2n) !== 0n ? PROT_W | PROT_R : 0) | ((prot & 4n) !== 0n ? PROT_X : 0);
}

/** The calls by number. Anything else returns -ENOSYS and is named in the one-time report. */
export const SYSCALLS: ReadonlyMap<number, SyscallDef> = new Map<number, SyscallDef>([
  [1, { name: 'exit', run: (_s, a) => ({ exit: Number(a[0]! & 0xffn) }) }],
  [234, { name: 'exit_group', run: (_s, a) => ({ exit: Number(a[0]! & 0xffn) }) }],
  // read(0, ...) sees the end of input: the guest has no stdin.
  [3, { name: 'read', run: (_s, a) => (a[0] === 0n ? ok(0) : fail(ERRNO.EBADF)) }],
  [4, {
    name: 'write',
    run: (s, a) => {
      const len = Number(a[2]! > BigInt(MAX_IO) ? BigInt(MAX_IO) : a[2]!);
      const data = len === 0 ? new Uint8Array(0) : s.space.read(a[1]!, len);
      if (a[0] !== 1n && a[0] !== 2n) return fail(ERRNO.EBADF);
      if (data === null) return fail(ERRNO.EFAULT);
      output(s, a[0]!, data);
      return ok(len);
    },
  }],
  [146, {
    name: 'writev',
    run: (s, a) => {
      const [fd, iov, count] = a as [bigint, bigint, bigint];
      if (fd !== 1n && fd !== 2n) return fail(ERRNO.EBADF);
      if (count > 1024n) return fail(ERRNO.EINVAL); // UIO_MAXIOV
      const vec = s.space.read(iov, Number(count) * 16);
      if (vec === null) return fail(ERRNO.EFAULT);
      const dv = new DataView(vec.buffer);
      const parts: Uint8Array[] = [];
      let total = 0;
      for (let i = 0; i < Number(count); i++) {
        const base = dv.getBigUint64(i * 16, s.littleEndian);
        const len = Number(dv.getBigUint64(i * 16 + 8, s.littleEndian) & 0xffffffn);
        const data = len === 0 ? new Uint8Array(0) : s.space.read(base, len);
        if (data === null) return fail(ERRNO.EFAULT);
        parts.push(data);
        total += len;
      }
      for (const p of parts) output(s, fd, p);
      return ok(total);
    },
  }],
  [45, {
    name: 'brk',
    // mm/mmap.c brk: below the start or beyond the limit, the break stays where it is.
    run: (s, a) => {
      const want = a[0]!;
      if (want < s.brkStart || want - s.brkStart > MAX_MAP) return ok(s.brk);
      const oldEnd = roundUp(s.brk);
      const newEnd = roundUp(want);
      if (newEnd > oldEnd && !fits(s, newEnd - oldEnd)) return ok(s.brk); // Linux: the break stays
      if (newEnd > oldEnd) s.space.map(oldEnd, Number(newEnd - oldEnd), PROT_R | PROT_W);
      else if (newEnd < oldEnd) {
        s.space.unmap(newEnd, Number(oldEnd - newEnd));
        s.mappingsShrank();
      }
      s.brk = want;
      return ok(want);
    },
  }],
  [90, { name: 'mmap', run: (s, a) => mmap(s, a) }],
  [91, {
    name: 'munmap',
    run: (s, a) => {
      if ((a[0]! & (LINUX_PAGE - 1n)) !== 0n || a[1] === 0n || a[1]! > MAX_MAP) return fail(ERRNO.EINVAL);
      s.space.unmap(a[0]!, Number(roundUp(a[1]!)));
      s.mappingsShrank();
      return ok(0);
    },
  }],
  [125, {
    name: 'mprotect',
    run: (s, a) => {
      if ((a[0]! & (LINUX_PAGE - 1n)) !== 0n || a[1]! > MAX_MAP) return fail(ERRNO.EINVAL);
      if (!s.space.protect(a[0]!, Number(roundUp(a[1]!)), protBits(a[2]!))) return fail(ERRNO.ENOMEM);
      s.mappingsShrank();
      return ok(0);
    },
  }],
  [20, { name: 'getpid', run: () => ok(PID) }],
  [207, { name: 'gettid', run: () => ok(PID) }],
  [24, { name: 'getuid', run: () => ok(0) }],
  [49, { name: 'geteuid', run: () => ok(0) }],
  [47, { name: 'getgid', run: () => ok(0) }],
  [50, { name: 'getegid', run: () => ok(0) }],
  [232, { name: 'set_tid_address', run: () => ok(PID) }],
  [300, { name: 'set_robust_list', run: () => ok(0) }],
  // rseq is left unimplemented: glibc 2.35+ registers it when it can and carries on when not.
  [325, {
    name: 'prlimit64',
    run: (s, a) => {
      const [pid, resource, , old] = a as [bigint, bigint, bigint, bigint];
      if (pid !== 0n && pid !== BigInt(PID)) return fail(3); // ESRCH
      if (old !== 0n) {
        const cur = resource === RLIMIT_STACK ? STACK_LIMIT : RLIM_INFINITY;
        if (!put(s, old, bytesOf([[0, cur], [8, RLIM_INFINITY]], 16, s.littleEndian))) return fail(ERRNO.EFAULT);
      }
      return ok(0); // a new limit is accepted and has no effect
    },
  }],
  [359, {
    name: 'getrandom',
    run: (s, a) => {
      const len = Number(a[1]! > BigInt(MAX_IO) ? BigInt(MAX_IO) : a[1]!);
      const b = new Uint8Array(len);
      for (let i = 0; i < len; i += 8) {
        let v = s.random();
        for (let k = i; k < Math.min(len, i + 8); k++, v >>= 8n) b[k] = Number(v & 0xffn);
      }
      return put(s, a[0]!, b) ? ok(len) : fail(ERRNO.EFAULT);
    },
  }],
  [85, { name: 'readlink', run: (s, a) => readlink(s, a[0]!, a[1]!, a[2]!) }],
  [296, { name: 'readlinkat', run: (s, a) => readlink(s, a[1]!, a[2]!, a[3]!) }],
  [122, {
    name: 'uname',
    run: (s, a) => {
      const fields = ['Linux', 'ppc64emu', '6.1.0', '#1 SMP ppc64emu', s.littleEndian ? 'ppc64le' : 'ppc64', '(none)'];
      const b = new Uint8Array(65 * 6);
      fields.forEach((f, i) => b.set(utsField(f), 65 * i));
      return put(s, a[0]!, b) ? ok(0) : fail(ERRNO.EFAULT);
    },
  }],
  [108, { name: 'fstat', run: (s, a) => (a[0]! > 2n ? fail(ERRNO.EBADF) : put(s, a[1]!, charDeviceStat(s)) ? ok(0) : fail(ERRNO.EFAULT)) }],
  [291, {
    name: 'newfstatat',
    run: (s, a) => {
      const [fd, path, buf, flags] = a as [bigint, bigint, bigint, bigint];
      const name = cString(s, path);
      if (name === null) return fail(ERRNO.EFAULT);
      if (name !== '' || (flags & AT_EMPTY_PATH) === 0n) return fail(ERRNO.ENOENT);
      if (fd > 2n) return fail(ERRNO.EBADF);
      return put(s, buf, charDeviceStat(s)) ? ok(0) : fail(ERRNO.EFAULT);
    },
  }],
  // No fd is a terminal: isatty() is false, so stdout is fully buffered as under a pipe.
  [54, { name: 'ioctl', run: (_s, a) => (a[0]! > 2n ? fail(ERRNO.EBADF) : fail(ERRNO.ENOTTY)) }],
  [246, {
    name: 'clock_gettime',
    run: (s, a, cpu) => {
      const ns = nanoseconds(cpu) + (a[0] === 0n ? EPOCH_SECONDS * 1_000_000_000n : 0n); // CLOCK_REALTIME is 0
      return put(s, a[1]!, bytesOf([[0, ns / 1_000_000_000n], [8, ns % 1_000_000_000n]], 16, s.littleEndian)) ? ok(0) : fail(ERRNO.EFAULT);
    },
  }],
  [78, {
    name: 'gettimeofday',
    run: (s, a, cpu) => {
      const us = nanoseconds(cpu) / 1000n + EPOCH_SECONDS * 1_000_000n;
      if (a[0] !== 0n && !put(s, a[0]!, bytesOf([[0, us / 1_000_000n], [8, us % 1_000_000n]], 16, s.littleEndian))) return fail(ERRNO.EFAULT);
      return ok(0);
    },
  }],
]);

function readlink(s: LinuxState, path: bigint, buf: bigint, size: bigint): SyscallResult {
  const name = cString(s, path);
  if (name === null) return fail(ERRNO.EFAULT);
  if (name !== '/proc/self/exe') return fail(ERRNO.ENOENT);
  if (BigInt.asIntN(64, size) <= 0n) return fail(ERRNO.EINVAL);
  // readlink does not write a terminating NUL and truncates to the buffer.
  const text = new TextEncoder().encode(s.exePath).subarray(0, Number(size > 4096n ? 4096n : size));
  return put(s, buf, text) ? ok(text.length) : fail(ERRNO.EFAULT);
}

/** Names of calls that are not implemented, for the report (syscall.tbl). */
const OTHER_NAMES: Readonly<Record<number, string>> = {
  5: 'open', 6: 'close', 19: 'lseek', 55: 'fcntl', 106: 'stat', 107: 'lstat', 120: 'clone', 140: '_llseek',
  162: 'nanosleep', 163: 'mremap', 167: 'poll', 171: 'prctl', 172: 'rt_sigreturn', 173: 'rt_sigaction',
  174: 'rt_sigprocmask', 179: 'pread64', 205: 'madvise', 221: 'futex', 223: 'sched_getaffinity',
  250: 'tgkill', 286: 'openat', 387: 'rseq',
};

/** A syscall number as the report names it: "mmap (90)", "openat (286)", or just the number. */
export function syscallName(nr: bigint): string {
  const n = nr < 0x10000n ? Number(nr) : -1;
  const name = SYSCALLS.get(n)?.name ?? OTHER_NAMES[n];
  return name === undefined ? nr.toString() : `${name} (${nr})`;
}
