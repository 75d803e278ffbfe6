// The Linux system calls of a user process (src/cpu/linux-syscalls.ts), each result computed
// by hand from the kernel's definition: numbers from arch/powerpc/kernel/syscalls/syscall.tbl,
// layouts from the powerpc uapi headers, errors as sc reports them (CR0[SO] set, errno in r3).

import { describe, expect, it } from 'vitest';
import { UserProcess } from '../../src/cpu/user-process.js';
import { DATA, gpr, runInsns, type Insn } from '../helpers/run-words.js';

/** li r0,NR; sc; then r3 -> rOUT and CR0[SO] -> bit 0 of rOUT+1 (via mfcr). */
function call(nr: number, out: number): Insn[] {
  return [['li', 0, nr], ['sc'], ['mr', out, 3], ['mfcr', out + 1], ['rlwinm', out + 1, out + 1, 4, 31, 31]];
}
const SO_SET = 1n;
const BRK_START = 0x10110000n; // DATA (0x10100000) + 64 KiB, rounded to 64 KiB
const MMAP_TOP = 0x7fff00000000n;

function bytesAt(p: UserProcess, addr: bigint, n: number): Uint8Array {
  return p.space.read(addr, n)!;
}

describe('memory: brk, mmap, munmap, mprotect', () => {
  it('brk starts at the end of the image and grows into usable pages', () => {
    const p = runInsns(
      [
        ['li', 3, 0], ...call(45, 20), // brk(0): the start
        ['addis', 3, 20, 2], ...call(45, 22), // brk(start + 0x20000)
        ['li', 5, 77], ['stw', 5, 0x100, 20], ['lwz', 6, 0x100, 20], // the grown pages are usable
        ['li', 3, 16], ...call(45, 24), // below the start: the break stays
      ],
      {},
    );
    expect(gpr(p, 20)).toBe(BRK_START);
    expect(gpr(p, 22)).toBe(BRK_START + 0x20000n);
    expect(gpr(p, 24)).toBe(BRK_START + 0x20000n);
    expect(gpr(p, 6)).toBe(77n);
    expect(p.diagnostics).toEqual([]);
  });

  it('an anonymous private mmap is zeroed, writable, and gone after munmap', () => {
    const p = runInsns(
      [
        ['li', 3, 0], ['lis', 4, 3], ['li', 5, 3], ['li', 6, 0x22], ['li', 7, -1], ['li', 8, 0], ...call(90, 20),
        ['lwz', 9, 0, 20], ['li', 10, 5], ['stw', 10, 8, 20], ['lwz', 11, 8, 20],
        ['mr', 3, 20], ['lis', 4, 3], ...call(91, 22),
        ['lwz', 12, 8, 20], // SIGSEGV: unmapped
      ],
      {},
    );
    expect(gpr(p, 20)).toBe(MMAP_TOP - 0x30000n);
    expect(gpr(p, 9)).toBe(0n);
    expect(gpr(p, 11)).toBe(5n);
    expect(gpr(p, 22)).toBe(0n);
    expect(p.cpu.exitCode).toBe(128 + 11);
    expect(p.diagnostics.join('\n')).toMatch(/SIGSEGV .*load from unmapped address 0x00007ffefffd0008/);
  });

  it('mmap of a file is EBADF (there are no files); mprotect to read-only makes a store fault', () => {
    const p = runInsns(
      [
        ['li', 3, 0], ['lis', 4, 1], ['li', 5, 3], ['li', 6, 2], ['li', 7, 3], ['li', 8, 0], ...call(90, 20),
        ['li', 3, 0], ['lis', 4, 1], ['li', 5, 3], ['li', 6, 0x22], ['li', 7, -1], ['li', 8, 0], ...call(90, 22),
        ['mr', 3, 22], ['lis', 4, 1], ['li', 5, 1], ...call(125, 24), // PROT_READ
        ['lwz', 9, 0, 22], ['stw', 9, 0, 22], // the load works, the store faults
      ],
      {},
    );
    expect([gpr(p, 20), gpr(p, 21)]).toEqual([9n, SO_SET]);
    expect([gpr(p, 24), gpr(p, 25)]).toEqual([0n, 0n]);
    expect(p.diagnostics.join('\n')).toMatch(/SIGSEGV .*store to/);
  });
});

