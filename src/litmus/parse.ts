// herd7 PPC litmus front end: the text of a litmus file to a LitmusTest (ast.ts), unchanged
// herd7 syntax. Every problem is a LitmusError `file:line:col: reason` (1-based, the offending
// token's position); nothing else is thrown for any input. Nesting is bounded (MAX_NESTING) so
// hostile input cannot overflow the stack.
//
// Facts taken from herdtools7's sources (read on GitHub, herd/herdtools7):
//  - lib/splitter.mll: header `ARCH NAME` (test names use letters, digits, _ / . - + [ ]), an
//    optional `(texname)`, an optional "doc" (same or next line), `key=value` info lines before
//    `{`; the program section ends at the first `exists`, `~ exists`, `forall`, `final`,
//    `locations`, `filter` or `observed`; comments `(* *)` are skipped everywhere.
//  - lib/lexUtils.mll: comments nest.
//  - lib/stateLexer.mll: numbers are `-?[0-9]+` or `0x[0-9a-f]+`; `P<n>` is a thread; `~` and
//    `not` are the same token; `=`, `==` (equal) and `!=`, `<>` (not equal) in atoms.
//  - lib/stateParser.mly: init entries `[type] loc [= value]` separated by `;` (no `=` means 0);
//    `locations [a; b;]`, then `filter prop`, then the condition (none at all means
//    `forall true`), optionally followed by `;`. Precedence (%left OR, %left AND, %right
//    IMPLIES, %nonassoc NOT: later lines bind tighter): `~` > `=>` > `/\` > `\/`, so
//    `a /\ b => c` is `a /\ (b => c)`; `/\`, `\/` are left associative, `=>` right associative.
//  - lib/genParser.ml, lib/genParserUtils.ml: every row has one cell per thread ("mismatch in
//    instruction lines"), threads are P0, P1, ... in order, and init, locations and condition
//    may only name existing threads ("Bad process P%i").
//  - lib/PPCBase.ml: PPC registers r0-r31 (parse_reg lowercases, so R3 is r3 too).

import { InputError } from '../errors.js';
import { isSymbolic, resolveSymbolic } from './symbolic.js';
import { typeOfWords, type ValueType } from './types.js';
import type {
  Condition,
  InitEntry,
  LitmusLoc,
  LitmusTest,
  LitmusThread,
  LitmusValue,
  Pos,
  Prop,
  Quantifier,
  ThreadLine,
} from './ast.js';

/** A malformed litmus file; the message is `file:line:col: reason` on one line. */
export class LitmusError extends InputError {
  override name = 'LitmusError';
  readonly file: string;
  readonly line: number;
  readonly col: number;
  /** The message without the location prefix. */
  readonly reason: string;

  constructor(file: string, pos: Pos, reason: string) {
    const oneLine = (s: string): string => s.replace(/[\r\n]+/g, ' ');
    super(`${oneLine(file)}:${pos.line}:${pos.col}: ${oneLine(reason)}`);
    this.file = file;
    this.line = pos.line;
    this.col = pos.col;
    this.reason = reason;
  }
}

/** Deepest nesting of `(`, `~` and `=>` in a proposition (herd never needs more than a few). */
const MAX_NESTING = 200;
/** Longest chain of `/\` or `\/` (left-nested nodes): far beyond any generated condition. */
const MAX_CHAIN = 2000;

/** Words that end the thread table (lib/splitter.mll, inside_prog). */
const TABLE_END = ['exists', 'forall', 'final', 'locations', 'filter', 'observed'];
/** Keywords of herd's state lexer that can never name a memory location. */
const KEYWORDS = new Set([
  'not', 'true', 'false', 'exists', 'forall', 'final', 'observed', 'and', 'with', 'locations', 'filter', 'fault', 'nop', 'NOP',
]);

