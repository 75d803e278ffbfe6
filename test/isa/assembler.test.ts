// Assembler features, with hand-computed expected words (Power ISA v3.0B encodings).

import { describe, expect, it } from 'vitest';
import { assemble, AsmError, toBinary, type AssembleOptions, type AssembleResult } from '../../src/isa/asm/index.js';

function asm(source: string, opts: Partial<AssembleOptions> = {}): AssembleResult {
  return assemble(source, { fileName: 't.s', ...opts });
}

function section(r: AssembleResult, name: string) {
  const s = r.sections.find((x) => x.name === name);
  if (!s) throw new Error(`no section ${name}`);
  return s;
}

/** The .text words (big-endian unless `le`). */
function words(source: string, opts: Partial<AssembleOptions> = {}): number[] {
  const r = asm(source, opts);
  const b = section(r, '.text').bytes;
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const out: number[] = [];
  for (let i = 0; i + 4 <= b.length; i += 4) out.push(dv.getUint32(i, opts.littleEndian ?? false));
  return out;
}

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function error(source: string, opts: Partial<AssembleOptions> = {}): AsmError {
  try {
    asm(source, opts);
  } catch (e) {
    if (e instanceof AsmError) return e;
    throw e;
  }
  throw new Error('expected an AsmError');
}

describe('instructions', () => {
  it('encodes D-form arithmetic', () => {
    // addi: primary 14, RT=3, RA=4, SI=-1.
    expect(words('addi 3,4,-1')).toEqual([0x3864ffff]);
    expect(words('li 3,0x1234')).toEqual([0x38601234]);
    expect(words('lis 4,-1')).toEqual([0x3c80ffff]);
  });

  it('accepts registers as %rN, rN and N, and sp/rtoc', () => {
    expect(words('addi %r3,%r4,-1\naddi r3,r4,-1\naddi 3,4,-1')).toEqual([0x3864ffff, 0x3864ffff, 0x3864ffff]);
    expect(words('mr sp, rtoc')).toEqual([0x7c411378]);
  });

  it('encodes flag variants: o . l a', () => {
    expect(words('add 3,4,5\nadd. 3,4,5\naddo 3,4,5\naddo. 3,4,5')).toEqual([0x7c642a14, 0x7c642a15, 0x7c642e14, 0x7c642e15]);
    expect(words('bl .+8\nba 0x100\nbla 0x100')).toEqual([0x48000009, 0x48000102, 0x48000103]);
  });

  it('encodes d(RA) and (RA) operands', () => {
    expect(words('ld 3,8(4)\nstd 3,-8(1)\nlwz 3,(4)\nstdu 1,-32(1)')).toEqual([0xe8640008, 0xf861fff8, 0x80640000, 0xf821ffe1]);
  });

  it('encodes CR fields and CR bit expressions', () => {
    // bc 12,4*cr1+eq = BO 12, BI 6.
    expect(words('beq cr1,.+8\nbc 12,4*cr1+eq,.+8\ncmpw cr7,3,4\ncmpwi 3,5')).toEqual([0x41860008, 0x41860008, 0x7f832000, 0x2c030005]);
    // crxor: primary 19, XO 193; BT = 4*1+3 = 7, BA = 0, BB = 3 (un = so).
    expect(words('crxor 4*cr1+so,lt,un\ncrset eq')).toEqual([0x4ce01982, 0x4c421242]);
  });

  it('encodes simplified mnemonics and branch hints', () => {
    expect(words('nop\nblr\nmflr 0\nmtctr 3\nbctr\nslwi 3,4,2\nsrdi 3,4,1')).toEqual([
      0x60000000, 0x4e800020, 0x7c0802a6, 0x7c6903a6, 0x4e800420, 0x5483103a, 0x7883f842,
    ]);
    expect(words('beq+ .+8\nbne- cr2,.+8\nbdnz+ .\nbc+ 16,0,.+8')).toEqual([0x41e20008, 0x40ca0008, 0x43200000, 0x43200008]);
  });

  it('assembles mtcrf with a one-bit mask as mtocrf, like GNU as', () => {
    expect(words('mtcrf 0x80,3\nmtcrf 0x81,3\nmtcr 3')).toEqual([0x7c780120, 0x7c681120, 0x7c6ff120]);
  });

  it('computes branch displacements from the instruction address', () => {
    expect(words('start: nop\nb start\nbdnz start\n1: b 1b\nb 1f\n1: nop')).toEqual([
      0x60000000, 0x4bfffffc, 0x4200fff8, 0x48000000, 0x48000004, 0x60000000,
    ]);
  });

  it('accepts 32-bit hand-sign-extended constants in signed fields, as GNU as does', () => {
    expect(words('addi 3,3,0xffffffff\nba 0xfffffffc\nlis 3,0xffff')).toEqual([0x3863ffff, 0x4bfffffe, 0x3c60ffff]);
  });

  it('rejects invalid forms that GNU as rejects', () => {
    expect(error('lbzu 3,0(3)').reason).toBe('invalid register operand when updating');
    expect(error('bc 1,0,.+8').reason).toBe('invalid conditional option');
    expect(error('bcctr 16,0').reason).toBe('invalid counter access');
    expect(error('lmw 3,0(5)').reason).toBe('index register in load range');
    expect(error('mtocrf 0x81,3').reason).toBe('invalid mask field');
    expect(error('sync 3').reason).toBe('illegal L operand value');
    expect(error('lmw 3,0(0)', { littleEndian: true }).reason).toBe("'lmw' is invalid when little-endian");
  });

  it('writes little-endian words', () => {
    const r = asm('addi 3,4,-1', { littleEndian: true });
    expect(hex(section(r, '.text').bytes)).toBe('ffff6438');
  });
});

