import { defineConfig, mergeConfig, type Plugin } from 'vitest/config';
import base from './vitest.config.ts';
const C: Record<string, string> = { STRIDE: '8', F_RC: '1', F_OE: '2', F_LK: '4', F_AA: '8', OP_BREAK: '0x7fff' };
const p: Plugin = { name: 'exp', enforce: 'pre', transform(code, id) {
  if (!id.endsWith('/src/cpu/interp.ts')) return null;
  const lines = code.split('\n');
  return { code: lines.map((l) => l.startsWith('import') ? l : l.replace(/(?<![\w$.])(STRIDE|F_RC|F_OE|F_LK|F_AA|OP_BREAK)(?![\w$])/g, (m) => C[m]!.padEnd(m.length))).join('\n'), map: null };
} };
export default mergeConfig(base, defineConfig({ plugins: [p] }));
