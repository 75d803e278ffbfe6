// `scenario zsmalloc --explore`: one zs_unmap_object()/zs_map_object() cycle of CPU 0's
// mapping area, written as a validation fixture and explored by the validator's engine
// (src/validate) — every interleaving with the other CPUs and every delay and speculative
// load the ISA allows, instead of the scenario's sampled runs.
//
// The cycle, as the shim runs it (zsmalloc.ts, tlb-flush.ts, hpte-native.ts):
//   CPU 0 reads object A through its area (the HPTE hash_page inserted is in its TLB);
//   zs_unmap_object(): the variant's unmap — for the page-table variants that reach
//     hpte_need_flush() immediately, native_hpte_invalidate() with the same instructions
//     NativeHpte.invalidate() runs (global, or local for tlbiel-local);
//   zs_map_object(B): from here the area must not translate to A's page (# assert-gone);
//   lazy-batch: the batched flush runs only now, at arch_leave_lazy_mmu_mode().
// The other CPUs read their own areas meanwhile, and any of them may hold or load CPU 0's
// translation speculatively (kernel segments are in every CPU's SLB).

import type { CpuModel } from '../cpu/models.js';
import { validate, type ValidateResult } from '../validate/index.js';
import { LINEAR } from '../validate/world-layout.js';
import { VMALLOC_START } from './boot.js';
import { nativeHpteInvalidateText } from './hpte-native.js';
import { VARIANTS } from './scenario.js';
import { hex } from '../hex.js';

/** Object pages (the page allocator's first frames) and the tlbie lock, as the shim lays them out. */
const OBJECT_A = 0x800000n;
const OTHER_OBJECT = 0x802000n;
const TLBIE_LOCK = 0x20000n;
/** The shim's get_vm_area() hands out 2 pages and a guard page per CPU area. */
const AREA_STRIDE = 0x3000n;


/** The fixture for `variant` on `cpus` CPUs (CPU 0 runs the cycle; the others read their areas). */
export function zsmallocCycleFixture(variant: string, model: CpuModel, cpus: number): string {
  const v = VARIANTS[variant];
  if (!v) throw new Error(`internal: unknown variant ${variant}`);
  const m = v.method;
  const lines = [
    `# zsmalloc ${variant}: ${v.describe}`,
    `# One zs_unmap_object()/zs_map_object() cycle of CPU 0's mapping area (src/kernel-shim/scenario-explore.ts).`,
    `\t.model\t${model.name}`,
  ];
  if (m.kind === 'copy') {
    // The copy method never changes a mapping: CPU 0 copies the object through the linear map.
    lines.push('\t.cpu\t0', `\t.reg\tr20, ${hex(LINEAR + OBJECT_A)}`, '\tld\tr21, 0(r20)\t\t# memcpy from the object\'s pages', '\tld\tr21, 8(r20)');
  } else {
    lines.push(`\t.page\tAREA ${hex(VMALLOC_START)} ${hex(OBJECT_A)}\t\t# CPU 0's area, mapped to object A and hashed`);
    for (let c = 1; c < cpus; c++) lines.push(`\t.page\tAREA${c} ${hex(VMALLOC_START + BigInt(c) * AREA_STRIDE)} ${hex(OTHER_OBJECT + BigInt(c - 1) * 0x1000n)}`);
    lines.push(
      '\t.cpu\t0',
      '\t.reg\tr3, AREA_hpte',
      '\t.reg\tr4, AREA_dw0',
      '\t.reg\tr5, AREA_rb',
      `\t.reg\tr10, ${hex(LINEAR + TLBIE_LOCK)}\t# native_tlbie_lock`,
      '\t.reg\tr20, AREA_ea',
      '\tld\tr21, 0(r20)\t\t# zs_map_object(A): read object A through the area',
    );
    const invalidate = (local: boolean) => nativeHpteInvalidateText(model, local).trimEnd();
    if (m.kind === 'set-pte') {
      lines.push('\t# zs_unmap_object(): set_pte(0) only; hpte_need_flush() is never called; the local flush is a stub');
    } else if (m.lazy) {
      lines.push('\t# zs_unmap_object() inside lazy-MMU mode: pte_update() queues the flush in ppc64_tlb_batch');
    } else {
      lines.push(`\t# zs_unmap_object(): pte_update() -> hpte_need_flush() -> native_hpte_invalidate(${m.localHash ? 'local' : 'global'})`);
      lines.push(invalidate(m.localHash === true));
    }
    lines.push('\t# zs_map_object(B): from here the area must no longer reach object A', '\t# assert-gone AREA');
    if (m.kind === 'vm-area' && m.lazy) {
      lines.push('\t# arch_leave_lazy_mmu_mode() -> __flush_tlb_pending(): too late', invalidate(false));
    }
    for (let c = 1; c < cpus; c++) {
      lines.push(`\t.cpu\t${c}`, `\t.reg\tr20, AREA${c}_ea`, `\tld\tr21, 0(r20)\t\t# CPU ${c} reads its own object`);
    }
  }
  return lines.join('\n') + '\n';
}

export interface ScenarioExploreOptions {
  variant: string;
  model: CpuModel;
  cpus: number;
  mode: 'exhaustive' | 'random';
  maxStates: number;
  seed: number;
  onProgress?: (states: number) => void;
}

/** Explores the variant's cycle; the result is the validator's, with the fixture's text. */
export function exploreZsmallocCycle(o: ScenarioExploreOptions): { fixture: string; fileName: string; result: ValidateResult } {
  const fixture = zsmallocCycleFixture(o.variant, o.model, o.cpus);
  const fileName = `zsmalloc-${o.variant}.s`;
  const result = validate(fixture, fileName, {
    model: o.model,
    cpus: o.cpus,
    explore: o.mode,
    maxStates: o.maxStates,
    seed: o.seed,
    ...(o.onProgress ? { onProgress: o.onProgress } : {}),
  });
  return { fixture, fileName, result };
}
