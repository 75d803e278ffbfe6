// The assembler: a GNU as syntax subset for the instruction table, in two passes.
//
// Pass 1 walks the statements (after preprocessing and macro/.rept expansion), defines labels
// as section offsets, sizes every instruction (4 bytes) and data directive, and evaluates
// everything that decides sizes (.space, .org, .align, .rept). The sections are then placed
// (sections.ts) and pass 2 evaluates operands and data with final addresses and encodes.
// Programs are linked absolutely: there are no relocations, and @l/@ha... apply to addresses.

import { EncodeError, encode, lookupMnemonic, type Mnemonic } from '../encode.js';
import { gasRewrite, rejectReason } from './checks.js';
import { directive } from './directives.js';
import { AsmError, at, fail, type SrcLoc } from './errors.js';
import { ABS, absolute, evaluate, parseExpr, Pending, type EvalEnv, type Expr, type ParseOptions, type Value } from './expr.js';
import { tokenize, Tokens } from './lexer.js';
import { Expander, headOf } from './macro.js';
import { fieldValue, parseOperands, registerMisuse, type ParsedOperands } from './operands.js';
import { preprocess, type Stmt } from './preprocess.js';
import { DEFAULT_TEXT_ADDRESS, layout, Section, SectionTooLarge, type SectionKind } from './sections.js';

export interface AssembleOptions {
  /** Name used in error messages. */
  readonly fileName: string;
  readonly littleEndian?: boolean;
  /**
   * `elf` (default): .text at 0x10000000 as GNU ld places it, writable sections on the next
   * 64 KiB boundary. `bin`: a raw image for --bare loading, .text at 0 and the writable
   * sections straight after it.
   */
  readonly format?: 'elf' | 'bin';
  /** Overrides the .text address. */
  readonly textAddress?: bigint;
  /** Statements after expanding macros and .rept/.irp that the source may have (default 1,000,000). */
  readonly maxStatements?: number;
}

export interface AsmSection {
  readonly name: string;
  readonly address: bigint;
  readonly bytes: Uint8Array;
  /** `text`: code and read-only data (R+X segment); `data`: writable (R+W segment). */
  readonly kind: SectionKind;
  /** Executable (.text and "x" sections). */
  readonly code: boolean;
  readonly align: number;
}

export interface AsmSymbol {
  readonly name: string;
  readonly value: bigint;
  /** Section the symbol is an address in, or null for an absolute symbol (.set of a number). */
  readonly section: string | null;
  readonly global: boolean;
}

export interface AssembleResult {
  readonly sections: readonly AsmSection[];
  /** Every named symbol's final value (numeric local labels excluded). */
  readonly symbols: ReadonlyMap<string, bigint>;
  readonly symbolTable: readonly AsmSymbol[];
  /** `_start` if defined, else the start of .text. */
  readonly entry: bigint;
  /** From .abiversion; 2 by default. */
  readonly abiVersion: number;
  readonly littleEndian: boolean;
  readonly format: 'elf' | 'bin';
  /**
   * The same program placed for another format (and .text address): pass 2 runs again over
   * the new layout. toBinary uses it to turn an `elf` result into a raw image based at 0.
   */
  relink(format: 'elf' | 'bin', textAddress?: bigint): AssembleResult;
}

interface Sym {
  value: Value;
  readonly kind: 'label' | 'set';
  readonly loc: SrcLoc;
}

export interface DataExpr {
  readonly expr: Expr;
  readonly col: number;
}

type Item =
  | { readonly k: 'insn'; readonly sec: number; readonly off: number; readonly loc: SrcLoc; readonly mn: Mnemonic; readonly ops: ParsedOperands }
  | { readonly k: 'data'; readonly sec: number; readonly off: number; readonly loc: SrcLoc; readonly size: number; readonly exprs: readonly DataExpr[] }
  | { readonly k: 'set'; readonly sec: number; readonly off: number; readonly loc: SrcLoc; readonly name: string; readonly expr: Expr };