const isDigit = (c: string): boolean => c >= '0' && c <= '9';
const isHex = (c: string): boolean => isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
const isAlpha = (c: string): boolean => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
const isIdentStart = (c: string): boolean => isAlpha(c) || c === '_';
const isIdent = (c: string): boolean => isIdentStart(c) || isDigit(c);
const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';
const isTestNameChar = (c: string): boolean => isIdent(c) || '/.-+[]'.includes(c);
const isKeyChar = (c: string): boolean => isIdent(c) || '/.-'.includes(c);
const isProcName = (s: string): boolean => /^P[0-9]+$/.test(s);
/** C type words allowed after a `locations` item (`x int;`) and skipped. */
const isTypeWord = (s: string): boolean =>
  /^(int|char|short|long|unsigned|signed|_Atomic|float|double|bool|void)$/.test(s) || /_t$/.test(s);

/** Quote user text for a message: escaped, clipped, on one line. */
function quote(s: string): string {
  const clipped = s.length > 30 ? s.slice(0, 30) + '...' : s;
  return `'${JSON.stringify(clipped).slice(1, -1).replace(/\\"/g, '"')}'`;
}

function trimBlank(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && (isBlank(s[a]!) || s[a] === '\n')) a++;
  while (b > a && (isBlank(s[b - 1]!) || s[b - 1] === '\n')) b--;
  return s.slice(a, b);
}

interface Tok {
  readonly kind: 'num' | 'name' | 'punct' | 'eof';
  readonly text: string;
  readonly pos: Pos;
}

const desc = (t: Tok): string => (t.kind === 'eof' ? 'end of file' : quote(t.text));
const is = (t: Tok, text: string): boolean => t.kind !== 'eof' && t.kind !== 'num' && t.text === text;

interface Cell {
  readonly text: string;
  readonly pos: Pos;
}

/** A location with where it was written (for the thread checks after parsing). */
interface PLoc {
  readonly loc: LitmusLoc;
  readonly pos: Pos;
}

class Parser {
  private i = 0;
  private line = 1;
  private col = 1;
  /** AST depth of and/or chain nodes, to bound chains (MAX_CHAIN). */
  private readonly chain = new WeakMap<Prop, number>();

  constructor(
    private readonly s: string,
    private readonly file: string,
  ) {}

  fail(pos: Pos, reason: string): never {
    throw new LitmusError(this.file, pos, reason);
  }

  // ---- characters ----

  private ch(k = 0): string {
    return this.s[this.i + k] ?? '';
  }
  private get eof(): boolean {
    return this.i >= this.s.length;
  }
  private pos(): Pos {
    return { line: this.line, col: this.col };
  }
  private advance(): void {
    const c = this.s.charCodeAt(this.i++);
    if (c === 10) {
      this.line++;
      this.col = 1;
    } else if (!(c >= 0xdc00 && c <= 0xdfff && this.i >= 2 && isHighSurrogate(this.s.charCodeAt(this.i - 2)))) {
      this.col++; // the second half of a surrogate pair shares its character's column
    }
  }
  private at(word: string): boolean {
    return this.s.startsWith(word, this.i);
  }
  private showChar(): string {
    if (this.eof) return 'end of file';
    const cp = this.s.codePointAt(this.i)!;
    return quote(String.fromCodePoint(cp));
  }

  /** Skips a (possibly nested) `(* ... *)` comment starting here. */
  private skipComment(): void {
    const start = this.pos();
    let depth = 0;
    do {
      if (this.eof) this.fail(start, 'unterminated comment: missing \'*)\'');
      if (this.at('(*')) {
        depth++;
        this.advance();
        this.advance();
      } else if (this.at('*)')) {
        depth--;
        this.advance();
        this.advance();
      } else this.advance();
    } while (depth > 0);
  }

  /** Skips blanks and comments, and newlines too when `lines`. */
  private skipSpace(lines: boolean): void {
    for (;;) {
      const c = this.ch();
      if (isBlank(c) || (lines && c === '\n')) this.advance();
      else if (this.at('(*')) this.skipComment();
      else return;
    }
  }

  private readWhile(ok: (c: string) => boolean): string {
    const start = this.i;
    while (!this.eof && ok(this.ch())) this.advance();
    return this.s.slice(start, this.i);
  }

