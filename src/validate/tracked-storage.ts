// The part of a validation machine's storage an exploration can change, so that its states are
// cheap to key, save and restore: every page a CPU or the MMU stores to (a watcher on each page
// the MMU does not already watch, the HPT pages stored to, pages the MMU itself writes for R/C
// updates). Pages never stored to are as they started in every state.

import type { PhysPage, StoreWatcher } from '../cpu/memory.js';
import type { MachineSnapshot } from '../cpu/machine.js';
import type { World } from './world.js';

export function fnv(h: number, words: Int32Array): number {
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i]!, 16777619);
  return h;
}

export class TrackedStorage {
  /** Pages stored to so far (in any branch): the only ones that can differ from `initial`. */
  readonly pages = new Set<PhysPage>();
  private readonly initial: ReadonlyMap<number, Uint8Array>;

  constructor(private readonly world: World) {
    const { machine, mmu } = world;
    const tracker: StoreWatcher = { before: () => {}, after: (_cpu, page) => void this.pages.add(page) };
    this.initial = machine.mem.snapshot();
    const watch = (p: PhysPage) => {
      if (!p.watcher) p.watcher = tracker;
    };
    for (const p of machine.mem.allocated()) watch(p);
    machine.mem.onAllocate = watch;
    machine.mem.written = this.pages;
    mmu.events.on((e) => {
      if (e.type === 'hpt-store') this.pages.add(machine.mem.page(e.slot)!);
    });
  }

  snapshot(): MachineSnapshot {
    return this.world.machine.snapshot(this.pages);
  }

  restore(s: MachineSnapshot): void {
    this.world.machine.restore(s, this.pages, this.initial);
  }

  /**
   * Each tracked page's key part (null: the page holds its starting contents) and the version
   * it was computed at (every page here has a watcher: PhysPage.version).
   */
  private readonly pageKeys = new WeakMap<PhysPage, [number, string | null]>();

  /**
   * The contents of the tracked pages that differ from how they started, as a key (sorted,
   * two 32-bit hashes per page). Pages back at their starting contents are left out, so the
   * key is a function of the state, not of which pages other branches have stored to.
   */
  key(): string {
    const out: string[] = [];
    for (const p of this.pages) {
      let k = this.pageKeys.get(p);
      if (k === undefined || k[0] !== p.version) {
        const w = new Int32Array(p.bytes.buffer, p.bytes.byteOffset, p.bytes.byteLength >> 2);
        const start = this.initial.get(p.frame);
        const s = start ? new Int32Array(start.buffer, start.byteOffset, start.byteLength >> 2) : null;
        let same = true;
        for (let i = 0; i < w.length && same; i++) same = w[i] === (s ? s[i] : 0);
        k = [p.version, same ? null : `${p.frame}:${fnv(0x811c9dc5, w)}:${fnv(0x01000193, w)}`];
        this.pageKeys.set(p, k);
      }
      if (k[1] !== null) out.push(k[1]);
    }
    return out.sort().join(',');
  }
}
