// npm run bench: MIPS of the interpreter on the bench/ loop programs, and, when qemu-ppc64 is
// installed, the ratio against `qemu-ppc64 -singlestep` running the same ELF in the same run.
// Timing is printed, never asserted.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, toElf, runElf, loadBareMachine, validate, parseLitmus, runLitmus } from '../dist/index.js';

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

// ---- One instruction class at a time: 64 copies of it in a bdnz loop (issue 11 asks that no
// class fall below 0.8x the fastest). Same ELF under qemu-ppc64 -singlestep for the ratio.
const CLASSES = [
  'add 3,4,5', 'addi 3,4,5', 'and 3,4,5', 'rldicl 3,4,5,7', 'srd 3,4,5', 'mulld 3,4,5', 'divd 3,4,5',
  'cmpd 4,5', 'isel 3,4,5,2', 'cntlzd 3,4', 'popcntd 3,4', 'lbz 3,8(6)', 'lwz 3,8(6)', 'ld 3,8(6)',
  'stw 4,8(6)', 'std 4,8(6)',
];
const CLASS_LOOPS = 300000;
console.log('');
console.log(`instruction class (64 in a bdnz loop, ${CLASS_LOOPS} loops)   ours MIPS   qemu MIPS   ours/qemu   vs fastest of ours`);
const classRows = [];
for (const insn of CLASSES) {
  const src = `\t.abiversion 2\n\t.globl _start\n_start:\n\tlis 9,${CLASS_LOOPS >> 16}\n\tori 9,9,${CLASS_LOOPS & 0xffff}\n\tmtctr 9\n\tli 4,1000\n\tli 5,7\n\tlis 6,buf@ha\n\taddi 6,6,buf@l\n1:\n\t.rept 64\n\t${insn}\n\t.endr\n\tbdnz 1b\n\tli 0,1\n\tli 3,0\n\tsc\n\t.data\nbuf:\t.space 64\n`;
  const elf = toElf(assemble(src, { fileName: 'class.s' }));
  const path = join(dir, 'class');
  writeFileSync(path, elf, { mode: 0o755 });
  let best = Infinity;
  let insns = 0;
  for (let k = 0; k < 2; k++) {
    const { r, s } = timeIt(() => runElf(elf, { fileName: 'class' }));
    if (r.exitCode !== 0) throw new Error(`${insn}: exit ${r.exitCode} ${r.diagnostics.join('; ')}`);
    insns = r.instructions;
    best = Math.min(best, s);
  }
  let qm = null;
  if (qemu) {
    let qb = Infinity;
    for (let k = 0; k < 2; k++) qb = Math.min(qb, timeIt(() => execFileSync('qemu-ppc64', ['-singlestep', path])).s);
    qm = insns / qb / 1e6;
  }
  classRows.push({ insn, ours: insns / best / 1e6, qm });
}
const fastest = Math.max(...classRows.map((r) => r.ours));
for (const r of classRows) {
  const q = r.qm === null ? '-' : r.qm.toFixed(1);
  const ratio = r.qm === null ? '-' : (r.ours / r.qm).toFixed(2);
  console.log(`${r.insn.padEnd(47)} ${r.ours.toFixed(1).padStart(9)}   ${q.padStart(9)}   ${ratio.padStart(9)}   ${(r.ours / fastest).toFixed(2).padStart(9)}`);
}

// ---- MMU: translated loops against real mode, and the cost of a TLB miss (HPT walk + fill).
console.log('');
console.log('bare machine (POWER8 model)            instructions   MIPS    vs real mode');
const bare = new URL('./bare-mmu.s', import.meta.url).pathname;
function runBareLoop(entry, countFills) {
  let best = Infinity;
  let insns = 0;
  let fills = 0;
  for (let k = 0; k < REPEATS; k++) {
    const { machine } = loadBareMachine(bare, { entry, model: 'power8' });
    const { s } = timeIt(() => machine.run(1e10));
    const n = countFills ? machine.mmu.fills() : 0; // the TLBs' own count: no event listener slows the run
    if (machine.stop !== 'halt') throw new Error(`bare-mmu ${entry}: ${machine.stop} ${machine.stopMessage}`);
    if (s < best) { best = s; insns = machine.instructions; fills = n; }
  }
  return { mips: insns / best / 1e6, insns, s: best, fills };
}
const rows = [
  ['alu, real mode', 0x100n], ['alu, IR+DR on', 0x120n], ['load/store, real mode', 0x140n], ['load/store, IR+DR on', 0x160n],
];
const res = rows.map(([name, e]) => [name, runBareLoop(e, false)]);
res.forEach(([name, r], k) => {
  const ratio = k % 2 === 1 ? (r.mips / res[k - 1][1].mips).toFixed(2) : '';
  console.log(`${name.padEnd(38)} ${String(r.insns).padStart(12)}   ${r.mips.toFixed(1).padStart(5)}   ${ratio.padStart(6)}`);
});
const miss = runBareLoop(0x180n, true);
console.log(`TLB-miss loop: ${miss.fills} fills in ${miss.s.toFixed(3)} s = ${(miss.fills / miss.s / 1e6).toFixed(2)} M fills/s, ` +
  `${((miss.s * 1e9) / miss.fills).toFixed(0)} ns per miss (walk + fill, including the loop around it)`);

