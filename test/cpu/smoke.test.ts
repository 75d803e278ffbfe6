import { describe, expect, it } from 'vitest';
import { DATA, gpr, runInsns } from '../helpers/run-words.js';

describe('interpreter smoke', () => {
  it('adds, loops and exits with r3', () => {
    // r3 = sum 1..10 = 55 via a bdnz loop
    const p = runInsns([
      ['li', 3, 0],
      ['li', 4, 10],
      ['mtctr', 4],
      ['add', 3, 3, 4],
      ['addi', 4, 4, -1],
      ['bdnz', -8],
    ]);
    expect(p.cpu.stop).toBe('exit');
    expect(p.cpu.exitCode).toBe(55);
    expect(gpr(p, 3)).toBe(55n);
  });
  it('stores and loads through memory, both byte orders', () => {
    for (const le of [false, true]) {
      const p = runInsns(
        [
          ['lis', 5, 0x1010],
          ['lis', 6, 0x1234],
          ['ori', 6, 6, 0x5678],
          ['stw', 6, 0, 5],
          ['lbz', 7, 0, 5],
          ['ld', 8, 0, 5],
          ['li', 3, 0],
        ],
        { le },
      );
      expect(gpr(p, 7)).toBe(le ? 0x78n : 0x12n);
      expect(gpr(p, 8)).toBe(le ? 0x12345678n : 0x1234567800000000n);
      void DATA;
    }
  });
});