  // ---- header, doc string, key=value lines ----

  parse(): LitmusTest {
    const { arch, name, doc: headerDoc } = this.parseHeader();
    const { doc, info } = this.parsePrelude(headerDoc);
    const parsedInit = this.parseInit();
    const table = this.parseTable();
    const fin = this.parseFinal();
    const finalAtoms = [...fin.locations, ...(fin.filter ? atomsOf(fin.filter) : []), ...atomsOf(fin.condition.prop)];
    for (const l of finalAtoms) if (isSymbolic(l.loc)) this.fail(l.pos, `symbolic register ${(l.loc as { name: string }).name} cannot be observed: name a location or a thread's register`);
    const taken = table.map((_, t) =>
      [...parsedInit, ...finalAtoms].flatMap((e) => (e.loc.kind === 'reg' && e.loc.thread === t ? [e.loc.reg] : [])),
    );
    const { init, rows } = resolveSymbolic(parsedInit, table, taken, (pos, reason) => this.fail(pos, reason));

    // Threads named anywhere must exist (herd: "Bad process P%i").
    const n = rows.length;
    const check = (l: PLoc): void => {
      if (l.loc.kind === 'reg' && l.loc.thread >= n) {
        const has = n === 1 ? 'only thread P0' : `threads P0 to P${n - 1}`;
        this.fail(l.pos, `thread ${l.loc.thread} does not exist: the test has ${has}`);
      }
    };
    init.forEach((e) => check(e));
    fin.locations.forEach(check);
    if (fin.filter) atomsOf(fin.filter).forEach(check);
    atomsOf(fin.condition.prop).forEach(check);

    const threads: LitmusThread[] = rows.map((lines, id) => ({ id, lines }));
    return {
      file: this.file,
      arch,
      name,
      doc,
      info,
      init,
      threads,
      locations: fin.locations.map((l) => l.loc),
      filter: fin.filter,
      condition: fin.condition,
    };
  }

  /** `PPC NAME [(texname)] ["doc"] [;]` on the first line. */
  private parseHeader(): { arch: string; name: string; doc: string | null } {
    if (this.ch() === '\uFEFF') this.i++; // a byte-order mark is not part of the text
    this.skipSpace(true);
    const archPos = this.pos();
    const arch = this.readWhile(isIdent);
    if (arch === '') this.fail(archPos, `expected the header line 'PPC <test name>', found ${this.showChar()}`);
    if (arch !== 'PPC') this.fail(archPos, `unsupported architecture ${quote(arch)}: only PPC litmus tests are supported`);
    if (this.ch() !== ' ' && this.ch() !== '\t') this.fail(this.pos(), `expected the test name after 'PPC', found ${this.showChar()}`);
    this.skipSpace(false);
    const namePos = this.pos();
    const name = this.readWhile(isTestNameChar);
    if (name === '') this.fail(namePos, `expected the test name after 'PPC', found ${this.showChar()}`);
    this.skipSpace(false);
    if (this.ch() === '(') this.skipTexName();
    const doc = this.ch() === '"' ? this.readDoc() : null;
    this.skipSpace(false);
    if (this.ch() === ';') this.advance();
    this.expectEndOfLine('after the test name');
    return { arch, name, doc };
  }

  /** The doc string (if not on the header line) and the key=value lines, up to `{`. */
  private parsePrelude(headerDoc: string | null): { doc: string | null; info: Array<readonly [string, string]> } {
    let doc = headerDoc;
    const info: Array<readonly [string, string]> = [];
    for (;;) {
      this.skipSpace(true);
      const c = this.ch();
      if (c === '{') return { doc, info };
      if (this.eof) this.fail(this.pos(), "expected '{' starting the initial state, found end of file");
      if (c === '"') {
        if (doc !== null || info.length > 0) this.fail(this.pos(), 'a doc string must come right after the header line');
        doc = this.readDoc();
        this.expectEndOfLine('after the doc string');
      } else if (isAlpha(c)) {
        info.push(this.readInfo());
      } else {
        this.fail(this.pos(), `expected a key=value line or '{' starting the initial state, found ${this.showChar()}`);
      }
    }
  }

