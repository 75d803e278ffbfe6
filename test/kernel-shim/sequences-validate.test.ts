// The shim's own Linux sequences (hpte-native.ts sequenceText(): the very text NativeHpte
// runs) judged by the validator: explored exhaustively on two CPUs doing the same operation
// on two pages of one PTEG at once, for every CPU model and without LOCKLESS_TLBIE. Each must
// pass: no stale translation after the flush, no torn or duplicate PTE, one tlbie in flight
// where the model needs the lock, and the inserted translations really there.

import { describe, expect, it } from 'vitest';
import { CPU_MODELS, type CpuModel } from '../../src/cpu/models.js';
import { sequenceText, type SequenceName } from '../../src/kernel-shim/hpte-native.js';
import { validate } from '../../src/validate/index.js';

const LINEAR = '0xc000000000000000'; // the validation machine's linear mapping of storage
const LOCK = '0xc000000000030000'; // native_tlbie_lock, through the linear mapping
const MODELS: Array<[string, CpuModel]> = [
  ['power7', CPU_MODELS.power7],
  ['power8', CPU_MODELS.power8],
  ['power9', CPU_MODELS.power9],
  ['power8 -LOCKLESS_TLBIE', { ...CPU_MODELS.power8, features: { ...CPU_MODELS.power8.features, LOCKLESS_TLBIE: false } }],
];

/** P and Q share a PTEG: their page indexes differ by 2048 (the table's 11 hash bits). */
const pages = (extra: string) => `\t.page P 0xd000000000001000 0x200000${extra}\n\t.page Q 0xd000000000801000 0x201000${extra}\n`;

const text = (name: SequenceName, model: CpuModel, local = false) => sequenceText(name, model, local);

function explore(model: CpuModel, src: string, memoryModel: 'power' | 'sc' = 'power') {
  const r = validate(src, 't.s', { model, explore: 'exhaustive', maxStates: 400_000, memoryModel });
  const cx = r.exploration.counterexample;
  return { r, why: cx ? `${cx.violation.id}: ${cx.violation.message}` : r.findings.map((f) => `${f.id}: ${f.message}`).join('; ') };
}

describe('the shim sequences pass the validator', () => {
  for (const [name, model] of MODELS) {
    it(`native_hpte_insert on two CPUs into one PTEG (${name})`, () => {
      const cpu = (n: number, page: string) =>
        `\t.cpu ${n}\n\t.reg r3, ${LINEAR} + (${page}_slot & ~127)\n\t.reg r4, ${page}_dw0\n\t.reg r5, ${page}_dw1\n` +
        text('native_hpte_insert', model) +
        `\t# assert-valid ${page}\n`;
      // Under the Power model two CPUs scanning one PTEG have more candidate executions than
      // the enumeration takes (it says so and stops: docs/memory-model.md, "Limits"), so this
      // one is judged with sequentially consistent accesses.
      const { r, why } = explore(model, pages(' invalid') + cpu(0, 'P') + cpu(1, 'Q'), 'sc');
      expect(r.verdict, why).toBe('pass');
      expect(r.exploration.complete).toBe(true);
    });

    if (name === MODELS[0]![0]) {
      it('native_hpte_insert on two CPUs into one PTEG is refused under the Power model, saying why and what to use', () => {
        const cpu = (n: number, page: string) =>
          `\t.cpu ${n}\n\t.reg r3, ${LINEAR} + (${page}_slot & ~127)\n\t.reg r4, ${page}_dw0\n\t.reg r5, ${page}_dw1\n` +
          text('native_hpte_insert', model) +
          `\t# assert-valid ${page}\n`;
        expect(() => explore(model, pages(' invalid') + cpu(0, 'P') + cpu(1, 'Q'))).toThrow(
          /^t\.s:\d+:1: thread P\d has more than 20000 runs under the Power model: too large to enumerate \(use --model sc\)$/,
        );
      }, 120_000);
    }

    it(`native_hpte_invalidate + tlbie() on two CPUs at once, global (${name})`, () => {
      const cpu = (n: number, page: string) =>
        `\t.cpu ${n}\n\t.reg r3, ${page}_hpte\n\t.reg r4, ${page}_dw0\n\t.reg r5, ${page}_rb\n\t.reg r10, ${LOCK}\n` +
        text('native_hpte_invalidate', model) +
        '\t# relies\n';
      const { r, why } = explore(model, pages('') + cpu(0, 'P') + cpu(1, 'Q'));
      expect(r.verdict, why).toBe('pass');
      expect(r.exploration.complete).toBe(true);
    });

    it(`native_hpte_updatepp to read-only, global (${name})`, () => {
      const src =
        pages('') +
        `\t.cpu 0\n\t.reg r3, P_hpte\n\t.reg r4, P_dw0\n\t.reg r5, P_rb\n\t.reg r6, 3\n\t.reg r10, ${LOCK}\n` +
        text('native_hpte_updatepp', model) +
        '\t# relies\n';
      const { r, why } = explore(model, src);
      expect(r.verdict, why).toBe('pass');
    });

    it(`native_flush_hash_range over both pages, global and local (${name})`, () => {
      const range = (local: boolean) =>
        pages(local ? ' only=0' : '') +
        '\t.mem64 0x34000, P_rb\n\t.mem64 0x34008, Q_rb\n' +
        `\t.cpu 0\n\t.reg r20, P_hpte\n\t.reg r21, P_dw0\n\t.reg r22, Q_hpte\n\t.reg r23, Q_dw0\n\t.reg r10, ${LOCK}\n` +
        '\tmr r3, r20\n\tmr r4, r21\n' + text('flush_hash_range_hpte', model) +
        '\tmr r3, r22\n\tmr r4, r23\n' + text('flush_hash_range_hpte', model) +
        '\tlis r3, 0xc000\n\tsldi r3, r3, 32\n\tori r3, r3, 0x4000\n\toris r3, r3, 3\n\tli r4, 2\n' +
        text('flush_hash_range_tlb', model, local) +
        '\t# relies\n';
      for (const local of [false, true]) {
        const { r, why } = explore(model, range(local));
        expect(r.verdict, `${local ? 'local' : 'global'}: ${why}`).toBe('pass');
      }
    });
  }

  it('and the validator does fail them when the shim is wrong: tlbiel for a global flush', () => {
    const p8 = CPU_MODELS.power8;
    const src = pages('') + '\t.cpu 0\n\t.reg r3, P_hpte\n\t.reg r4, P_dw0\n\t.reg r5, P_rb\n' + text('native_hpte_invalidate', p8, true) + '\t# relies\n';
    const { r } = explore(p8, src);
    expect(r.exploration.counterexample?.violation.id).toBe('D1');
  });
});