describe('character constants', () => {
  it("reads 'c and 'c' (GNU as), also as the last thing on the line", () => {
    expect(words("\tli r3,'0'\n\tli r4,'A\n\tli r5,'\\n'")).toEqual([0x38600030, 0x38800041, 0x38a0000a]);
    expect(words("\tli r3,'0' # comment\n\tli r4,';'; li r5,1")).toEqual([0x38600030, 0x3880003b, 0x38a00001]);
  });
});

describe('expressions', () => {
  it('uses GNU as precedence and 64-bit arithmetic', () => {
    // | & ^ bind tighter than + -; >> is logical; comparisons give -1 for true.
    const r = asm('.long 1+2|4, 2&3+1, 2*3<<1, 8>>1*2, -1>>60, 1 < 2, 7%3, ~0, (1+2)*3, \'A, 0b101, 017, 0x10');
    expect(hex(section(r, '.text').bytes)).toBe(
      ['00000007', '00000003', '0000000c', '00000008', '0000000f', 'ffffffff', '00000001', 'ffffffff', '00000009', '00000041', '00000005', '0000000f', '00000010'].join(''),
    );
  });

  it('applies @l @h @ha @higher @highera @highest @highesta to constants', () => {
    const v = '0x123456789abcdef0';
    expect(
      words(`li 3,${v}@l\nli 3,${v}@h\nli 3,${v}@ha\nli 3,${v}@higher\nli 3,${v}@highera\nli 3,${v}@highest\nli 3,${v}@highesta`),
    ).toEqual([0x3860def0, 0x38609abc, 0x38609abd, 0x38605678, 0x38605678, 0x38601234, 0x38601234]);
    // Carry into @ha/@highera/@highesta; a @l value in a signed field is sign-extended.
    expect(words('lis 3,0x12348000@ha\naddi 3,3,0x12348000@l\nori 3,3,0x8000@l\nli 3,0x1234ffff8000@highera\nli 3,0x1234ffffffff8000@highesta')).toEqual([
      0x3c601235, 0x38638000, 0x60638000, 0x38601235, 0x38601235,
    ]);
    // GNU as adds an addend written after the operator before applying it.
    expect(words('x = 0x12348000\nli 3,x@l+4\nlis 3,x@h+1')).toEqual([0x38608004, 0x3c601234]);
  });

  it('applies the operators to symbols (absolute link)', () => {
    const r = asm('.text\nlis 3,msg@ha\naddi 3,3,msg@l\n.data\nmsg: .asciz "x"');
    expect(r.symbols.get('msg')).toBe(0x10010000n);
    expect(words('.text\nlis 3,msg@ha\naddi 3,3,msg@l\nld 4,msg@l(3)\n.data\n.p2align 3\nmsg: .quad 0')).toEqual([0x3c601001, 0x38630000, 0xe8830000]);
  });

  it('knows . and section-relative differences', () => {
    const r = asm('a: nop\nnop\nb: .long b - a, . - a\n.long .');
    expect(hex(section(r, '.text').bytes).slice(16)).toBe('000000080000000c10000010');
  });

  it('supports .set/.equ/= with forward references and redefinition in order', () => {
    const r = asm('.set a, 1\n.long a\n.set a, 2\n.long a, b, c\nb = a + 1\n.equ c, 0x10');
    expect(hex(section(r, '.text').bytes)).toBe('00000001000000020000000300000010');
    expect(r.symbols.get('c')).toBe(16n);
  });
});

