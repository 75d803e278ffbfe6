// The zsmalloc scenario: threads on N CPUs allocate objects, write a pattern unique to each
// object through zs_map_object(), unmap, and later map again and check every byte — with guest
// loads and stores through each CPU's MMU. Threads migrate between CPUs between operations
// (never between map and unmap: preemption is off there). Before each operation every CPU gets
// the chance of a speculative translation load (when enabled). A byte that belongs to another
// object, or a fault on a mapped address, is the crash; the verdict comes with the events that
// led to it.

import type { Cpu } from '../cpu/cpu.js';
import { prng } from '../cpu/machine.js';
import type { CpuModelName } from '../cpu/models.js';
import type { MmuEvent } from '../mmu/events.js';
import type { MmuPolicy } from '../mmu/hash-mmu.js';
import { KernelCrash } from './hash-page.js';
import { Checker } from '../validate/checker.js';
import { bootKernel, type BootedKernel } from './index.js';
import { ZsPool, type MappingMethod } from './zsmalloc.js';
import { hex } from '../hex.js';

export const VARIANTS: Record<string, { method: MappingMethod; describe: string }> = {
  'setpte-stub': {
    method: { kind: 'set-pte', localFlush: 'stub' },
    describe: "3.4's x86 mapping: PTEs written with set_pte (no pte_update); local_flush_tlb_kernel_range() a stub",
  },
  'patch-2012': {
    method: { kind: 'vm-area', localFlush: 'stub', lazy: false },
    describe: 'the 2012 patch: map_vm_area; local_unmap_kernel_range = unmap_kernel_range_noflush + stub local flush',
  },
  'lazy-batch': {
    method: { kind: 'vm-area', localFlush: 'stub', lazy: true },
    describe: 'as patch-2012, called inside lazy-MMU sections: HPTE flushes batched until arch_leave_lazy_mmu_mode',
  },
  'tlbiel-local': {
    method: { kind: 'vm-area', localFlush: 'tlbiel', lazy: false, localHash: true },
    describe: 'HPTEs invalidated with a CPU-local flush, then tlbiel of the range',
  },
  'global-flush': {
    method: { kind: 'vm-area', localFlush: 'unmap_kernel_range', lazy: false },
    describe: 'unmap_kernel_range: global invalidation (tlbie, tlbsync, ptesync), as zsmalloc moved to in 2013',
  },
  copy: { method: { kind: 'copy' }, describe: 'the copy method: no mapping change at all' },
};

export interface ScenarioOptions {
  variant: string;
  cpus: number;
  threads: number;
  ops: number;
  seed: number;
  policy: MmuPolicy;
  speculate: boolean;
  model: CpuModelName;
}

export interface ScenarioResult {
  verdict: 'safe' | 'corrupted';
  /** What went wrong, in one line. */
  failure: string | null;
  ops: number;
  /** The events that matter for the failing address, oldest first. */
  timeline: string[];
}

/** The byte an object holds at offset i: unique to the (object, offset) pair. */
function patternByte(id: number, i: number): number {
  return (id * 131 + i * 7 + (i >> 8)) & 0xff;
}

/** Loop head shared by FILL and CHECK: r6 = i from 0, r7 = patternByte(r5, i) (low byte). */
const PATTERN_LOOP = `
	li	r6, 0
	mulli	r9, r5, 131
1:	mulli	r7, r6, 7
	srdi	r8, r6, 8
	add	r7, r7, r8
	add	r7, r7, r9
	andi.	r7, r7, 0xff
`;

/** r3 = address, r4 = length, r5 = object id: writes patternByte(id, i) at address + i. */
const FILL = `${PATTERN_LOOP}
	stbx	r7, r3, r6
	addi	r6, r6, 1
	cmpd	r6, r4
	blt	1b
`;

