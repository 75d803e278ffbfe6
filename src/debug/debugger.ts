// The step debugger's command interpreter: a line in, text out. The REPL (repl.ts) and tests
// drive it; it knows nothing of terminals or files.

import { MSR_DR, MSR_IR, type Cpu } from '../cpu/cpu.js';
import { hex64 } from '../cpu/state-json.js';
import { hex } from '../hex.js';
import { decode } from '../isa/decode.js';
import { disassemble } from '../isa/disasm.js';
import { armWatches, makeWatch, readAs, resumeTarget, resumeWatching, WATCH_SLICE, type AccessKind, type DebugTarget, type Watch, type WatchHit, type WatchKind } from './target.js';

/** How a watch of each kind is named in messages (gdb's words). */
const WATCH_NAME: Record<WatchKind, string> = { write: 'watchpoint', read: 'read watchpoint', access: 'access watchpoint' };

export interface DebuggerOptions {
  /** Instructions `continue` runs at most before giving control back. */
  continueLimit?: number;
}

const HELP = `commands:
  step [N]            execute N instructions (default 1)        (s, si)
  continue            run until a breakpoint or the program stops (c)
  next                step, but run a call (bl, bctrl...) to its return (n, ni)
  finish              run to the address in LR (the caller, from a function's start)
  break ADDR|LABEL    set a breakpoint                             (b)
  delete [ADDR|LABEL] delete one breakpoint, or all                (d)
  info breakpoints    list breakpoints
  display EXPR        show EXPR (as print, or an x/... command) after every step, next,
                      finish and continue; display alone shows them    undisplay [N]
  watch ADDR [LEN]    stop a continue when LEN bytes (default 8) at ADDR change
  rwatch ADDR [LEN]   stop after an instruction loads any of them; awatch: loads or stores
  unwatch [ADDR]      delete one watchpoint, or all                info watchpoints
  cpu [N]             show or select the current CPU (bare machines)
  tlb [CPU]           show a CPU's TLB entries                     (machines with an MMU)
  slb [CPU]           show a CPU's SLB entries
  hpt [EA|SLOT]       show HPT entries: all valid ones, or the PTEGs an EA hashes to
  pending             invalidations not yet applied on every CPU, page-table stores not yet visible
  regs                show registers                               (info registers)
  print EXPR          the value of an address expression (p), e.g. p r3+8, p lr
  x/Ni ADDR           disassemble N instructions from ADDR
  x/N[bhwg] ADDR      examine N bytes/halfwords/words/doublewords (an EA, translated as the
                      CPU would when its MSR[DR] is 1 on a bare machine)
  xp/N[bhwg] ADDR     examine by real address (bare machines)
  translate EA        how the CPU translates EA now: SLB, TLB entry, table walk, result
  disasm [ADDR [N]]   disassemble N instructions (default: 8 from pc)
  quit                leave                                        (q)
ADDR is a number (0x.. hex or decimal), a label, pc, lr, ctr or rN, optionally +/- a number.`;

export class Debugger {
  /** The CPU that step, regs, x and disasm act on. */
  cpu: Cpu;
  private readonly breaks = new Set<bigint>();
  private readonly watches: Watch[] = [];
  /** The watched change that ended the last run, if one did. */
  private change: WatchHit | null = null;
  private readonly limit: number;
  /** Expressions shown after every run command (display), numbered as gdb numbers them. */
  private readonly displays: Array<{ readonly n: number; readonly expr: string }> = [];
  private nextDisplay = 1;
  quit = false;

  constructor(readonly target: DebugTarget, opts: DebuggerOptions = {}) {
    this.cpu = target.cpus[0]!;
    this.limit = opts.continueLimit ?? 1e9;
  }

