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
    const send = (payload: string) => {
      last = frame(payload);
      sock.write(last, 'latin1');
    };
    const pump = () => {
      const stop = session.runSlice();
      if (stop !== null) send(stop);
      else setImmediate(pump);
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
          const r = session.handle(m.payload);
          if (r.kind === 'reply') send(r.payload);
          else if (r.kind === 'running') setImmediate(pump);
          else {
            if (r.payload !== null) send(r.payload);
            sock.end();
          }
        }
      }
    });
    sock.on('close', () => opts.onClose?.());
    sock.on('error', () => sock.destroy());
  });
  server.listen(opts.port, '127.0.0.1', () => {
    const a = server.address();
    opts.onListening?.(typeof a === 'object' && a ? a.port : opts.port);
  });
  return server;
}
