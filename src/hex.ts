// One spelling of a number in messages, timelines and disassembly: "0x" and lowercase hex
// digits, no padding (state dumps and views pad to a width of their own: state-json.ts hex64,
// mmu/views.ts).

export function hex(v: bigint | number): string {
  return '0x' + v.toString(16);
}
