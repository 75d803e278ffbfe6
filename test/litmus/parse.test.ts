// The herd7 PPC litmus reader: realistic tests (diy-generated MP, SB with ~exists, labels and
// branches, four threads with locations and filter), the AST and its positions, herd's
// precedence of the condition operators, every error as one exact `file:line:col: reason`
// line, and robustness (random input and mutations only ever raise LitmusError, quickly).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Prop } from '../../src/litmus/ast.js';
import { InputError } from '../../src/errors.js';
import { LitmusError, parseLitmus } from '../../src/litmus/parse.js';

const MP = [
  'PPC MP+lwsync+addr',
  '"LwSyncdWW Rfe DpAddrdR Fre"',
  'Cycle=Rfe DpAddrdR Fre LwSyncdWW',
  'Relax=',
  'Safe=Rfe Fre LwSyncdWW DpAddrdR',
  'Generator=diy7 (version 7.56+01(dev))',
  'Prefetch=0:x=F,0:y=W,1:y=F,1:x=T',
  'Com=Rf Fr',
  'Orig=LwSyncdWW Rfe DpAddrdR Fre',
  'Hash=0b1d6a3ee6a4a7d1e9a6f0f41e0c9d1a',
  '{',
  '0:r2=x; 0:r4=y;',
  '1:r2=y; 1:r5=x;',
  '}',
  ' P0           | P1            ;',
  ' li r1,1      | lwz r1,0(r2)  ;',
  ' stw r1,0(r2) | xor r3,r1,r1  ;',
  ' lwsync       | lwzx r4,r3,r5 ;',
  ' li r3,1      |               ;',
  ' stw r3,0(r4) |               ;',
  'exists',
  '(1:r1=1 /\\ 1:r4=0)',
  '',
].join('\n');

const at = (line: number, col: number) => ({ line, col });
const reg = (thread: number, r: number) => ({ kind: 'reg', thread, reg: r }) as const;
const mem = (name: string) => ({ kind: 'mem', name }) as const;
const int = (v: bigint) => ({ kind: 'int', value: v }) as const;
const addr = (name: string) => ({ kind: 'addr', name }) as const;

