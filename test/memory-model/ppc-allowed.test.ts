// Oracle: the published verdicts of herd7's Power model and of POWER hardware for the tests of
// herdtools7's systematic campaign (catalogue/herding-cats/ppc/tests/ppc.allowed, the table
// that accompanies Alglave, Maranget, Tautschnig, "Herding Cats", TOPLAS 2014: for each test,
// whether its final condition is reachable in the model, "Ok" or "No", and whether it was seen
// on POWER machines). The table's test files are not in this repository; each test is rebuilt
// here from its name (test/helpers/diy-cycles.ts), and ppc-allowed.tsv holds the table's rows
// for every name that scheme covers (facts copied, with the name, nothing else).
//
// Checked: our Power model gives the model's verdict; no outcome seen on hardware is
// forbidden by us (the one defect a verifier cannot have); under SC every such cycle is
// forbidden (each test is a cycle of program order and communication).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLitmus, runLitmus } from '../../src/litmus/index.js';
import { isOk } from '../../src/litmus/log.js';
import { cycleTest } from '../helpers/diy-cycles.js';

interface Row {
  readonly name: string;
  readonly model: 'Ok' | 'No';
  readonly hardware: 'Ok' | 'No';
}

const ROWS: Row[] = readFileSync(join(__dirname, 'ppc-allowed.tsv'), 'utf8')
  .split('\n')
  .filter((l) => l !== '' && !l.startsWith('#'))
  .map((l) => {
    const [name, model, hardware] = l.split('\t');
    return { name: name!, model: model as Row['model'], hardware: hardware as Row['hardware'] };
  });

function verdict(name: string, model: 'power' | 'sc'): 'Ok' | 'No' {
  const t = cycleTest(name);
  if (t === null) throw new Error(`${name}: not a name the generator covers`);
  return isOk(runLitmus(parseLitmus(t.text, `${name}.litmus`), { model })) ? 'Ok' : 'No';
}

describe('the systematic campaign of Herding Cats (ppc.allowed), rebuilt from test names', () => {
  it('covers the families and edges of the table', () => {
    expect(ROWS.length).toBeGreaterThan(500);
    const families = new Set(ROWS.map((r) => r.name.split('+')[0]));
    for (const f of ['MP', 'SB', 'LB', 'WRC', 'RWC', 'IRIW', 'ISA2', 'R', 'S', '2', '3.2W', 'Z6.0']) expect(families, f).toContain(f);
  });
  for (const row of ROWS) {
    it(`${row.name}: model ${row.model}, hardware ${row.hardware}`, () => {
      const power = verdict(row.name, 'power');
      expect(power, 'Power model against herd7 ppc.cat').toBe(row.model);
      if (row.hardware === 'Ok') expect(power, 'seen on POWER hardware, so it must be allowed').toBe('Ok');
      expect(verdict(row.name, 'sc'), 'a cycle of po and com is not SC').toBe('No');
    });
  }
});

describe('the generator', () => {
  it('writes MP+lwsync+addr as the cycle PodWW Rfe DpAddrdR Fre', () => {
    expect(cycleTest('MP+lwsync+addr')!.text).toBe(
      [
        'PPC MP+lwsync+addr',
        '"generated from its name by diy7\'s naming scheme"',
        '{',
        '0:r20=x; 0:r21=y;',
        '1:r20=x; 1:r21=y;',
        '}',
        ' P0             | P1             ;',
        ' li r10,1       | lwz r1,0(r20)  ;',
        ' stw r10,0(r21) | xor r9,r1,r1   ;',
        ' lwsync         | lwzx r2,r9,r21 ;',
        ' li r11,1       |                ;',
        ' stw r11,0(r20) |                ;',
        'exists (1:r1=1 /\\ 1:r2=0)',
        '',
      ].join('\n'),
    );
  });
  it('gives a location written twice its co order in the condition, and an internal read its own write', () => {
    // 2+2W+lwsync+rfi-data: P1 writes x=2 (after P0's x=1), reads it back, and data-depends y on it.
    const t = cycleTest('2+2W+lwsync+rfi-data')!.text;
    expect(t).toContain('exists (1:r2=2 /\\ x=2 /\\ y=2)');
    expect(t).toContain('xor r9,r2,r2');
  });
  it('refuses names outside the scheme', () => {
    for (const n of ['CoRR', 'MP+lwsync', 'MP+data+addr', 'DETOUR0001', 'MP+pos+addr', 'WRC+lwsync+data']) expect(cycleTest(n), n).toBeNull();
  });
});