/** r3 = address, r4 = length, r5 = id: r3 = index of the first wrong byte or -1; r4 = its value. */
const CHECK = `${PATTERN_LOOP}
	lbzx	r8, r3, r6
	cmpd	r7, r8
	bne	2f
	addi	r6, r6, 1
	cmpd	r6, r4
	blt	1b
	li	r3, -1
	b	3f
2:	mr	r3, r6
	mr	r4, r8
3:
`;

interface LiveObject {
  id: number;
  handle: number;
  size: number;
  written: boolean;
}

export function runZsmallocScenario(o: ScenarioOptions): ScenarioResult {
  const v = VARIANTS[o.variant];
  if (!v) throw new Error(`unknown variant ${o.variant}`);
  const k = bootKernel({ cpus: o.cpus, model: o.model, policy: o.policy, speculate: o.speculate, seed: o.seed });
  k.mmu.events.recording = true;
  // The validator's annotation-free dynamic checks (torn PTE loads, tlbies in flight without
  // LOCKLESS_TLBIE, duplicate PTEs) watch everything from here; the PTEs boot inserted count
  // as held.
  const checker = new Checker(k.mmu, [], k.mmu.hptEntries(k.machine.cpus[0]!, null).map((e) => e.slot));
  const pool = new ZsPool(k, v.method);
  const lazy = v.method.kind === 'vm-area' && v.method.lazy;
  const random = prng(o.seed ^ 0x5eed);
  const threads: LiveObject[][] = Array.from({ length: o.threads }, () => []);
  let nextId = 1;
  let op = 0;
  const result = (found: string | null, ea: bigint | null): ScenarioResult => {
    const v = checker.violation;
    const failure = found ?? (v ? `cpu ${v.cpu}: dynamic check ${v.id}: ${v.message}` : null);
    return {
      verdict: failure ? 'corrupted' : 'safe',
      failure,
      ops: op,
      timeline: failure && ea !== null ? timeline(k, ea) : [],
    };
  };
  try {
    for (op = 0; op < o.ops; op++) {
      // Speculative loads may happen on any CPU at any time (Book III 5.7.5).
      for (const c of k.machine.cpus) k.mmu.tick(c, random);
      const t = Math.floor(random() * o.threads);
      const cpu = k.machine.cpus[Math.floor(random() * o.cpus)]!; // the thread runs here now
      if (lazy) {
        // The thread's caller works inside a lazy-MMU section that it closes now and then
        // (as zap_pte_range() and friends bracket their PTE changes).
        if (random() < 0.25) k.flush.arch_leave_lazy_mmu_mode(cpu);
        k.flush.arch_enter_lazy_mmu_mode(cpu);
      }
      const objs = threads[t]!;
      const r = random();
      if (objs.length < 4 || r < 0.3) {
        const size = 2000 + Math.floor(random() * 2000); // often spans two pages
        const handle = pool.malloc(size);
        objs.push({ id: nextId++, handle, size, written: false });
        continue;
      }
      const obj = objs[Math.floor(random() * objs.length)]!;
      if (!obj.written || r < 0.5) {
        const addr = pool.map(cpu, obj.handle, 'WO');
        k.kernel.guest.call(cpu, 'zs_fill', FILL, [addr, BigInt(obj.size), BigInt(obj.id)], { relocate: true });
        pool.unmap(cpu, obj.handle);
        obj.written = true;
      } else if (r < 0.9) {
        const failure = check(k, pool, cpu, obj);
        if (failure) return result(failure.message + owner(k, pool, threads, cpu, failure.ea, obj), failure.ea);
      } else {
        pool.free(obj.handle);
        objs.splice(objs.indexOf(obj), 1);
      }
    }
    return result(null, null);
  } catch (e) {
    if (e instanceof KernelCrash) return result(e.message, null);
    throw e;
  }
}

