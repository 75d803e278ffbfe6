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