const LABEL_STMT = /^([A-Za-z_.$][A-Za-z0-9_.$]*|[0-9]+)\s*:$/;
const ASSIGN_STMT = /^([A-Za-z_.$][A-Za-z0-9_.$]*)\s*=(?!=)\s*/;
/** Separator in the symbol names given to numeric local label instances ("1" -> 1\u00023). */
const LOCAL_SEP = '\u0002';

/** Assembly state shared by the passes and the directive handlers. */
export class Assembly {
  readonly sections: Section[] = [];
  cur!: Section;
  private prev: Section | null = null;
  readonly sectionStack: Section[] = [];
  private readonly symbols = new Map<string, Sym>();
  readonly globals = new Set<string>();
  private readonly items: Item[] = [];
  private readonly pendingSets: Array<Extract<Item, { k: 'set' }>> = [];
  private readonly localCount = new Map<string, number>();
  private bases: bigint[] | null = null;
  abiVersion = 2;
  ended = false;

  constructor(readonly opts: AssembleOptions) {
    this.switchSection('.text', null, { file: opts.fileName, line: 1, col: 1 });
  }

  get littleEndian(): boolean {
    return this.opts.littleEndian ?? false;
  }

  // ---- Sections ----

  /** Enters section `name` (created on first use); `flags` is the .section flag string. */
  switchSection(name: string, flags: string | null, loc: SrcLoc): void {
    let s = this.sections.find((x) => x.name === name);
    if (!s) {
      const f = flags ?? defaultFlags(name);
      if (/[^awxMSGTode?0-9]/.test(f)) fail(loc, `bad section flags "${f}"`);
      const kind: SectionKind = f.includes('w') ? 'data' : 'text';
      s = new Section(name, kind, f.includes('x'), this.sections.length);
      this.sections.push(s);
    }
    if (this.cur !== s) this.prev = this.cur ?? null;
    this.cur = s;
  }

  previousSection(loc: SrcLoc): void {
    if (!this.prev) fail(loc, '.previous without a previous section');
    const p = this.prev;
    this.prev = this.cur;
    this.cur = p;
  }

  // ---- Expressions ----

  parseOptions(registers: boolean): ParseOptions {
    return {
      registers,
      local: (n, dir, col) => {
        const count = this.localCount.get(n) ?? 0;
        if (dir === 'b') {
          if (count === 0) throw new AsmError(at(this.stmtLoc, col), `undefined local label ${n}b`);
          return n + LOCAL_SEP + count;
        }
        return n + LOCAL_SEP + (count + 1);
      },
    };
  }

  /** Location of the statement being handled (for errors raised while parsing it). */
  stmtLoc: SrcLoc = { file: '', line: 0, col: 0 };

  tokens(text: string, loc: SrcLoc): Tokens {
    return new Tokens(tokenize(text, loc), loc);
  }

  /** Parses a comma-separated list of expressions (data directives). */
  parseList(text: string, loc: SrcLoc): DataExpr[] {
    const ts = this.tokens(text, loc);
    const out: DataExpr[] = [];
    if (ts.atEnd()) return out;
    for (;;) {
      const col = ts.peek().col;
      out.push({ expr: parseExpr(ts, this.parseOptions(false)), col });
      if (ts.atEnd()) return out;
      ts.expectOp(',');
    }
  }

  env(sec: number, off: number, loc: SrcLoc, final: boolean): EvalEnv {
    return {
      symbol: (name) => this.symbols.get(name)?.value,
      dot: () => ({ sec, off: BigInt(off) }),
      base: (s) => this.bases?.[s],
      final,
      loc,
    };
  }

  /** Evaluates in pass 1 at the current location; fails when the value is not known yet. */
  value1(e: Expr, col: number, loc: SrcLoc, what: string): Value {
    try {
      return evaluate(e, this.env(this.cur.index, this.cur.size, loc, false));
    } catch (err) {
      if (err instanceof Pending) fail(at(loc, err.col), `${what} must be known at this point (${err.what} is not)`);
      throw err;
    }
  }

