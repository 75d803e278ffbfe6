// Rebuild dist/ when any file under src/ is newer than dist/cli.js (or dist/ is missing),
// so `npm test`, `npm start` and `npm run bench` always run the current sources.
import { statSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execSync } from 'node:child_process';

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const out = 'dist/cli.js';
const stale = !existsSync(out) || newest('src') > statSync(out).mtimeMs ||
  statSync('tsup.config.ts').mtimeMs > statSync(out).mtimeMs;
if (stale) execSync('npx tsup --silent', { stdio: 'inherit' });