  /** herd's optional `(texname)` after the test name: accepted and ignored. */
  private skipTexName(): void {
    const open = this.pos();
    this.advance();
    while (this.ch() !== ')') {
      if (this.eof || this.ch() === '\n') this.fail(open, "unterminated '(' after the test name");
      this.advance();
    }
    this.advance();
    this.skipSpace(false);
  }

  /**
   * A `"..."` doc string, which may span lines. One with no closing quote anywhere after it is
   * the rest of its line: herd's splitter (lib/splitter.mll) skips such a line, and
   * herdtools7's own catalogue has a test written so (herding-cats/ppc illustrative co8).
   */
  private readDoc(): string {
    this.advance();
    const start = this.i;
    const close = this.s.indexOf('"', start);
    const end = close >= 0 ? close : this.s.indexOf('\n', start) < 0 ? this.s.length : this.s.indexOf('\n', start);
    while (this.i < end) this.advance();
    const doc = this.s.slice(start, end);
    if (close >= 0) this.advance();
    return doc;
  }

  private expectEndOfLine(where: string): void {
    this.skipSpace(false);
    if (!this.eof && this.ch() !== '\n') this.fail(this.pos(), `unexpected ${this.showChar()} ${where}`);
  }

  /** `key = value`: the value is the rest of the line, trimmed (lib/splitter.mll find_init). */
  private readInfo(): readonly [string, string] {
    const key = this.readWhile(isKeyChar);
    while (isBlank(this.ch())) this.advance();
    if (this.ch() !== '=') {
      this.fail(this.pos(), `expected '=' after ${quote(key)} in a key=value line (or '{' starting the initial state), found ${this.showChar()}`);
    }
    this.advance();
    const value = this.readWhile((c) => c !== '\n');
    return [key, trimBlank(value)] as const;
  }

  // ---- tokens (herd's state lexer, for the init block and the final section) ----

  private lex(): Tok {
    this.skipSpace(true);
    const pos = this.pos();
    if (this.eof) return { kind: 'eof', text: '', pos };
    const c = this.ch();
    const start = this.i;
    if (isDigit(c) || (c === '-' && isDigit(this.ch(1)))) {
      if (c === '0' && (this.ch(1) === 'x' || this.ch(1) === 'X') && isHex(this.ch(2))) {
        this.advance();
        this.advance();
        this.readWhile(isHex);
      } else {
        if (c === '-') this.advance();
        this.readWhile(isDigit);
      }
      if (isIdent(this.ch())) {
        this.fail(pos, `malformed number ${quote(this.s.slice(start, this.i) + this.ch())}`);
      }
      return { kind: 'num', text: this.s.slice(start, this.i), pos };
    }
    if (isIdentStart(c)) return { kind: 'name', text: this.readWhile(isIdent), pos };
    if (c === '%' && isIdentStart(this.ch(1))) {
      this.advance();
      return { kind: 'name', text: '%' + this.readWhile(isIdent), pos }; // a symbolic register (symbolic.ts)
    }
    for (const p of ['/\\', '\\/', '=>', '==', '!=', '<>']) {
      if (this.at(p)) {
        this.advance();
        this.advance();
        return { kind: 'punct', text: p, pos };
      }
    }
    if (',&;:+[](){}=~*|'.includes(c)) {
      this.advance();
      return { kind: 'punct', text: c, pos };
    }
    return this.fail(pos, `unexpected character ${this.showChar()}`);
  }

  // ---- init block ----