/** The message of the LitmusError that parsing `text` raises. */
function err(text: string, file = 'T.litmus'): string {
  try {
    parseLitmus(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(LitmusError);
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected a LitmusError');
}

/** A proposition as an S-expression, to check the tree's shape. */
function sx(p: Prop): string {
  switch (p.kind) {
    case 'true':
    case 'false':
      return p.kind;
    case 'eq': {
      const l = p.loc.kind === 'reg' ? `${p.loc.thread}:r${p.loc.reg}` : p.loc.name;
      const v = p.value.kind === 'int' ? p.value.value.toString() : `&${p.value.name}`;
      return `${l}=${v}`;
    }
    case 'not':
      return `(not ${sx(p.p)})`;
    default:
      return `(${p.kind} ${sx(p.l)} ${sx(p.r)})`;
  }
}

/** A two-thread test around a condition. */
const withCond = (cond: string) => `PPC T\n{ }\n P0 | P1 ;\n nop | nop ;\n${cond}\n`;
const condOf = (cond: string) => sx(parseLitmus(withCond(`exists (${cond})`), 'T.litmus').condition.prop);

describe('parseLitmus: realistic tests', () => {
  it('reads a diy-generated MP: header, doc, info lines, init, threads, condition', () => {
    const t = parseLitmus(MP, 'MP.litmus');
    expect(t.file).toBe('MP.litmus');
    expect(t.arch).toBe('PPC');
    expect(t.name).toBe('MP+lwsync+addr');
    expect(t.doc).toBe('LwSyncdWW Rfe DpAddrdR Fre');
    expect(t.info).toEqual([
      ['Cycle', 'Rfe DpAddrdR Fre LwSyncdWW'],
      ['Relax', ''],
      ['Safe', 'Rfe Fre LwSyncdWW DpAddrdR'],
      ['Generator', 'diy7 (version 7.56+01(dev))'],
      ['Prefetch', '0:x=F,0:y=W,1:y=F,1:x=T'],
      ['Com', 'Rf Fr'],
      ['Orig', 'LwSyncdWW Rfe DpAddrdR Fre'],
      ['Hash', '0b1d6a3ee6a4a7d1e9a6f0f41e0c9d1a'],
    ]);
    expect(t.init).toEqual([
      { loc: reg(0, 2), value: addr('x'), type: null, pos: at(12, 1) },
      { loc: reg(0, 4), value: addr('y'), type: null, pos: at(12, 9) },
      { loc: reg(1, 2), value: addr('y'), type: null, pos: at(13, 1) },
      { loc: reg(1, 5), value: addr('x'), type: null, pos: at(13, 9) },
    ]);
    expect(t.threads).toEqual([
      {
        id: 0,
        lines: [
          { text: 'li r1,1', pos: at(16, 2) },
          { text: 'stw r1,0(r2)', pos: at(17, 2) },
          { text: 'lwsync', pos: at(18, 2) },
          { text: 'li r3,1', pos: at(19, 2) },
          { text: 'stw r3,0(r4)', pos: at(20, 2) },
        ],
      },
      {
        id: 1,
        lines: [
          { text: 'lwz r1,0(r2)', pos: at(16, 17) },
          { text: 'xor r3,r1,r1', pos: at(17, 17) },
          { text: 'lwzx r4,r3,r5', pos: at(18, 17) },
        ],
      },
    ]);
    expect(t.locations).toEqual([]);
    expect(t.filter).toBeNull();
    expect(t.condition).toEqual({
      quantifier: 'exists',
      pos: at(21, 1),
      prop: {
        kind: 'and',
        l: { kind: 'eq', loc: reg(1, 1), value: int(1n), pos: at(22, 2) },
        r: { kind: 'eq', loc: reg(1, 4), value: int(0n), pos: at(22, 12) },
      },
    });
  });

  it('reads SB with ~exists, comments anywhere (nested, multi-line, inside cells) and no doc', () => {
    const text = [
      '(* a comment (* nested *) before the header *)',
      'PPC SB (* after the name *)',
      '{ 0:r2=x; 0:r4=y; (* in the init',
      '   block *) 1:r2=y; 1:r4=x; }',
      ' P0           | P1           ;',
      ' li r1,1      | li r1,1      ; (* after a row *)',
      ' stw r1,0(r2) | stw r1,0(r2) ;',
      ' sync (* a fence *) | sync   ;',
      ' lwz r3,0(r4) | lwz r3,0(r4) ;',
      '~ exists (0:r3=0 (* here too *) /\\ 1:r3=0) (* and at the end *)',
    ].join('\n');
    const t = parseLitmus(text, 'SB.litmus');
    expect(t.name).toBe('SB');
    expect(t.doc).toBeNull();
    expect(t.info).toEqual([]);
    expect(t.init.map((e) => [e.loc, e.value])).toEqual([
      [reg(0, 2), addr('x')],
      [reg(0, 4), addr('y')],
      [reg(1, 2), addr('y')],
      [reg(1, 4), addr('x')],
    ]);
    expect(t.init[2]!.pos).toEqual(at(4, 13));
    expect(t.threads[0]!.lines.map((l) => l.text)).toEqual(['li r1,1', 'stw r1,0(r2)', 'sync', 'lwz r3,0(r4)']);
    expect(t.threads[1]!.lines[2]).toEqual({ text: 'sync', pos: at(8, 23) });
    expect(t.condition.quantifier).toBe('~exists');
    expect(t.condition.pos).toEqual(at(10, 1));
    expect(sx(t.condition.prop)).toBe('(and 0:r3=0 1:r3=0)');
  });

  it('keeps labels, branches and isync cells as written; empty cells are skipped', () => {
    const text = [
      'PPC MP+lwsync+ctrlisync',
      '"LwSyncdWW Rfe DpCtrlIsyncdR Fre"',
      '{',
      '0:r2=x; 0:r4=y;',
      '1:r2=y; 1:r4=x;',
      '}',
      ' P0           | P1           ;',
      ' li r1,1      | lwz r1,0(r2) ;',
      ' stw r1,0(r2) | cmpw r1,r1   ;',
      ' lwsync       | beq LC00     ;',
      ' li r3,1      | LC00:        ;',
      ' stw r3,0(r4) | isync        ;',
      '              | lwz r3,0(r4) ;',
      'exists (1:r1=1 /\\ 1:r3=0)',
    ].join('\n');
    const t = parseLitmus(text, 'MP+lwsync+ctrlisync.litmus');
    expect(t.threads[0]!.lines).toHaveLength(5);
    expect(t.threads[1]!.lines).toEqual([
      { text: 'lwz r1,0(r2)', pos: at(8, 17) },
      { text: 'cmpw r1,r1', pos: at(9, 17) },
      { text: 'beq LC00', pos: at(10, 17) },
      { text: 'LC00:', pos: at(11, 17) },
      { text: 'isync', pos: at(12, 17) },
      { text: 'lwz r3,0(r4)', pos: at(13, 17) },
    ]);
  });

  it('reads four threads, typed init entries, locations, filter and forall', () => {
    const text = [
      'PPC IRIW+syncs',
      '"SyncdRR Fre Rfe SyncdRR Fre Rfe"',
      '{',
      'int x=1; uint64_t y; int64_t z=-1; uint32_t w=0x10;',
      '0:r2=x; 1:r2=x; 1:r4=y; 2:r2=y; 3:r2=y; 3:r4=x; 0:r1=-1; 3:R9=0xffffffffffffffff;',
      'p=x; [q]=y;',
      '}',
      ' P0           | P1           | P2           | P3           ;',
      ' li r1,2      | lwz r1,0(r2) | li r1,2      | lwz r1,0(r2) ;',
      ' stw r1,0(r2) | sync         | stw r1,0(r2) | sync         ;',
      '              | L0: lwz r3,0(r4) |          | lwz r3,0(r4) ;',
      'locations [x; 1:r1; y 3:r3 uint64_t;]',
      'filter (1:r1=2 \\/ 3:r1=2)',
      'forall (1:r3=0 \\/ 3:r3=0 \\/ [x]=2)',
    ].join('\n');
    const t = parseLitmus(text, 'IRIW+syncs.litmus');
    expect(t.threads.map((th) => th.id)).toEqual([0, 1, 2, 3]);
    expect(t.init.map((e) => [e.loc, e.value])).toEqual([
      [mem('x'), int(1n)],
      [mem('y'), int(0n)],
      [mem('z'), int(-1n)],
      [mem('w'), int(16n)],
      [reg(0, 2), addr('x')],
      [reg(1, 2), addr('x')],
      [reg(1, 4), addr('y')],
      [reg(2, 2), addr('y')],
      [reg(3, 2), addr('y')],
      [reg(3, 4), addr('x')],
      [reg(0, 1), int(-1n)],
      [reg(3, 9), int(0xffffffffffffffffn)],
      [mem('p'), addr('x')],
      [mem('q'), addr('y')],
    ]);
    // The position of a typed entry is its location's.
    expect(t.init[0]!.pos).toEqual(at(4, 5));
    expect(t.init[1]!.pos).toEqual(at(4, 19));
    expect(t.threads[1]!.lines.map((l) => l.text)).toEqual(['lwz r1,0(r2)', 'sync', 'L0: lwz r3,0(r4)']);
    expect(t.threads[2]!.lines.map((l) => l.text)).toEqual(['li r1,2', 'stw r1,0(r2)']);
    expect(t.locations).toEqual([mem('x'), reg(1, 1), mem('y'), reg(3, 3)]);
    expect(sx(t.filter!)).toBe('(or 1:r1=2 3:r1=2)');
    expect(t.condition.quantifier).toBe('forall');
    expect(sx(t.condition.prop)).toBe('(or (or 1:r3=0 3:r3=0) x=2)');
  });

  it('accepts herd\'s variants: texname, doc on the header line, `;` endings, no condition, P1:r2, not exists', () => {
    const t = parseLitmus('PPC W+RR (wrr) "the doc";\n{ P1:r2=x }\nP0 | P1;\nnop | lwz r1,0(r2);\n', 'W.litmus');
    expect(t.name).toBe('W+RR');
    expect(t.doc).toBe('the doc');
    expect(t.init).toEqual([{ loc: reg(1, 2), value: addr('x'), type: null, pos: at(2, 3) }]);
    // herd: a test without a condition is `forall (true)`.
    expect(t.condition).toEqual({ quantifier: 'forall', prop: { kind: 'true' }, pos: at(5, 1) });
    // `not` is herd's `~` too, but right after the table only `~ exists` ends it (lib/splitter.mll).
    const u = parseLitmus(withCond('filter (0:r1=0) not exists (0:r1=0);'), 'T.litmus');
    expect(u.condition.quantifier).toBe('~exists');
    expect(err(withCond('not exists (0:r1=0)'))).toBe("T.litmus:5:5: expected '|' or ';' after a thread cell");
    const v = parseLitmus('\uFEFFPPC A\r\n{\r\n}\r\nP0;\r\nnop;\r\nexists (0:r1=0)\r\n', 'A.litmus');
    expect(v.threads[0]!.lines).toEqual([{ text: 'nop', pos: at(5, 1) }]);
    expect(v.condition.pos).toEqual(at(6, 1));
  });

  it('a location without `=` starts at 0; `[x]`, `&x` and register case are accepted', () => {
    const t = parseLitmus('PPC A\n{ x; [y]=2; int *p=&x; 0:R3=y }\nP0;\nnop;\nexists (0:r3=y)\n', 'A.litmus');
    expect(t.init.map((e) => [e.loc, e.value])).toEqual([
      [mem('x'), int(0n)],
      [mem('y'), int(2n)],
      [mem('p'), addr('x')],
      [reg(0, 3), addr('y')],
    ]);
    expect(t.init[1]!.pos).toEqual(at(2, 6));
    expect(sx(t.condition.prop)).toBe('0:r3=&y');
  });
});

describe('parseLitmus: condition operators (herd precedence: ~ > => > /\\ > \\/)', () => {
  it('groups /\\ tighter than \\/, both left associative, without surrounding parentheses', () => {
    expect(condOf('0:r1=1 /\\ 1:r1=0')).toBe('(and 0:r1=1 1:r1=0)');
    expect(sx(parseLitmus(withCond('exists 0:r1=1 /\\ 1:r1=0'), 'T').condition.prop)).toBe('(and 0:r1=1 1:r1=0)');
    expect(condOf('x=1 /\\ y=1 \\/ x=2')).toBe('(or (and x=1 y=1) x=2)');
    expect(condOf('x=1 \\/ y=1 /\\ x=2')).toBe('(or x=1 (and y=1 x=2))');
    expect(condOf('x=1 /\\ y=1 /\\ x=2')).toBe('(and (and x=1 y=1) x=2)');
    expect(condOf('x=1 \\/ y=1 \\/ x=2')).toBe('(or (or x=1 y=1) x=2)');
    expect(condOf('(x=1 \\/ y=1) /\\ x=2')).toBe('(and (or x=1 y=1) x=2)');
  });

  it('~ binds tightest; => binds tighter than /\\ and \\/ and is right associative', () => {
    expect(condOf('~x=1 /\\ y=1')).toBe('(and (not x=1) y=1)');
    expect(condOf('~(x=1 /\\ y=1)')).toBe('(not (and x=1 y=1))');
    expect(condOf('not x=1')).toBe('(not x=1)');
    expect(condOf('x=1 => y=1 => x=2')).toBe('(implies x=1 (implies y=1 x=2))');
    expect(condOf('x=1 /\\ y=1 => x=2')).toBe('(and x=1 (implies y=1 x=2))');
    expect(condOf('x=1 => y=1 \\/ x=2')).toBe('(or (implies x=1 y=1) x=2)');
    expect(condOf('~x=1 => y=1')).toBe('(implies (not x=1) y=1)');
    expect(condOf('(x=1 /\\ y=1) => x=2')).toBe('(implies (and x=1 y=1) x=2)');
  });

  it('reads true, false, ==, != and <>, [x], negative and hex values, addresses', () => {
    expect(condOf('true /\\ ~false')).toBe('(and true (not false))');
    expect(condOf('x == 1 \\/ y != 2 \\/ [x] <> 3')).toBe('(or (or x=1 (not y=2)) (not x=3))');
    expect(condOf('0:r1=-1 /\\ 1:r31=0x10 /\\ 0:r0=x')).toBe('(and (and 0:r1=-1 1:r31=16) 0:r0=&x)');
    const p = parseLitmus(withCond('exists ([x]=1)'), 'T').condition.prop;
    expect(p).toEqual({ kind: 'eq', loc: mem('x'), value: int(1n), pos: at(5, 9) });
  });
});

describe('parseLitmus: errors are one line `file:line:col: reason`', () => {
  const ok2 = (init: string, rows: string, cond: string) => `PPC T\n{ ${init} }\n P0 | P1 ;\n${rows}\n${cond}\n`;

  it('header, doc string and key=value lines', () => {
    expect(err('X86 SB\n{ }\n P0 ;\n')).toBe("T.litmus:1:1: unsupported architecture 'X86': only PPC litmus tests are supported");
    expect(err('')).toBe("T.litmus:1:1: expected the header line 'PPC <test name>', found end of file");
    expect(err('\n\n  {')).toBe("T.litmus:3:3: expected the header line 'PPC <test name>', found '{'");
    expect(err('PPC')).toBe("T.litmus:1:4: expected the test name after 'PPC', found end of file");
    expect(err('PPC "x"')).toBe("T.litmus:1:5: expected the test name after 'PPC', found '\"'");
    expect(err('PPC MP junk\n')).toBe("T.litmus:1:8: unexpected 'j' after the test name");
    // A doc string never closed is the rest of its line, as herd's splitter takes it.
    expect(parseLitmus('PPC MP\n  "never closed\n{}\nP0;\nnop;\nexists (0:r1=0)\n', 'T.litmus').doc).toBe('never closed');
    expect(err('PPC MP\nHash=1\n')).toBe("T.litmus:3:1: expected '{' starting the initial state, found end of file");
    expect(err('PPC MP\n!x\n{ }\n')).toBe("T.litmus:2:1: expected a key=value line or '{' starting the initial state, found '!'");
    expect(err('PPC MP\nCycle Rfe\n{ }\n')).toBe(
      "T.litmus:2:7: expected '=' after 'Cycle' in a key=value line (or '{' starting the initial state), found 'R'",
    );
    expect(err('PPC MP\nHash=1\n"late doc"\n{ }\n')).toBe('T.litmus:3:1: a doc string must come right after the header line');
    expect(err('PPC MP (texname\n')).toBe("T.litmus:1:8: unterminated '(' after the test name");
  });

  it('the initial state', () => {
    expect(err('PPC T\n{ x=1;\n')).toBe("T.litmus:3:1: end of file inside the initial state: missing '}' for the '{' at 2:1");
    expect(err(ok2('0:r32=1;', 'nop | nop ;', ''))).toBe('T.litmus:2:5: unknown PPC register \'r32\': registers are r0 to r31');
    expect(err(ok2('0:r03=1;', 'nop | nop ;', ''))).toBe('T.litmus:2:5: unknown PPC register \'r03\': registers are r0 to r31');
    expect(err(ok2('0:f1=1;', 'nop | nop ;', ''))).toBe('T.litmus:2:5: unknown PPC register \'f1\': registers are r0 to r31');
    expect(err(ok2('x=1; 2:r1=1;', 'nop | nop ;', ''))).toBe('T.litmus:2:8: thread 2 does not exist: the test has threads P0 to P1');
    expect(err(ok2('x=1; int x=2;', 'nop | nop ;', ''))).toBe('T.litmus:2:12: x is initialised twice (first at 2:3)');
    expect(err(ok2('0:r1=1; 0:r1=x;', 'nop | nop ;', ''))).toBe('T.litmus:2:11: 0:r1 is initialised twice (first at 2:3)');
    expect(err(ok2('x=;', 'nop | nop ;', ''))).toBe("T.litmus:2:5: expected a value after '=', found ';'");
    expect(err(ok2('0:r1=1 x=2;', 'nop | nop ;', ''))).toBe("T.litmus:2:10: expected ';' or '}' after the value, found 'x'");
    expect(err(ok2('x=12ab;', 'nop | nop ;', ''))).toBe("T.litmus:2:5: malformed number '12a'");
    expect(err(ok2('x=-0x10;', 'nop | nop ;', ''))).toBe("T.litmus:2:5: malformed number '-0x'");
    expect(err(ok2('x=0x10000000000000000;', 'nop | nop ;', ''))).toBe("T.litmus:2:5: integer '0x10000000000000000' does not fit in 64 bits");
    expect(err(ok2('x=-9223372036854775809;', 'nop | nop ;', ''))).toBe(
      "T.litmus:2:5: integer '-9223372036854775809' does not fit in 64 bits",
    );
    expect(err(ok2('exists=1;', 'nop | nop ;', ''))).toBe("T.litmus:2:3: 'exists' is a keyword, not a location name");
    expect(err(ok2('x=P1;', 'nop | nop ;', ''))).toBe("T.litmus:2:5: 'P1' names a thread, not a location (a register is written like 1:r3)");
    expect(err(ok2('int x[2];', 'nop | nop ;', ''))).toBe('T.litmus:2:9: arrays are not supported in PPC litmus tests');
    expect(err(ok2('=1;', 'nop | nop ;', ''))).toBe("T.litmus:2:3: expected a location before '='");
    expect(err(ok2('x % 1;', 'nop | nop ;', ''))).toBe("T.litmus:2:5: unexpected character '%'");
    expect(err(ok2('1 = 2;', 'nop | nop ;', ''))).toBe("T.litmus:2:3: expected a location (such as 0:r2 or x), found '1'");
    expect(err(ok2('-1:r1=2;', 'nop | nop ;', ''))).toBe("T.litmus:2:3: expected a thread number before ':', found '-1'");
    expect(err(ok2('( x=1;', 'nop | nop ;', ''))).toBe("T.litmus:2:3: unexpected '(' in an initial-state entry");
  });

  it('the thread table', () => {
    expect(err('PPC T\n{ }\n P0 | P2 ;\n')).toBe("T.litmus:3:7: expected 'P1' in the thread header (threads are P0, P1, ... in order), found 'P2'");
    expect(err('PPC T\n{ }\n P0 | ;\n')).toBe("T.litmus:3:7: expected 'P1' in the thread header (threads are P0, P1, ... in order), found an empty cell");
    expect(err('PPC T\n{ }\nexists (x=1)\n')).toBe("T.litmus:3:1: expected the thread header 'P0 | P1 ... ;' after the initial state, found 'exists'");
    expect(err('PPC T\n{ }\n')).toBe("T.litmus:3:1: expected the thread header 'P0 | P1 ... ;' after the initial state, found end of file");
    expect(err(ok2('', ' nop ;', ''))).toBe('T.litmus:4:6: this row has 1 cell(s) but the header names 2 thread(s)');
    expect(err(ok2('', ' nop | nop | nop ;', ''))).toBe('T.litmus:4:12: this row has more cells than the 2 thread(s) named in the header');
    expect(err(ok2('', ' li r1,1 | li r1,2', 'exists (0:r1=1)'))).toBe("T.litmus:5:1: expected '|' or ';' after a thread cell");
    expect(err(ok2('', ' nop | nop', ''))).toBe("T.litmus:6:1: expected '|' or ';' after a thread cell, found end of file");
    expect(err('PPC T\n{ }\n P0 ;\n nop (* never\n closed ;\n')).toBe("T.litmus:4:6: unterminated comment: missing '*)'");
  });

  it('locations, filter and the condition', () => {
    const rows = 'nop | nop ;';
    expect(err(ok2('', rows, 'exists (0:r1=1 /\\ )'))).toBe("T.litmus:5:19: expected a location (such as 1:r3 or x), found ')'");
    expect(err(ok2('', rows, 'exists (0:r1=1'))).toBe("T.litmus:6:1: expected ')' closing the '(' at 5:8, found end of file");
    expect(err(ok2('', rows, 'exists 0:r1'))).toBe("T.litmus:6:1: expected '=' after the location, found end of file");
    expect(err(ok2('', rows, 'exists (2:r1=0)'))).toBe('T.litmus:5:9: thread 2 does not exist: the test has threads P0 to P1');
    expect(err('PPC T\n{ }\nP0;\nnop;\nexists (0:r1=0 /\\ 1:r1=1)\n')).toBe('T.litmus:5:19: thread 1 does not exist: the test has only thread P0');
    expect(err(ok2('', rows, 'locations [x; 5:r1;]\nexists (x=1)'))).toBe('T.litmus:5:15: thread 5 does not exist: the test has threads P0 to P1');
    expect(err(ok2('', rows, 'filter (3:r1=0)\nexists (x=1)'))).toBe('T.litmus:5:9: thread 3 does not exist: the test has threads P0 to P1');
    expect(err(ok2('', rows, 'filter (x=1) bogus (x=1)'))).toBe("T.litmus:5:14: expected 'exists', '~exists' or 'forall', found 'bogus'");
    expect(err(ok2('', rows, 'exists (x=1) foo'))).toBe("T.litmus:5:14: unexpected 'foo' after the final condition");
    expect(err(ok2('', rows, 'exists (x=1);;'))).toBe("T.litmus:5:14: unexpected ';' after the final condition");
    expect(err(ok2('', rows, 'exists (x=0:r1)'))).toBe(
      "T.litmus:5:11: comparing two locations is not supported: the right side of '=' must be an integer or a location name (its address)",
    );
    expect(err(ok2('', rows, 'filter (x=1) ~ forall (x=1)'))).toBe("T.litmus:5:16: expected 'exists' after '~', found 'forall'");
    expect(err(ok2('', rows, '~ forall (x=1)'))).toBe("T.litmus:5:3: expected '|' or ';' after a thread cell");
    expect(err(ok2('', rows, 'locations [x; y'))).toBe("T.litmus:6:1: expected ']' closing 'locations [', found end of file");
    expect(err(ok2('', rows, 'locations [x; 3]'))).toBe("T.litmus:5:15: expected a location (such as 1:r3 or x), found '3'");
    expect(err(ok2('', rows, 'locations x'))).toBe("T.litmus:5:11: expected '[' after 'locations', found 'x'");
    expect(err(ok2('', rows, 'exists (x=1 % y=2)'))).toBe("T.litmus:5:13: unexpected character '%'");
    expect(err(ok2('', rows, 'exists (x=true)'))).toBe("T.litmus:5:11: 'true' is a keyword, not a location name");
    expect(err(ok2('', rows, 'exists (0:r1=1 /\\ 1:r40=0)'))).toBe("T.litmus:5:21: unknown PPC register 'r40': registers are r0 to r31");
    expect(err(ok2('', rows, 'exists (P0=1)'))).toBe("T.litmus:5:9: expected a location (such as 1:r3 or x), found 'P0'");
    expect(err(ok2('', rows, 'exists (1:=1)'))).toBe("T.litmus:5:11: expected a register after ':', found '='");
    expect(err(ok2('', rows, 'exists (1:'))).toBe("T.litmus:6:1: expected a register after ':', found end of file");
  });

  it('carries the file, position and reason as fields', () => {
    try {
      parseLitmus('PPC T\n{ 0:r1=1 x=2; }\n', 'a.litmus');
    } catch (e) {
      expect(e).toMatchObject({ name: 'LitmusError', file: 'a.litmus', line: 2, col: 10, reason: "expected ';' or '}' after the value, found 'x'" });
    }
    expect.assertions(1);
  });

  it('columns count characters (a tab is one), and the file name is kept as given', () => {
    expect(err('PPC T\n{\tx=1;\t0:r99=2 }\n', 'dir/My Test.litmus')).toBe(
      "dir/My Test.litmus:2:10: unknown PPC register 'r99': registers are r0 to r31",
    );
    expect(err('PPC T\n{ é=1 }\n')).toBe("T.litmus:2:3: unexpected character 'é'");
    expect(err('PPC T\n{ x=1; 😀 }\n')).toBe("T.litmus:2:8: unexpected character '😀'");
    expect(err('PPC T\n{ x=1; \u0001 }\n')).toBe("T.litmus:2:8: unexpected character '\\u0001'");
    // A name with a newline still gives a one-line message.
    expect(err('X86 A', 'a\nb')).toBe("a b:1:1: unsupported architecture 'X86': only PPC litmus tests are supported");
  });

  it('deep nesting and very long chains are refused, not a stack overflow', () => {
    const deep = (open: string) => withCond(`exists (${open.repeat(100_000)}x=1)`);
    expect(err(deep('('))).toMatch(/^T\.litmus:5:\d+: condition nested too deeply \(more than 200 levels\)$/);
    expect(err(deep('~'))).toMatch(/^T\.litmus:5:\d+: condition nested too deeply/);
    expect(err(withCond(`exists (${'x=1 => '.repeat(100_000)}x=1)`))).toMatch(/condition nested too deeply/);
    expect(err(withCond(`exists (${'x=1 /\\ '.repeat(100_000)}x=1)`))).toMatch(/condition too long \(more than 2000 '\/\\' in a row\)/);
    expect(err(`PPC T\n${'(*'.repeat(100_000)}`)).toBe("T.litmus:2:1: unterminated comment: missing '*)'");
    // Within the limits, nesting works.
    expect(condOf(`${'('.repeat(150)}x=1${')'.repeat(150)}`)).toBe('x=1');
    expect(parseLitmus(withCond(`exists (${'x=1 \\/ '.repeat(1500)}x=2)`), 'T').condition.prop.kind).toBe('or');
  });
});

describe('parseLitmus: robustness', () => {
  /** The character at a 1-based line and column (columns count code points). */
  const charAt = (text: string, p: { line: number; col: number }) => Array.from(text.split('\n')[p.line - 1] ?? '')[p.col - 1];

  /**
   * Parses; a success must have every cell's position on its first character, a failure must
   * be a well-formed LitmusError.
   */
  function probe(text: string): void {
    try {
      const t = parseLitmus(text, 'F.litmus');
      for (const line of t.threads.flatMap((th) => th.lines)) {
        if (charAt(text, line.pos) !== Array.from(line.text)[0]) throw new Error(`cell ${JSON.stringify(line.text)} is not at ${line.pos.line}:${line.pos.col}`);
      }
    } catch (e) {
      if (!(e instanceof LitmusError)) throw e;
      if (!/^F\.litmus:[1-9]\d*:[1-9]\d*: [^\r\n]+$/.test(e.message)) throw new Error(`malformed message: ${JSON.stringify(e.message)}`);
    }
  }

  it('random strings and random bytes only ever raise LitmusError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: fc.constantFrom(...'PC {}|;:()*~/\\=[]x0r1-\n "'), maxLength: 400 })), (s) => {
        probe(s);
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) => {
        probe(new TextDecoder('utf-8').decode(bytes));
        probe(`PPC X\n${new TextDecoder('latin1').decode(bytes)}`);
      }),
      { numRuns: 2000 },
    );
  });

  it('random mutations and truncations of a valid test only ever raise LitmusError', () => {
    const alphabet = [...'PC {}|;:()*~/\\=[]x0r1-\n "\t', '(*', '*)', '/\\', '\\/', '=>', 'exists', '~exists', 'locations', 'filter', 'P2', 'r32', '0x'];
    const edit = fc.tuple(fc.nat(), fc.nat(12), fc.constantFrom(...alphabet), fc.constantFrom('insert', 'delete', 'replace', 'duplicate'));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), fc.option(fc.nat()), (edits, cut) => {
        let s = MP;
        for (const [at0, len, piece, op] of edits) {
          const i = at0 % (s.length + 1);
          if (op === 'insert') s = s.slice(0, i) + piece + s.slice(i);
          else if (op === 'delete') s = s.slice(0, i) + s.slice(i + len);
          else if (op === 'replace') s = s.slice(0, i) + piece + s.slice(i + len);
          else s = s.slice(0, i) + s.slice(i, i + len).repeat(50) + s.slice(i);
        }
        if (cut !== null) s = s.slice(0, cut % (s.length + 1));
        probe(s);
      }),
      { numRuns: 5000 },
    );
    // Every prefix of the valid test too.
    for (let n = 0; n <= MP.length; n++) probe(MP.slice(0, n));
  });

  it('large inputs are read (no recursion on their size)', () => {
    const rows = ' li r1,1      | lwz r1,0(r2)  ;\n'.repeat(20_000);
    const big = MP.replace(' li r1,1      | lwz r1,0(r2)  ;\n', rows);
    expect(parseLitmus(big, 'big.litmus').threads[0]!.lines).toHaveLength(20_004);
    probe('PPC T\n{' + ' x=1;'.repeat(50_000) + '}');
    probe('PPC T\n{}\nP0;\n' + 'a'.repeat(500_000));
  });
});