describe('directives', () => {
  it('emits data in both byte orders', () => {
    const src = '.byte 1,-1,255\n.short -1\n.hword 2\n.word 3\n.long 0x12345678\n.quad -2\n.8byte 5';
    expect(hex(section(asm(src), '.text').bytes)).toBe('01ffff' + 'ffff' + '0002' + '0003' + '12345678' + 'fffffffffffffffe' + '0000000000000005');
    expect(hex(section(asm(src, { littleEndian: true }), '.text').bytes)).toBe(
      '01ffff' + 'ffff' + '0200' + '0300' + '78563412' + 'feffffffffffffff' + '0500000000000000',
    );
  });

  it('emits strings with C escapes', () => {
    const r = asm('.ascii "a\\tb\\x41\\101\\"", "z"\n.asciz "hi"\n.string "x"');
    expect(hex(section(r, '.text').bytes)).toBe('61096241412' + '2' + '7a' + '686900' + '7800');
  });

  it('aligns with .align (2^n on PowerPC), .p2align and .balign, padding code with nops', () => {
    // .align 3 after one instruction: one nop.
    expect(words('blr\n.align 3\nblr')).toEqual([0x4e800020, 0x60000000, 0x4e800020]);
    // More than four nops: GNU as branches over them.
    expect(words('blr\n.p2align 5\nblr')).toEqual([0x4e800020, 0x4800001c, 0x60000000, 0x60000000, 0x60000000, 0x60000000, 0x60000000, 0x60000000, 0x4e800020]);
    // Explicit fill, data sections, and .balign in bytes.
    expect(hex(section(asm('.data\n.byte 1\n.balign 4,0xcc\n.byte 2\n.p2align 2'), '.data').bytes)).toBe('01cccccc02000000');
  });

  it('supports .space/.skip/.zero and .org (relative to the section start)', () => {
    const r = asm('.space 3,0xaa\n.skip 1\n.zero 2\n.org 8\n.long 1\n.org . + 4, 0x11', { format: 'bin' });
    expect(hex(section(r, '.text').bytes)).toBe('aaaaaa00' + '00000000' + '00000001' + '11111111');
    expect(error('.space 8\n.org 4').message).toBe('t.s:2:6: .org moves the location backwards (from 8 to 4)');
  });

  it('supports sections and places them like GNU ld', () => {
    const r = asm('.text\nnop\n.data\nd: .long 1\n.section .rodata\nro: .byte 7\n.section .mydata,"aw"\nm: .byte 1\n.text\n_start: nop');
    expect(section(r, '.text').address).toBe(0x10000000n);
    expect(section(r, '.rodata').address).toBe(0x10000008n);
    expect(section(r, '.data').address).toBe(0x10010000n);
    expect(section(r, '.mydata').address).toBe(0x10010004n);
    expect(r.entry).toBe(0x10000004n);
    expect(r.symbols.get('ro')).toBe(0x10000008n);
  });

  it('uses address 0 and packs data for raw binaries; toBinary keeps .org', () => {
    const r = asm('.org 0x100\n_start: b .\n.data\n.long 5', { format: 'bin' });
    expect(r.entry).toBe(0x100n);
    expect(section(r, '.data').address).toBe(0x104n);
    const img = toBinary(r);
    expect(img.length).toBe(0x108);
    expect(hex(img.subarray(0x100))).toBe('4800000000000005');
  });

  it('toBinary places an ELF-format result at 0', () => {
    const r = asm('_start: lis 3,d@ha\naddi 3,3,d@l\nb _start\n.data\nd: .long 1');
    expect(r.entry).toBe(0x10000000n);
    expect(hex(toBinary(r))).toBe('3c600000' + '3863000c' + '4bfffff8' + '00000001');
  });

  it('defaults the entry to the start of .text and the ABI version to 2', () => {
    const r = asm('nop');
    expect(r.entry).toBe(0x10000000n);
    expect(r.abiVersion).toBe(2);
    expect(asm('.abiversion 1\nnop').abiVersion).toBe(1);
  });

  it('accepts and ignores .type/.size/.machine/.file/.cfi_*', () => {
    expect(words('.machine power9\n.globl f\n.type f,@function\nf: blr\n.size f,.-f\n.file "x.c"\n.cfi_startproc')).toEqual([0x4e800020]);
  });

  it('records globals in the symbol table', () => {
    const r = asm('.globl _start\n_start: nop\nlocal: nop');
    expect(r.symbolTable.find((s) => s.name === '_start')?.global).toBe(true);
    expect(r.symbolTable.find((s) => s.name === 'local')?.global).toBe(false);
  });
});

