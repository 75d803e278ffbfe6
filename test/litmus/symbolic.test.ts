// herd7's symbolic registers (litmus/symbolic.ts): `%name` in thread code and `%name=VALUE` in
// the init block. A message-passing test written with them must give exactly the final
// states and counts of the same test written with concrete registers; a register the code
// names is never picked; bad uses are one-line errors.
import { describe, expect, it } from 'vitest';
import { formatLog, parseLitmus, runLitmus } from '../../src/litmus/index.js';

const body = (log: string) => log.split('\n').filter((l) => !l.startsWith('Time ') && !l.startsWith('Test ') && !l.startsWith('Observation ')).join('\n');
const run = (text: string) => body(formatLog(runLitmus(parseLitmus(text, 't.litmus'), { model: 'power' })));

describe('symbolic registers', () => {
  it('MP+lwsync+addr with %x0/%y0/%y1/%x1 gives the concrete-register test\'s states and counts', () => {
    const symbolic = [
      'PPC MPs',
      '{ %x0=x; %y0=y; %y1=y; %x1=x; }',
      ' P0            | P1             ;',
      ' li r1,1       | lwz r1,0(%y1)  ;',
      ' stw r1,0(%x0) | xor r3,r1,r1   ;',
      ' lwsync        | lwzx r4,r3,%x1 ;',
      ' stw r1,0(%y0) |                ;',
      'exists (1:r1=1 /\\ 1:r4=0)',
    ].join('\n');
    const concrete = [
      'PPC MPc',
      '{ 0:r2=x; 0:r3=y; 1:r2=y; 1:r5=x; }',
      ' P0           | P1            ;',
      ' li r1,1      | lwz r1,0(r2)  ;',
      ' stw r1,0(r2) | xor r3,r1,r1  ;',
      ' lwsync       | lwzx r4,r3,r5 ;',
      ' stw r1,0(r3) |               ;',
      'exists (1:r1=1 /\\ 1:r4=0)',
    ].join('\n');
    const s = run(symbolic);
    expect(s).toBe(run(concrete));
    expect(s).toContain('\nNo\n'); // MP+lwsync+addr is forbidden (PLDI 2011 section 4)
  });

  it('picks a register the thread does not name, one per thread and name, never r0', () => {
    const t = parseLitmus('PPC S\n{ %a=x; }\n P0             | P1            ;\n lwz r31,0(%a) | lwz r30,0(%a) ;\n li r29,0       | nop           ;\nexists (0:r31=0)\n', 's.litmus');
    expect(t.init.map((e) => [e.loc, e.value])).toEqual([
      [{ kind: 'reg', thread: 0, reg: 30 }, { kind: 'addr', name: 'x' }],
      [{ kind: 'reg', thread: 1, reg: 31 }, { kind: 'addr', name: 'x' }],
    ]);
    expect(t.threads[0]!.lines[0]!.text).toBe('lwz r31,0(r30)');
    expect(t.threads[1]!.lines[0]!.text).toBe('lwz r30,0(r31)');
  });

  it('a symbolic register in the condition, or with no register left, is bad input', () => {
    expect(() => parseLitmus('PPC B\n{ %a=x; }\nP0;\nlwz r1,0(%a);\nexists (%a=0)\n', 'b.litmus')).toThrow(/^b\.litmus:5:9: symbolic register %a cannot be observed/);
    const all = Array.from({ length: 31 }, (_, k) => `li r${k + 1},0;`).join('\n');
    expect(() => parseLitmus(`PPC F\n{ %a=x; }\nP0;\n${all}\nlwz r1,0(%a);\nexists (0:r1=0)\n`, 'f.litmus')).toThrow(/^f\.litmus:35:1: no free register for %a in thread 0$/);
  });
});
