// herd7's log text for hand-built outcomes: the three kinds (Allowed/Forbidden/Required), Ok
// and No, Never/Sometimes/Always, herd's swap of Witnesses for ~exists, negative and address
// values, the Time and Hash lines; and the JSON record.

import { describe, expect, it } from 'vitest';
import type { LitmusLoc, LitmusTest, LitmusValue } from '../../src/litmus/ast.js';
import { formatJson, formatLog } from '../../src/litmus/log.js';
import type { LitmusOutcome } from '../../src/litmus/outcome.js';
import { parseLitmus } from '../../src/litmus/parse.js';

const reg = (thread: number, r: number): LitmusLoc => ({ kind: 'reg', thread, reg: r });
const mem = (name: string): LitmusLoc => ({ kind: 'mem', name });
const i = (v: bigint | number): LitmusValue => ({ kind: 'int', value: BigInt(v) });
const addr = (name: string): LitmusValue => ({ kind: 'addr', name });

const test = (name: string, cond: string, extra = '') =>
  parseLitmus(`PPC ${name}\n${extra}{ 0:r2=x; 1:r2=y; }\n P0 | P1 ;\n nop | nop ;\n${cond}\n`, `${name}.litmus`);

function outcome(t: LitmusTest, observables: LitmusLoc[], states: LitmusValue[][], positive: number, negative: number, seconds = 0.01): LitmusOutcome {
  return { test: t, model: 'power', observables, states: states.map((values) => ({ values })), positive, negative, candidates: 42, seconds };
}

const MP = test('MP', 'exists (1:r1=1 /\\ 1:r3=0)', 'Cycle=Rfe PodRR Fre PodWW\nHash=211d5b298572efe3ea4f7ee1d8c6d5c9\n');
const MP_STATES = [
  [i(0), i(0)],
  [i(0), i(1)],
  [i(1), i(0)],
  [i(1), i(1)],
];

