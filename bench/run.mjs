// npm run bench: MIPS of the interpreter on the bench/ loop programs, and, when qemu-ppc64 is
// installed, the ratio against `qemu-ppc64 -singlestep` running the same ELF in the same run.
// Timing is printed, never asserted.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, toElf, runElf } from '../dist/index.js';

const PROGRAMS = ['alu', 'loadstore', 'branchy'];
const REPEATS = 3;

function hasQemu() {
  return spawnSync('qemu-ppc64', ['--version']).status === 0;
}

function timeIt(fn) {
  const t0 = process.hrtime.bigint();
  const r = fn();
  return { r, s: Number(process.hrtime.bigint() - t0) / 1e9 };
}

const dir = mkdtempSync(join(tmpdir(), 'ppc64emu-bench-'));
const qemu = hasQemu();
console.log(`ppc64emu bench — ${new Date().toISOString().slice(0, 10)}, node ${process.version}, ${cpus()[0]?.model ?? 'cpu'} x${cpus().length}`);
console.log(qemu ? 'reference: qemu-ppc64 -singlestep (same ELF)' : 'qemu-ppc64 not installed: no reference ratio');
console.log('');
console.log('program      instructions   ours MIPS   qemu MIPS   ours/qemu');
for (const name of PROGRAMS) {
  const src = readFileSync(new URL(`./${name}.s`, import.meta.url), 'utf8');
  const elf = toElf(assemble(src, { fileName: `${name}.s` }));
  const path = join(dir, name);
  writeFileSync(path, elf, { mode: 0o755 });
  let best = Infinity;
  let insns = 0;
  for (let k = 0; k < REPEATS; k++) {
    const { r, s } = timeIt(() => runElf(elf, { fileName: name }));
    if (r.exitCode !== 0) throw new Error(`${name}: exit ${r.exitCode} ${r.diagnostics.join('; ')}`);
    insns = r.instructions;
    best = Math.min(best, s);
  }
  const ours = insns / best / 1e6;
  let q = '-';
  let ratio = '-';
  if (qemu) {
    let qb = Infinity;
    for (let k = 0; k < REPEATS; k++) {
      const { s } = timeIt(() => execFileSync('qemu-ppc64', ['-singlestep', path]));
      qb = Math.min(qb, s);
    }
    const qm = insns / qb / 1e6;
    q = qm.toFixed(1);
    ratio = (ours / qm).toFixed(2);
  }
  console.log(`${name.padEnd(12)} ${String(insns).padStart(12)}   ${ours.toFixed(1).padStart(9)}   ${q.padStart(9)}   ${ratio.padStart(9)}`);
}
