// PhysMemory snapshots as the validator's explorer uses them: whole, or only the pages it
// tracks, with pages missing from the snapshot going back to their initial contents or zero.

import { describe, expect, it } from 'vitest';
import { PhysMemory } from '../../src/cpu/phys-memory.js';

const w = (m: PhysMemory, ra: bigint, v: number) => m.write(ra, new Uint8Array([v]));
const r = (m: PhysMemory, ra: bigint) => m.read(ra, 1)![0];

describe('PhysMemory snapshot/restore', () => {
  it('whole: every page back, pages allocated since zeroed, page objects kept', () => {
    const m = new PhysMemory(1n << 20n);
    w(m, 0x1000n, 1);
    const page = m.page(0x1000n)!;
    page.decoded = new Int32Array(1);
    const s = m.snapshot();
    w(m, 0x1000n, 2);
    w(m, 0x5000n, 3);
    m.page(0x1000n)!.decoded = new Int32Array(1);
    m.restore(s);
    expect(r(m, 0x1000n)).toBe(1);
    expect(r(m, 0x5000n)).toBe(0);
    expect(m.page(0x1000n)).toBe(page);
    expect(page.decoded).toBeNull(); // the bytes changed: decoded code dropped
  });

  it('partial: only the given pages, from the snapshot, else the initial copy, else zero', () => {
    const m = new PhysMemory(1n << 20n);
    w(m, 0x1000n, 1);
    w(m, 0x2000n, 7);
    const initial = m.snapshot();
    const a = m.page(0x1000n)!;
    const b = m.page(0x2000n)!;
    const c = m.page(0x3000n)!;
    w(m, 0x1000n, 2);
    const s = m.snapshot([a]); // a tracked page
    w(m, 0x1000n, 3);
    w(m, 0x2000n, 8);
    w(m, 0x3000n, 9);
    m.restore(s, [a, b, c], initial);
    expect(r(m, 0x1000n)).toBe(2); // from the snapshot
    expect(r(m, 0x2000n)).toBe(7); // from the initial copy
    expect(r(m, 0x3000n)).toBe(0); // allocated after the initial copy: zero
    w(m, 0x4000n, 5);
    m.restore(s, [a], initial);
    expect(r(m, 0x4000n)).toBe(5); // not named: untouched
  });

  it('write() reports the pages it writes when asked', () => {
    const m = new PhysMemory(1n << 20n);
    m.written = new Set();
    w(m, 0x2ff8n, 1);
    m.write(0x2ffen, new Uint8Array(4)); // spans two pages
    expect([...m.written].map((p) => p.frame).sort()).toEqual([2, 3]);
  });
});

describe('watched pages: snapshots by version', () => {
  const watcher = { before: () => {}, after: () => {} };
  it('an unchanged watched page shares its copy; a write makes a new one; restore brings back bytes and version', () => {
    const m = new PhysMemory(1n << 20n);
    const p = m.page(0x2000n)!;
    p.watcher = watcher;
    w(m, 0x2000n, 7);
    const s1 = m.snapshot([p]);
    const s2 = m.snapshot([p]);
    expect(s2.get(2)).toBe(s1.get(2)); // the same copy: nothing changed
    const v1 = p.version;
    w(m, 0x2000n, 8);
    expect(p.version).not.toBe(v1);
    const s3 = m.snapshot([p]);
    expect(s3.get(2)).not.toBe(s1.get(2));
    m.restore(s1, [p]);
    expect([r(m, 0x2000n), p.version]).toEqual([7, v1]);
    // Bytes changed behind the version's back (an unwatched page) are still compared: not shared.
    const q = m.page(0x3000n)!;
    w(m, 0x3000n, 1);
    const t1 = m.snapshot([q]);
    q.bytes[0] = 2;
    expect(m.snapshot([q]).get(3)![0]).toBe(2);
    m.restore(t1, [q]);
    expect(r(m, 0x3000n)).toBe(1);
  });
});