  private parseInit(): InitEntry[] {
    const open = this.pos();
    this.advance(); // '{'
    const entries: InitEntry[] = [];
    const seen = new Map<string, Pos>();
    let group: Tok[] = [];
    for (;;) {
      const t = this.lex();
      if (t.kind === 'eof') this.fail(t.pos, `end of file inside the initial state: missing '}' for the '{' at ${open.line}:${open.col}`);
      if (is(t, ';') || is(t, '}')) {
        if (group.length > 0) {
          const e = this.initEntry(group, t);
          const key = locKey(e.loc);
          const first = seen.get(key);
          if (first) this.fail(e.pos, `${key} is initialised twice (first at ${first.line}:${first.col})`);
          seen.set(key, e.pos);
          entries.push(e);
        }
        group = [];
        if (is(t, '}')) return entries;
      } else group.push(t);
    }
  }

  /** `[type words] [*] loc [= [&] value]`, the tokens between two `;` (`end` is the `;` or `}`). */
  private initEntry(ts: Tok[], end: Tok): InitEntry {
    const eq = ts.findIndex((t) => is(t, '='));
    const left = eq < 0 ? ts : ts.slice(0, eq);
    if (left.length === 0) this.fail(ts[0]!.pos, "expected a location before '='");
    const { loc, pos, prefix } = this.initLoc(left);
    for (const t of prefix) {
      if (t.kind !== 'name' && !is(t, '*')) this.fail(t.pos, `unexpected ${desc(t)} in an initial-state entry`);
    }
    let type: ValueType | null = null;
    if (prefix.length > 0) {
      const words = prefix.filter((t) => t.kind === 'name').map((t) => t.text);
      const ty = typeOfWords(words, prefix.some((t) => is(t, '*')));
      if (typeof ty === 'string') this.fail(prefix[0]!.pos, ty);
      type = ty;
    }
    if (eq < 0) return { loc, value: { kind: 'int', value: 0n }, type, pos };
    let right = ts.slice(eq + 1);
    if (right.length > 0 && is(right[0]!, '&')) right = right.slice(1);
    const v = right[0];
    if (!v) this.fail(end.pos, `expected a value after '=', found ${desc(end)}`);
    if (right.length > 1) this.fail(right[1]!.pos, `expected ';' or '}' after the value, found ${desc(right[1]!)}`);
    return { loc, value: this.value(v), type, pos };
  }

  /** The location at the end of an init entry's left side, and the type words before it. */
  private initLoc(left: Tok[]): { loc: LitmusLoc; pos: Pos; prefix: Tok[] } {
    const n = left.length;
    const last = left[n - 1]!;
    if (is(last, ']')) {
      const open = left[n - 3];
      const mid = left[n - 2];
      if (mid && mid.kind === 'num') this.fail(mid.pos, 'arrays are not supported in PPC litmus tests');
      if (!open || !is(open, '[') || !mid) this.fail(last.pos, "expected '[location]'");
      return { loc: this.memLoc(mid), pos: open.pos, prefix: left.slice(0, n - 3) };
    }
    if (last.kind === 'name' && n >= 3 && is(left[n - 2]!, ':')) {
      const th = left[n - 3]!;
      return { loc: this.regLoc(th, last), pos: th.pos, prefix: left.slice(0, n - 3) };
    }
    if (last.kind === 'name') return { loc: this.memLoc(last), pos: last.pos, prefix: left.slice(0, n - 1) };
    return this.fail(last.pos, `expected a location (such as 0:r2 or x), found ${desc(last)}`);
  }

  private regLoc(th: Tok, reg: Tok): LitmusLoc {
    let digits: string;
    if (th.kind === 'num' && /^[0-9]+$/.test(th.text)) digits = th.text;
    else if (th.kind === 'name' && isProcName(th.text)) digits = th.text.slice(1);
    else return this.fail(th.pos, `expected a thread number before ':', found ${desc(th)}`);
    if (digits.length > 4) this.fail(th.pos, `thread number ${quote(digits)} is too large`);
    if (reg.kind !== 'name') this.fail(reg.pos, `expected a register after ':', found ${desc(reg)}`);
    const m = /^[rR]([0-9]|[1-9][0-9])$/.exec(reg.text);
    const r = m ? Number(m[1]) : 32;
    if (r > 31) this.fail(reg.pos, `unknown PPC register ${desc(reg)}: registers are r0 to r31`);
    return { kind: 'reg', thread: Number(digits), reg: r };
  }