describe('host memory is bounded', () => {
  it('mmap beyond what a process may hold is ENOMEM; brk beyond it leaves the break', () => {
    // With the bound lowered to 14 MiB (8 MiB of stack and 128 KiB of image mapped already), two 1 MiB
    // mmaps fit, a third 2 MiB one too, a 4 MiB one does not; nor does growing the break by 4 MiB.
    const map = (mib: number): Insn[] => [['li', 3, 0], ['lis', 4, 16 * mib], ['li', 5, 3], ['li', 6, 0x22], ['li', 7, -1], ['li', 8, 0]];
    const p = runInsns([...map(1), ...call(90, 20), ...map(1), ...call(90, 22), ...map(2), ...call(90, 24), ...map(4), ...call(90, 26), ['li', 3, 0], ...call(45, 28), ['addis', 3, 28, 64], ...call(45, 30)], {
      setup: (q) => (q.linux.maxBytes = 14 * 1024 * 1024),
    });
    expect(gpr(p, 21)).toBe(0n);
    expect(gpr(p, 25)).toBe(0n);
    expect([gpr(p, 26), gpr(p, 27)]).toEqual([12n, SO_SET]);
    expect(gpr(p, 30)).toBe(gpr(p, 28)); // brk(+4 MiB) refused: the break stays
  });
});

describe('identity, limits, time, randomness', () => {
  it('uname names Linux and the byte order\'s machine; getpid, set_tid_address report one pid', () => {
    for (const le of [false, true]) {
      const p = runInsns([['mr', 3, 14], ...call(122, 20), ...call(20, 22), ...call(232, 24)], { le, regs: { 14: DATA } });
      expect(gpr(p, 20)).toBe(0n);
      const field = (k: number) => new TextDecoder().decode(bytesAt(p, DATA + BigInt(65 * k), 65)).replace(/\0.*$/s, '');
      expect(field(0)).toBe('Linux');
      expect(field(4)).toBe(le ? 'ppc64le' : 'ppc64');
      expect(gpr(p, 22)).toBe(1000n);
      expect(gpr(p, 24)).toBe(1000n);
    }
  });

  it('prlimit64(RLIMIT_STACK) gives 8 MiB soft, infinity hard', () => {
    const p = runInsns([['li', 3, 0], ['li', 4, 3], ['li', 5, 0], ['mr', 6, 14], ...call(325, 20)], { regs: { 14: DATA } });
    expect(gpr(p, 20)).toBe(0n);
    const dv = new DataView(bytesAt(p, DATA, 16).buffer);
    expect(dv.getBigUint64(0, false)).toBe(8n * 1024n * 1024n);
    expect(dv.getBigUint64(8, false)).toBe(0xffffffffffffffffn);
  });

  it('clock_gettime(CLOCK_REALTIME) starts at 2026-01-01 and runs with the Time Base', () => {
    const p = runInsns([['li', 3, 0], ['mr', 4, 14], ...call(246, 20), ['li', 3, 1], ['addi', 4, 14, 16], ...call(246, 22)], { regs: { 14: DATA } });
    const dv = new DataView(bytesAt(p, DATA, 32).buffer);
    expect(dv.getBigUint64(0, false)).toBe(1767225600n);
    // A handful of instructions at 512 MHz: well under a microsecond, and monotonic time is 0 s.
    expect(dv.getBigUint64(8, false)).toBeLessThan(1000n);
    expect(dv.getBigUint64(16, false)).toBe(0n);
  });

  it('getrandom gives the same bytes for the same seed and others for another seed', () => {
    const run = (seed: number) =>
      runInsns([['mr', 3, 14], ['li', 4, 12], ['li', 5, 0], ...call(359, 20)], { regs: { 14: DATA }, seed });
    const a = run(1);
    const b = run(1);
    const c = run(2);
    expect(gpr(a, 20)).toBe(12n);
    expect(bytesAt(a, DATA, 12)).toEqual(bytesAt(b, DATA, 12));
    expect(bytesAt(a, DATA, 12)).not.toEqual(bytesAt(c, DATA, 12));
  });
});

