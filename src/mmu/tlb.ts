// One CPU's translation lookaside buffer with the model's geometry (congruence classes x ways,
// round-robin replacement within a class). Book III 5.10 lets an implementation keep any
// translation it loaded from a valid, visible PTE until an invalidation that covers it
// completes; this class holds exactly those translations and nothing the ISA would not allow.

export interface TlbEntry {
  /** Virtual page number of the (actual) page: VA >> actualShift. */
  vpn: bigint;
  /** Actual page size (12, 16 or 24) and the segment's base page size. */
  actualShift: number;
  baseShift: number;
  /** Segment size: 0 = 256 MB, 1 = 1 TB. */
  ssize: number;
  /** Real address of the page. */
  ra: bigint;
  /** PP bits (PP0 || PP), key bit selected at fill time, no-execute (N or G). */
  pp: number;
  noExec: boolean;
  /** Whether C was set in the PTE when loaded (a store needs C set first). */
  changed: boolean;
  /** Where the translation came from: PTEG address + 16 * index. */
  slot: bigint;
  speculative: boolean;
  /** Monotonic fill number (for views and counterexamples). */
  filled: number;
}

export interface TlbSnapshot {
  readonly entries: ReadonlyArray<[number, number, TlbEntry]>;
  readonly victim: Int32Array;
  readonly fills: number;
  /** The contents' version (see Tlb.version): equal versions, equal contents. */
  readonly version: number;
}

/**
 * Versions of TLB contents: every change takes a new one, so two TLBs (or one TLB at two
 * times) with the same version hold the same entries. Snapshots, restores and state keys of
 * unchanged TLBs are then free: the explorer takes one per state.
 */
let clock = 0;

/** Base page sizes a segment can have (4 KiB, 64 KiB, 16 MiB). */
const BASE_SHIFTS = [12, 16, 24] as const;

export class Tlb {
  private readonly sets: (TlbEntry | null)[][];
  private readonly victim: Int32Array;
  private fills = 0;
  /** The contents' version; entries are never changed in place (setChanged replaces one). */
  private version = ++clock;
  private lastSnapshot: TlbSnapshot | null = null;
  private lastKey: [number, string] | null = null;
  /** Sets that may hold an entry (every set an insert or restore wrote since the last restore): what restore clears. */
  private readonly used = new Set<number>();
  private readonly pow2: boolean;

  /** Translations loaded so far (every insert). */
  get fillCount(): number {
    return this.fills;
  }

  constructor(
    readonly numSets: number,
    readonly ways: number,
  ) {
    this.pow2 = numSets > 0 && (numSets & (numSets - 1)) === 0;
    this.sets = Array.from({ length: numSets }, () => new Array<TlbEntry | null>(ways).fill(null));
    this.victim = new Int32Array(numSets);
  }

  /**
   * Congruence class of a page: the low bits of its VPN at the base page size, which is also
   * the set number tlbiel's IS=0b10/0b11 forms select (Linux tlbiel_all_isa206/300 walk every
   * set of POWER*_TLB_SETS by putting the set number in RB).
   */
  setOf(va: bigint, baseShift: number): number {
    return this.setOfPage(va >> BigInt(baseShift));
  }

  /** The congruence class of a page number at its base size (setOf without the shift). */
  private setOfPage(page: bigint): number {
    // Power-of-two set counts (all of CPU_MODELS'): the low bits, without BigInt division.
    if (this.pow2) return Number(BigInt.asUintN(32, page)) & (this.numSets - 1);
    return Number(page % BigInt(this.numSets));
  }

  lookup(va: bigint, ssize: number): TlbEntry | null {
    // An entry may be of any base and actual size (12, 16 or 24): each base size's congruence
    // class is searched, each entry compared at its actual size.
    const p12 = va >> 12n;
    const p16 = va >> 16n;
    const p24 = va >> 24n;
    for (const shift of BASE_SHIFTS) {
      const set = this.sets[this.setOfPage(shift === 12 ? p12 : shift === 16 ? p16 : p24)]!;
      for (const e of set) {
        if (e === null || e.baseShift !== shift || e.ssize !== ssize) continue;
        const page = e.actualShift === 12 ? p12 : e.actualShift === 16 ? p16 : e.actualShift === 24 ? p24 : va >> BigInt(e.actualShift);
        if (page === e.vpn) return e;
      }
    }
    return null;
  }

