// Text views of translation state for the debugger: tlb, slb, hpt.

import type { Cpu } from '../cpu/cpu.js';
import type { HashMmu } from './hash-mmu.js';
import type { PendingInvalidation } from './invalidation.js';
import type { Slb } from './slb.js';
import type { TlbEntry } from './tlb.js';

const hex = (v: bigint, w = 16) => '0x' + v.toString(16).padStart(w, '0');
const SIZE: Record<number, string> = { 12: '4K', 16: '64K', 24: '16M' };

export function renderTlb(cpuId: number, entries: TlbEntry[], pending: readonly PendingInvalidation[]): string {
  const lines = [`cpu ${cpuId} TLB: ${entries.length} entries`];
  for (const e of entries) {
    const va = e.vpn << BigInt(e.actualShift);
    lines.push(
      `  va ${hex(va, 20)} ${SIZE[e.actualShift]!.padEnd(3)} ${e.ssize ? '1T  ' : '256M'} -> ra ${hex(e.ra)} pp ${e.pp}` +
        `${e.noExec ? ' N' : ''}${e.changed ? ' C' : ''} slot ${hex(e.slot, 8)}${e.speculative ? ' speculative' : ''}`,
    );
  }
  const mine = pending.filter((p) => p.targets.has(cpuId));
  for (const p of mine) {
    lines.push(`  pending ${p.op} from cpu ${p.issuer}: ${p.rb.describe}${p.tlbsynced ? ' (tlbsync done, needs ptesync)' : ''}`);
  }
  return lines.join('\n');
}

export function renderSlb(cpuId: number, slb: Slb): string {
  const lines = [`cpu ${cpuId} SLB:`];
  slb.entries.forEach((e, i) => {
    if (!e || !e.valid) return;
    const shift = e.ssize ? 40n : 28n;
    lines.push(
      `  ${String(i).padStart(2)}: esid ${hex(e.esid << shift)} ${e.ssize ? '1T  ' : '256M'} vsid ${hex(e.vsid, 13)}` +
        ` ${SIZE[e.baseShift]}${e.ks ? ' Ks' : ''}${e.kp ? ' Kp' : ''}${e.noExec ? ' N' : ''}${e.cls ? ' C' : ''}`,
    );
  });
  if (lines.length === 1) lines.push('  (empty)');
  return lines.join('\n');
}

export function renderHpt(mmu: HashMmu, cpu: Cpu, arg: string | undefined): string {
  const loc = mmu.location(cpu);
  if (!loc) return 'no hashed page table (SDR1/PTCR not set)';
  let ea: bigint | null = null;
  if (arg !== undefined) {
    if (!/^(0x[0-9a-f]+|\d+)$/i.test(arg)) return `bad address: ${arg}`;
    ea = BigInt(arg);
  }
  // An address inside the table names a slot; any other address is an EA to hash.
  if (ea !== null && ea >= loc.htaborg && ea < loc.htaborg + loc.bytes) {
    const slot = ea & ~15n;
    const [r] = mmu.hptSlots(cpu, [slot]);
    return `HPT slot ${hex(slot, 8)} (PTEG ${(slot - loc.htaborg) >> 7n}, entry ${(slot >> 4n) & 7n}) as cpu ${cpu.id} sees it: ${hex(r!.dw0)} ${hex(r!.dw1)}`;
  }
  const rows = mmu.hptEntries(cpu, ea);
  const head = `HPT at ${hex(loc.htaborg)}, ${loc.ptegs} PTEGs` + (ea !== null ? `; PTEGs for EA ${hex(ea)} (primary, secondary)` : '; valid entries') + ` as cpu ${cpu.id} sees it`;
  return [head, ...rows.map((r) => `  slot ${hex(r.slot, 8)}: ${hex(r.dw0)} ${hex(r.dw1)}${r.dw0 & 1n ? '' : '  (invalid)'}`)].join('\n');
}