  /** An absolute value in pass 1 (sizes, counts, alignments). */
  absolute1(e: Expr, col: number, loc: SrcLoc, what: string): bigint {
    const v = this.value1(e, col, loc, what);
    if (v.sec !== ABS) fail(at(loc, col), `${what} must be an absolute expression`);
    return v.off;
  }

  /** Parses and evaluates absolute text (for .rept/.if). */
  absoluteText(text: string, loc: SrcLoc, what: string): bigint {
    const ts = this.tokens(text, loc);
    const col = ts.peek().col;
    const e = parseExpr(ts, this.parseOptions(false));
    ts.expectEnd();
    return this.absolute1(e, col, loc, what);
  }

  isDefined(name: string): boolean {
    return this.symbols.has(name);
  }

  // ---- Pass 1 contents ----

  emitData(size: number, exprs: readonly DataExpr[], loc: SrcLoc): void {
    if (exprs.length === 0) return;
    const off = this.cur.fill(size * exprs.length);
    this.items.push({ k: 'data', sec: this.cur.index, off, loc, size, exprs });
  }

  /** Pads to a multiple of `align` bytes. */
  alignTo(align: number, fill: number | null, max: number | null, loc: SrcLoc): void {
    if (align < 1 || (align & (align - 1)) !== 0) fail(loc, `alignment ${align} is not a power of 2`);
    const s = this.cur;
    const pad = (align - (s.size % align)) % align;
    if (max !== null && pad > max) return;
    if (align > s.align) s.align = align;
    if (pad === 0) return;
    if (fill !== null || !s.code || s.size % 4 !== 0) {
      s.fill(pad, fill ?? 0);
      return;
    }
    // GNU as pads code with nops, and when more than four are needed it branches over them.
    const nop = this.insnBytes(0x60000000);
    let n = pad / 4;
    if (n > 4) {
      s.append(this.insnBytes((0x48000000 | pad) >>> 0)); // b .+pad
      n--;
    }
    for (let k = 0; k < n; k++) s.append(nop);
  }