  private memLoc(t: Tok): LitmusLoc {
    if (t.kind !== 'name') return this.fail(t.pos, `expected a location name, found ${desc(t)}`);
    if (KEYWORDS.has(t.text)) this.fail(t.pos, `${quote(t.text)} is a keyword, not a location name`);
    if (isProcName(t.text)) this.fail(t.pos, `${quote(t.text)} names a thread, not a location (a register is written like 1:r3)`);
    return { kind: 'mem', name: t.text };
  }

  /** An integer (64-bit, signed or not) or a location name standing for its address. */
  private value(t: Tok): LitmusValue {
    if (t.kind === 'num') {
      const v = BigInt(t.text);
      if (v < -(1n << 63n) || v >= 1n << 64n) this.fail(t.pos, `integer ${quote(t.text)} does not fit in 64 bits`);
      return { kind: 'int', value: v };
    }
    if (t.kind === 'name') {
      const l = this.memLoc(t);
      if (l.kind === 'mem') return { kind: 'addr', name: l.name };
    }
    return this.fail(t.pos, `expected an integer or a location name, found ${desc(t)}`);
  }

  // ---- thread table ----

  /** The header `P0 | P1 ... ;` and the rows: one list of non-empty cells per thread. */
  private parseTable(): ThreadLine[][] {
    this.skipSpace(true);
    if (this.eof || this.atTableEnd()) {
      this.fail(this.pos(), `expected the thread header 'P0 | P1 ... ;' after the initial state, found ${this.eof ? 'end of file' : quote(this.wordHere())}`);
    }
    const header = this.scanRow(null);
    header.forEach((c, k) => {
      if (c.text !== `P${k}`) {
        this.fail(c.pos, `expected 'P${k}' in the thread header (threads are P0, P1, ... in order), found ${c.text === '' ? 'an empty cell' : quote(c.text)}`);
      }
    });
    const cols: ThreadLine[][] = header.map(() => []);
    for (;;) {
      this.skipSpace(true);
      if (this.eof || this.atTableEnd()) return cols;
      this.scanRow(header.length).forEach((c, k) => {
        if (c.text !== '') cols[k]!.push({ text: c.text, pos: c.pos });
      });
    }
  }

  /** One row's cells up to its `;`, comments removed and text trimmed; `width` cells exactly. */
  private scanRow(width: number | null): Cell[] {
    const cells: Cell[] = [];
    let text = '';
    let first: Pos | null = null;
    for (;;) {
      if (this.eof) this.fail(this.pos(), "expected '|' or ';' after a thread cell, found end of file");
      const c = this.ch();
      if (this.at('(*')) {
        this.skipComment();
        text += ' ';
      } else if (c === '|' || c === ';') {
        // An empty cell is reported at the separator that ends it.
        cells.push({ text: trimBlank(text), pos: first ?? this.pos() });
        if (width !== null && c === '|' && cells.length >= width) {
          this.fail(this.pos(), `this row has more cells than the ${width} thread(s) named in the header`);
        }
        if (width !== null && c === ';' && cells.length !== width) {
          this.fail(this.pos(), `this row has ${cells.length} cell(s) but the header names ${width} thread(s)`);
        }
        this.advance();
        if (c === ';') return cells;
        text = '';
        first = null;
      } else if (this.atTableEnd()) {
        this.fail(this.pos(), "expected '|' or ';' after a thread cell");
      } else {
        if (first === null && !isBlank(c) && c !== '\n') first = this.pos();
        text += c;
        this.advance();
      }
    }
  }

  /** At a word that ends the program section (`exists`, `~ exists`, `forall`, ...)? */
  private atTableEnd(): boolean {
    if (this.i > 0 && isIdent(this.s[this.i - 1]!)) return false;
    let j = this.i;
    if (this.s[j] === '~') {
      j++;
      while (this.s[j] === ' ' || this.s[j] === '\t') j++;
      return this.s.startsWith('exists', j) && !isIdent(this.s[j + 6] ?? '');
    }
    return TABLE_END.some((w) => this.s.startsWith(w, j) && !isIdent(this.s[j + w.length] ?? ''));
  }