  /** Runs one command line and returns what it prints. */
  execute(line: string): string {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) return '';
    const [cmd, ...args] = words as [string, ...string[]];
    try {
      // x/Ni ADDR is gdb's way to disassemble N instructions.
      const xi = /^x\/(\d*)i$/.exec(cmd);
      if (xi) return this.disasm([args[0] ?? 'pc', xi[1] || '1']);
      if (cmd.startsWith('x/') || cmd === 'x') return this.examine(cmd, args, 'data');
      if (cmd.startsWith('xp/') || cmd === 'xp') return this.examine(cmd.slice(0, 1) + cmd.slice(2), args, 'real');
      switch (cmd) {
        case 'step':
        case 's':
        case 'si':
        case 'stepi':
          return this.withDisplays(this.step(args[0] ? this.count(args[0]) : 1));
        case 'continue':
        case 'c':
          return this.withDisplays(this.cont());
        case 'next':
        case 'n':
        case 'ni':
        case 'nexti':
          return this.withDisplays(this.next());
        case 'finish':
          return this.withDisplays(this.finish());
        case 'display':
          return this.display(args);
        case 'undisplay':
          return this.undisplay(args);
        case 'break':
        case 'b':
          return this.setBreak(args);
        case 'delete':
        case 'd':
          return this.delete(args);
        case 'watch':
          return this.setWatch(args, 'write');
        case 'rwatch':
          return this.setWatch(args, 'read');
        case 'awatch':
          return this.setWatch(args, 'access');
        case 'unwatch':
          return this.unwatch(args);
        case 'info':
          if (args[0] === 'breakpoints' || args[0] === 'b') return this.listBreaks();
          if (args[0] === 'watchpoints') return this.watches.length === 0 ? 'no watchpoints' : this.watches.map((w) => `${w.kind === 'write' ? '' : `${WATCH_NAME[w.kind]} `}0x${w.addr.toString(16)} (${w.len} bytes)`).join('\n');
          if (args[0] === 'registers' || args[0] === 'r') return this.regs();
          return `unknown info subcommand: ${args[0] ?? ''}`;
        case 'regs':
        case 'registers':
          return this.regs();
        case 'disasm':
        case 'disassemble':
          return this.disasm(args);
        case 'cpu':
          return this.selectCpu(args[0]);
        case 'translate':
          return this.translate(args[0]);
        case 'print':
        case 'p':
          return this.print(args.join(''));
        case 'tlb':
        case 'slb':
        case 'pending':
        case 'hpt': {
          const cpu = (cmd === 'tlb' || cmd === 'slb') && args[0] !== undefined ? this.cpuById(args[0]) : this.cpu;
          if (!this.target.view) return `no ${cmd} view: this target has no MMU (run with --bare)`;
          return this.target.view(cmd, cpu, cmd === 'hpt' ? args[0] : undefined);
        }
        case 'quit':
        case 'q':
        case 'exit':
          this.quit = true;
          return '';
        case 'help':
        case 'h':
          return HELP;
        default:
          return `unknown command: ${cmd} (try help)`;
      }
    } catch (e) {
      if (e instanceof DebugError) return e.message;
      throw e;
    }
  }

  private count(s: string): number {
    const n = Number(s);
    if (!Number.isInteger(n) || n < 0) throw new DebugError(`not a count: ${s}`);
    return n;
  }

  /** Parses an address expression: number, label, register, with an optional +/- offset. */
  address(text: string): bigint {
    const m = /^(.+?)(?:([+-])(0x[0-9a-f]+|\d+))?$/i.exec(text);
    if (!m) throw new DebugError(`bad address: ${text}`);
    const base = m[1]!;
    let v: bigint;
    const cpu = this.cpu;
    if (/^(0x[0-9a-f]+|\d+)$/i.test(base)) v = BigInt(base);
    else if (base === 'pc' || base === '$pc') v = cpu.pc;
    else if (base === 'lr' || base === '$lr') v = (BigInt(cpu.lrHi >>> 0) << 32n) | BigInt(cpu.lrLo >>> 0);
    else if (base === 'ctr' || base === '$ctr') v = (BigInt(cpu.ctrHi >>> 0) << 32n) | BigInt(cpu.ctrLo >>> 0);
    else if (/^\$?r([0-9]|[12][0-9]|3[01])$/.test(base)) v = cpu.getGpr(Number(base.replace(/^\$?r/, '')));
    else {
      const s = this.target.symbols.get(base);
      if (s === undefined) throw new DebugError(`no symbol ${base}`);
      v = s;
    }
    if (m[2]) v = m[2] === '+' ? v + BigInt(m[3]!) : v - BigInt(m[3]!);
    return BigInt.asUintN(64, v);
  }

  private read(addr: bigint, n: number, kind: AccessKind): Uint8Array | null {
    return readAs(this.target, this.cpu, addr, n, kind);
  }

  private print(expr: string): string {
    if (!expr) throw new DebugError('print needs an expression (a number, label, pc, lr, ctr or rN, +/- a number)');
    const v = this.address(expr);
    return `${expr} = 0x${v.toString(16)} (${BigInt.asIntN(64, v)})`;
  }

  private translate(arg: string | undefined): string {
    if (!arg) throw new DebugError('translate needs an effective address');
    if (!this.target.probe) return 'no translation: this target has no MMU (run with --bare)';
    const ea = this.address(arg);
    const p = this.target.probe(this.cpu, ea);
    if (!p) return 'no translation: this machine has no MMU';
    const h = hex;
    const size = (s: number) => (s === 24 ? '16M' : s === 16 ? '64K' : '4K');
    const lines = [`cpu ${this.cpu.id} ea ${h(ea)} (MSR[DR]=${this.cpu.msrLo & MSR_DR ? 1 : 0} MSR[IR]=${this.cpu.msrLo & MSR_IR ? 1 : 0})`];
    if (!p.segment) return [...lines, '  slb: no entry (a load or store takes a Data Segment interrupt)'].join('\n');
    const s = p.segment;
    lines.push(`  slb: esid ${h(s.esid)} vsid ${h(s.vsid)} (${s.ssize ? '1T' : '256M'} segment), va ${h(s.va)}`);
    lines.push(p.tlb ? `  tlb: ra ${h(p.tlb.ra)} (${size(p.tlb.shift)} page)` : '  tlb: no entry');
    lines.push(p.walk ? `  hpt: slot ${h(p.walk.slot)} ra ${h(p.walk.ra)} (${size(p.walk.shift)} page)` : '  hpt: no matching PTE');
    if (p.tlb && p.walk && p.tlb.ra !== p.walk.ra) lines.push('  (the TLB entry is stale: the table now maps this page elsewhere)');
    else if (p.tlb && !p.walk) lines.push('  (the TLB entry is stale: the table no longer maps this page)');
    lines.push(p.ra === null ? '  -> no translation (a load or store takes a Data Storage interrupt)' : `  -> ra ${h(p.ra)}${p.tlb ? ' (through the TLB entry)' : ' (through a table walk)'}`);
    return lines.join('\n');
  }

  private where(): string {
    const pc = this.cpu.pc;
    const bytes = this.read(pc, 4, 'insn');
    if (!bytes) return `0x${pc.toString(16)}: <unmapped>`;
    const w = new DataView(bytes.buffer).getUint32(0, this.cpu.le);
    return this.line(pc, w, bytes);
  }

  private line(addr: bigint, w: number, bytes: Uint8Array): string {
    const hexBytes = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const sym = this.symbolAt(addr);
    return `0x${addr.toString(16).padStart(16, '0')}${sym}: ${hexBytes}  ${disassemble(w, addr).text}`;
  }

  private symbolAt(addr: bigint): string {
    for (const [name, a] of this.target.symbols) if (a === addr) return ` <${name}>`;
    return '';
  }

  private stopped(): string {
    const cpu = this.cpu;
    switch (cpu.stop) {
      case null:
        return '';
      case 'exit':
        return `program exited with status ${cpu.exitCode}`;
      case 'breakpoint':
        return `breakpoint at 0x${cpu.pc.toString(16)}${this.target.cpus.length > 1 ? ` (cpu ${cpu.id})` : ''}`;
      default:
        return `program stopped: ${cpu.stopMessage || cpu.stop}`;
    }
  }

  /** Runs the target (or only the current CPU when stepping), stepping over breakpoints. */
  private resume(budget: number, onlyThisCpu: boolean): void {
    const cpu = this.cpu;
    if (cpu.stop !== null && cpu.stop !== 'breakpoint') throw new DebugError(this.stopped());
    // Show the CPU that stopped at a breakpoint.
    this.change = null;
    if (!onlyThisCpu && this.watches.length > 0) {
      const r = resumeWatching(this.target, budget, this.watches);
      if (r.hit) this.cpu = r.hit;
      if (r.change) {
        this.change = r.change;
        this.cpu = r.change.cpu;
      }
      return;
    }
    const hit = resumeTarget(this.target, budget, onlyThisCpu ? cpu : null);
    if (hit) this.cpu = hit;
  }

  /** A watch line: what changed, and where the CPU that changed it is now. */
  private watchReport(c: WatchHit): string {
    const v = (b: Uint8Array) => '0x' + Array.from(this.cpu.le ? [...b].reverse() : b, (x) => x.toString(16).padStart(2, '0')).join('');
    const who = this.target.cpus.length > 1 ? ` by cpu ${c.cpu.id}` : '';
    const what = c.accessed === 'read' ? `value ${v(c.now)} read` : c.accessed === 'write' && !c.old.some((b, i) => b !== c.now[i]) ? `value ${v(c.now)} stored again` : `${v(c.old)} -> ${v(c.now)}`;
    return `${WATCH_NAME[c.watch.kind]} 0x${c.watch.addr.toString(16)} (${c.watch.len} bytes): ${what}${who}\n${this.where()}`;
  }

  /** One display's value: an x/... command's output, else the expression as print shows it. */
  private displayValue(expr: string): string {
    const [cmd, ...rest] = expr.split(/\s+/) as [string, ...string[]];
    const xi = /^x\/(\d*)i$/.exec(cmd);
    if (xi) return this.disasm([rest[0] ?? 'pc', xi[1] || '1']);
    if (cmd === 'x' || cmd.startsWith('x/')) return this.examine(cmd, rest, 'data');
    return this.print(expr.replace(/\s+/g, ''));
  }

  private display(args: string[]): string {
    if (args.length === 0) return this.displays.length === 0 ? 'no displays' : this.showDisplays();
    const expr = args.join(' ');
    const value = this.displayValue(expr); // a bad expression is refused now, not kept
    const d = { n: this.nextDisplay++, expr };
    this.displays.push(d);
    return `${d.n}: ${value}`;
  }

  private undisplay(args: string[]): string {
    if (args.length === 0) {
      const n = this.displays.length;
      this.displays.length = 0;
      return `deleted ${n} display${n === 1 ? '' : 's'}`;
    }
    const i = this.displays.findIndex((d) => String(d.n) === args[0]);
    if (i < 0) throw new DebugError(`no display ${args[0]}`);
    this.displays.splice(i, 1);
    return `deleted display ${args[0]}`;
  }

  private showDisplays(): string {
    return this.displays
      .map((d) => {
        try {
          return `${d.n}: ${this.displayValue(d.expr)}`;
        } catch (e) {
          if (e instanceof DebugError) return `${d.n}: ${d.expr}: ${e.message}`;
          throw e;
        }
      })
      .join('\n');
  }

  /** A run command's answer followed by the displays (gdb shows them at every stop). */
  private withDisplays(answer: string): string {
    return this.displays.length === 0 ? answer : `${answer}\n${this.showDisplays()}`;
  }

  private setWatch(args: string[], kind: WatchKind): string {
    const cmd = { write: 'watch', read: 'rwatch', access: 'awatch' }[kind];
    if (!args[0]) throw new DebugError(`${cmd} needs an address (and a length in bytes, default 8)`);
    const a = this.address(args[0]);
    const len = args[1] ? this.count(args[1]) : 8;
    if (len < 1 || len > 64) throw new DebugError('a watch covers 1 to 64 bytes');
    const w = makeWatch(this.target, this.cpu, a, len, kind);
    if (!w) throw new DebugError(`cannot watch 0x${a.toString(16)}: not mapped, or it crosses a page`);
    this.watches.push(w);
    armWatches(this.target, this.watches);
    const when = { write: 'changes it', read: 'loads from it', access: 'loads from it, stores to it or changes it' }[kind];
    return `${WATCH_NAME[kind]} 0x${a.toString(16)} (${len} bytes)${this.symbolAt(a)}: continue stops after an instruction ${when} (run one instruction at a time while set)`;
  }

  private unwatch(args: string[]): string {
    const n = this.watches.length;
    if (args[0]) {
      const a = this.address(args[0]);
      const i = this.watches.findIndex((w) => w.addr === a);
      if (i < 0) throw new DebugError(`no watchpoint at 0x${a.toString(16)}`);
      this.watches.splice(i, 1);
    } else this.watches.length = 0;
    armWatches(this.target, this.watches);
    const gone = n - this.watches.length;
    return `deleted ${gone} watchpoint${gone === 1 ? '' : 's'}`;
  }

  private selectCpu(arg: string | undefined): string {
    if (arg !== undefined) this.cpu = this.cpuById(arg);
    return `cpu ${this.cpu.id} of ${this.target.cpus.length}, pc 0x${this.cpu.pc.toString(16)}`;
  }

  private cpuById(arg: string): Cpu {
    const c = this.target.cpus.find((x) => String(x.id) === arg);
    if (!c) throw new DebugError(`no cpu ${arg} (this target has ${this.target.cpus.length})`);
    return c;
  }

  private step(n: number): string {
    this.resume(n, true);
    const s = this.stopped();
    return s && this.cpu.stop !== 'breakpoint' ? s : this.where();
  }

  /** Whether `line` is a continue (an interactive front end runs it in slices). */
  isContinue(line: string): boolean {
    const w = line.trim().split(/\s+/)[0];
    return w === 'continue' || w === 'c';
  }

  private contLeft = 0;
  private contFirst = true;

  /** Starts a continue run in slices; the answer when it cannot start, else null. */
  beginContinue(): string | null {
    const cpu = this.cpu;
    if (cpu.stop !== null && cpu.stop !== 'breakpoint') return this.stopped();
    this.contLeft = this.limit;
    this.contFirst = true;
    return null;
  }

  /** Runs up to `slice` more instructions of the continue: its answer once it ends, else null. */
  continueSlice(slice: number): string | null {
    const before = this.target.cpus.map((c) => c.instructions);
    const n = Math.min(slice, this.contLeft);
    let hit: Cpu | null;
    this.change = null;
    if (this.watches.length > 0) {
      const m = Math.min(n, WATCH_SLICE);
      const r = resumeWatching(this.target, m, this.watches, this.contFirst);
      hit = r.hit;
      this.contFirst = false;
      this.contLeft -= m;
      if (hit) this.cpu = hit;
      if (r.change) {
        this.change = r.change;
        this.cpu = r.change.cpu;
        return this.withDisplays(this.afterRun());
      }
    } else {
      hit = resumeTarget(this.target, n, null, this.contFirst);
      this.contFirst = false;
      this.contLeft -= n;
      if (hit) this.cpu = hit;
    }
    const moved = this.target.cpus.some((c, i) => c.instructions !== before[i]);
    const over = hit !== null || this.target.cpus.some((c) => c.stop !== null) || this.contLeft <= 0 || !moved;
    return over ? this.withDisplays(this.afterRun()) : null;
  }

  /** What a run that has ended reports: the watched change, the breakpoint or stop, or the bound. */
  private afterRun(): string {
    if (this.change) return this.watchReport(this.change);
    const s = this.stopped();
    if (this.cpu.stop === 'breakpoint') return `${s}\n${this.where()}`;
    return s || `stopped after ${this.limit} instructions\n${this.where()}`;
  }

  /** Ctrl-C during a sliced continue: where the program is now. */
  interruptContinue(): string {
    this.contLeft = 0;
    return this.withDisplays(`interrupted\n${this.where()}`);
  }

  /**
   * Runs the target until the selected CPU reaches `addr` (a breakpoint for it alone, taken
   * away after unless the user set one there), or something else stops it first.
   */
  private runTo(addr: bigint): string {
    const cpu = this.cpu;
    const mine = !this.breaks.has(addr);
    if (mine) cpu.addBreakpoint(addr);
    try {
      this.resume(this.limit, false);
    } finally {
      if (mine) cpu.removeBreakpoint(addr);
    }
    if (!this.change && this.cpu === cpu && cpu.stop === 'breakpoint' && cpu.pc === addr && mine) return this.where();
    return this.afterRun();
  }

  /** next: a call (a branch that sets LR) runs to its return; anything else is one step. */
  private next(): string {
    const bytes = this.read(this.cpu.pc, 4, 'insn');
    if (!bytes) return this.step(1);
    const w = new DataView(bytes.buffer).getUint32(0, this.cpu.le);
    const def = decode(w);
    const links = def !== null && def.flags.lk && (w & 1) !== 0;
    return links ? this.runTo(this.cpu.pc + 4n) : this.step(1);
  }

  /** finish: run to the address LR holds now (the return of a function entered by a call, until it saves LR). */
  private finish(): string {
    const lr = (BigInt(this.cpu.lrHi >>> 0) << 32n) | BigInt(this.cpu.lrLo >>> 0);
    return this.runTo(lr & ~3n);
  }

  private cont(): string {
    this.resume(this.limit, false);
    return this.afterRun();
  }

  private setBreak(args: string[]): string {
    if (!args[0]) throw new DebugError('break needs an address or label');
    const a = this.address(args[0]);
    if (a % 4n !== 0n) throw new DebugError(`breakpoint address 0x${a.toString(16)} is not word-aligned`);
    this.breaks.add(a);
    // Every CPU of the target stops there, as gdb's breakpoints do for every thread.
    for (const c of this.target.cpus) c.addBreakpoint(a);
    return `breakpoint at 0x${a.toString(16)}${this.symbolAt(a)}`;
  }

  private delete(args: string[]): string {
    const targets = args[0] ? [this.address(args[0])] : [...this.breaks];
    for (const a of targets) {
      if (!this.breaks.delete(a)) throw new DebugError(`no breakpoint at 0x${a.toString(16)}`);
      for (const c of this.target.cpus) c.removeBreakpoint(a);
    }
    return `deleted ${targets.length} breakpoint${targets.length === 1 ? '' : 's'}`;
  }

  private listBreaks(): string {
    if (this.breaks.size === 0) return 'no breakpoints';
    return [...this.breaks].map((a) => `0x${a.toString(16)}${this.symbolAt(a)}`).join('\n');
  }

  regs(): string {
    const c = this.cpu;
    const lines: string[] = [];
    for (let r = 0; r < 32; r += 4) {
      lines.push(
        [0, 1, 2, 3].map((k) => `r${r + k}`.padStart(3) + ' ' + hex64(c.hi[r + k]!, c.lo[r + k]!)).join('  '),
      );
    }
    lines.push(
      ` pc ${hex64(c.pcHi, c.pcLo)}   lr ${hex64(c.lrHi, c.lrLo)}  ctr ${hex64(c.ctrHi, c.ctrLo)}`,
      ` cr ${(c.cr >>> 0).toString(16).padStart(8, '0')}  xer ${hex64(0, c.xer)}  msr ${hex64(c.msrHi, c.msrLo)}`,
    );
    return lines.join('\n');
  }

  private examine(cmd: string, args: string[], kind: 'data' | 'real'): string {
    const m = /^x(?:\/(\d*)([bhwg]?)x?)?$/.exec(cmd);
    if (!m) throw new DebugError(`bad examine command: ${cmd}`);
    const n = m[1] ? Number(m[1]) : 1;
    const size = { b: 1, h: 2, w: 4, g: 8, '': 4 }[m[2] ?? '']!;
    if (!args[0]) throw new DebugError('x needs an address');
    const addr = this.address(args[0]);
    const bytes = this.read(addr, n * size, kind);
    if (!bytes) throw new DebugError(`cannot access memory at 0x${addr.toString(16)}${kind === 'data' && this.target.probe && this.cpu.msrLo & MSR_DR ? ' (no translation: see translate)' : ''}`);
    const dv = new DataView(bytes.buffer);
    const perLine = Math.max(1, 16 / size);
    const lines: string[] = [];
    for (let k = 0; k < n; k += perLine) {
      const vals: string[] = [];
      for (let j = k; j < Math.min(n, k + perLine); j++) {
        const o = j * size;
        const v =
          size === 1
            ? BigInt(dv.getUint8(o))
            : size === 2
              ? BigInt(dv.getUint16(o, this.cpu.le))
              : size === 4
                ? BigInt(dv.getUint32(o, this.cpu.le))
                : dv.getBigUint64(o, this.cpu.le);
        vals.push('0x' + v.toString(16).padStart(size * 2, '0'));
      }
      lines.push(`0x${(addr + BigInt(k * size)).toString(16)}: ${vals.join(' ')}`);
    }
    return lines.join('\n');
  }

  private disasm(args: string[]): string {
    const addr = args[0] ? this.address(args[0]) : this.cpu.pc;
    const n = args[1] ? this.count(args[1]) : 8;
    const lines: string[] = [];
    for (let k = 0; k < n; k++) {
      const a = addr + BigInt(k * 4);
      const bytes = this.read(a, 4, 'insn');
      if (!bytes) {
        lines.push(`0x${a.toString(16)}: <unmapped>`);
        break;
      }
      const w = new DataView(bytes.buffer).getUint32(0, this.cpu.le);
      lines.push((a === this.cpu.pc ? '=> ' : '   ') + this.line(a, w, bytes));
    }
    return lines.join('\n');
  }
}

class DebugError extends Error {}
