// Vite plugin used by vitest.config.ts: inlines compile-time integer constants that src/ files
// import from other src/ files, i.e. members of imported enums (`Op.add` -> `30`) and imported
// `export const NAME = <integer expression>` (`STRIDE` -> `8`).
//
// Why: vitest runs src/ through Vite's module runner, which turns every use of an imported
// binding into a read of an accessor on the exporting module's exports object
// (`__vite_ssr_import_0__.Op.add`, getter `() => { try { return Op } catch {} }`, on an
// Object.create(null) object). In the interpreter's hot loop that is dozens of uninlinable
// getter calls per instruction: every `case Op.x:` of the big switch is evaluated one after the
// other, and OP_BREAK/STRIDE/F_RC are read per instruction. tsup/esbuild bundles have none of
// this (enum members are inlined and imports become plain variables), so dist/ ran ~25x faster.
//
// The rewrite is semantics-preserving and fail-safe: it parses with Vite's parser (oxc), only
// follows named imports of relative modules, only replaces identifiers in expression positions,
// gives up on a name that appears anywhere else in the file (a binding could shadow it), and
// leaves any use whose literal would not fit. Literals are space-padded to the replaced text's
// length so no column moves: `map: null` keeps Vite's source map exact.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseSync, type Plugin } from 'vite';

// oxc's ESTree nodes (UTF-16 offsets), typed loosely.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Node = { type: string; start: number; end: number; [key: string]: any };

interface Exported {
  consts: Map<string, number>;
  enums: Map<string, Map<string, number>>;
  /** The files (and their mtimes) the values were read from, to revalidate the cache. */
  deps: Map<string, number>;
}

/** Integer value of a constant expression (literals, other constants, + - * / % ~ << >> >>> & | ^). */
function evaluate(n: Node | null, env: Map<string, number>): number | undefined {
  if (!n) return undefined;
  switch (n.type) {
    case 'Literal':
      return typeof n.value === 'number' ? n.value : undefined;
    case 'Identifier':
      return env.get(n.name);
    case 'ParenthesizedExpression':
      return evaluate(n.expression, env);
    case 'UnaryExpression': {
      const a = evaluate(n.argument, env);
      if (a === undefined) return undefined;
      return n.operator === '-' ? -a : n.operator === '+' ? a : n.operator === '~' ? ~a : undefined;
    }
    case 'BinaryExpression': {
      const a = evaluate(n.left, env);
      const b = evaluate(n.right, env);
      if (a === undefined || b === undefined) return undefined;
      const ops: Record<string, (x: number, y: number) => number> = {
        '+': (x, y) => x + y, '-': (x, y) => x - y, '*': (x, y) => x * y, '/': (x, y) => x / y,
        '%': (x, y) => x % y, '<<': (x, y) => x << y, '>>': (x, y) => x >> y, '>>>': (x, y) => x >>> y,
        '&': (x, y) => x & y, '|': (x, y) => x | y, '^': (x, y) => x ^ y,
      };
      return ops[n.operator]?.(a, b);
    }
  }
  return undefined;
}

const exportsCache = new Map<string, Exported>();
const EMPTY: Exported = { consts: new Map(), enums: new Map(), deps: new Map() };

/** The .ts file a relative import specifier of `from` names, or null. */
function resolveImport(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const file = resolve(dirname(from), spec.replace(/\.js$/, '.ts'));
  return file.endsWith('.ts') && existsSync(file) ? file : null;
}

/** Integer constants `import { X } from './m.js'` brings into `program` (local name -> value). */
function importedConstants(program: Node, from: string, seen: Set<string>): Exported {
  const consts = new Map<string, number>();
  const enums = new Map<string, Map<string, number>>();
  const deps = new Map<string, number>();
  for (const stmt of program.body as Node[]) {
    if (stmt.type !== 'ImportDeclaration' || stmt.importKind === 'type') continue;
    const file = resolveImport(from, stmt.source.value);
    if (!file) continue;
    const ex = exportedConstants(file, seen);
    for (const [f, t] of ex.deps) deps.set(f, t);
    for (const s of stmt.specifiers as Node[]) {
      if (s.type !== 'ImportSpecifier' || s.importKind === 'type') continue;
      const imported = s.imported.type === 'Identifier' ? s.imported.name : s.imported.value;
      const c = ex.consts.get(imported);
      if (c !== undefined) consts.set(s.local.name, c);
      const e = ex.enums.get(imported);
      if (e) enums.set(s.local.name, e);
    }
  }
  return { consts, enums, deps };
}

/**
 * Integer `export const`s and numeric `export enum`s declared at top level of a .ts file; a
 * const may use integer constants imported from other files (`INSNS_PER_PAGE = PAGE_SIZE / 4`).
 */