  private wordHere(): string {
    let j = this.i;
    while (j < this.s.length && !isBlank(this.s[j]!) && this.s[j] !== '\n' && j - this.i < 30) j++;
    return this.s.slice(this.i, j);
  }

  // ---- locations, filter, condition ----

  private toks: Tok[] = [];
  private k = 0;
  private peek(d = 0): Tok {
    return this.toks[Math.min(this.k + d, this.toks.length - 1)]!;
  }
  private take(): Tok {
    const t = this.peek();
    if (this.k < this.toks.length - 1) this.k++;
    return t;
  }
  private expect(text: string, context: string): Tok {
    const t = this.peek();
    if (!is(t, text)) this.fail(t.pos, `expected '${text}' ${context}, found ${desc(t)}`);
    return this.take();
  }

  private parseFinal(): { locations: PLoc[]; filter: Prop | null; condition: Condition } {
    for (;;) {
      const t = this.lex();
      this.toks.push(t);
      if (t.kind === 'eof') break;
    }
    const locations: PLoc[] = [];
    if (is(this.peek(), 'locations')) {
      this.take();
      this.expect('[', "after 'locations'");
      for (;;) {
        const t = this.peek();
        if (is(t, ']')) break;
        if (t.kind === 'eof') this.fail(t.pos, "expected ']' closing 'locations [', found end of file");
        if (is(t, ';')) {
          this.take();
          continue;
        }
        locations.push(this.location());
        // herd allows a type after an item (`x int;`); skip C type words.
        while ((this.peek().kind === 'name' && isTypeWord(this.peek().text)) || is(this.peek(), '*')) this.take();
      }
      this.take();
    }
    let filter: Prop | null = null;
    if (is(this.peek(), 'filter')) {
      this.take();
      filter = this.prop(0);
    }
    const condition = this.condition();
    if (is(this.peek(), ';')) this.take();
    const rest = this.peek();
    if (rest.kind !== 'eof') this.fail(rest.pos, `unexpected ${desc(rest)} after the final condition`);
    return { locations, filter, condition };
  }

  private condition(): Condition {
    const t = this.peek();
    let quantifier: Quantifier;
    if (t.kind === 'eof') return { quantifier: 'forall', prop: { kind: 'true' }, pos: t.pos }; // herd: no condition
    if (is(t, 'exists')) quantifier = 'exists';
    else if (is(t, 'forall')) quantifier = 'forall';
    else if (is(t, '~') || is(t, 'not')) {
      const e = this.peek(1);
      if (!is(e, 'exists')) this.fail(e.pos, `expected 'exists' after ${quote(t.text)}, found ${desc(e)}`);
      this.take();
      quantifier = '~exists';
    } else {
      return this.fail(t.pos, `expected 'exists', '~exists' or 'forall', found ${desc(t)}`);
    }
    this.take();
    return { quantifier, prop: this.prop(0), pos: t.pos };
  }

  /** `1:r3`, `P1:r3`, `x` or `[x]`. */
  private location(): PLoc {
    const t = this.peek();
    if ((t.kind === 'num' || (t.kind === 'name' && isProcName(t.text))) && is(this.peek(1), ':')) {
      this.take();
      this.take();
      return { loc: this.regLoc(t, this.take()), pos: t.pos };
    }
    if (is(t, '[')) {
      this.take();
      const loc = this.memLoc(this.take());
      this.expect(']', 'closing the memory location');
      return { loc, pos: t.pos };
    }
    if (t.kind === 'name' && !KEYWORDS.has(t.text) && !isProcName(t.text)) {
      this.take();
      return { loc: this.memLoc(t), pos: t.pos };
    }
    return this.fail(t.pos, `expected a location (such as 1:r3 or x), found ${desc(t)}`);
  }

  private nest(depth: number): number {
    if (depth >= MAX_NESTING) this.fail(this.peek().pos, `condition nested too deeply (more than ${MAX_NESTING} levels)`);
    return depth + 1;
  }

