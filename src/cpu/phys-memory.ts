// Physical storage shared by every CPU of a machine: sparse 4 KiB pages allocated on first
// touch, bounds-checked against the configured size.

import { PAGE_MASK, PAGE_SHIFT, PhysPage } from './memory.js';

export class PhysMemory {
  private readonly pages = new Map<number, PhysPage>();

  constructor(readonly size: bigint) {}

  /** The pages allocated so far (touched by a read or a write), in no particular order. */
  allocated(): IterableIterator<PhysPage> {
    return this.pages.values();
  }

  /** The page holding real address `ra`, or null beyond the end of storage. */
  page(ra: bigint): PhysPage | null {
    if (ra < 0n || ra >= this.size) return null;
    const pfn = Number(ra >> BigInt(PAGE_SHIFT));
    let p = this.pages.get(pfn);
    if (!p) this.pages.set(pfn, (p = new PhysPage(pfn)));
    return p;
  }

  /** Page by frame number (hot path of the real-mode and MMU lookups). */
  pageByFrame(pfn: number): PhysPage | null {
    if (pfn * (PAGE_MASK + 1) >= Number(this.size)) return null;
    let p = this.pages.get(pfn);
    if (!p) this.pages.set(pfn, (p = new PhysPage(pfn)));
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
      i += n;
    }
  }

  read64(ra: bigint, le: boolean): bigint {
    const b = this.read(ra, 8);
    if (!b) throw new RangeError(`real address 0x${ra.toString(16)} is beyond storage`);
    return new DataView(b.buffer).getBigUint64(0, le);
  }
}
