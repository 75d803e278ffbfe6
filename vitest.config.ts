import { defineConfig, type Plugin } from 'vitest/config';
import { Op } from './src/isa/ops.ts';

/**
 * Inline `Op.<name>` as numeric literals in src/ files, as tsup/esbuild does when bundling.
 *
 * Why: the interpreter (src/cpu/interp.ts) is one big `switch (op)` whose cases are
 * `case Op.add:` etc. Op is a plain (non-const) enum in src/isa/ops.ts. When tsup bundles,
 * esbuild inlines cross-module enum members (`case 30 /* add *\/:`), so V8 sees constant cases.
 * Vitest instead transforms each file on its own and runs it in Vite's module runner, which
 * rewrites imports to `__vite_ssr_import_0__.Op.add`: every case label becomes an accessor
 * call on the imported module object (a `() => { try { return Op } catch {} }` getter) plus a
 * property load, evaluated one case after another until one matches. That made the
 * interpreter ~25x slower under vitest than in dist/ (≈3 vs ≈70-160 MIPS), and the
 * kernel-shim tests slow. Replacing the members by their values restores constant cases;
 * the tests still run src/ (no dist/), with the same semantics as the bundled CLI.
 *
 * The literal is padded with spaces to the length of `Op.name` (always >= 4 chars, values
 * have <= 3 digits), so no column moves and returning `map: null` keeps source maps exact.
 */
function inlineOpEnum(): Plugin {
  const values = new Map<string, number>();
  for (const [name, v] of Object.entries(Op)) if (typeof v === 'number') values.set(name, v);
  // A value import of Op from the isa/ops module (not `import type`, not `type Op`).
  const importsOp = /import\s*\{[^}]*(?<![\w$]type\s+)\bOp\b[^}]*\}\s*from\s*['"][^'"]*\/isa\/ops(?:\.js|\.ts)?['"]/;
  const member = /(?<![\w$.])Op\.([A-Za-z_$][\w$]*)/g;
  return {
    name: 'ppc64emu:inline-op-enum',
    enforce: 'pre',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id.split('?')[0]!) || !importsOp.test(code)) return null;
      const out = code.replace(member, (m, name: string) => {
        const v = values.get(name);
        return v === undefined ? m : String(v).padEnd(m.length, ' ');
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}

export default defineConfig({
  plugins: [inlineOpEnum()],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
