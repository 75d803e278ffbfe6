// Sections being assembled, and their placement in memory.
//
// Layout (absolute, as GNU ld places a static ppc64 executable): the code/read-only sections
// first, from the text address (0x10000000 by default, 0 for raw binaries), each aligned to
// its own alignment; the writable sections from the next 64 KiB boundary (ELF, so each
// segment can have its own page protection) or straight after the text (raw binary).

export type SectionKind = 'text' | 'data';

/** Largest section the assembler builds (as large as one .space may be): bounded memory. */
export const MAX_SECTION_BYTES = 1 << 26;

/** Thrown by a section that would grow past MAX_SECTION_BYTES; the assembler adds the position. */
export class SectionTooLarge extends Error {
  constructor(readonly section: string) {
    super(`section ${section} grows beyond ${MAX_SECTION_BYTES} bytes`);
  }
}

/** A section of the program: its contents grow in pass 1 and are patched in pass 2. */
export class Section {
  private buf = new Uint8Array(256);
  size = 0;
  /** Largest alignment requested in the section. */
  align = 4;

  constructor(
    readonly name: string,
    readonly kind: SectionKind,
    /** Whether the section holds code (alignment pads with nops). */
    readonly code: boolean,
    readonly index: number,
  ) {}

  private reserve(n: number): void {
    if (this.size + n <= this.buf.length) return;
    if (this.size + n > MAX_SECTION_BYTES) throw new SectionTooLarge(this.name);
    let cap = this.buf.length;
    while (cap < this.size + n) cap *= 2;
    const b = new Uint8Array(cap);
    b.set(this.buf.subarray(0, this.size));
    this.buf = b;
  }

  /** Appends bytes; returns their offset. */
  append(bytes: ArrayLike<number>): number {
    const off = this.size;
    this.reserve(bytes.length);
    this.buf.set(bytes, off);
    this.size += bytes.length;
    return off;
  }

  /** Appends `n` copies of `fill`; returns their offset. */
  fill(n: number, fill = 0): number {
    const off = this.size;
    this.reserve(n);
    this.buf.fill(fill & 0xff, off, off + n);
    this.size += n;
    return off;
  }

  /** Overwrites bytes at `off` (pass 2). */
  patch(off: number, bytes: Uint8Array): void {
    this.buf.set(bytes, off);
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.size);
  }
}

export const SEGMENT_ALIGN = 0x10000n;
export const DEFAULT_TEXT_ADDRESS = 0x10000000n;

export function alignUp(v: bigint, a: bigint): bigint {
  return ((v + a - 1n) / a) * a;
}

export interface LayoutOptions {
  readonly textAddress: bigint;
  /** Place writable sections straight after the code (raw binary) instead of on a new 64 KiB page. */
  readonly packed: boolean;
}

/** Addresses of the sections, indexed like `sections`. */
export function layout(sections: readonly Section[], opts: LayoutOptions): bigint[] {
  const bases: bigint[] = new Array(sections.length).fill(0n);
  let addr = opts.textAddress;
  const place = (s: Section) => {
    addr = alignUp(addr, BigInt(s.align));
    bases[s.index] = addr;
    addr += BigInt(s.size);
  };
  const text = sections.filter((s) => s.kind === 'text');
  const data = sections.filter((s) => s.kind === 'data');
  text.forEach(place);
  if (!opts.packed && data.some((s) => s.size > 0)) addr = alignUp(addr === opts.textAddress ? addr + 1n : addr, SEGMENT_ALIGN);
  data.forEach(place);
  return bases;
}
