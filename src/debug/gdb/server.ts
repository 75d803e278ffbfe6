// `ppc64emu gdbserver PORT PROGRAM`: one GDB connection over TCP on 127.0.0.1 (GDB manual,
// "Remote Protocol"), acknowledging packets, answering through GdbSession, and running a
// continue in slices on the event loop so GDB's interrupt (0x03) gets through.

import { createServer, type Server, type Socket } from 'node:net';
import type { DebugTarget } from '../target.js';
import { frame, PacketReader } from './rsp.js';
import { GdbSession } from './session.js';

export interface GdbServerOptions {
  port: number;
  /** Called once listening (with the port, useful with port 0). */
  onListening?: (port: number) => void;
  /** Called when the connection ends; the server then closes. */
  onClose?: () => void;
  /** The guest's stdout and stderr as it writes them (the CLI copies them to its own). */
  onOutput?: (stdout: Uint8Array[], stderr: Uint8Array[]) => void;
  /**
   * Also send the guest's output to GDB as console-output packets ("O" + hex, GDB manual
   * "Stop Reply Packets"), which GDB prints: just before the stop reply that ends a step or a
   * continue, the only time GDB reads them.
   */
  console?: boolean;
}

/** Bytes per "O" packet (hex doubles them; GDB's default packet buffer takes 400 characters). */
const CONSOLE_CHUNK = 180;

/** The "O" packets carrying `chunks`, in order. */
export function consolePackets(chunks: readonly Uint8Array[]): string[] {
  const out: string[] = [];
  for (const c of chunks)
    for (let k = 0; k < c.length; k += CONSOLE_CHUNK) out.push('O' + Buffer.from(c.subarray(k, k + CONSOLE_CHUNK)).toString('hex'));
  return out;
}

/** Serves one GDB connection for `target`, then closes. */
export function serveGdb(target: DebugTarget, opts: GdbServerOptions): Server {
  const server = createServer((sock: Socket) => {
    server.close(); // one connection
    sock.setEncoding('latin1');
    sock.setNoDelay(true);
    const session = new GdbSession(target);
    const reader = new PacketReader();
    let last = '';
    let open = true;
    // Output is drained before every reply; as O packets only before a stop reply (T, S, W,
    // X), since GDB reads "O..." as console output only while it waits for one.
    const forward = (stopReply: boolean) => {
      const o = target.drainOutput?.();
      if (!o || (!o.stdout.length && !o.stderr.length)) return;
      opts.onOutput?.(o.stdout, o.stderr);
      if (opts.console && stopReply && open) for (const p of consolePackets([...o.stdout, ...o.stderr])) sock.write(frame(p), 'latin1');
    };
    const send = (payload: string) => {
      forward(/^[TSWX]/.test(payload));
      last = frame(payload);
      if (open) sock.write(last, 'latin1');
    };
    // A continue runs in slices; it ends with a stop reply, an interrupt, a detach or the
    // connection closing, and then nothing is rescheduled.
    let pumping = false;
    const pump = () => {
      pumping = false;
      if (!open || !session.isRunning) return;
      const stop = session.runSlice();
      if (stop !== null) send(stop);
      else schedule();
    };
    const schedule = () => {
      if (pumping) return;
      pumping = true;
      setImmediate(pump);
    };
    // A malformed packet is answered E01; nothing a client sends ends the server abnormally.
    const handle = (payload: string) => {
      try {
        return session.handle(payload);
      } catch {
        return { kind: 'reply' as const, payload: 'E01' };
      }
    };
    sock.on('data', (chunk: string) => {
      for (const m of reader.feed(chunk)) {
        if (m.kind === 'nak') sock.write(last, 'latin1');
        else if (m.kind === 'bad-checksum') sock.write('-');
        else if (m.kind === 'interrupt') {
          const stop = session.interrupt();
          if (stop !== null) send(stop);
        } else if (m.kind === 'packet') {
          sock.write('+');
          const r = handle(m.payload);
          if (r.kind === 'reply') send(r.payload);
          else if (r.kind === 'running') schedule();
          else {
            session.interrupt();
            if (r.payload !== null) send(r.payload);
            open = false;
            sock.end();
          }
        }
      }
    });
    sock.on('close', () => {
      open = false;
      session.interrupt();
      opts.onClose?.();
    });
    sock.on('error', () => sock.destroy());
  });
  server.listen(opts.port, '127.0.0.1', () => {
    const a = server.address();
    opts.onListening?.(typeof a === 'object' && a ? a.port : opts.port);
  });
  return server;
}