describe('macros and repetition', () => {
  it('expands .rept/.endr and .irp', () => {
    expect(words('.rept 3\nnop\n.endr\n.irp r, 1, 2\nli \\r, 0\n.endr')).toEqual([0x60000000, 0x60000000, 0x60000000, 0x38200000, 0x38400000]);
  });

  it('expands .macro with arguments, defaults, \\@ and nesting', () => {
    const src = [
      '.macro pair a, b=5',
      '  li \\a, \\b',
      '.endm',
      '.macro twice x',
      '  pair \\x',
      '  pair \\x, 6',
      '.endm',
      'twice 3',
      '.macro lbl',
      'l\\@: b l\\@',
      '.endm',
      'lbl',
      'lbl',
    ].join('\n');
    expect(words(src)).toEqual([0x38600005, 0x38600006, 0x48000000, 0x48000000]);
  });

  it('supports .if/.ifdef/.else/.endif', () => {
    expect(words('x = 1\n.if x\nnop\n.else\nblr\n.endif\n.ifdef y\nblr\n.endif\n.ifndef y\ntrap\n.endif')).toEqual([0x60000000, 0x7fe00008]);
  });
});

describe('source text', () => {
  it('strips # and /* */ comments and splits statements at ;', () => {
    const src = 'nop # comment ; not a statement\n/* a\n block */ blr ; nop\n.ascii "#;"  # string keeps # and ;';
    const r = asm(src);
    expect(hex(section(r, '.text').bytes)).toBe('60000000' + '4e800020' + '60000000' + '233b');
  });

  it('applies #define (object- and function-like) and #ifdef', () => {
    const src = '#define FOO 42\n#define ADD(a,b) addi a,a,b\nli 3, FOO\nADD(4, FOO)\n#ifdef FOO\nnop\n#else\ntrap\n#endif\n#ifndef FOO\ntrap\n#endif';
    expect(words(src, { fileName: 't.S' })).toEqual([0x3860002a, 0x3884002a, 0x60000000]);
    expect(words('#define N 3\nli N, N', { fileName: 't.s' })).toEqual([0x38600003]);
  });

  it('accepts labels on their own line and before statements, and numeric locals', () => {
    expect(words('a:\nb: nop\n1: 2: b 1b\nb 2b\nb 1f\n1:nop')).toEqual([0x60000000, 0x48000000, 0x4bfffffc, 0x48000004, 0x60000000]);
  });
});