function check(k: BootedKernel, pool: ZsPool, cpu: Cpu, obj: LiveObject): { message: string; ea: bigint } | null {
  const addr = pool.map(cpu, obj.handle, 'RO');
  const [bad, seen] = k.kernel.guest.call(cpu, 'zs_check', CHECK, [addr, BigInt(obj.size), BigInt(obj.id)], { relocate: true });
  pool.unmap(cpu, obj.handle);
  const i = Number(BigInt.asIntN(64, bad!));
  if (i < 0) return null;
  const ea = addr + BigInt(i);
  return {
    message:
      `cpu ${cpu.id} read byte ${i} of object ${obj.id} (handle ${obj.handle}) at 0x${ea.toString(16)} as 0x${seen!.toString(16)}, ` +
      `expected 0x${patternByte(obj.id, i).toString(16)} (lbzx in the check loop)`,
    ea,
  };
}

/**
 * Whose bytes the CPU read: the real address its last translation of the page gave, and the
 * live object (if any) stored there.
 */
function owner(k: BootedKernel, pool: ZsPool, threads: LiveObject[][], cpu: Cpu, ea: bigint, reader: LiveObject): string {
  const page = ea & ~0xfffn;
  let ra: bigint | null = null;
  for (const e of k.mmu.events.events) {
    if ((e.type === 'tlb-use' || e.type === 'tlb-fill') && e.cpu === cpu.id && (e.ea & ~0xfffn) === page) {
      ra = (e.ra & ~0xfffn) + (ea & 0xfffn);
    }
  }
  if (ra === null) return '';
  for (const objs of threads) {
    for (const o of objs) {
      if (o === reader) continue;
      const loc = pool.location(o.handle);
      const start = (loc.pfns[0]! << 12n) + BigInt(loc.off);
      // The object's bytes are contiguous across its zspage's pages only page by page.
      for (let i = 0; i < loc.size; i++) {
        const at = i < 4096 - loc.off ? start + BigInt(i) : (loc.pfns[1]! << 12n) + BigInt(i - (4096 - loc.off));
        if (at === ra) return `; real address 0x${ra.toString(16)} is byte ${i} of object ${o.id}'s storage`;
      }
    }
  }
  return `; real address 0x${ra.toString(16)} (no live object there)`;
}

/** The events about the page holding `ea`, short enough to read (the last 16). PTE values are
 * shown by their page frame (PTE_RPN_SHIFT 17) and the _PAGE_HASHPTE bit (0x400). */
function timeline(k: BootedKernel, ea: bigint): string[] {
  const page = ea & ~0xfffn;
  const lines: string[] = [];
  for (const e of k.mmu.events.events as Array<MmuEvent & { seq: number }>) {
    if ((e.type === 'tlb-fill' || e.type === 'tlb-use') && (e.ea & ~0xfffn) === page) {
      lines.push(
        e.type === 'tlb-fill'
          ? `#${e.seq} cpu ${e.cpu}: TLB fill ${hex(e.ea)} -> ${hex(e.ra)} from HPTE slot ${hex(e.slot)}${e.speculative ? ' (speculative)' : ''}`
          : `#${e.seq} cpu ${e.cpu}: ${e.access} ${hex(e.ea)} -> ${hex(e.ra)} via slot ${hex(e.slot)}`,
      );
    } else if (e.type === 'pte-store' && (e.ea & ~0xfffn) === page) {
      const what = (v: bigint) => (v & 1n ? `pfn ${hex(v >> 17n)}${v & 0x400n ? ' hashed' : ''}` : 'none');
      lines.push(`#${e.seq} cpu ${e.cpu}: ${e.how} ${hex(e.ea)}: PTE ${what(e.old)} -> ${what(e.new)}`);
    } else if (e.type === 'tlb-invalidate' && e.va !== null && e.state === 'completed' && e.entries > 0) {
      lines.push(`#${e.seq} cpu ${e.cpu}: ${e.cause} from cpu ${e.by} removed ${e.entries} TLB entr${e.entries === 1 ? 'y' : 'ies'}`);
    }
  }
  return lines.slice(-16);
}
