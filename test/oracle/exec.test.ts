// Execution oracle: random programs from progen.ts, assembled and linked with GNU binutils, run
// under qemu-ppc64/qemu-ppc64le and under our emulator (runElf); the dumps must be identical.
// Seeds 1..200 by default; PPC64EMU_SEEDS=a..b (or a single seed, or a comma list) for others.
//
// For each seed four programs are built: big- and little-endian, each in the full form
// (unaligned accesses allowed) and the endian-neutral form. The neutral pair must give the same
// output under qemu-ppc64 and qemu-ppc64le, which checks the generator itself (an undefined
// result or a byte-order leak would show up there), independently of our emulator.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { runElf } from '../../src/cpu/user-run.js';
import { DUMP_LINES, generateProgram } from './progen.js';

const TOOLS = ['powerpc64-linux-gnu-as', 'powerpc64-linux-gnu-ld', 'powerpc64le-linux-gnu-as', 'powerpc64le-linux-gnu-ld', 'qemu-ppc64', 'qemu-ppc64le'];
const missing = TOOLS.filter((t) => spawnSync(t, ['--version']).status !== 0);
if (missing.length) console.warn(`exec.test: skipping the random-program oracle: not installed: ${missing.join(', ')}`);

function parseSeeds(spec: string | undefined): number[] {
  if (!spec) return range(1, 200);
  const out: number[] = [];
  for (const part of spec.split(',')) {
    const m = /^\s*(\d+)\s*(?:\.\.\s*(\d+)\s*)?$/.exec(part);
    if (!m) throw new Error(`PPC64EMU_SEEDS: expected a..b, n or a comma list, got ${JSON.stringify(spec)}`);
    out.push(...range(Number(m[1]), Number(m[2] ?? m[1])));
  }
  return out;
}
function range(a: number, b: number): number[] {
  return Array.from({ length: Math.max(0, b - a + 1) }, (_, k) => a + k);
}

type Variant = 'be' | 'le' | 'be-n' | 'le-n';
const VARIANTS: Variant[] = ['be', 'le', 'be-n', 'le-n'];

interface Built {
  seed: number;
  variant: Variant;
  src: string;
  elf: string;
  /** qemu's stdout, or null when assembling/linking/running failed. */
  qemuOut: string | null;
  problem: string | null;
}

function sh(cmd: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn('sh', ['-c', cmd], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

async function pool<T>(items: T[], n: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: n }, worker));
}

/** The first line where two dumps differ, as a readable message. */
function firstDiff(got: string, want: string, gotName: string, wantName: string): string {
  const g = got.split('\n');
  const w = want.split('\n');
  for (let i = 0; i < Math.max(g.length, w.length); i++) {
    if (g[i] !== w[i]) return `line ${i + 1}: ${gotName} ${JSON.stringify(g[i] ?? '<none>')}, ${wantName} ${JSON.stringify(w[i] ?? '<none>')}`;
  }
  return 'identical';
}

const seeds = parseSeeds(process.env.PPC64EMU_SEEDS);

