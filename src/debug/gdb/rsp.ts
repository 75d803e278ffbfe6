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

/** Splits a byte stream into packets, acks and interrupts; keeps partial packets between calls. */
export class PacketReader {
  private buf = '';

  feed(chunk: string): Incoming[] {
    this.buf += chunk;
    const out: Incoming[] = [];
    for (;;) {
      if (this.buf.length === 0) return out;
      const c = this.buf[0]!;
      if (c === '+' || c === '-' || c === '\x03') {
        out.push(c === '+' ? { kind: 'ack' } : c === '-' ? { kind: 'nak' } : { kind: 'interrupt' });
        this.buf = this.buf.slice(1);
        continue;
      }
      if (c !== '$') {
        this.buf = this.buf.slice(1); // noise between packets
        continue;
      }
      const hash = this.buf.indexOf('#');
      if (hash < 0 || this.buf.length < hash + 3) return out; // incomplete
      const body = this.buf.slice(1, hash);
      const sum = this.buf.slice(hash + 1, hash + 3);
      this.buf = this.buf.slice(hash + 3);
      if (sum.toLowerCase() !== checksum(body)) {
        out.push({ kind: 'bad-checksum' });
        continue;
      }
      out.push({ kind: 'packet', payload: body.replace(/\}(.)/gs, (_m, x: string) => String.fromCharCode(x.charCodeAt(0) ^ 0x20)) });
    }
  }
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
