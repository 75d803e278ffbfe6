// One GDB connection's command handling (GDB manual, "Packets", "General Query Packets",
// "Stop Reply Packets"), over a DebugTarget: registers, memory, software breakpoints, step,
// continue in slices (so an interrupt from GDB can stop it), one thread per CPU. Transport
// (sockets, acks) is server.ts's; this file maps a packet to its reply.

import type { Cpu } from '../../cpu/cpu.js';
import { Debugger } from '../debugger.js';
import { armWatches, makeWatch, readAs, resumeStoppingAtWatches, resumeTarget, writeAs, type DebugTarget, type Watch, type WatchKind } from '../target.js';
import { readAll, readReg, targetXml, writeAll, writeReg } from './registers.js';
import { fromHex, hexArg, toHex } from './rsp.js';

/** Instructions a continue runs before the server looks for an interrupt from GDB. */
export const SLICE = 200_000;

export type Reply = { kind: 'reply'; payload: string } | { kind: 'running' } | { kind: 'close'; payload: string | null };

const reply = (payload: string): Reply => ({ kind: 'reply', payload });
const ERR = reply('E01');

export class GdbSession {
  /** CPU for register and memory packets (Hg) and for step/continue (Hc). */
  private gCpu: Cpu;
  private cCpu: Cpu | null = null;
  private running = false;
  /** Write, read and access watchpoints (Z2-Z4): their pages report every access (target.ts). */
  private readonly watches: Watch[] = [];
  private readonly xml = targetXml();

  constructor(private readonly target: DebugTarget) {
    this.gCpu = target.cpus[0]!;
  }

  private tid(c: Cpu): string {
    return (c.id + 1).toString(16);
  }

  private cpuOf(tid: string): Cpu | null | 'any' {
    if (tid === '-1' || tid === '0') return 'any';
    const n = hexArg(tid);
    return n === null ? null : (this.target.cpus.find((c) => BigInt(c.id + 1) === n) ?? null);
  }

  /** Why the target is stopped, as a stop reply. */
  stopReply(signal = 5): string {
    const held = (c: Cpu) => c.stop === 'breakpoint' || c.stop === 'watchpoint';
    const live = this.target.cpus.filter((c) => c.stop === null || held(c));
    const hit = this.target.cpus.find(held);
    // A bare machine halted by attn is stopped, not gone: GDB keeps its state to inspect (as
    // QEMU's gdbstub reports a halted CPU with a stop reply, not an exit).
    const halted = this.target.cpus.find((c) => c.stop === 'halt');
    if (!hit && halted) {
      this.gCpu = halted;
      return `T${signal.toString(16).padStart(2, '0')}thread:${this.tid(halted)};`;
    }
    if (!hit && live.length === 0) {
      const exited = this.target.cpus.find((c) => c.stop === 'exit');
      return `W${((exited?.exitCode ?? 0) & 0xff).toString(16).padStart(2, '0')}`;
    }
    if (!hit) {
      const stuck = this.target.cpus.find((c) => c.stop !== null && c.stop !== 'exit');
      if (stuck) return `W${(stuck.exitCode ?? 0).toString(16).padStart(2, '0')}`;
    }
    const c = hit ?? this.gCpu;
    this.gCpu = c;
    return `T${signal.toString(16).padStart(2, '0')}thread:${this.tid(c)};`;
  }

