// The GDB Remote Serial Protocol's framing (GDB manual, "Remote Protocol" / "Overview"):
// packets `$payload#cc` with a two-hex-digit modulo-256 checksum, acknowledged with `+` (or
// `-` to ask for a resend), `}` escaping (the next byte XOR 0x20) for `$`, `#`, `}` and `*`,
// and a lone 0x03 byte to interrupt the running target.

export type Incoming = { kind: 'packet'; payload: string } | { kind: 'bad-checksum' } | { kind: 'interrupt' } | { kind: 'ack' } | { kind: 'nak' };

function checksum(s: string): string {
  let sum = 0;
  for (let i = 0; i < s.length; i++) sum = (sum + s.charCodeAt(i)) & 0xff;
  return sum.toString(16).padStart(2, '0');
}

/** Escapes the characters the protocol reserves. */
export function escape(payload: string): string {
  return payload.replace(/[$#}*]/g, (c) => '}' + String.fromCharCode(c.charCodeAt(0) ^ 0x20));
}

/** The bytes of one packet carrying `payload` (escaped). */
export function frame(payload: string): string {
  const body = escape(payload);
  return `$${body}#${checksum(body)}`;
}

/**
 * Longest packet body accepted: the PacketSize the server advertises (0x4000) with room for
 * escapes. A longer one is dropped (answered with `-`) instead of being buffered without end.
 */
export const MAX_PACKET = 0x8000;

/**
 * Splits a byte stream into packets, acks and interrupts; keeps a partial packet between
 * calls. Each byte is looked at a bounded number of times, so a flood costs linear time.
 */
export class PacketReader {
  private buf = '';
  /** Where the search for the current packet's `#` resumes. */
  private scan = 1;

  feed(chunk: string): Incoming[] {
    this.buf += chunk;
    const out: Incoming[] = [];
    let i = 0;
    const n = this.buf.length;
    while (i < n) {
      const c = this.buf[i]!;
      if (c === '+' || c === '-' || c === '\x03') {
        out.push(c === '+' ? { kind: 'ack' } : c === '-' ? { kind: 'nak' } : { kind: 'interrupt' });
        i++;
        continue;
      }
      if (c !== '$') {
        i++; // noise between packets
        continue;
      }
      const hash = this.buf.indexOf('#', i + Math.max(1, this.scan));
      if (hash < 0 || n < hash + 3) {
        if (hash < 0 && n - i > MAX_PACKET + 3) {
          out.push({ kind: 'bad-checksum' }); // too long: drop it, ask for nothing more of it
          i = n;
          this.scan = 1;
          continue;
        }
        this.scan = hash < 0 ? n - i : hash - i; // incomplete: resume the search here
        break;
      }
      this.scan = 1;
      const body = this.buf.slice(i + 1, hash);
      const sum = this.buf.slice(hash + 1, hash + 3);
      i = hash + 3;
      if (body.length > MAX_PACKET || sum.toLowerCase() !== checksum(body)) {
        out.push({ kind: 'bad-checksum' });
        continue;
      }
      out.push({ kind: 'packet', payload: body.replace(/\}(.)/gs, (_m, x: string) => String.fromCharCode(x.charCodeAt(0) ^ 0x20)) });
    }
    this.buf = this.buf.slice(i);
    return out;
  }
}

/** A hexadecimal protocol argument (at most 64 bits), or null when it is not one. */
export function hexArg(s: string | undefined): bigint | null {
  if (s === undefined || !/^[0-9a-fA-F]{1,16}$/.test(s)) return null;
  return BigInt('0x' + s);
}

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function fromHex(s: string): Uint8Array | null {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return null;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
  return out;
}
