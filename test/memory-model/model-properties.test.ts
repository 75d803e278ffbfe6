// Properties of the memory model on random litmus programs (loads, stores, fences and
// dependencies on two or three threads):
//  - under `sc`, the final states are exactly those of every instruction interleaving run on
//    the emulator's CPUs over one shared memory (an independent reference: no thread runs,
//    no candidate executions, no axioms);
//  - every SC outcome is a Power outcome (Power only relaxes);
//  - with a sync between every two accesses of each thread, Power gives exactly the SC
//    outcomes (sync restores sequential consistency: TOPLAS 2014 section 6, and Book II
//    1.7.1's "sync ... cumulative" ordering);
//  - adding a fence never adds an outcome.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Cpu } from '../../src/cpu/cpu.js';
import { run } from '../../src/cpu/interp.js';
import { PAGE_MASK, PhysPage, type AddressSpace } from '../../src/cpu/memory.js';
import { parseLitmus, runLitmus } from '../../src/litmus/index.js';
import { buildProgram } from '../../src/litmus/program.js';
import { formatValue, locName } from '../../src/litmus/condition.js';
import { CODE_BASE, locationAddress } from '../../src/memory-model/thread-runs.js';
import { decode } from '../../src/isa/decode.js';

type Op =
  | { k: 'W'; loc: number; dep: 'none' | 'data' | 'addr' | 'ctrl' }
  | { k: 'R'; loc: number; dep: 'none' | 'addr' | 'ctrl' | 'ctrlisync' }
  | { k: 'F'; f: 'sync' | 'lwsync' | 'eieio' | 'isync' };

const LOCS = ['x', 'y', 'z'];

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ k: fc.constant('W' as const), loc: fc.nat(1), dep: fc.constantFrom('none' as const, 'data' as const, 'addr' as const, 'ctrl' as const) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('R' as const), loc: fc.nat(1), dep: fc.constantFrom('none' as const, 'addr' as const, 'ctrl' as const, 'ctrlisync' as const) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('F' as const), f: fc.constantFrom('sync' as const, 'lwsync' as const, 'eieio' as const, 'isync' as const) }) },
);
const progArb = fc.array(fc.array(opArb, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 });

/** The program as a litmus test; every load's register and every location observed. */
function litmus(threads: Op[][]): string {
  let value = 0;
  let label = 0;
  const cols: string[][] = [];
  const observed: string[] = [];
  threads.forEach((ops, t) => {
    const code: string[] = [];
    let lastLoad: number | null = null;
    let dst = 1;
    // The dependency idioms of herd's tests, on the last loaded register (none before a load).
    const dep = (d: string, then: string[]): string[] => {
      if (lastLoad === null || d === 'none') return then;
      if (d === 'data' || d === 'addr') return [`xor r9,r${lastLoad},r${lastLoad}`, ...then];
      const l = `L${t}${label++}`;
      return [`cmpw r${lastLoad},r${lastLoad}`, `beq ${l}`, `${l}:`, ...(d === 'ctrlisync' ? ['isync'] : []), ...then];
    };
    for (const op of ops) {
      if (op.k === 'F') code.push(op.f);
      else if (op.k === 'W') {
        const v = ++value;
        const base = `r${20 + op.loc}`;
        if (op.dep === 'data' && lastLoad !== null) code.push(...dep('data', [`addi r9,r9,${v}`, `stw r9,0(${base})`]));
        else if (op.dep === 'addr' && lastLoad !== null) code.push(...dep('addr', [`li r8,${v}`, `stwx r8,r9,${base}`]));
        else code.push(...dep(op.dep, [`li r8,${v}`, `stw r8,0(${base})`]));
      } else {
        const r = dst++;
        const base = `r${20 + op.loc}`;
        if (op.dep === 'addr' && lastLoad !== null) code.push(...dep('addr', [`lwzx r${r},r9,${base}`]));
        else code.push(...dep(op.dep, [`lwz r${r},0(${base})`]));
        lastLoad = r;
        observed.push(`${t}:r${r}`);
      }
    }
    cols.push(code);
  });
  const rows = Math.max(...cols.map((c) => c.length));
  const init = threads.map((_, t) => LOCS.map((l, k) => `${t}:r${20 + k}=${l};`).join(' ')).join(' ');
  const lines = [`PPC random`, `{ ${init} }`, cols.map((_, t) => `P${t}`).join(' | ') + ' ;'];
  for (let i = 0; i < rows; i++) lines.push(cols.map((c) => c[i] ?? '').join(' | ') + ' ;');
  lines.push(`locations [${[...observed, ...LOCS].join('; ')};]`, 'forall (true)');
  return lines.join('\n') + '\n';
}