  handle(payload: string): Reply {
    const cmd = payload[0] ?? '';
    const rest = payload.slice(1);
    switch (cmd) {
      case '?':
        return reply(this.stopReply());
      case 'g':
        return reply(toHex(readAll(this.gCpu)));
      case 'G': {
        const b = fromHex(rest);
        return b && writeAll(this.gCpu, b) ? reply('OK') : ERR;
      }
      case 'p': {
        const n = hexArg(rest);
        const v = n === null || n > 0xffffn ? null : readReg(this.gCpu, Number(n));
        return v ? reply(toHex(v)) : ERR;
      }
      case 'P': {
        const [r, hex] = rest.split('=');
        const n = hexArg(r);
        const b = fromHex(hex ?? '');
        return n !== null && n <= 0xffffn && b && writeReg(this.gCpu, Number(n), b) ? reply('OK') : ERR;
      }
      case 'm': {
        const [a, l] = rest.split(',');
        const addr = hexArg(a);
        const len = hexArg(l);
        if (addr === null || len === null || len > 0x4000n) return ERR;
        const bytes = readAs(this.target, this.gCpu, addr, Number(len), 'data');
        return bytes ? reply(toHex(bytes)) : ERR;
      }
      case 'M': {
        const m = /^([0-9a-f]{1,16}),([0-9a-f]{1,4}):([0-9a-f]*)$/i.exec(rest);
        const bytes = m ? fromHex(m[3]!) : null;
        if (!m || !bytes || bytes.length !== parseInt(m[2]!, 16)) return ERR;
        return writeAs(this.target, this.gCpu, BigInt('0x' + m[1]), bytes, 'data') ? reply('OK') : ERR;
      }
      case 'Z':
      case 'z':
        return this.breakpoint(cmd === 'Z', rest);
      case 'H': {
        const c = this.cpuOf(rest.slice(1));
        if (c === null) return ERR;
        if (rest[0] === 'g') this.gCpu = c === 'any' ? this.gCpu : c;
        else this.cCpu = c === 'any' ? null : c;
        return reply('OK');
      }
      case 'T':
        return this.cpuOf(rest) ? reply('OK') : ERR;
      case 's':
        return this.step(rest);
      case 'c': {
        const at = rest ? hexArg(rest) : undefined;
        if (at === null) return ERR;
        if (at !== undefined) this.gCpu.pc = at;
        this.running = true;
        return { kind: 'running' };
      }
      case 'k':
      case 'D':
        // The session ends: its watches go (their pages are unmarked).
        this.watches.length = 0;
        armWatches(this.target, this.watches);
        return { kind: 'close', payload: cmd === 'D' ? 'OK' : null };
      case 'q':
        return this.query(rest);
      default:
        // vCont?, vMustReplyEmpty, X, ...: unsupported packets get the empty reply.
        return reply('');
    }
  }

  private breakpoint(insert: boolean, rest: string): Reply {
    const [type, addr, kind] = rest.split(',');
    if (type === '2' || type === '3' || type === '4') return this.watchpoint(insert, addr, kind, type === '2' ? 'write' : type === '3' ? 'read' : 'access');
    if (type !== '0' && type !== '1') return ERR;
    const a = hexArg(addr);
    if (a === null || a % 4n !== 0n) return ERR;
    for (const c of this.target.cpus) {
      if (insert) c.addBreakpoint(a);
      else c.removeBreakpoint(a);
    }
    return reply('OK');
  }

  /**
   * Z2/Z3/Z4 (z2/z3/z4): a write, read or access watchpoint on LEN bytes at ADDR, in software
   * (target.ts Watch): a write watch stops on a change of value, a read watch after a load
   * of a watched byte, an access watch after a load or store of one.
   */
  private watchpoint(insert: boolean, addr: string | undefined, len: string | undefined, kind: WatchKind): Reply {
    const a = hexArg(addr);
    const n = hexArg(len);
    if (a === null || n === null || n < 1n || n > 64n) return ERR;
    if (!insert) {
      const i = this.watches.findIndex((w) => w.addr === a && BigInt(w.len) === n && w.kind === kind);
      if (i >= 0) this.watches.splice(i, 1);
      armWatches(this.target, this.watches);
      return reply('OK');
    }
    const w = makeWatch(this.target, this.gCpu, a, Number(n), kind);
    if (!w) return ERR;
    this.watches.push(w);
    armWatches(this.target, this.watches);
    return reply('OK');
  }

  private step(rest: string): Reply {
    const cpu = this.cCpu ?? this.gCpu;
    const at = rest ? hexArg(rest) : undefined;
    if (at === null) return ERR;
    if (at !== undefined) cpu.pc = at;
    if (cpu.stop !== null && cpu.stop !== 'breakpoint' && cpu.stop !== 'watchpoint') return reply(this.stopReply());
    resumeTarget(this.target, 1, cpu);
    this.gCpu = cpu;
    if (cpu.stop === 'breakpoint') cpu.stop = null; // stepping onto a breakpoint is a step
    return reply(cpu.stop === null ? `T05thread:${this.tid(cpu)};` : this.stopReply());
  }

  /** Whether a continue is in progress (the server keeps running slices while it is). */
  get isRunning(): boolean {
    return this.running;
  }

