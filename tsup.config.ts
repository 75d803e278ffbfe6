import { defineConfig } from 'tsup';

// Entry points: the library (src/index.ts), the CLI (dist/cli.js is the package bin) and the
// worker thread of `litmus --jobs` (dist/litmus-worker.js, found beside cli.js).
export default defineConfig({
  entry: { index: 'src/index.ts', cli: 'src/cli/main.ts', 'litmus-worker': 'src/litmus/worker.ts' },
  format: ['esm'],
  target: 'node20',
  platform: 'node',
  dts: { entry: { index: 'src/index.ts' } },
  sourcemap: true,
  clean: true,
  splitting: true,
  banner: ({ format }) => (format === 'esm' ? {} : {}),
});