  /** `p \/ q`, lowest precedence, left associative. */
  private prop(depth: number): Prop {
    return this.chainOf('or', '\\/', () => this.chainOf('and', '/\\', () => this.implies(depth)));
  }

  /** A left-associative chain `a op b op c`, as left-nested nodes. */
  private chainOf(kind: 'and' | 'or', op: string, operand: () => Prop): Prop {
    let l = operand();
    while (is(this.peek(), op)) {
      const opTok = this.take();
      const r = operand();
      const len = (this.chain.get(l) ?? 0) + 1;
      if (len > MAX_CHAIN) this.fail(opTok.pos, `condition too long (more than ${MAX_CHAIN} '${op}' in a row)`);
      l = { kind, l, r };
      this.chain.set(l, len);
    }
    return l;
  }

  /** `p => q`: binds tighter than `/\` in herd, right associative. */
  private implies(depth: number): Prop {
    const l = this.unary(depth);
    if (!is(this.peek(), '=>')) return l;
    this.take();
    return { kind: 'implies', l, r: this.implies(this.nest(depth)) };
  }

  private unary(depth: number): Prop {
    const t = this.peek();
    if (is(t, '~') || is(t, 'not')) {
      this.take();
      return { kind: 'not', p: this.unary(this.nest(depth)) };
    }
    if (is(t, '(')) {
      this.take();
      const p = this.prop(this.nest(depth));
      const close = this.peek();
      if (!is(close, ')')) this.fail(close.pos, `expected ')' closing the '(' at ${t.pos.line}:${t.pos.col}, found ${desc(close)}`);
      this.take();
      return p;
    }
    if (is(t, 'true')) {
      this.take();
      return { kind: 'true' };
    }
    if (is(t, 'false')) {
      this.take();
      return { kind: 'false' };
    }
    return this.atom();
  }

  /** `loc = value`, `loc == value`, `loc != value` (herd: not (loc = value)). */
  private atom(): Prop {
    const { loc, pos } = this.location();
    const op = this.peek();
    if (!is(op, '=') && !is(op, '==') && !is(op, '!=') && !is(op, '<>')) {
      this.fail(op.pos, `expected '=' after the location, found ${desc(op)}`);
    }
    this.take();
    const v = this.peek();
    if (((v.kind === 'num' || isProcName(v.text)) && is(this.peek(1), ':')) || is(v, '[') || is(v, '*')) {
      this.fail(v.pos, 'comparing two locations is not supported: the right side of \'=\' must be an integer or a location name (its address)');
    }
    this.take();
    const eq: Prop = { kind: 'eq', loc, value: this.value(v), pos };
    return is(op, '!=') || is(op, '<>') ? { kind: 'not', p: eq } : eq;
  }
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function locKey(l: LitmusLoc): string {
  return l.kind === 'reg' ? `${l.thread}:r${l.reg}` : l.name;
}

/** The atoms of a proposition with their positions, without recursion. */
function atomsOf(p: Prop): PLoc[] {
  const out: PLoc[] = [];
  const stack: Prop[] = [p];
  while (stack.length > 0) {
    const q = stack.pop()!;
    if (q.kind === 'eq') out.push({ loc: q.loc, pos: q.pos });
    else if (q.kind === 'not') stack.push(q.p);
    else if (q.kind === 'and' || q.kind === 'or' || q.kind === 'implies') stack.push(q.r, q.l);
  }
  return out;
}

/**
 * Reads a herd7 PPC litmus test. `file` names the input in messages. Throws LitmusError (and
 * only that) for any malformed input.
 */
export function parseLitmus(text: string, file: string): LitmusTest {
  try {
    return new Parser(text, file).parse();
  } catch (e) {
    if (e instanceof LitmusError) throw e;
    // Defensive: a bug here must still surface as one line about the input, never a crash.
    if (e instanceof RangeError) throw new LitmusError(file, { line: 1, col: 1 }, 'input too deeply nested to read');
    throw e;
  }
}
