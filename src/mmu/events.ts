// The event log: every change of translation state and every use of a translation that
// matters for the question "can a CPU still use a stale translation?". The kernel shim and
// the validator are built on it; --events writes it as JSON lines.

export type MmuEvent =
  | {
      type: 'tlb-fill';
      cpu: number;
      ea: bigint;
      va: bigint;
      ra: bigint;
      /** HPT slot the translation came from: PTEG address + 16 * index. */
      slot: bigint;
      /** The PTE's doublewords as this CPU's walk read them. */
      dw0: bigint;
      dw1: bigint;
      speculative: boolean;
    }
  | {
      type: 'tlb-invalidate';
      /** CPU whose TLB entry is affected. */
      cpu: number;
      /** CPU that executed the instruction, and which instruction. */
      by: number;
      cause: 'tlbie' | 'tlbiel' | 'slbie' | 'slbia';
      /** Pending: issued, but not yet guaranteed to have taken effect on `cpu`. */
      state: 'pending' | 'completed';
      va: bigint | null;
      entries: number;
    }
  /** `dwords`: which doublewords of the PTE the store wrote (bit 0: dw0, bit 1: dw1). */
  | { type: 'hpt-store'; cpu: number; slot: bigint; dwords: number; oldDw0: bigint; oldDw1: bigint; newDw0: bigint; newDw1: bigint }
  | { type: 'hpt-visible'; cpu: number; stores: number }
  | { type: 'slb-change'; cpu: number; op: 'slbmte' | 'slbie' | 'slbia'; index: number | null; esid: bigint | null }
  | { type: 'sync'; cpu: number; op: 'ptesync' | 'hwsync' | 'lwsync' | 'eieio' | 'tlbsync' | 'isync' }
  | { type: 'tlb-use'; cpu: number; ea: bigint; ra: bigint; slot: bigint; access: 'load' | 'store' | 'fetch' }
  | { type: 'interrupt'; cpu: number; vector: number; pc: bigint; ea: bigint | null; message: string }
  /** A Linux PTE changed by the kernel shim (set_pte_at, pte_update), for its timelines. */
  | { type: 'pte-store'; cpu: number; ea: bigint; old: bigint; new: bigint; how: 'set_pte' | 'pte_update' | 'hash_page' };

export type EventListener = (e: MmuEvent & { seq: number }) => void;

export class EventLog {
  private seq = 0;
  private readonly listeners: EventListener[] = [];
  /** Kept events (when recording), for the in-process API and counterexamples. */
  readonly events: Array<MmuEvent & { seq: number }> = [];
  recording = false;

  on(l: EventListener): void {
    this.listeners.push(l);
  }

  get active(): boolean {
    return this.recording || this.listeners.length > 0;
  }

  emit(e: MmuEvent): void {
    if (!this.active) return;
    const ev = { ...e, seq: this.seq++ };
    if (this.recording) this.events.push(ev);
    for (const l of this.listeners) l(ev);
  }
}

/** JSON-lines form: bigints as 0x-prefixed hex. */
export function eventToJson(e: MmuEvent & { seq: number }): string {
  // Interrupt vectors print as user-mode runs print them ("0x300"): one form in every --events file.
  return JSON.stringify(e, (k, v) => (typeof v === 'bigint' ? '0x' + v.toString(16).padStart(16, '0') : k === 'vector' && typeof v === 'number' ? '0x' + v.toString(16) : v));
}