  insert(e: Omit<TlbEntry, 'filled'>): TlbEntry {
    const idx = this.setOf(e.vpn << BigInt(e.actualShift), e.baseShift);
    const set = this.sets[idx]!;
    // Replace an entry for the same page, else a free way, else round-robin.
    let way = -1;
    let free = -1;
    for (let w = 0; w < set.length; w++) {
      const x = set[w] ?? null;
      if (x === null) {
        if (free < 0) free = w;
      } else if (x.vpn === e.vpn && x.actualShift === e.actualShift && x.ssize === e.ssize) {
        way = w;
        break;
      }
    }
    if (way < 0) way = free;
    if (way < 0) {
      way = this.victim[idx]!;
      this.victim[idx] = (way + 1) % this.ways;
    }
    const entry = { ...e, filled: this.fills++ };
    set[way] = entry;
    this.used.add(idx);
    this.version = ++clock;
    return entry;
  }

  /**
   * The entry with C recorded (Book III 5.7.8: set in the PTE before a store through it): a
   * new entry object in its place, so snapshots keep sharing the old one. Returns it.
   */
  setChanged(e: TlbEntry): TlbEntry {
    const set = this.sets[this.setOf(e.vpn << BigInt(e.actualShift), e.baseShift)]!;
    const w = set.indexOf(e);
    if (w < 0) throw new Error('internal: setChanged of an entry not in the TLB');
    const now = { ...e, changed: true };
    set[w] = now;
    this.version = ++clock;
    return now;
  }

  /** Removes entries matching `pred`; returns how many. */
  invalidate(pred: (e: TlbEntry) => boolean): number {
    let n = 0;
    for (const i of this.used) {
      const set = this.sets[i]!;
      for (let w = 0; w < set.length; w++) {
        const e = set[w];
        if (e && pred(e)) {
          set[w] = null;
          n++;
        }
      }
    }
    if (n > 0) this.version = ++clock;
    return n;
  }

  /** tlbiel with IS selecting one congruence class: every entry in set `n`. */
  invalidateSet(n: number): number {
    const set = this.sets[n % this.numSets]!;
    let k = 0;
    for (let w = 0; w < set.length; w++) {
      if (set[w]) {
        set[w] = null;
        k++;
      }
    }
    if (k > 0) this.version = ++clock;
    return k;
  }

  invalidateAll(): number {
    return this.invalidate(() => true);
  }

  /** The contents, sparse; entries are immutable and shared. The same object while nothing changes. */
  snapshot(): TlbSnapshot {
    if (this.lastSnapshot?.version === this.version) return this.lastSnapshot;
    const entries: Array<[number, number, TlbEntry]> = [];
    for (const i of this.used) this.sets[i]!.forEach((e, w) => e && entries.push([i, w, e]));
    return (this.lastSnapshot = { entries, victim: Int32Array.from(this.victim), fills: this.fills, version: this.version });
  }

  restore(s: TlbSnapshot): void {
    if (s.version === this.version) return; // the same contents
    for (const i of this.used) this.sets[i]!.fill(null);
    this.used.clear();
    for (const [i, w, e] of s.entries) {
      this.sets[i]![w] = e;
      this.used.add(i);
    }
    this.victim.set(s.victim);
    this.fills = s.fills;
    this.version = s.version;
    this.lastSnapshot = s;
  }

  /** The contents as a canonical string (for state keys): entries by page, each with what a translation through it gives. */
  key(): string {
    if (this.lastKey?.[0] === this.version) return this.lastKey[1];
    const parts: string[] = [];
    for (const e of this.entries().sort((a, b) => (a.vpn < b.vpn ? -1 : a.vpn > b.vpn ? 1 : a.actualShift - b.actualShift))) {
      parts.push(`${e.vpn.toString(16)}/${e.actualShift}/${e.ssize}:${e.ra.toString(16)}:${e.pp}${e.noExec ? 'n' : ''}${e.changed ? 'c' : ''}@${e.slot.toString(16)}`);
    }
    const k = parts.join(' ');
    this.lastKey = [this.version, k];
    return k;
  }

  entries(): TlbEntry[] {
    const out: TlbEntry[] = [];
    for (const i of this.used) for (const e of this.sets[i]!) if (e) out.push(e);
    return out.sort((a, b) => a.filled - b.filled);
  }
}
