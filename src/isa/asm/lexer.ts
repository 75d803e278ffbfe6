// Tokenizer for one statement's operand text (GNU as lexical conventions: C-style numbers,
// `'c` character constants, "strings" with C escapes, numeric local label references 1b/1f).

import { at, fail, type SrcLoc } from './errors.js';

export type Token =
  | { readonly k: 'num'; readonly v: bigint; readonly col: number }
  | { readonly k: 'id'; readonly v: string; readonly col: number }
  | { readonly k: 'local'; readonly n: string; readonly dir: 'b' | 'f'; readonly col: number }
  | { readonly k: 'str'; readonly v: Uint8Array; readonly col: number }
  | { readonly k: 'op'; readonly v: string; readonly col: number }
  | { readonly k: 'end'; readonly col: number };

export const IDENT_START = /[A-Za-z_.$]/;
export const IDENT_CHAR = /[A-Za-z0-9_.$]/;

const TWO_CHAR_OPS = new Set(['<<', '>>', '==', '!=', '<>', '<=', '>=', '&&', '||']);
const ONE_CHAR_OPS = new Set([...'+-*/%&|^~!()<>,@=:']);

/**
 * Reads one escape sequence starting after the backslash at `s[i]`; returns the byte value
 * and the index after it.
 */
function escape(s: string, i: number, loc: SrcLoc, col: number): [number, number] {
  const c = s[i];
  if (c === undefined) fail(at(loc, col), 'unterminated escape sequence');
  const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, a: 7, e: 27, '\\': 92, '"': 34, "'": 39 };
  if (c in simple) return [simple[c]!, i + 1];
  if (c === 'x' || c === 'X') {
    let j = i + 1;
    let v = 0;
    while (j < s.length && /[0-9a-fA-F]/.test(s[j]!)) v = (v * 16 + parseInt(s[j++]!, 16)) & 0xff;
    if (j === i + 1) fail(at(loc, col), 'bad \\x escape');
    return [v, j];
  }
  if (/[0-7]/.test(c)) {
    let j = i;
    let v = 0;
    while (j < s.length && j < i + 3 && /[0-7]/.test(s[j]!)) v = v * 8 + Number(s[j++]);
    return [v & 0xff, j];
  }
  return [c.charCodeAt(0) & 0xff, i + 1];
}

const UTF8 = new TextEncoder();
function utf8(s: string): number[] {
  return [...UTF8.encode(s)];
}

/** Tokenizes `text`, whose first character is at column `loc.col`. */
export function tokenize(text: string, loc: SrcLoc): Token[] {
  const out: Token[] = [];
  let i = 0;
  const col = (j: number) => loc.col + j;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    const start = i;
    if (/[0-9]/.test(c)) {
      let j = i;
      let v: bigint;
      const next = text[i + 1] ?? '';
      const after = text[i + 2] ?? '';
      if (c === '0' && (next === 'x' || next === 'X') && /[0-9a-fA-F]/.test(after)) {
        j = i + 2;
        while (j < text.length && /[0-9a-fA-F]/.test(text[j]!)) j++;
        v = BigInt('0x' + text.slice(i + 2, j));
      } else if (c === '0' && (next === 'b' || next === 'B') && /[01]/.test(after)) {
        j = i + 2;
        while (j < text.length && /[01]/.test(text[j]!)) j++;
        v = BigInt('0b' + text.slice(i + 2, j));
      } else {
        while (j < text.length && /[0-9]/.test(text[j]!)) j++;
        const digits = text.slice(i, j);
        const suffix = text[j];
        if ((suffix === 'b' || suffix === 'f') && !IDENT_CHAR.test(text[j + 1] ?? ' ')) {
          out.push({ k: 'local', n: String(BigInt(digits)), dir: suffix, col: col(start) });
          i = j + 1;
          continue;
        }
        if (digits.length > 1 && digits[0] === '0') {
          if (!/^[0-7]+$/.test(digits)) fail(at(loc, col(start)), `bad octal number ${digits}`);
          v = BigInt('0o' + digits.slice(1));
        } else v = BigInt(digits);
      }
      if (j < text.length && IDENT_CHAR.test(text[j]!)) fail(at(loc, col(start)), `bad number ${text.slice(i, j + 1)}`);
      out.push({ k: 'num', v, col: col(start) });
      i = j;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < text.length && IDENT_CHAR.test(text[j]!)) j++;
      out.push({ k: 'id', v: text.slice(i, j), col: col(start) });
      i = j;
      continue;
    }
    if (c === '"') {
      const bytes: number[] = [];
      let j = i + 1;
      for (;;) {
        if (j >= text.length) fail(at(loc, col(start)), 'unterminated string');
        const d = text[j]!;
        if (d === '"') break;
        if (d === '\\') {
          const [v, nj] = escape(text, j + 1, loc, col(j));
          bytes.push(v);
          j = nj;
        } else {
          const cp = text.codePointAt(j)!;
          const ch = String.fromCodePoint(cp);
          bytes.push(...utf8(ch));
          j += ch.length;
        }
      }
      out.push({ k: 'str', v: Uint8Array.from(bytes), col: col(start) });
      i = j + 1;
      continue;
    }
    if (c === "'") {
      // GNU as character constant: 'c (a closing quote is tolerated).
      let j = i + 1;
      if (j >= text.length) fail(at(loc, col(start)), 'missing character after quote');
      let v: number;
      if (text[j] === '\\') [v, j] = escape(text, j + 1, loc, col(j));
      else {
        v = text.charCodeAt(j);
        j++;
      }
      if (text[j] === "'") j++;
      out.push({ k: 'num', v: BigInt(v), col: col(start) });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      out.push({ k: 'op', v: two, col: col(start) });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.has(c)) {
      out.push({ k: 'op', v: c, col: col(start) });
      i++;
      continue;
    }
    fail(at(loc, col(start)), `unexpected character '${c}'`);
  }
  out.push({ k: 'end', col: col(text.length) });
  return out;
}

/** A cursor over a token list. */
export class Tokens {
  private i = 0;
  constructor(
    readonly toks: readonly Token[],
    readonly loc: SrcLoc,
  ) {}

  peek(ahead = 0): Token {
    return this.toks[Math.min(this.i + ahead, this.toks.length - 1)]!;
  }
  next(): Token {
    const t = this.peek();
    if (this.i < this.toks.length - 1) this.i++;
    return t;
  }
  isOp(v: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.k === 'op' && t.v === v;
  }
  atEnd(): boolean {
    return this.peek().k === 'end';
  }
  /** Consumes the operator `v` or fails with "expected `v`". */
  expectOp(v: string): void {
    if (!this.isOp(v)) this.failHere(`expected '${v}'`);
    this.next();
  }
  expectEnd(): void {
    if (!this.atEnd()) this.failHere(`junk at end of statement: '${describe(this.peek())}'`);
  }
  failHere(reason: string): never {
    fail(at(this.loc, this.peek().col), reason);
  }
}

export function describe(t: Token): string {
  switch (t.k) {
    case 'num':
      return String(t.v);
    case 'id':
      return t.v;
    case 'local':
      return t.n + t.dir;
    case 'str':
      return '"..."';
    case 'op':
      return t.v;
    case 'end':
      return 'end of line';
  }
}