  insnBytes(word: number): Uint8Array {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, word >>> 0, this.littleEndian);
    return b;
  }

  defineLabel(name: string, loc: SrcLoc): void {
    let sym = name;
    if (/^[0-9]+$/.test(name)) {
      const n = String(BigInt(name));
      const count = (this.localCount.get(n) ?? 0) + 1;
      this.localCount.set(n, count);
      sym = n + LOCAL_SEP + count;
    } else if (this.symbols.has(name)) fail(loc, `symbol '${name}' is already defined`);
    this.symbols.set(sym, { value: { sec: this.cur.index, off: BigInt(this.cur.size) }, kind: 'label', loc });
  }

  /** .set / .equ / = : (re)defines `name`; `equiv` refuses an existing symbol. */
  assign(name: string, text: string, loc: SrcLoc, exprLoc: SrcLoc, equiv = false): void {
    const old = this.symbols.get(name);
    if (old && (old.kind === 'label' || equiv)) fail(loc, `symbol '${name}' is already defined`);
    if (name === '.') {
      fail(loc, "assignment to '.' is not supported (use .org)");
    }
    const ts = this.tokens(text, exprLoc);
    const expr = parseExpr(ts, this.parseOptions(false));
    ts.expectEnd();
    const item = { k: 'set' as const, sec: this.cur.index, off: this.cur.size, loc, name, expr };
    this.items.push(item);
    try {
      const value = evaluate(expr, this.env(item.sec, item.off, loc, false));
      this.symbols.set(name, { value, kind: 'set', loc });
    } catch (err) {
      if (!(err instanceof Pending)) throw err;
      this.pendingSets.push(item);
    }
  }

  // ---- Statements ----

  statement(s: Stmt): void {
    this.stmtLoc = s.loc;
    const label = LABEL_STMT.exec(s.text);
    if (label) {
      this.defineLabel(label[1]!, s.loc);
      return;
    }
    const assign = ASSIGN_STMT.exec(s.text);
    if (assign) {
      this.assign(assign[1]!, s.text.slice(assign[0].length), s.loc, at(s.loc, s.loc.col + assign[0].length));
      return;
    }
    const { head, rest, restOffset } = headOf(s.text);
    if (!head) fail(s.loc, `syntax error: '${s.text}'`);
    if (head.startsWith('.')) {
      directive(this, head.toLowerCase(), rest, at(s.loc, s.loc.col + restOffset), s.loc);
      return;
    }
    this.instruction(s, head, rest, restOffset);
  }

  private instruction(s: Stmt, head: string, rest: string, restOffset: number): void {
    let name = head;
    let operandText = rest;
    let operandOffset = restOffset;
    // Branch prediction hint written right after the mnemonic (beq+, bdnz-).
    const hint = s.text[head.length];
    if ((hint === '+' || hint === '-') && /^[+-](\s|$)/.test(rest)) {
      name += hint;
      const after = rest.slice(1);
      const lead = /^\s*/.exec(after)![0].length;
      operandText = after.slice(lead);
      operandOffset = restOffset + 1 + lead;
    }
    const mn = lookupMnemonic(name);
    if (!mn) fail(s.loc, `unknown mnemonic '${name}'`);
    const ts = this.tokens(operandText, at(s.loc, s.loc.col + operandOffset));
    const ops = parseOperands(mn, ts, this.parseOptions(true), s.loc.col);
    if (this.cur.size % 4 !== 0) fail(s.loc, 'instruction address is not a multiple of 4');
    const off = this.cur.fill(4);
    this.items.push({ k: 'insn', sec: this.cur.index, off, loc: s.loc, mn, ops });
  }

  // ---- Between the passes ----

  /** Evaluates pending .set items until no more can be resolved. */
  private settle(): void {
    for (let progress = true; progress && this.pendingSets.length; ) {
      progress = false;
      for (let k = 0; k < this.pendingSets.length; k++) {
        const it = this.pendingSets[k]!;
        try {
          const value = evaluate(it.expr, this.env(it.sec, it.off, it.loc, false));
          this.symbols.set(it.name, { value, kind: 'set', loc: it.loc });
          this.pendingSets.splice(k--, 1);
          progress = true;
        } catch (err) {
          if (!(err instanceof Pending)) throw err;
        }
      }
    }
  }

  // ---- Pass 2 ----

  private pass2(): void {
    for (const it of this.items) {
      const env = this.env(it.sec, it.off, it.loc, true);
      switch (it.k) {
        case 'set':
          this.symbols.set(it.name, { value: evaluate(it.expr, env), kind: 'set', loc: it.loc });
          break;
        case 'data':
          this.writeData(it, env);
          break;
        case 'insn':
          this.sections[it.sec]!.patch(it.off, this.insnBytes(this.encodeInsn(it, env)));
          break;
      }
    }
  }

  private writeData(it: Extract<Item, { k: 'data' }>, env0: EvalEnv): void {
    const sec = this.sections[it.sec]!;
    it.exprs.forEach((d, k) => {
      const off = it.off + k * it.size;
      const env = this.env(it.sec, off, it.loc, true);
      const v = absolute(evaluate(d.expr, env), env0, d.col);
      const bits = BigInt(it.size * 8);
      if (it.size < 8 && (v < -(1n << (bits - 1n)) || v >= 1n << bits))
        fail(at(it.loc, d.col), `value ${v} does not fit in ${it.size} byte${it.size > 1 ? 's' : ''}`);
      const b = new Uint8Array(it.size);
      let u = BigInt.asUintN(it.size * 8, v);
      for (let i = 0; i < it.size; i++) {
        b[this.littleEndian ? i : it.size - 1 - i] = Number(u & 0xffn);
        u >>= 8n;
      }
      sec.patch(off, b);
    });
  }

  private encodeInsn(it: Extract<Item, { k: 'insn' }>, env: EvalEnv): number {
    const { mn, ops, loc } = it;
    const pc = this.bases![it.sec]! + BigInt(it.off);
    const values = mn.operands.map((o, i) => {
      const w = ops.byOperand[i];
      if (!w) return 'omitted' in o ? (o.omitted ?? 0) : 0;
      const v = evaluate(w.expr, env);
      const misuse = registerMisuse(o.def, v);
      if (misuse) fail(at(loc, w.col), misuse);
      let x = absolute(v, env, w.col);
      const rel = o.def.kind === 'rel';
      if (rel && !mn.flags.aa) x = BigInt.asIntN(64, x - pc);
      const n = fieldValue(o.def, x, v.half === true, !rel || mn.flags.aa);
      if (Number.isNaN(n)) {
        fail(at(loc, w.col), rel ? `branch target out of range (displacement ${x})` : `operand ${o.def.name} out of range: ${x}`);
      }
      return n;
    });
    let word: number;
    try {
      word = encode(mn, values);
    } catch (err) {
      if (err instanceof EncodeError) fail(at(loc, err.operandIndex >= 0 ? ops.cols[err.operandIndex]! : loc.col), err.message);
      throw err;
    }
    const r = gasRewrite(mn.def, word);
    const bad = rejectReason(r.def, r.word, this.littleEndian);
    if (bad) fail(loc, bad);
    return r.word;
  }

  // ---- Driver ----

  run(source: string): AssembleResult {
    const stmts = preprocess(source, this.opts.fileName);
    const exp = new Expander(stmts, {
      absolute: (text, loc) => this.absoluteText(text, loc, 'the expression'),
      defined: (name) => this.isDefined(name),
    }, this.opts.maxStatements);
    for (let s = exp.next(); s && !this.ended; s = exp.next()) {
      try {
        this.statement(s);
      } catch (e) {
        if (e instanceof SectionTooLarge) fail(s.loc, e.message);
        throw e;
      }
    }
    this.settle();
    return this.link(this.opts.format ?? 'elf', this.opts.textAddress);
  }

  /** Places the sections and runs pass 2 (again, for relink). */
  private link(format: 'elf' | 'bin', textAddr: bigint | undefined): AssembleResult {
    const textAddress = textAddr ?? (format === 'bin' ? 0n : DEFAULT_TEXT_ADDRESS);
    this.bases = layout(this.sections, { textAddress, packed: format === 'bin' });
    this.settle();
    this.pass2();
    return this.result(format);
  }

  private result(format: 'elf' | 'bin'): AssembleResult {
    const bases = this.bases!;
    const sections: AsmSection[] = this.sections.map((s) => ({
      name: s.name,
      address: bases[s.index]!,
      bytes: s.bytes(),
      kind: s.kind,
      code: s.code,
      align: s.align,
    }));
    const symbols = new Map<string, bigint>();
    const symbolTable: AsmSymbol[] = [];
    for (const [name, sym] of this.symbols) {
      if (name.includes(LOCAL_SEP)) continue;
      const v = sym.value;
      const value = v.sec === ABS ? v.off : BigInt.asIntN(64, bases[v.sec]! + v.off);
      symbols.set(name, value);
      symbolTable.push({ name, value, section: v.sec === ABS ? null : this.sections[v.sec]!.name, global: this.globals.has(name) });
    }
    const text = sections.find((s) => s.name === '.text')!;
    return {
      sections,
      symbols,
      symbolTable,
      entry: symbols.get('_start') ?? text.address,
      abiVersion: this.abiVersion,
      littleEndian: this.littleEndian,
      format,
      relink: (f, t) => this.link(f, t),
    };
  }
}

/** Section flags GNU as gives well-known section names. */
function defaultFlags(name: string): string {
  if (name === '.text' || name.startsWith('.text.') || name === '.init' || name === '.fini') return 'ax';
  if (name === '.rodata' || name.startsWith('.rodata.')) return 'a';
  return 'aw';
}

/** Assembles `source`; throws AsmError (`file:line:col: message`) on the first error. */
export function assemble(source: string, opts: AssembleOptions): AssembleResult {
  return new Assembly(opts).run(source);
}
