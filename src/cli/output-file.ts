// Files the CLI writes (--state-out, --trace, --events, asm -o, --fixture-out): opened before
// any work starts, so a bad path is one clear line and exit 2 instead of a stack trace after
// the run; written in bounded chunks as the run goes (a long trace is not kept in memory);
// a reader that closes the pipe early (`--trace /dev/stdout | head`) ends the output quietly.

import { closeSync, fchmodSync, fstatSync, openSync, statSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';

const CHUNK = 1 << 16;

function reason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such directory';
    case 'EISDIR':
      return 'is a directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return code ?? String(e);
  }
}

export class OutputFile {
  private fd: number;
  private pending: string[] = [];
  private size = 0;
  private closed = false;

  /** Opens (creates or truncates) `path` now; bad paths throw an InputError naming `what`. */
  constructor(
    readonly path: string,
    what: string,
    mode = 0o644,
  ) {
    try {
      if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) throw Object.assign(new Error(), { code: 'EISDIR' });
      this.fd = openSync(path, 'w', mode);
    } catch (e) {
      throw new InputError(`${what} ${path}: cannot write: ${reason(e)}`);
    }
    // An existing regular file keeps its old mode on open: set it as a new one would be.
    try {
      if (fstatSync(this.fd).isFile()) fchmodSync(this.fd, mode & ~process.umask());
    } catch {
      // not ours to change (another owner): the contents are still written
    }
  }

  write(text: string | Uint8Array): void {
    if (this.closed) return;
    if (typeof text !== 'string') {
      this.flush();
      this.raw(text);
      return;
    }
    this.pending.push(text);
    this.size += text.length;
    if (this.size >= CHUNK) this.flush();
  }

  private raw(data: string | Uint8Array): void {
    try {
      if (typeof data === 'string') writeSync(this.fd, data);
      else writeSync(this.fd, data);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') {
        this.closed = true; // the reader went away: nothing more to write
        return;
      }
      throw new InputError(`${this.path}: cannot write: ${reason(e)}`);
    }
  }

  flush(): void {
    if (this.pending.length === 0 || this.closed) return;
    const s = this.pending.join('');
    this.pending = [];
    this.size = 0;
    this.raw(s);
  }

  close(): void {
    this.flush();
    try {
      closeSync(this.fd);
    } catch {
      // already gone (a closed pipe)
    }
    this.closed = true;
  }
}
