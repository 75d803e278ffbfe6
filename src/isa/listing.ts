// objdump-style listing of a region of instruction words: "addr:\tbytes \tmnemonic operands",
// with a "<label>:" line where a symbol starts.

import { disassemble } from './disasm.js';

export function disassembleRegion(
  bytes: Uint8Array,
  base: bigint,
  le: boolean,
  symbols: ReadonlyMap<string, bigint> = new Map(),
): string[] {
  const byAddr = new Map<bigint, string>();
  for (const [name, a] of symbols) if (!byAddr.has(a)) byAddr.set(a, name);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lines: string[] = [];
  for (let o = 0; o + 4 <= bytes.length; o += 4) {
    const addr = base + BigInt(o);
    const label = byAddr.get(addr);
    if (label) lines.push(`${addr.toString(16).padStart(16, '0')} <${label}>:`);
    const w = dv.getUint32(o, le);
    const hexBytes = Array.from(bytes.subarray(o, o + 4), (b) => b.toString(16).padStart(2, '0')).join(' ');
    lines.push(`${addr.toString(16).padStart(8, ' ')}:\t${hexBytes} \t${disassemble(w, addr).text}`);
  }
  return lines;
}