// ---- Validator: exhaustive exploration of every corpus case on its default CPUs (two CPUs
// for every fixture that declares pages), under the Power model (the default) and with
// sequentially consistent accesses (--model sc, the reference run), wall time per case.
console.log('');
console.log('validate --explore exhaustive (corpus)   cpus   power: states   result      seconds   sc: states   result      seconds   power/sc');
const corpus = new URL('../fixtures/validate/', import.meta.url).pathname;
const total = { power: { states: 0, s: 0 }, sc: { states: 0, s: 0 } };
const outcome = (r) => (r.exploration.counterexample ? r.exploration.counterexample.violation.id : r.exploration.complete ? 'complete' : 'bounded');
for (const f of readdirSync(corpus).filter((x) => x.endsWith('.s')).sort()) {
  const src = readFileSync(join(corpus, f), 'utf8');
  const cols = [];
  const secs = {};
  for (const memoryModel of ['power', 'sc']) {
    const { r, s } = timeIt(() => validate(src, f, { explore: 'exhaustive', memoryModel }));
    total[memoryModel].states += r.exploration.states;
    total[memoryModel].s += s;
    secs[memoryModel] = s;
    cols.push(`${String(r.exploration.states).padStart(13)}   ${outcome(r).padEnd(9)}   ${s.toFixed(2).padStart(7)}`);
  }
  console.log(`${f.padEnd(40)} ${String(validate(src, f, { explore: 'single' }).cpus).padStart(4)}   ${cols[0]}   ${cols[1].slice(2)}   ${(secs.power / secs.sc).toFixed(2).padStart(8)}`);
}
console.log(`all cases: power ${total.power.states} states in ${total.power.s.toFixed(1)} s; sc ${total.sc.states} states in ${total.sc.s.toFixed(1)} s; power/sc ${(total.power.s / total.sc.s).toFixed(2)}`);

// ---- Litmus tests: every fixtures/litmus test under the Power model (the Time herd7 would
// print, candidates examined), per-family summary, and the whole corpus through the CLI with
// --jobs 2 (wall time including process start).
console.log('');
const litDir = new URL('../fixtures/litmus/', import.meta.url).pathname;
const litFiles = readdirSync(litDir).filter((x) => x.endsWith('.litmus')).sort();
const times = [];
for (const f of litFiles) {
  const t = parseLitmus(readFileSync(join(litDir, f), 'utf8'), f);
  let best = Infinity;
  let cand = 0;
  for (let k = 0; k < REPEATS; k++) {
    const r = runLitmus(t, { model: 'power' });
    best = Math.min(best, r.seconds);
    cand = r.candidates;
  }
  times.push({ name: t.name, threads: t.threads.length, s: best, cand });
}
const q = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];
for (const [label, sel] of [['2 threads', (x) => x.threads <= 2], ['3-4 threads', (x) => x.threads >= 3]]) {
  const xs = times.filter(sel).map((x) => x.s * 1000);
  if (xs.length === 0) continue;
  console.log(`litmus ${label.padEnd(12)} ${String(xs.length).padStart(4)} tests   median ${q(xs, 0.5).toFixed(1)} ms   p95 ${q(xs, 0.95).toFixed(1)} ms   max ${Math.max(...xs).toFixed(1)} ms`);
}
const slow = times.slice().sort((a, b) => b.s - a.s).slice(0, 5);
console.log('slowest: ' + slow.map((x) => `${x.name} ${(x.s * 1000).toFixed(1)} ms (${x.cand} candidates)`).join(', '));
// A lock-heavy test (bench/locks3x3.litmus: 1000 runs per thread, 10^9 groups of runs
// examined by the viable-combination search): where that search, not the axioms, costs.
{
  const t = parseLitmus(readFileSync(new URL('./locks3x3.litmus', import.meta.url), 'utf8'), 'locks3x3.litmus');
  const r = runLitmus(t, { model: 'power' });
  console.log(`litmus Locks3x3 (bench/locks3x3.litmus): ${r.candidates} candidates, ${r.positive + r.negative} allowed, ${r.seconds.toFixed(2)} s`);
}
const cliPath = new URL('../dist/cli.js', import.meta.url).pathname;
for (const jobs of [1, 2]) {
  const { s } = timeIt(() => execFileSync(process.execPath, [cliPath, 'litmus', '--jobs', String(jobs), ...litFiles.map((f) => join(litDir, f))]));
  console.log(`whole corpus, ppc64emu litmus --jobs ${jobs}: ${litFiles.length} tests in ${s.toFixed(2)} s`);
}
