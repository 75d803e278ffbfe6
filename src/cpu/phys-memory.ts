// Physical storage shared by every CPU of a machine: sparse 4 KiB pages allocated on first
// touch, bounds-checked against the configured size.

import { PAGE_MASK, PAGE_SHIFT, PhysPage, touchPage } from './memory.js';

/** The version each snapshot copy was taken at (copies are never changed), for restore(). */
const copyVersion = new WeakMap<Uint8Array, number>();

export class PhysMemory {
  private readonly pages = new Map<number, PhysPage>();
  /** Called for each page when it is first allocated (the validator watches every page). */
  onAllocate: ((p: PhysPage) => void) | null = null;
  /** When not null, pages written through write() (R/C updates, loaders) are added here. */
  written: Set<PhysPage> | null = null;

  constructor(readonly size: bigint) {}

  /** The last copy of each watched page and its version: an unchanged page's copy is shared. */
  private readonly copies = new WeakMap<PhysPage, Uint8Array>();

  /**
   * Copies of the bytes of `pages` (default: every allocated page), for restore(). A page with
   * a watcher unchanged since its last copy (same version) shares that copy (never written).
   */
  snapshot(pages: Iterable<PhysPage> = this.pages.values()): Map<number, Uint8Array> {
    const out = new Map<number, Uint8Array>();
    for (const p of pages) {
      let copy = p.watcher !== null ? this.copies.get(p) : undefined;
      if (copy === undefined || copyVersion.get(copy) !== p.version) {
        copy = p.bytes.slice();
        if (p.watcher !== null) {
          copyVersion.set(copy, p.version);
          this.copies.set(p, copy);
        }
      }
      out.set(p.frame, copy);
    }
    return out;
  }

  /**
   * Back to a snapshot. Pages keep their identity (soft TLBs and watchers hold them). Without
   * `only`, every allocated page goes back (pages allocated since are zeroed, as before first
   * touch); with it, just those pages, each from the snapshot, else from `initial`, else zero.
   * Decoded code is dropped where the bytes change.
   */
  restore(s: ReadonlyMap<number, Uint8Array>, only?: Iterable<PhysPage>, initial?: ReadonlyMap<number, Uint8Array>): void {
    for (const p of only ?? this.pages.values()) {
      const old = s.get(p.frame) ?? initial?.get(p.frame);
      if (old === undefined) {
        if (p.bytes.some((b) => b !== 0)) {
          p.bytes.fill(0);
          p.decoded = null;
          touchPage(p);
        }
        continue;
      }
      // A watched page at the version its copy was taken at holds the copy's bytes.
      const v = copyVersion.get(old);
      if (p.watcher !== null && v === p.version) continue;
      const a = new Int32Array(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength >> 2);
      const b = new Int32Array(old.buffer, old.byteOffset, old.byteLength >> 2);
      for (let i = 0; i < a.length; i++) {
        if (a[i] !== b[i]) {
          p.bytes.set(old);
          p.decoded = null;
          break;
        }
      }
      if (v !== undefined) p.version = v;
      else touchPage(p);
    }
  }

  /** The pages allocated so far (touched by a read or a write), in no particular order. */
  allocated(): IterableIterator<PhysPage> {
    return this.pages.values();
  }

  /** The page holding real address `ra`, or null beyond the end of storage. */
  page(ra: bigint): PhysPage | null {
    if (ra < 0n || ra >= this.size) return null;
    const pfn = Number(ra >> BigInt(PAGE_SHIFT));
    let p = this.pages.get(pfn);
    if (!p) this.allocate(pfn, (p = new PhysPage(pfn)));
    return p;
  }

  private allocate(pfn: number, p: PhysPage): void {
    this.pages.set(pfn, p);
    this.onAllocate?.(p);
  }

  /** Page by frame number (hot path of the real-mode and MMU lookups). */
  pageByFrame(pfn: number): PhysPage | null {
    if (pfn * (PAGE_MASK + 1) >= Number(this.size)) return null;
    let p = this.pages.get(pfn);
    if (!p) this.allocate(pfn, (p = new PhysPage(pfn)));
    return p;
  }

  read(ra: bigint, length: number): Uint8Array | null {
    const out = new Uint8Array(length);
    for (let i = 0; i < length; ) {
      const p = this.page(ra + BigInt(i));
      if (!p) return null;
      const off = Number((ra + BigInt(i)) & BigInt(PAGE_MASK));
      const n = Math.min(PAGE_MASK + 1 - off, length - i);
      out.set(p.bytes.subarray(off, off + n), i);
      i += n;
    }
    return out;
  }

  write(ra: bigint, data: Uint8Array): void {
    for (let i = 0; i < data.length; ) {
      const p = this.page(ra + BigInt(i));
      if (!p) throw new RangeError(`real address 0x${(ra + BigInt(i)).toString(16)} is beyond storage`);
      const off = Number((ra + BigInt(i)) & BigInt(PAGE_MASK));
      const n = Math.min(PAGE_MASK + 1 - off, data.length - i);
      p.bytes.set(data.subarray(i, i + n), off);
      p.decoded = null;
      touchPage(p);
      this.written?.add(p);
      i += n;
    }
  }

  read64(ra: bigint, le: boolean): bigint {
    // Within one page (every aligned doubleword): straight from the page, no copy.
    const off = Number(ra & BigInt(PAGE_MASK));
    if (off <= PAGE_MASK - 7) {
      const p = this.page(ra);
      if (p) return p.dv.getBigUint64(off, le);
    }
    const b = this.read(ra, 8);
    if (!b) throw new RangeError(`real address 0x${ra.toString(16)} is beyond storage`);
    return new DataView(b.buffer).getBigUint64(0, le);
  }
}
