import { defineConfig } from 'tsup';

// Two entry points: the library (src/index.ts) and the CLI (dist/cli.js is the package bin).
export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  banner: ({ format }) => (format === 'esm' ? {} : {}),
});