describe('errors', () => {
  it('reports file:line:col and the reason', () => {
    const e = error('nop\n  foo 3,4', { fileName: 'prog.s' });
    expect(e).toBeInstanceOf(AsmError);
    expect(e.message).toBe("prog.s:2:3: unknown mnemonic 'foo'");
    expect([e.file, e.line, e.col]).toEqual(['prog.s', 2, 3]);
  });

  it('reports a wrong operand count', () => {
    expect(error('  addi 3,4').message).toBe('t.s:1:3: addi takes 3 operands, found 2');
    expect(error('  addi 3,4,5,6').message).toBe('t.s:1:14: addi takes 3 operands, found 4');
    expect(error('  cmpw 3').message).toBe('t.s:1:3: cmpw takes 2 to 3 operands, found 1');
  });

  it('points at the operand that is out of range', () => {
    expect(error('  addi 3,4,0x8000').message).toBe('t.s:1:12: operand SI out of range: 32768');
    expect(error('addi 3,32,1').message).toBe('t.s:1:8: operand RA0 out of range: 32');
    expect(error('ld 3,6(4)').message).toBe('t.s:1:6: operand DS out of range: 6');
    expect(error('slwi 3,4,40').message).toBe('t.s:1:10: operand n out of range: 40');
    expect(error('b .+0x2000000').message).toBe('t.s:1:3: branch target out of range (displacement 33554432)');
    expect(error('b .+2').message).toBe('t.s:1:3: branch target is not a multiple of 4 (displacement 2)');
  });

  it('reports undefined symbols and local labels at their column', () => {
    expect(error('li 3, 4 + nowhere').message).toBe("t.s:1:11: undefined symbol 'nowhere'");
    expect(error('b 1f\n').message).toBe('t.s:1:3: undefined local label 1f');
    expect(error('b 1b\n').message).toBe('t.s:1:3: undefined local label 1b');
  });

  it('reports bad directives and syntax', () => {
    expect(error('\n  .foo 1').message).toBe('t.s:2:3: unknown directive .foo');
    expect(error('a: nop\na: nop').message).toBe("t.s:2:1: symbol 'a' is already defined");
    expect(error('li 3, (1').message).toBe("t.s:1:9: expected ')'");
    expect(error('li 3, 1 2').message).toBe("t.s:1:9: junk after operand: 'num'");
    expect(error('.long "x"').message).toBe("t.s:1:7: unexpected 'string' in expression");
    expect(error('.rept 2\nnop').message).toBe('t.s:1:1: missing .endr for .rept');
    expect(error('.byte 256').message).toBe('t.s:1:7: value 256 does not fit in 1 byte');
    expect(error('li 3, r4').message).toBe('t.s:1:7: general-purpose register not allowed here');
    expect(error('.byte 1\nnop').message).toBe('t.s:2:1: instruction address is not a multiple of 4');
  });

  it('bounds expansion, section size and expression complexity with a located error', () => {
    // Each of these ran for a minute or more, used gigabytes or overflowed the stack before.
    expect(error('.rept 1000000\n.rept 1000000\nnop\n.endr\n.endr').message).toMatch(/^t\.s:3:1: more than 1000000 statements after expanding macros and \.rept\/\.irp/);
    expect(error('.macro m a\nm \\a\\a\n.endm\nm x').message).toMatch(/^t\.s:2:1: a statement grows beyond 65536 characters when its macro arguments are substituted$/);
    expect(error('.rept 100000\n.space 1000\n.endr').message).toBe('t.s:2:1: section .text grows beyond 67108864 bytes');
    expect(error(`.long ${'('.repeat(1800)}1${')'.repeat(1800)}`).message).toMatch(/^t\.s:1:\d+: expression nested more than 200 deep$/);
    expect(error(`.long ${'-'.repeat(10000)}1`).message).toMatch(/^t\.s:1:\d+: more than 200 unary operators in a row$/);
    expect(error(`.long ${'1+'.repeat(5000)}1`).message).toMatch(/^t\.s:1:\d+: expression has more than 2000 operands$/);
    // Within the bounds everything still works, and a .rept body is not copied n times.
    expect(words(`.rept 2\n.rept 3\nnop\n.endr\n.endr\nli 3, ${'-'.repeat(4)}(1+(2))`)).toEqual([...Array(6).fill(0x60000000), 0x38600003]);
    expect(words('.rept 0\nnop\n.endr\nnop')).toEqual([0x60000000]);
  });

  it('reports errors inside macro expansions at the body line', () => {
    expect(error('.macro m\n  li 3, 0x8000\n.endm\nm').message).toBe('t.s:2:9: operand SI out of range: 32768');
  });
});
