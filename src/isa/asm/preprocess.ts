// Source text -> statements: removes comments (`#` to end of line and /* */, as GNU as does for
// PowerPC), applies the C-preprocessor subset used in .S files (#define, #undef, #ifdef,
// #ifndef, #if, #elif, #else, #endif), and splits lines at `;`. Each statement keeps the
// line and column where it starts, so later errors can point into the original file.

import { at, fail, type SrcLoc } from './errors.js';
import { evaluate, parseExpr, type EvalEnv } from './expr.js';
import { tokenize, Tokens } from './lexer.js';

export interface Stmt {
  readonly loc: SrcLoc;
  /** Statement text (no comments, no trailing separator), starting at `loc.col`. */
  readonly text: string;
}

interface Define {
  readonly params: readonly string[] | null;
  readonly body: string;
}

// In .S files (run through cpp by GNU tools) "#  if" is a directive as in C; in .s files only
// "#if" with no space is, so that comments such as "# if x is set" stay comments.
const CPP_WORDS = '(define|undef|ifdef|ifndef|if|elif|else|endif|include|error|warning)\\b(.*)$';
const CPP_LINE_S = new RegExp('^(\\s*)#\\s*' + CPP_WORDS);
const CPP_LINE_s = new RegExp('^(\\s*)#' + CPP_WORDS);

/** End index of the character constant starting at `i` ('c, '\c, with an optional closing '). */
function charConstEnd(text: string, i: number): number {
  let j = i + (text[i + 1] === '\\' ? 3 : 2);
  if (text[j] === "'") j++;
  return Math.min(text.length, j);
}

/**
 * Replaces comments with spaces (so columns are kept); `state.block` carries an open /* comment
 * to the next line. Quotes are respected: `#` or `;` in a string is text.
 */
function stripComments(line: string, state: { block: boolean }): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (state.block) {
      const end = line.indexOf('*/', i);
      if (end < 0) {
        out += ' '.repeat(line.length - i);
        return out;
      }
      out += ' '.repeat(end + 2 - i);
      i = end + 2;
      state.block = false;
      continue;
    }
    const c = line[i]!;
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      out += line.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (c === "'") {
      const j = charConstEnd(line, i);
      out += line.slice(i, j);
      i = j;
      continue;
    }
    if (c === '/' && line[i + 1] === '*') {
      state.block = true;
      out += '  ';
      i += 2;
      continue;
    }
    if (c === '#') return out + ' '.repeat(line.length - i);
    out += c;
    i++;
  }
  return out;
}

/** Splits at `;` outside quotes; yields [startIndex, text]. */
function splitStatements(line: string): Array<[number, string]> {
  const parts: Array<[number, string]> = [];
  let start = 0;
  let i = 0;
  while (i <= line.length) {
    const c = line[i];
    if (c === '"') {
      let j = i + 1;
      while (j < line.length && line[j] !== '"') j += line[j] === '\\' ? 2 : 1;
      // Never step past the end: the statement still has to be emitted below.
      i = Math.min(line.length, j + 1);
      continue;
    }
    if (c === "'") {
      i = charConstEnd(line, i);
      continue;
    }
    if (c === ';' || c === undefined) {
      parts.push([start, line.slice(start, i)]);
      start = i + 1;
    }
    i++;
  }
  return parts;
}

const C_IDENT = /[A-Za-z_][A-Za-z0-9_]*/g;