function states(text: string, model: 'power' | 'sc'): Set<string> {
  const o = runLitmus(parseLitmus(text, 'random.litmus'), { model });
  return new Set(o.states.map((s) => s.values.map((v, k) => `${locName(o.observables[k]!)}=${formatValue(v)}`).join(' ')));
}

/** Every interleaving of the threads' instructions on CPUs sharing one memory. */
function interleavings(text: string): Set<string> {
  const t = parseLitmus(text, 'random.litmus');
  const p = buildProgram(t);
  const data = new PhysPage();
  const dataBase = locationAddress(0) & ~BigInt(PAGE_MASK);
  const cpus = p.threads.map((th) => {
    const code = new PhysPage();
    th.words.forEach((w, k) => code.dv.setUint32(k * 4, w, false));
    const space: AddressSpace = {
      lookup: (hi, lo, access) => {
        const a = (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
        return a === CODE_BASE ? code : a === dataBase ? data : { kind: 'unmapped', access, hi, lo };
      },
    };
    const cpu = new Cpu(th.thread, space, (c) => (c.stop = 'unhandled-interrupt'));
    cpu.pc = CODE_BASE;
    th.regs.forEach((v, r) => cpu.setGpr(r, v));
    const end = CODE_BASE + BigInt(th.words.length * 4);
    // Register-only instructions and fences run as soon as the thread is scheduled: under SC
    // only the order of storage accesses matters, so interleaving just those is exhaustive.
    const local = () => {
      while (cpu.pc !== end && decode(th.words[Number((cpu.pc - CODE_BASE) >> 2n)]!)?.facility !== 'loadstore') run(cpu, 1);
    };
    local();
    return { cpu, end, local };
  });
  p.init.forEach((v, l) => data.dv.setUint32(Number(locationAddress(l) - dataBase), Number(v), false));
  const obs = [...t.locations];
  const out = new Set<string>();
  const go = () => {
    let any = false;
    for (const c of cpus) {
      if (c.cpu.pc === c.end) continue;
      any = true;
      const snaps = cpus.map((x) => x.cpu.snapshot());
      const mem = data.bytes.slice();
      run(c.cpu, 1);
      c.local();
      expect(c.cpu.stop).toBeNull();
      go();
      cpus.forEach((x, k) => x.cpu.restore(snaps[k]!));
      data.bytes.set(mem);
    }
    if (!any) {
      out.add(
        obs
          .map((l) => {
            const v = l.kind === 'reg' ? cpus[l.thread]!.cpu.getGpr(l.reg) : BigInt(data.dv.getUint32(Number(locationAddress(p.names.indexOf(l.name)) - dataBase), false));
            return `${locName(l)}=${BigInt.asIntN(64, v)}`;
          })
          .join(' '),
      );
    }
  };
  go();
  return out;
}

const sorted = (s: Set<string>) => [...s].sort();
const subset = (a: Set<string>, b: Set<string>) => [...a].every((x) => b.has(x));

function withSyncs(threads: Op[][]): Op[][] {
  return threads.map((ops) => {
    const out: Op[] = [];
    for (const op of ops.filter((o) => o.k !== 'F')) {
      if (out.length > 0) out.push({ k: 'F', f: 'sync' });
      out.push(op);
    }
    return out;
  });
}

describe('memory model properties on random programs', () => {
  it('sc gives exactly the final states of every interleaving on shared memory', () => {
    fc.assert(
      fc.property(progArb, (threads) => {
        const text = litmus(threads);
        expect(sorted(states(text, 'sc')), text).toEqual(sorted(interleavings(text)));
      }),
      { numRuns: 150 },
    );
  });

  it('every SC outcome is a Power outcome; syncs everywhere give exactly SC', () => {
    fc.assert(
      fc.property(progArb, (threads) => {
        const text = litmus(threads);
        expect(subset(states(text, 'sc'), states(text, 'power')), text).toBe(true);
        const fenced = litmus(withSyncs(threads));
        expect(sorted(states(fenced, 'power')), fenced).toEqual(sorted(states(fenced, 'sc')));
      }),
      { numRuns: 150 },
    );
  });

  it('adding a fence never adds a Power outcome', () => {
    fc.assert(
      fc.property(progArb, fc.nat(), fc.nat(), fc.constantFrom('sync' as const, 'lwsync' as const, 'eieio' as const, 'isync' as const), (threads, ti, at, f) => {
        const t = ti % threads.length;
        const more = threads.map((ops, k) => (k === t ? [...ops.slice(0, at % (ops.length + 1)), { k: 'F' as const, f }, ...ops.slice(at % (ops.length + 1))] : ops));
        expect(subset(states(litmus(more), 'power'), states(litmus(threads), 'power')), litmus(more)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});
