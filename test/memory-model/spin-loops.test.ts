// Spin-loop reduction (src/memory-model/spin-loops.ts) against the unreduced enumeration: on
// litmus tests whose threads wait in loops (a flag, a lock taken with lwarx/stwcx., a
// stwcx. retry), the final states and the verdict are the same with and without it, and the
// reduced enumeration has fewer runs. The expected verdicts are the published ones for the
// loop-free shapes the loops wait into (MP+lwsync+ctrlisync forbidden, MP+po+ctrl allowed:
// Sarkar et al., PLDI 2011; Alglave et al., TOPLAS 2014).
import { describe, expect, it } from 'vitest';
import { parseLitmus, runLitmus } from '../../src/litmus/index.js';
import { DEFAULT_BOUNDS, threadRuns } from '../../src/memory-model/thread-runs.js';
import { loopHeads } from '../../src/memory-model/spin-loops.js';
import { decode } from '../../src/isa/decode.js';
import { enc } from '../helpers/run-words.js';

const mp = (fence: string, isync: string) => `PPC MP+spin
"P1 waits for the flag y, then reads x"
{
0:r20=x; 0:r21=y;
1:r20=x; 1:r21=y;
}
 P0            | P1              ;
 li r1,1       | L10:            ;
 stw r1,0(r20) | lwz r1,0(r21)   ;
 ${fence.padEnd(13)} | cmpwi r1,0      ;
 stw r1,0(r21) | beq L10         ;
               | ${isync.padEnd(15)} ;
               | lwz r2,0(r20)   ;
exists (1:r2=0)`;

const lockedIncrement = (release: string) => `PPC Inc2+lock
"Two threads increment x under a lock taken with lwarx/stwcx./isync and released by a store"
{
0:r20=l; 0:r21=x; 0:r30=0;
1:r20=l; 1:r21=x; 1:r30=0;
}
 P0                 | P1                 ;
 L00:               | L10:               ;
 lwarx r1,r30,r20   | lwarx r1,r30,r20   ;
 cmpwi r1,0         | cmpwi r1,0         ;
 bne L00            | bne L10            ;
 li r2,1            | li r2,1            ;
 stwcx. r2,r30,r20  | stwcx. r2,r30,r20  ;
 bne L00            | bne L10            ;
 isync              | isync              ;
 lwz r3,0(r21)      | lwz r3,0(r21)      ;
 addi r3,r3,1       | addi r3,r3,1       ;
 stw r3,0(r21)      | stw r3,0(r21)      ;
 ${release.padEnd(18)} | lwsync             ;
 li r4,0            | li r4,0            ;
 stw r4,0(r20)      | stw r4,0(r20)      ;
exists (x=1)`;

function both(src: string) {
  const t = parseLitmus(src, 't.litmus');
  const reduced = runLitmus(t, { model: 'power' });
  const full = runLitmus(t, { model: 'power', bounds: { ...DEFAULT_BOUNDS, spins: false } });
  return { reduced, full };
}

const finals = (r: ReturnType<typeof runLitmus>) => r.states.map((s) => JSON.stringify(s.values, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)));

describe('spin-loop reduction', () => {
  const cases: Array<[string, string, boolean]> = [
    ['MP, spin on the flag, lwsync + isync', mp('lwsync', 'isync'), false],
    ['MP, spin on the flag, no barriers', mp('nop', 'nop'), true],
    ['MP, spin on the flag, lwsync but no isync', mp('lwsync', 'nop'), true],
    ['locked increment, release after lwsync', lockedIncrement('lwsync'), false],
    ['locked increment, release without lwsync', lockedIncrement('nop'), true],
  ];
  for (const [name, src, observed] of cases) {
    it(`${name}: the same final states as without it, the published verdict, fewer candidates`, () => {
      const { reduced, full } = both(src);
      expect(finals(reduced)).toEqual(finals(full));
      expect(reduced.positive > 0, 'exists').toBe(observed);
      expect(full.positive > 0).toBe(observed);
      expect(reduced.candidates).toBeLessThan(full.candidates);
    });
  }

  it('finds the loop heads and what is dead there (overwritten on every path before it is read)', () => {
    // 1: lwarx r8,0,r3 / andi. r0,r8,8 / bne 1b / ori r8,r8,8 / stdcx. r8,0,r3 / bne 1b
    const bne = (bd: number) => enc('bc', 4, 2, bd); // BO=4: branch if CR0[EQ] is clear
    const words = Uint32Array.from([enc('ldarx', 8, 0, 3), enc('andi.', 0, 8, 8), bne(-8), enc('ori', 8, 8, 8), enc('stdcx.', 8, 0, 3), bne(-20)]);
    const heads = loopHeads(words, Array.from(words, (w) => decode(w)));
    expect([...heads.keys()]).toEqual([0]);
    const dead = heads.get(0)!;
    expect([...dead.gpr].sort()).toEqual([0, 8]); // r8 (ldarx) and r0 (andi.) are written first
    expect(dead.cr).toBe(0b1111); // CR0 (bits 0-3) written by andi. before bne reads it
    expect(dead.reservation).toBe(true); // a new reservation before the stdcx.
    expect(dead.ctr).toBe(false);
  });

  it('refuses a loop that can never end', () => {
    const words = Uint32Array.from([enc('b', 0)]);
    const prog = { thread: 0, words, where: () => 'f.s:2:1', regs: new Array<bigint>(32).fill(0n) };
    expect(() => threadRuns(prog, { names: [], sizes: [] }, [])).toThrow(/f\.s:2:1: thread P0 loops forever without a storage access/);
  });
});