describe('files: only fds 0-2 and /proc/self/exe', () => {
  it('readlink("/proc/self/exe") is the program path without a NUL; any other path is ENOENT', () => {
    const path = new TextEncoder().encode('/proc/self/exe\0/etc/passwd\0');
    const p = runInsns(
      [['mr', 3, 14], ['addi', 4, 14, 64], ['li', 5, 100], ...call(85, 20), ['addi', 3, 14, 15], ['addi', 4, 14, 64], ['li', 5, 100], ...call(85, 22)],
      { regs: { 14: DATA }, data: path },
    );
    expect(gpr(p, 20)).toBe(5n);
    expect(new TextDecoder().decode(bytesAt(p, DATA + 64n, 6))).toBe('/test\0');
    expect([gpr(p, 22), gpr(p, 23)]).toEqual([2n, SO_SET]);
  });

  it('newfstatat(1, "", AT_EMPTY_PATH) is a character device; ioctl(TCGETS) is ENOTTY; fd 5 is EBADF', () => {
    const p = runInsns(
      [
        ['li', 3, 1], ['addi', 4, 14, 200], ['mr', 5, 14], ['li', 6, 0x1000], ...call(291, 20),
        ['li', 3, 1], ['lis', 4, 0x402c], ['ori', 4, 4, 0x7413], ['mr', 5, 14], ...call(54, 22),
        ['li', 3, 5], ['mr', 4, 14], ['li', 5, 1], ...call(4, 24),
      ],
      { regs: { 14: DATA } },
    );
    expect(gpr(p, 20)).toBe(0n);
    expect(new DataView(bytesAt(p, DATA, 144).buffer).getUint32(24, false)).toBe(0o20620); // st_mode: S_IFCHR | 0620
    expect([gpr(p, 22), gpr(p, 23)]).toEqual([25n, SO_SET]);
    expect([gpr(p, 24), gpr(p, 25)]).toEqual([9n, SO_SET]);
  });

  it('writev gathers its vectors into stdout in order', () => {
    const data = new Uint8Array(64);
    const dv = new DataView(data.buffer);
    data.set(new TextEncoder().encode('ab'), 32);
    data.set(new TextEncoder().encode('cde'), 40);
    dv.setBigUint64(0, DATA + 32n, false);
    dv.setBigUint64(8, 2n, false);
    dv.setBigUint64(16, DATA + 40n, false);
    dv.setBigUint64(24, 3n, false);
    const p = runInsns([['li', 3, 1], ['mr', 4, 14], ['li', 5, 2], ...call(146, 20)], { regs: { 14: DATA }, data });
    expect(gpr(p, 20)).toBe(5n);
    expect(new TextDecoder().decode(Buffer.concat(p.stdout))).toBe('abcde');
  });

  it('an unimplemented call returns ENOSYS and is named once in the report', () => {
    const p = runInsns([...call(173, 20), ...call(173, 22), ...call(9999, 24)], {});
    expect([gpr(p, 20), gpr(p, 21)]).toEqual([38n, SO_SET]);
    expect(p.diagnostics).toEqual([
      'unsupported syscall rt_sigaction (173) at pc 0x10000004: returning -ENOSYS',
      'unsupported syscall 9999 at pc 0x1000002c: returning -ENOSYS',
    ]);
  });
});

describe('the initial stack (fs/binfmt_elf.c create_elf_tables)', () => {
  it('holds argc, argv, an empty envp and an auxiliary vector glibc can start from', () => {
    const p = new UserProcess(
      { littleEndian: true, abiVersion: 2, entry: 0x10000000n, toc: null, phdrAddr: 0x10000040n, phnum: 3, codeSections: [], rawSymbols: [], segments: [{ vaddr: 0x10000000n, memsz: 4096, data: new Uint8Array(4), flags: 5 }], symbols: new Map() },
      { fileName: 'prog', platform: 'power9' },
    );
    const sp = p.cpu.getGpr(1);
    const words = new DataView(p.space.read(sp, Number(0x7ffffff00000n - sp))!.buffer); // up to STACK_TOP
    const w = (k: number) => words.getBigUint64(8 * k, true);
    expect(w(0)).toBe(1n); // argc
    const str = (a: bigint) => new TextDecoder().decode(p.space.read(a, 16)!).replace(/\0.*$/s, '');
    expect(str(w(1))).toBe('prog');
    expect([w(2), w(3)]).toEqual([0n, 0n]); // argv end, envp end
    const aux = new Map<bigint, bigint>();
    for (let k = 4; w(k) !== 0n; k += 2) aux.set(w(k), w(k + 1));
    expect(aux.get(3n)).toBe(0x10000040n); // AT_PHDR
    expect(aux.get(4n)).toBe(56n); // AT_PHENT
    expect(aux.get(5n)).toBe(3n); // AT_PHNUM
    expect(aux.get(6n)).toBe(65536n); // AT_PAGESZ
    expect(aux.get(9n)).toBe(0x10000000n); // AT_ENTRY
    expect(str(aux.get(15n)!)).toBe('power9'); // AT_PLATFORM
    expect(aux.get(16n)).toBe(0xdc001180n); // AT_HWCAP: 32, 64, ALTIVEC, FPU, MMU, ARCH_2_05, ARCH_2_06, VSX
    expect(aux.get(26n)).toBe(0x80a00000n); // AT_HWCAP2 (power9): ARCH_2_07, ARCH_3_00, DARN
    expect(str(aux.get(31n)!)).toBe('prog'); // AT_EXECFN
    expect(p.space.read(aux.get(25n)!, 16)!.length).toBe(16); // AT_RANDOM
    expect(sp % 16n).toBe(0n);
  });
});