function exportedConstants(file: string, seen = new Set<string>()): Exported {
  const hit = exportsCache.get(file);
  if (hit && [...hit.deps].every(([f, t]) => existsSync(f) && statSync(f).mtimeMs === t)) return hit;
  if (seen.has(file)) return EMPTY; // import cycle: no constants through it
  seen.add(file);
  const { program } = parseSync(file, readFileSync(file, 'utf8'), { lang: 'ts', sourceType: 'module' });
  const imported = importedConstants(program as Node, file, seen);
  const local = imported.consts;
  const data: Exported = { consts: new Map(), enums: new Map(), deps: imported.deps };
  data.deps.set(file, statSync(file).mtimeMs);
  const enumNames = new Set<string>();
  for (const stmt of program.body as Node[]) {
    const exported = stmt.type === 'ExportNamedDeclaration';
    const decl: Node | null = exported ? stmt.declaration : stmt;
    if (decl?.type === 'VariableDeclaration' && decl.kind === 'const') {
      for (const d of decl.declarations as Node[]) {
        if (d.id.type !== 'Identifier') continue;
        const v = evaluate(d.init, local);
        if (v === undefined || !Number.isSafeInteger(v) || Object.is(v, -0)) continue;
        local.set(d.id.name, v);
        if (exported) data.consts.set(d.id.name, v);
      }
    } else if (decl?.type === 'TSEnumDeclaration') {
      const name: string = decl.id.name;
      // Merged declarations (`enum E {...} enum E {...}`) or a non-numeric member: not inlined.
      const dup = enumNames.has(name);
      enumNames.add(name);
      if (dup || decl.declare || !exported) { data.enums.delete(name); continue; }
      const members = new Map<string, number>();
      let next: number | undefined = 0;
      for (const m of decl.body.members as Node[]) {
        const key = m.id.type === 'Identifier' ? m.id.name : m.id.value;
        const v: number | undefined = m.initializer ? evaluate(m.initializer, members) : next;
        if (v === undefined || !Number.isSafeInteger(v)) { next = undefined; members.clear(); break; }
        members.set(key, v);
        next = v + 1;
      }
      if (next !== undefined) data.enums.set(name, members);
    }
  }
  exportsCache.set(file, data);
  return data;
}

/** (parent type, key) pairs where an identifier is read as a value and may become a literal. */
const VALUE_SLOTS = new Set([
  'BinaryExpression.left', 'BinaryExpression.right', 'LogicalExpression.left', 'LogicalExpression.right',
  'UnaryExpression.argument', 'ConditionalExpression.test', 'ConditionalExpression.consequent',
  'ConditionalExpression.alternate', 'SwitchCase.test', 'SwitchStatement.discriminant',
  'MemberExpression.object', 'MemberExpression.property', 'CallExpression.arguments', 'NewExpression.arguments',
  'AssignmentExpression.right', 'VariableDeclarator.init', 'ReturnStatement.argument', 'ArrayExpression.elements',
  'Property.value', 'SequenceExpression.expressions', 'TemplateLiteral.expressions', 'IfStatement.test',
  'WhileStatement.test', 'DoWhileStatement.test', 'ForStatement.test', 'ExpressionStatement.expression',
  'ParenthesizedExpression.expression', 'AssignmentPattern.right',
]);
/** Where an identifier is a name, not a variable reference (`x.NAME`, `{ NAME: 1 }`, imports). */
function isNameOnly(parent: Node, key: string): boolean {
  if (parent.type === 'ImportSpecifier') return true;
  if (parent.computed) return false;
  if (parent.type === 'MemberExpression') return key === 'property';
  if (parent.type === 'Property') return key === 'key' && !parent.shorthand;
  return (parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition') && key === 'key';
}

function rewrite(code: string, id: string, watch: (file: string) => void): string | null {
  const { program } = parseSync(id, code, { lang: 'js', sourceType: 'module' });
  const { consts, enums, deps } = importedConstants(program as Node, id, new Set([id]));
  for (const f of deps.keys()) watch(f);
  if (consts.size === 0 && enums.size === 0) return null;

  const edits: Array<{ start: number; end: number; name: string; value: number }> = [];
  const unsafe = new Set<string>();
  const visit = (node: Node, parent: Node | null, key: string): void => {
    const slot = parent ? `${parent.type}.${key}` : '';
    if (node.type === 'Identifier' && parent && (consts.has(node.name) || enums.has(node.name))) {
      if (isNameOnly(parent, key)) return;
      if (!VALUE_SLOTS.has(slot)) { unsafe.add(node.name); return; } // binding, shadowing, write...
      const value = consts.get(node.name);
      if (value !== undefined) edits.push({ start: node.start, end: node.end, name: node.name, value });
      return;
    }
    if (node.type === 'MemberExpression' && !node.computed && node.object.type === 'Identifier' &&
        node.property.type === 'Identifier' && VALUE_SLOTS.has(slot)) {
      const value = enums.get(node.object.name)?.get(node.property.name);
      if (value !== undefined) {
        edits.push({ start: node.start, end: node.end, name: node.object.name, value });
        return;
      }
    }
    for (const k of Object.keys(node)) {
      const child = node[k];
      if (Array.isArray(child)) {
        for (const c of child) if (c && typeof c.type === 'string') visit(c, node, k);
      } else if (child && typeof child.type === 'string') visit(child, node, k);
    }
  };
  visit(program as Node, null, '');

  let out = code;
  let changed = false;
  for (const e of edits.sort((a, b) => b.start - a.start)) {
    const len = e.end - e.start;
    const lit = e.value < 0 ? `(${e.value})` : String(e.value);
    if (unsafe.has(e.name) || lit.length > len) continue;
    out = out.slice(0, e.start) + lit.padEnd(len, ' ') + out.slice(e.end);
    changed = true;
  }
  return changed ? out : null;
}

/** Inlines imported integer constants and enum members in files under `srcDir` (see top). */
export function inlineConstants(srcDir: string): Plugin {
  const root = resolve(srcDir) + '/';
  return {
    name: 'ppc64emu:inline-constants',
    enforce: 'post', // after Vite's TypeScript transform: the code is plain JS, types are gone
    transform(code, id) {
      const file = id.split('?')[0]!;
      if (!file.startsWith(root) || !file.endsWith('.ts')) return null;
      const out = rewrite(code, file, (f) => this.addWatchFile(f));
      return out === null ? null : { code: out, map: null };
    },
  };
}
