import { defineConfig } from 'vitest/config';
import { inlineConstants } from './test/helpers/inline-constants.ts';

export default defineConfig({
  // Why this plugin: vitest runs src/ unbundled through Vite's module runner, where every use of
  // an imported binding is a getter call on the exporting module's exports object. The
  // interpreter's `switch (op) { case Op.add: ... }` (Op is a plain enum, src/isa/ops.ts) and its
  // per-instruction OP_BREAK/STRIDE/F_RC reads then cost dozens of getter calls per instruction:
  // ~3 MIPS under vitest against ~80-160 MIPS for the tsup bundle, where esbuild inlines enum
  // members and imports are plain variables. The plugin inlines imported enum members and integer
  // `export const`s in src/ files at transform time (what esbuild does for enums), so the tests
  // still run the src/ sources, just without that overhead. Details in the helper.
  plugins: [inlineConstants('src')],
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
