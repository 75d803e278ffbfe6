// The machine a validation fixture runs on: its CPUs in 64-bit hypervisor state with data
// translation on (MSR[DR]=1) and instruction fetch in real mode, the HPT located as the model
// does it (SDR1, or PTCR and partition-table entry 0), SLB entry 0 for the linear mapping and
// one entry per segment of the `.page` translations, the initial HPT, each CPU's code and
// registers. The MMU runs the `isa` policy in manual mode: the explorer decides every effect
// the ISA lets happen early (hash-mmu.ts).

import { MSR_DR, MSR_HV_HI, MSR_ME, MSR_SF_HI, type Cpu } from '../cpu/cpu.js';
import { SPR } from '../cpu/interrupts.js';
import { Machine } from '../cpu/machine.js';
import type { CpuModel } from '../cpu/models.js';
import { InputError } from '../errors.js';
import { encodePtcr, SEGMENT_256M } from '../mmu/hash.js';
import { HashMmu } from '../mmu/hash-mmu.js';
import { sllpEncoding, type PageShift } from '../mmu/page-sizes.js';
import { encodeSlbmteRb, encodeSlbmteRs } from '../mmu/slb-format.js';
import type { Fixture, FixtureCpu } from './fixture.js';
import { CODE_BASE, CODE_STRIDE, HTAB_SDR1, LINEAR, MEMORY_SIZE, PARTITION_TABLE, segmentVsid } from './world-layout.js';

export interface World {
  readonly machine: Machine;
  readonly mmu: HashMmu;
  /** Code of each machine CPU (null: an idle CPU, which still holds and loads translations). */
  readonly code: ReadonlyArray<FixtureCpu | null>;
  /** Real address each CPU's code is loaded at. */
  readonly base: readonly bigint[];
}

function be64(v: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, v));
  return b;
}

function setSpr64(cpu: Cpu, spr: number, v: bigint): void {
  cpu.writeSpr(spr, Number(v >> 32n) | 0, Number(v & 0xffffffffn) | 0);
}

/** The SLB entries every CPU starts with: the linear mapping, then the pages' segments. */
function slbEntries(fixture: Fixture): Array<{ rs: bigint; rb: bigint; only: readonly number[] | null }> {
  const out: Array<{ rs: bigint; rb: bigint; only: readonly number[] | null }> = [
    { rs: encodeSlbmteRs({ b: SEGMENT_256M, vsid: segmentVsid(LINEAR), kp: true, l: true, lp: 0 }), rb: encodeSlbmteRb(LINEAR, SEGMENT_256M, 0), only: null },
  ];
  const segments = new Map<bigint, { shift: PageShift; line: number; name: string; only: readonly number[] | null }>();
  for (const p of fixture.pages) {
    const esid = p.ea >> 28n;
    const seen = segments.get(esid);
    const where = `${fixture.fileName}:${p.line}:${p.col}: page '${p.name}' is in the segment of '${seen?.name}' (line ${seen?.line})`;
    if (seen && seen.shift !== p.shift) throw new InputError(`${where} but has another page size; one segment has one base page size`);
    if (seen && String(seen.only) !== String(p.only)) throw new InputError(`${where} but another only= list; the SLB holds whole segments`);
    if (!seen) segments.set(esid, { shift: p.shift, line: p.line, name: p.name, only: p.only });
  }
  for (const [esid, s] of segments) {
    const ea = esid << 28n;
    // L||LP from the base page size (Book III 5.7.6.1; Linux mmu_psize_defs[].sllp).
    const enc = sllpEncoding(s.shift);
    out.push({
      rs: encodeSlbmteRs({ b: SEGMENT_256M, vsid: segmentVsid(ea), kp: true, l: (enc & 4) !== 0, lp: enc & 3 }),
      rb: encodeSlbmteRb(ea, SEGMENT_256M, out.length),
      only: s.only,
    });
  }
  return out;
}

/** Builds the machine for `fixture` with `cpus` CPUs (at least one per `.cpu` section). */
export function buildWorld(fixture: Fixture, model: CpuModel, cpus: number): World {
  const machine = new Machine({ cpus, model, memorySize: MEMORY_SIZE });
  const mmu = new HashMmu(machine, { policy: 'isa', manual: true });
  const mem = machine.mem;
  for (const h of fixture.hptes) {
    mem.write(h.slot, be64(h.dw0));
    mem.write(h.slot + 8n, be64(h.dw1));
  }
  if (model.hptLocation !== 'sdr1') mem.write(PARTITION_TABLE, be64(HTAB_SDR1)); // PATE0: HR=0, HTABORG, HTABSIZE
  for (const w of fixture.memory) {
    if (w.ra + 8n > MEMORY_SIZE) throw new InputError(`${fixture.fileName}:${w.line}: .mem64 address 0x${w.ra.toString(16)} is beyond the ${MEMORY_SIZE >> 20n} MiB of storage`);
    mem.write(w.ra, be64(w.value));
  }
  const slb = slbEntries(fixture);
  const code: Array<FixtureCpu | null> = [];
  const base: bigint[] = [];
  for (const cpu of machine.cpus) {
    const fc = fixture.cpus.find((c) => c.id === cpu.id) ?? null;
    code.push(fc);
    const at = CODE_BASE + BigInt(cpu.id) * CODE_STRIDE;
    base.push(at);
    if (fc) machine.load(at, fc.image);
    cpu.pc = at;
    cpu.msrHi = MSR_SF_HI | MSR_HV_HI;
    cpu.msrLo = MSR_ME | MSR_DR;
    if (model.hptLocation === 'sdr1') {
      setSpr64(cpu, SPR.SDR1, HTAB_SDR1);
      mmu.sprWritten(cpu, SPR.SDR1);
    } else {
      setSpr64(cpu, SPR.PTCR, encodePtcr(PARTITION_TABLE, 0));
      mmu.sprWritten(cpu, SPR.PTCR);
    }
    for (const e of slb) if (!e.only || e.only.includes(cpu.id)) mmu.slb(cpu).slbmte(e.rs, e.rb);
    for (const r of fc?.regs ?? []) cpu.setGpr(r.reg, r.value);
  }
  return { machine, mmu, code, base };
}