describe.skipIf(missing.length > 0)(`random programs, seeds ${seeds.length === 1 ? seeds[0] : `${seeds[0]}..${seeds[seeds.length - 1]}`} (${seeds.length})`, () => {
  let dir = '';
  const built: Built[] = [];
  let failed = false;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ppc64emu-progen-'));
    for (const seed of seeds) {
      for (const variant of VARIANTS) {
        const le = variant.startsWith('le');
        const base = join(dir, `s${seed}-${variant}`);
        writeFileSync(`${base}.s`, generateProgram(seed, { littleEndian: le, endianNeutral: variant.endsWith('-n') }));
        built.push({ seed, variant, src: `${base}.s`, elf: base, qemuOut: null, problem: null });
      }
    }
    await pool(built, Math.max(1, availableParallelism()), async (b) => {
      const le = b.variant.startsWith('le');
      const as = le ? 'powerpc64le-linux-gnu-as -mpower9' : 'powerpc64-linux-gnu-as -a64 -mpower9';
      const ld = le ? 'powerpc64le-linux-gnu-ld' : 'powerpc64-linux-gnu-ld';
      const qemu = le ? 'qemu-ppc64le' : 'qemu-ppc64';
      const r = await sh(`${as} -o '${b.elf}.o' '${b.src}' && ${ld} -o '${b.elf}' '${b.elf}.o' && ${qemu} '${b.elf}' > '${b.elf}.qemu'`);
      if (r.code !== 0) b.problem = `build or qemu run failed (status ${r.code}): ${r.stderr.trim().split('\n').slice(0, 3).join(' | ')}`;
      else b.qemuOut = readFileSync(`${b.elf}.qemu`, 'utf8');
    });
  }, 600_000);

  afterAll(() => {
    if (dir && !failed) rmSync(dir, { recursive: true, force: true });
    else if (dir) console.warn(`exec.test: sources and binaries kept in ${dir}`);
  });

  /** Fails with up to 10 listed problems (seed, source path, first differing line). */
  function report(problems: string[], what: string): void {
    if (problems.length === 0) return;
    failed = true;
    const shown = problems.slice(0, 10).join('\n  ');
    const more = problems.length > 10 ? `\n  ... and ${problems.length - 10} more` : '';
    expect.fail(`${problems.length} ${what}:\n  ${shown}${more}`);
  }

  it('every program assembles, links and runs under QEMU to a full dump', () => {
    const problems: string[] = [];
    for (const b of built) {
      if (b.problem) problems.push(`seed ${b.seed} (${b.variant}) ${b.src}: ${b.problem}`);
      else if (b.qemuOut!.split('\n').length !== DUMP_LINES + 1) {
        problems.push(`seed ${b.seed} (${b.variant}) ${b.src}: qemu wrote ${b.qemuOut!.length} bytes, not ${DUMP_LINES} lines`);
      }
    }
    report(problems, 'programs failed to build or run under QEMU');
  });

  it('generator check: endian-neutral programs give identical output under qemu-ppc64 and qemu-ppc64le', () => {
    const problems: string[] = [];
    for (const seed of seeds) {
      const be = built.find((b) => b.seed === seed && b.variant === 'be-n')!;
      const le = built.find((b) => b.seed === seed && b.variant === 'le-n')!;
      if (be.qemuOut === null || le.qemuOut === null) continue; // reported above
      if (be.qemuOut !== le.qemuOut) {
        problems.push(`seed ${seed} ${be.src} / ${le.src}: ${firstDiff(be.qemuOut, le.qemuOut, 'qemu-ppc64', 'qemu-ppc64le')}`);
      }
    }
    report(problems, 'seeds whose endian-neutral programs differ between byte orders (a generator bug)');
  });

  for (const le of [false, true]) {
    it(`emulator matches ${le ? 'qemu-ppc64le (little-endian)' : 'qemu-ppc64 (big-endian)'}`, () => {
      const problems: string[] = [];
      for (const b of built) {
        if (b.variant.startsWith('le') !== le || b.qemuOut === null || !existsSync(b.elf)) continue;
        let got: string;
        let tail = '';
        try {
          const r = runElf(new Uint8Array(readFileSync(b.elf)), { maxInsns: 2_000_000, fileName: b.elf });
          got = Buffer.from(r.stdout).toString('latin1');
          if (r.stopReason !== 'exit' || r.exitCode !== 0) {
            tail = ` [emulator stopped: ${r.stopReason}, exit ${r.exitCode}${r.diagnostics.length ? ', ' + r.diagnostics.join('; ') : ''}]`;
          }
        } catch (e) {
          problems.push(`seed ${b.seed} (${b.variant}) ${b.src}: runElf threw ${(e as Error).message}`);
          continue;
        }
        if (got !== b.qemuOut || tail) {
          problems.push(`seed ${b.seed} (${b.variant}) ${b.src}: ${got === b.qemuOut ? 'same output' : firstDiff(got, b.qemuOut, 'emulator', 'qemu')}${tail}`);
        }
      }
      report(problems, 'programs whose emulator output differs from QEMU');
    });
  }
});
