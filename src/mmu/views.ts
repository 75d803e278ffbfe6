// Text views of translation state for the debugger: tlb, slb, hpt.

import type { Cpu } from '../cpu/cpu.js';
import type { HashMmu } from './hash-mmu.js';
import { decodeHpte } from './hpte.js';
import { hex as shortHex } from '../hex.js';
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
    return `HPT slot ${hex(slot, 8)} (PTEG ${(slot - loc.htaborg) >> 7n}, entry ${(slot >> 4n) & 7n}) as cpu ${cpu.id} sees it: ${hex(r!.dw0)} ${hex(r!.dw1)}\n  ${hpteFields(mmu, r!.dw0, r!.dw1)}`;
  }
  const rows = mmu.hptEntries(cpu, ea);
  const head = `HPT at ${hex(loc.htaborg)}, ${loc.ptegs} PTEGs` + (ea !== null ? `; PTEGs for EA ${hex(ea)} (primary, secondary)` : '; valid entries') + ` as cpu ${cpu.id} sees it`;
  return [head, ...rows.map((r) => `  slot ${hex(r.slot, 8)}: ${hex(r.dw0)} ${hex(r.dw1)}${r.dw0 & 1n ? '' : '  (invalid)'}${r.dw0 | r.dw1 ? `\n    ${hpteFields(mmu, r.dw0, r.dw1)}` : ''}`)].join('\n');
}

/**
 * The fields of a PTE in this model's layout (Book III 5.7.7.1, "Page Table Entry"): dw0's
 * B, AVPN, SW, L, H, V; dw1's real address (for L=0; ARPN and LP otherwise), PP0||PP, key,
 * WIMG, N, R, C.
 */
function hpteFields(mmu: HashMmu, dw0: bigint, dw1: bigint): string {
  const f = decodeHpte(dw0, dw1, mmu.machine.model.hpteLayout);
  const b = (x: boolean) => (x ? 1 : 0);
  const hex = shortHex;
  const ra = f.l ? `ARPN=${hex(f.arpn)} LP=${hex(BigInt(f.lp))}` : `RA=${hex((f.arpn << 20n) | (BigInt(f.lp) << 12n))}`;
  const pp = ((f.pp0 ? 4 : 0) | f.pp).toString(2).padStart(3, '0');
  // AVPN as Linux masks it in place (hpte_v & HPTE_V_AVPN: the AVA field shifted left 7).
  return `B=${f.b} AVPN=${hex(f.ava << 7n)} SW=${f.sw} L=${b(f.l)} H=${b(f.h)} V=${b(f.v)} | ${ra} PP=0b${pp} key=${f.key} WIMG=${f.wimg.toString(2).padStart(4, '0')} N=${b(f.n)} R=${b(f.r)} C=${b(f.c)}`;
}

/**
 * The isa policy's own state: invalidations issued and not yet applied everywhere (Book III
 * 5.10.1: a tlbie takes effect on each CPU at some time before the issuer's tlbsync; ptesync
 * completes), and page-table stores other CPUs' table walks cannot see yet (ordered epoch by
 * epoch: eieio/lwsync/sync separate epochs).
 */
export function renderPending(pending: readonly PendingInvalidation[], invisible: ReadonlyArray<{ cpu: number; ra: bigint; epoch: number }>): string {
  const lines: string[] = [];
  lines.push(pending.length === 0 ? 'no pending invalidations' : 'pending invalidations:');
  for (const p of pending) {
    const left = [...p.targets].sort((a, b) => a - b).join(', ');
    lines.push(`  #${p.id} ${p.op} from cpu ${p.issuer}: ${p.rb.describe}; not yet applied on cpu ${left}${p.tlbsynced ? '; tlbsync done, needs ptesync' : ''}${p.unordered ? '; issued before a ptesync ordered its page-table stores' : ''}`);
  }
  lines.push(invisible.length === 0 ? 'no page-table stores invisible to other CPUs' : 'page-table stores other CPUs cannot see yet:');
  for (const s of invisible) lines.push(`  cpu ${s.cpu}: doubleword at ${'0x' + s.ra.toString(16)} (ordering epoch ${s.epoch})`);
  return lines.join('\n');
}
