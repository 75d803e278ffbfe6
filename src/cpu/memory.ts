// Storage seen by the interpreter: 4 KiB pages of bytes, an address space that maps effective
// page addresses to them (user-mode flat space now; the hash MMU plugs in the same interface),
// and the decoded-instruction cache that lives with each page.

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_MASK = PAGE_SIZE - 1;

export const enum Access {
  Read = 0,
  Write = 1,
  Exec = 2,
}

/**
 * Told about every store to a watched page (the MMU watches the pages of the hashed page
 * table): `before` runs before the bytes change, `after` once they have.
 */
export interface StoreWatcher {
  before(cpuId: number, page: PhysPage, offset: number, length: number): void;
  after(cpuId: number, page: PhysPage, offset: number, length: number): void;
}

/**
 * Told about every data access to a page a debugger watches (gdb's watch/rwatch/awatch): the
 * soft TLB never holds such a page, so each load and store reaches the CPU's lookup, which
 * reports the access's page offset and length before it is performed. Returning true stops
 * the CPU before the instruction, as a data address breakpoint does (cpu.ts WATCH_STOP).
 */
export interface AccessWatcher {
  access(cpuId: number, page: PhysPage, offset: number, length: number, write: boolean): boolean;
}

/** A page of storage. Decoded instructions are cached on it and dropped when it is written. */
export class PhysPage {
  readonly bytes = new Uint8Array(PAGE_SIZE);
  readonly dv = new DataView(this.bytes.buffer);
  /** Pre-decoded instructions (see predecode.ts), or null. */
  decoded: Int32Array | null = null;
  /** Byte order the cache was decoded in. */
  decodedLE = false;
  /** Stores to this page are reported here (stores to watched pages take the slow path). */
  watcher: StoreWatcher | null = null;
  /** Loads and stores of this page are reported here (debugger read/access watchpoints). */
  accessWatch: AccessWatcher | null = null;
  /**
   * The contents' version: a new one after each store that takes the CPU's slow path, each
   * PhysMemory write and restore. Meaningful only for a page with a watcher (every store to it
   * takes the slow path): the validator's explorer keys and snapshots such pages by version.
   */
  version = 0;

  /** Frame number in physical storage (-1 for user-process pages, which have no real address). */
  constructor(readonly frame = -1) {}
}

let pageClock = 0;

/** Gives `page` a new version (its bytes have changed). */
export function touchPage(page: PhysPage): void {
  page.version = ++pageClock;
}

/** What a failed lookup reports; the CPU turns it into an interrupt or a stop. */
export interface Fault {
  kind: 'unmapped' | 'protection' | 'segment' | 'no-pte' | 'beyond-storage';
  access: Access;
  hi: number;
  lo: number;
  /** Architected interrupt for the fault, when the address space is a machine's MMU. */
  vector?: number;
  /** DSISR value (data faults). */
  dsisr?: number;
  /** SRR1 cause bits (instruction faults). */
  srr1?: number;
}

/** Maps effective addresses to pages for one CPU's accesses. */
export interface AddressSpace {
  /** The page holding EA page (hi, pageLo) for `access`, or a Fault. */
  lookup(hi: number, pageLo: number, access: Access): PhysPage | Fault;
}

export const PROT_R = 4;
export const PROT_W = 2;
export const PROT_X = 1;

interface Mapping {
  page: PhysPage;
  prot: number;
}

function key(hi: number, pageLo: number): number {
  // hi (32 bits) and the 20-bit page number fit a double exactly (52 bits).
  return (hi >>> 0) * 1048576 + (pageLo >>> PAGE_SHIFT);
}

/**
 * A Linux user process's address space: page-granular mappings with R/W/X protection, as
 * mmap'd by the ELF loader (PT_LOAD segments) and the stack. Anything else is unmapped.
 */
export class UserAddressSpace implements AddressSpace {
  private readonly pages = new Map<number, Mapping>();

