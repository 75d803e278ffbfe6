// Binary relations over the events of one candidate execution, as bit matrices (one row of
// 32-bit words per event), with the operators the cat language uses (herd7's "cat" manual:
// `|` union, `&` intersection, `\` difference, `;` sequence, `+`/`*` closures, `?` optional,
// `^-1` inverse, `[S]` identity on a set, `S * T` cartesian product) and its checks
// (acyclic, irreflexive, empty). Executions of litmus tests and of validation fixtures have a
// few dozen events, so dense rows are both the simplest and the fastest representation.

export class EventSet {
  readonly words: Uint32Array;
  constructor(readonly n: number, words?: Uint32Array) {
    this.words = words ?? new Uint32Array((n + 31) >>> 5);
  }
  static of(n: number, pred: (i: number) => boolean): EventSet {
    const s = new EventSet(n);
    for (let i = 0; i < n; i++) if (pred(i)) s.add(i);
    return s;
  }
  add(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
}

export class Rel {
  /** Words per row. */
  readonly w: number;
  readonly bits: Uint32Array;

  constructor(readonly n: number, bits?: Uint32Array) {
    this.w = (n + 31) >>> 5;
    this.bits = bits ?? new Uint32Array(this.w * n);
  }

  static empty(n: number): Rel {
    return new Rel(n);
  }

  static identity(n: number): Rel {
    const r = new Rel(n);
    for (let i = 0; i < n; i++) r.add(i, i);
    return r;
  }

  /** `[S]`: the identity restricted to S. */
  static id(s: EventSet): Rel {
    const r = new Rel(s.n);
    for (let i = 0; i < s.n; i++) if (s.has(i)) r.add(i, i);
    return r;
  }

  /** `S * T`. */
  static product(s: EventSet, t: EventSet): Rel {
    const r = new Rel(s.n);
    for (let i = 0; i < s.n; i++) if (s.has(i)) r.bits.set(t.words, i * r.w);
    return r;
  }

  static from(n: number, pred: (i: number, j: number) => boolean): Rel {
    const r = new Rel(n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (pred(i, j)) r.add(i, j);
    return r;
  }

  add(i: number, j: number): void {
    this.bits[i * this.w + (j >>> 5)]! |= 1 << (j & 31);
  }

  /** How many i have (i, j). */
  column(j: number): number {
    let c = 0;
    for (let i = 0; i < this.n; i++) if (this.has(i, j)) c++;
    return c;
  }

  has(i: number, j: number): boolean {
    return (this.bits[i * this.w + (j >>> 5)]! & (1 << (j & 31))) !== 0;
  }

  clone(): Rel {
    return new Rel(this.n, this.bits.slice());
  }

  equals(o: Rel): boolean {
    const a = this.bits;
    const b = o.bits;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
    return true;
  }

  isEmpty(): boolean {
    for (let k = 0; k < this.bits.length; k++) if (this.bits[k] !== 0) return false;
    return true;
  }

  union(...others: Rel[]): Rel {
    const r = this.clone();
    for (const o of others) for (let k = 0; k < r.bits.length; k++) r.bits[k]! |= o.bits[k]!;
    return r;
  }

  inter(o: Rel): Rel {
    const r = this.clone();
    for (let k = 0; k < r.bits.length; k++) r.bits[k]! &= o.bits[k]!;
    return r;
  }

  minus(o: Rel): Rel {
    const r = this.clone();
    for (let k = 0; k < r.bits.length; k++) r.bits[k]! &= ~o.bits[k]!;
    return r;
  }

  inverse(): Rel {
    const r = new Rel(this.n);
    for (let i = 0; i < this.n; i++) for (let j = 0; j < this.n; j++) if (this.has(i, j)) r.add(j, i);
    return r;
  }

  /** `this ; o`: i -> k when i -> j in this and j -> k in o. */
  seq(o: Rel): Rel {
    const { n, w } = this;
    const r = new Rel(n);
    const a = this.bits;
    const b = o.bits;
    const out = r.bits;
    for (let i = 0; i < n; i++) {
      const row = i * w;
      for (let jw = 0; jw < w; jw++) {
        let word = a[row + jw]!;
        while (word !== 0) {
          const bit = word & -word;
          const j = (jw << 5) + (31 - Math.clz32(bit));
          word ^= bit;
          const src = j * w;
          for (let k = 0; k < w; k++) out[row + k]! |= b[src + k]!;
        }
      }
    }
    return r;
  }

  /** `this+`: transitive closure (Warshall over rows). */
  plus(): Rel {
    const r = this.clone();
    const { n, w } = r;
    const m = r.bits;
    for (let k = 0; k < n; k++) {
      const kw = k >>> 5;
      const kb = 1 << (k & 31);
      const src = k * w;
      for (let i = 0; i < n; i++) {
        const row = i * w;
        if ((m[row + kw]! & kb) === 0) continue;
        for (let x = 0; x < w; x++) m[row + x]! |= m[src + x]!;
      }
    }
    return r;
  }

  /** `this*`: reflexive-transitive closure. */
  star(): Rel {
    return this.plus().union(Rel.identity(this.n));
  }

  /** `this?`: reflexive closure. */
  opt(): Rel {
    return this.union(Rel.identity(this.n));
  }

  /** `this & (S * T)`. */
  restrict(s: EventSet, t: EventSet): Rel {
    return this.inter(Rel.product(s, t));
  }

  irreflexive(): boolean {
    for (let i = 0; i < this.n; i++) if (this.has(i, i)) return false;
    return true;
  }

  acyclic(): boolean {
    return this.plus().irreflexive();
  }

  /** A cycle through the relation, as event indices, or null (for explanations). */
  cycle(): number[] | null {
    const closure = this.plus();
    for (let s = 0; s < this.n; s++) {
      if (!closure.has(s, s)) continue;
      // Breadth-first path s -> ... -> s in this relation.
      const prev = new Int32Array(this.n).fill(-1);
      const queue = [s];
      for (let q = 0; q < queue.length; q++) {
        const i = queue[q]!;
        for (let j = 0; j < this.n; j++) {
          if (!this.has(i, j)) continue;
          if (j === s) {
            const path: number[] = [];
            for (let p = i; p !== s; p = prev[p]!) path.push(p);
            path.push(s);
            return path.reverse();
          }
          if (prev[j] === -1 && j !== s) {
            prev[j] = i;
            queue.push(j);
          }
        }
      }
    }
    return null;
  }
}