  /** Runs one slice of a continue; the stop reply when it stopped, else null. */
  runSlice(): string | null {
    if (!this.running) return null;
    const before = this.target.cpus.map((c) => c.instructions);
    let hit: Cpu | null;
    if (this.watches.length > 0) {
      // Stopped before the access (pc at the instruction), as QEMU's gdbstub stops a PowerPC
      // guest: GDB steps over it with the watchpoints out and, for `watch`, compares values.
      const r = resumeStoppingAtWatches(this.target, SLICE, this.watches);
      hit = r.hit;
      if (r.watch && r.hit) {
        this.running = false;
        this.gCpu = r.hit;
        // gdb's stop reasons: watch (write), rwatch (read), awatch (access), with the watched address.
        const reason = { write: 'watch', read: 'rwatch', access: 'awatch' }[r.watch.kind];
        return `T05${reason}:${r.watch.addr.toString(16)};thread:${this.tid(r.hit)};`;
      }
    } else hit = resumeTarget(this.target, SLICE, null);
    const moved = this.target.cpus.some((c, i) => c.instructions !== before[i]);
    const live = this.target.cpus.some((c) => c.stop === null);
    if (hit || !live || !moved) {
      this.running = false;
      return this.stopReply();
    }
    return null;
  }

  /** GDB sent an interrupt (Ctrl-C) while running: stop with SIGINT. */
  interrupt(): string | null {
    if (!this.running) return null;
    this.running = false;
    return this.stopReply(2);
  }

  private query(q: string): Reply {
    if (q.startsWith('Supported')) return reply('PacketSize=4000;qXfer:features:read+');
    if (q.startsWith('Xfer:features:read:target.xml:')) {
      const [o, l] = q.slice('Xfer:features:read:target.xml:'.length).split(',');
      const off = hexArg(o);
      const len = hexArg(l);
      if (off === null || len === null || off > 0x100000n || len > 0x100000n) return ERR;
      const chunk = this.xml.slice(Number(off), Number(off + len));
      return reply((Number(off + len) >= this.xml.length ? 'l' : 'm') + chunk);
    }
    if (q === 'Attached') return reply('1');
    if (q === 'C') return reply(`QC${this.tid(this.gCpu)}`);
    if (q === 'fThreadInfo') return reply('m' + this.target.cpus.map((c) => this.tid(c)).join(','));
    if (q === 'sThreadInfo') return reply('l');
    if (q.startsWith('ThreadExtraInfo,')) {
      const c = this.cpuOf(q.slice('ThreadExtraInfo,'.length));
      return c && c !== 'any' ? reply(toHex(new TextEncoder().encode(`cpu ${c.id}`))) : ERR;
    }
    if (q.startsWith('Symbol')) return reply('OK');
    if (q.startsWith('Rcmd,')) {
      const bytes = fromHex(q.slice('Rcmd,'.length));
      if (bytes === null) return ERR;
      const text = this.monitor(new TextDecoder().decode(bytes));
      return reply(toHex(new TextEncoder().encode(text.endsWith('\n') ? text : text + '\n')));
    }
    return reply('');
  }

  /**
   * `monitor CMD` (qRcmd): the debugger's read-only views for the selected thread's CPU, the
   * way QEMU's monitor answers `info tlb`: tlb, slb, hpt, translate, x, xp, print. Commands
   * that run the target are gdb's own (stepi, continue), so they are not offered here.
   */
  private monitor(line: string): string {
    const words = line.trim().split(/\s+/).filter(Boolean);
    if (words[0] === 'info' && words.length > 1) words.shift(); // "info tlb" as QEMU spells it
    const cmd = words[0] ?? 'help';
    const ok = ['tlb', 'slb', 'hpt', 'pending', 'translate', 'print', 'p', 'xp'].includes(cmd) || /^xp?(\/|$)/.test(cmd);
    if (!ok) return 'monitor commands: tlb [CPU], slb [CPU], hpt [EA|SLOT], pending, translate EA, x/N[bhwg] EA, xp/N[bhwg] RA, print EXPR (for the selected thread\'s CPU)';
    const dbg = new Debugger(this.target);
    dbg.cpu = this.gCpu;
    return dbg.execute(words.join(' '));
  }
}