/** Applies #define macros to `text` (outside strings), rescanning the result like cpp. */
function substitute(text: string, defines: ReadonlyMap<string, Define>, loc: SrcLoc, active: ReadonlySet<string> = new Set()): string {
  if (defines.size === 0) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' || c === "'") {
      let j = i + 1;
      if (c === '"') {
        while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
        j++;
      } else j = charConstEnd(text, i);
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (/[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_]/.test(text[i - 1]!))) {
      C_IDENT.lastIndex = i;
      const m = C_IDENT.exec(text)!;
      const name = m[0];
      let end = i + name.length;
      const d = defines.get(name);
      if (d && !active.has(name)) {
        let body = d.body;
        if (d.params) {
          const open = /^\s*\(/.exec(text.slice(end));
          if (!open) {
            out += name;
            i = end;
            continue;
          }
          const [args, after] = macroArgs(text, end + open[0].length, loc);
          if (args.length !== d.params.length && !(d.params.length === 0 && args.length === 1 && args[0] === ''))
            fail(at(loc, loc.col + i), `macro ${name} expects ${d.params.length} arguments, got ${args.length}`);
          body = body.replace(C_IDENT, (w) => {
            const k = d.params!.indexOf(w);
            return k >= 0 ? substitute(args[k]!.trim(), defines, loc, active) : w;
          });
          end = after;
        }
        const inner = new Set(active);
        inner.add(name);
        out += substitute(body, defines, loc, inner);
        i = end;
        continue;
      }
      out += name;
      i = end;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Arguments of a function-like macro call whose "(" ends before `i`; returns them and the index after ")". */
function macroArgs(text: string, i: number, loc: SrcLoc): [string[], number] {
  const args: string[] = [];
  let depth = 0;
  let cur = '';
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (c === '(') depth++;
    if (c === ')') {
      if (depth === 0) {
        args.push(cur);
        return [args, i + 1];
      }
      depth--;
    }
    if (c === ',' && depth === 0) {
      args.push(cur);
      cur = '';
    } else cur += c;
  }
  fail(loc, 'unterminated macro argument list');
}

function cppCondition(expr: string, defines: ReadonlyMap<string, Define>, loc: SrcLoc): boolean {
  let t = expr.replace(/\bdefined\s*(\(\s*([A-Za-z_]\w*)\s*\)|([A-Za-z_]\w*))/g, (_m, _a, p, q) =>
    defines.has((p ?? q) as string) ? '1' : '0',
  );
  t = substitute(t, defines, loc);
  t = t.replace(C_IDENT, '0'); // cpp: identifiers left after expansion are 0
  const ts = new Tokens(tokenize(t, loc), loc);
  const env: EvalEnv = {
    symbol: () => undefined,
    dot: () => fail(loc, '. in #if'),
    base: () => undefined,
    final: true,
    loc,
  };
  const v = evaluate(parseExpr(ts, { registers: false, local: () => fail(loc, 'bad #if expression') }), env);
  ts.expectEnd();
  return v.off !== 0n;
}

/** Splits the source into statements, applying comments, #define and #if. */
export function preprocess(source: string, file: string): Stmt[] {
  const out: Stmt[] = [];
  const defines = new Map<string, Define>();
  // Conditional stack: whether the current group is taken, and whether any group was.
  const conds: Array<{ taking: boolean; done: boolean; parentActive: boolean; sawElse: boolean; loc: SrcLoc }> = [];
  const active = () => conds.length === 0 || conds[conds.length - 1]!.taking;
  const state = { block: false };
  const lines = source.split(/\r?\n/);
  lines.forEach((raw, idx) => {
    const lineNo = idx + 1;
    const cpp = state.block ? null : (file.endsWith('.S') ? CPP_LINE_S : CPP_LINE_s).exec(raw);
    if (cpp) {
      const loc: SrcLoc = { file, line: lineNo, col: cpp[1]!.length + 1 };
      const kw = cpp[2]!;
      const rest = stripComments(cpp[3]!, state).trim();
      const top = conds[conds.length - 1];
      switch (kw) {
        case 'ifdef':
        case 'ifndef':
        case 'if': {
          const parentActive = active();
          let c = false;
          if (parentActive) {
            if (kw === 'if') c = cppCondition(rest, defines, loc);
            else {
              if (!/^[A-Za-z_]\w*$/.test(rest)) fail(loc, `#${kw} needs a macro name`);
              c = defines.has(rest) === (kw === 'ifdef');
            }
          }
          conds.push({ taking: parentActive && c, done: c, parentActive, sawElse: false, loc });
          return;
        }
        case 'elif':
          if (!top || top.sawElse) fail(loc, '#elif without #if');
          if (top.done || !top.parentActive) top.taking = false;
          else {
            top.taking = cppCondition(rest, defines, loc);
            top.done = top.taking;
          }
          return;
        case 'else':
          if (!top || top.sawElse) fail(loc, '#else without #if');
          top.sawElse = true;
          top.taking = top.parentActive && !top.done;
          top.done = true;
          return;
        case 'endif':
          if (!top) fail(loc, '#endif without #if');
          conds.pop();
          return;
        default:
          break;
      }
      if (!active()) return;
      if (kw === 'define') {
        const m = /^([A-Za-z_]\w*)(\(([^)]*)\))?\s*(.*)$/.exec(rest);
        if (!m) fail(loc, 'bad #define');
        const params = m[2] !== undefined ? m[3]!.split(',').map((p) => p.trim()).filter(Boolean) : null;
        defines.set(m[1]!, { params, body: m[4]! });
      } else if (kw === 'undef') defines.delete(rest);
      else if (kw === 'include') fail(loc, '#include is not supported');
      else if (kw === 'error') fail(loc, `#error ${rest}`);
      return; // #warning: ignored
    }
    const clean = stripComments(raw, state);
    if (!active()) return;
    for (const [start, part] of splitStatements(clean)) {
      const lead = /^\s*/.exec(part)![0].length;
      const text = part.slice(lead).trimEnd();
      if (!text) continue;
      const loc: SrcLoc = { file, line: lineNo, col: start + lead + 1 };
      out.push({ loc, text: substitute(text, defines, loc) });
    }
  });
  if (conds.length) fail(conds[conds.length - 1]!.loc, 'unterminated #if');
  return out;
}