  lookup(hi: number, pageLo: number, access: Access): PhysPage | Fault {
    const m = this.pages.get(key(hi, pageLo));
    if (!m) return { kind: 'unmapped', access, hi, lo: pageLo };
    const need = access === Access.Read ? PROT_R : access === Access.Write ? PROT_W : PROT_X;
    if ((m.prot & need) === 0) return { kind: 'protection', access, hi, lo: pageLo };
    return m.page;
  }

  /** Maps [addr, addr+size) page-granular with `prot`; already-mapped pages get the union. */
  map(addr: bigint, size: number, prot: number): void {
    const first = addr & ~BigInt(PAGE_MASK);
    const end = addr + BigInt(size);
    for (let a = first; a < end; a += BigInt(PAGE_SIZE)) {
      const hi = Number(a >> 32n) | 0;
      const lo = Number(a & 0xffffffffn) | 0;
      const k = key(hi, lo);
      const m = this.pages.get(k);
      if (m) m.prot |= prot;
      else this.pages.set(k, { page: new PhysPage(), prot });
    }
  }

  /** Copies bytes in (loader use: ignores protection, requires the pages to be mapped). */
  write(addr: bigint, data: Uint8Array): void {
    for (let i = 0; i < data.length; ) {
      const a = addr + BigInt(i);
      const m = this.mappingAt(a);
      const off = Number(a & BigInt(PAGE_MASK));
      const n = Math.min(PAGE_SIZE - off, data.length - i);
      m.page.bytes.set(data.subarray(i, i + n), off);
      touchPage(m.page);
      m.page.decoded = null;
      i += n;
    }
  }

  /** Copies bytes out (debugger and loader use), or null where unmapped. */
  read(addr: bigint, length: number): Uint8Array | null {
    const outBuf = new Uint8Array(length);
    for (let i = 0; i < length; ) {
      const a = addr + BigInt(i);
      const m = this.pages.get(key(Number(a >> 32n) | 0, Number(a & 0xffffffffn) | 0));
      if (!m) return null;
      const off = Number(a & BigInt(PAGE_MASK));
      const n = Math.min(PAGE_SIZE - off, length - i);
      outBuf.set(m.page.bytes.subarray(off, off + n), i);
      i += n;
    }
    return outBuf;
  }

  /** Removes the pages of [addr, addr+size) (munmap, brk shrinking); unmapped ones are skipped. */
  unmap(addr: bigint, size: number): void {
    for (let a = addr & ~BigInt(PAGE_MASK); a < addr + BigInt(size); a += BigInt(PAGE_SIZE)) {
      this.pages.delete(key(Number(a >> 32n) | 0, Number(a & 0xffffffffn) | 0));
    }
  }

  /**
   * Sets the protection of every page of [addr, addr+size) (mprotect); false, changing
   * nothing, when one of them is not mapped (Linux's ENOMEM).
   */
  protect(addr: bigint, size: number, prot: number): boolean {
    const ms: Mapping[] = [];
    for (let a = addr & ~BigInt(PAGE_MASK); a < addr + BigInt(size); a += BigInt(PAGE_SIZE)) {
      const m = this.pages.get(key(Number(a >> 32n) | 0, Number(a & 0xffffffffn) | 0));
      if (!m) return false;
      ms.push(m);
    }
    for (const m of ms) m.prot = prot;
    return true;
  }

  /** Bytes mapped (4 KiB pages; each holds host memory). */
  mappedBytes(): number {
    return this.pages.size * PAGE_SIZE;
  }

  isMapped(addr: bigint): boolean {
    return this.pages.has(key(Number(addr >> 32n) | 0, Number(addr & 0xffffffffn) | 0));
  }

  private mappingAt(a: bigint): Mapping {
    const m = this.pages.get(key(Number(a >> 32n) | 0, Number(a & 0xffffffffn) | 0));
    if (!m) throw new Error(`internal: write to unmapped address 0x${a.toString(16)}`);
    return m;
  }
}