describe('formatLog', () => {
  it('prints an Allowed test that is Sometimes observed, with its Hash line', () => {
    expect(formatLog(outcome(MP, [reg(1, 1), reg(1, 3)], MP_STATES, 1, 3))).toBe(
      [
        'Test MP Allowed',
        'States 4',
        '1:r1=0; 1:r3=0;',
        '1:r1=0; 1:r3=1;',
        '1:r1=1; 1:r3=0;',
        '1:r1=1; 1:r3=1;',
        'Ok',
        'Witnesses',
        'Positive: 1 Negative: 3',
        'Condition exists (1:r1=1 /\\ 1:r3=0)',
        'Observation MP Sometimes 1 3',
        'Time MP 0.01',
        'Hash=211d5b298572efe3ea4f7ee1d8c6d5c9',
        '',
        '',
      ].join('\n'),
    );
  });

  it('prints an Allowed test never observed as No / Never, without a Hash line when the test has none', () => {
    const t = test('MP+syncs', 'exists (1:r1=1 /\\ 1:r3=0)');
    const states = [MP_STATES[0]!, MP_STATES[1]!, MP_STATES[3]!];
    expect(formatLog(outcome(t, [reg(1, 1), reg(1, 3)], states, 0, 3, 0.004))).toBe(
      [
        'Test MP+syncs Allowed',
        'States 3',
        '1:r1=0; 1:r3=0;',
        '1:r1=0; 1:r3=1;',
        '1:r1=1; 1:r3=1;',
        'No',
        'Witnesses',
        'Positive: 0 Negative: 3',
        'Condition exists (1:r1=1 /\\ 1:r3=0)',
        'Observation MP+syncs Never 0 3',
        'Time MP+syncs 0.00',
        '',
        '',
      ].join('\n'),
    );
  });

  it('prints a Forbidden test that holds: Ok, Witnesses swapped (herd check_wit), Observation Never', () => {
    const t = test('SB+syncs', '~exists (0:r1=0 /\\ 1:r1=0)', 'Hash=abc\n');
    const states = [
      [i(0), i(1)],
      [i(1), i(0)],
      [i(1), i(1)],
    ];
    expect(formatLog(outcome(t, [reg(0, 1), reg(1, 1)], states, 0, 9, 1.5))).toBe(
      [
        'Test SB+syncs Forbidden',
        'States 3',
        '0:r1=0; 1:r1=1;',
        '0:r1=1; 1:r1=0;',
        '0:r1=1; 1:r1=1;',
        'Ok',
        'Witnesses',
        'Positive: 9 Negative: 0',
        'Condition ~exists (0:r1=0 /\\ 1:r1=0)',
        'Observation SB+syncs Never 0 9',
        'Time SB+syncs 1.50',
        'Hash=abc',
        '',
        '',
      ].join('\n'),
    );
  });

  it('prints a Forbidden test that fails: No, Witnesses swapped, Observation relative to the proposition', () => {
    // As herd7 printed for SB+atomic_add+fetch (PPC): "Positive: 9 Negative: 3" then "Sometimes 3 9".
    const t = test('SB', '~exists (0:r1=0 /\\ 1:r1=0)');
    const log = formatLog(outcome(t, [reg(0, 1), reg(1, 1)], [[i(0), i(0)]], 3, 9));
    expect(log.split('\n').slice(3, 8)).toEqual([
      'No',
      'Witnesses',
      'Positive: 9 Negative: 3',
      'Condition ~exists (0:r1=0 /\\ 1:r1=0)',
      'Observation SB Sometimes 3 9',
    ]);
  });

  it('prints Required tests: Always is Ok, otherwise No', () => {
    const t = test('R', 'forall (0:r1=1 \\/ 0:r1=2)');
    expect(formatLog(outcome(t, [reg(0, 1)], [[i(1)], [i(2)]], 5, 0, 3))).toBe(
      [
        'Test R Required',
        'States 2',
        '0:r1=1;',
        '0:r1=2;',
        'Ok',
        'Witnesses',
        'Positive: 5 Negative: 0',
        'Condition forall (0:r1=1 \\/ 0:r1=2)',
        'Observation R Always 5 0',
        'Time R 3.00',
        '',
        '',
      ].join('\n'),
    );
    const failed = formatLog(outcome(t, [reg(0, 1)], [[i(0)], [i(1)]], 4, 1));
    expect(failed).toContain('\nNo\nWitnesses\nPositive: 4 Negative: 1\n');
    expect(failed).toContain('\nObservation R Sometimes 4 1\n');
  });

  it('prints an exists test that always holds as Always', () => {
    const t = test('A', 'exists (x=0)');
    expect(formatLog(outcome(t, [mem('x')], [[i(0)]], 2, 0))).toContain('Ok\nWitnesses\nPositive: 2 Negative: 0\nCondition exists (x=0)\nObservation A Always 2 0\n');
  });

  it('prints state values as run.ts typed them (negative, or unsigned 64-bit), addresses by name, memory without brackets', () => {
    const t = test('V', 'exists (0:r1=-1 /\\ 1:r2=x /\\ [y]=2)');
    const log = formatLog(outcome(t, [reg(0, 1), reg(1, 2), mem('y')], [[i(-1), addr('x'), i(2)], [i(-2), addr('y'), i(0x8000000000000000n)]], 1, 1));
    expect(log.split('\n').slice(0, 4)).toEqual([
      'Test V Allowed',
      'States 2',
      '0:r1=-1; 1:r2=x; y=2;',
      '0:r1=-2; 1:r2=y; y=9223372036854775808;',
    ]);
    expect(log).toContain('\nCondition exists (0:r1=-1 /\\ 1:r2=x /\\ y=2)\n');
  });

  it('prints a test with no states (no allowed execution) as States 0 / Never', () => {
    const t = test('Z', 'exists (x=1)');
    expect(formatLog(outcome(t, [mem('x')], [], 0, 0))).toBe(
      ['Test Z Allowed', 'States 0', 'No', 'Witnesses', 'Positive: 0 Negative: 0', 'Condition exists (x=1)', 'Observation Z Never 0 0', 'Time Z 0.01', '', ''].join('\n'),
    );
  });

  it('rounds Time to two decimals and never prints a negative time', () => {
    const t = test('T', 'exists (x=1)');
    const time = (s: number) => formatLog(outcome(t, [mem('x')], [], 0, 0, s)).split('\n').find((l) => l.startsWith('Time'));
    expect(time(0.016)).toBe('Time T 0.02');
    expect(time(12.3)).toBe('Time T 12.30');
    expect(time(-0.5)).toBe('Time T 0.00');
    expect(time(Number.NaN)).toBe('Time T 0.00');
  });
});

describe('formatJson', () => {
  it('records the verdict, counts, states and condition', () => {
    expect(formatJson(outcome(MP, [reg(1, 1), reg(1, 3)], MP_STATES, 1, 3))).toEqual({
      test: 'MP',
      model: 'power',
      verdict: 'Allowed',
      ok: true,
      observation: 'Sometimes',
      positive: 1,
      negative: 3,
      states: [
        { '1:r1': '0', '1:r3': '0' },
        { '1:r1': '0', '1:r3': '1' },
        { '1:r1': '1', '1:r3': '0' },
        { '1:r1': '1', '1:r3': '1' },
      ],
      condition: 'exists (1:r1=1 /\\ 1:r3=0)',
      candidates: 42,
      seconds: 0.01,
    });
  });

  it('keeps positive/negative relative to the proposition for ~exists and forall', () => {
    const sb = formatJson(outcome(test('SB', '~exists (0:r1=0 /\\ 1:r1=0)'), [reg(0, 1), reg(1, 1)], [[i(-1), addr('x')]], 0, 9));
    expect(sb).toMatchObject({ verdict: 'Forbidden', ok: true, observation: 'Never', positive: 0, negative: 9, states: [{ '0:r1': '-1', '1:r1': 'x' }] });
    const r = formatJson(outcome(test('R', 'forall (x=1)'), [mem('x')], [[i(1)], [i(2)]], 1, 1));
    expect(r).toMatchObject({ verdict: 'Required', ok: false, observation: 'Sometimes', condition: 'forall (x=1)' });
  });
});
