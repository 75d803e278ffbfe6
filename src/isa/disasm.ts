// Disassembly derived from the instruction table and the alias table, in GNU objdump's style
// (simplified mnemonics where objdump prints them; registers as rN; branch targets as
// absolute 0x addresses).

import { ALIASES_BY_BASE } from './aliases.js';
import { decode, flagValues, invalidForm, operandValues, validBO } from './decode.js';
import { presentOperands } from './encode.js';
import type { OperandDef } from './fields.js';
import { variantName } from './table.js';
import { hex } from '../hex.js';

const CR_BITS = ['lt', 'gt', 'eq', 'so'];

export interface Disassembly {
  readonly mnemonic: string;
  readonly operands: string;
  /** mnemonic and operands as objdump lays them out. */
  readonly text: string;
}


/** How a branch target is printed: `0x` + hex by default; objdump -d of an executable adds `<sym+off>`. */
export type TargetText = (target: bigint) => string;

function formatOperands(
  ops: readonly { def: OperandDef; optional: boolean; omitted?: number }[],
  values: readonly number[],
  addr: bigint,
  aa: boolean,
  targetText: TargetText,
): string {
  // Optional operands are left out when zero: a run of them at the end, and a leading one as
  // long as the operands that remain still read back the same way (presentOperands drops
  // trailing optional operands first: "bgelr cr0,1" cannot lose its cr0).
  let end = ops.length;
  while (end > 0 && ops[end - 1]!.optional && values[end - 1] === (ops[end - 1]!.omitted ?? 0)) end--;
  let start = 0;
  if (ops.length > 0 && ops[0]!.optional && values[0] === 0 && end > 1) {
    const present = presentOperands(ops, end - 1);
    if (present && !present[0] && present.slice(1, end).every(Boolean)) start = 1;
  }
  const parts: string[] = [];
  for (let i = start; i < end; i++) {
    const d = ops[i]!.def;
    const v = values[i]!;
    switch (d.kind) {
      case 'gpr':
        parts.push(`r${v}`);
        break;
      case 'gpr0':
        parts.push(v === 0 ? '0' : `r${v}`);
        break;
      case 'fpr':
        parts.push(`f${v}`);
        break;
      case 'vr':
        parts.push(`v${v}`);
        break;
      case 'vsr':
        parts.push(`vs${v}`);
        break;
      case 'disp': {
        const base = values[i + 1]!;
        parts.push(`${v}(${base === 0 && ops[i + 1]!.def.kind === 'gpr0' ? '0' : `r${base}`})`);
        i++;
        break;
      }
      case 'rel': {
        // objdump prints absolute (AA=1) targets as 32-bit values: ba 0xfffffffc for -4.
        const target = aa ? BigInt(v) & 0xffffffffn : (addr + BigInt(v)) & 0xffffffffffffffffn;
        parts.push(targetText(target));
        break;
      }
      case 'crf':
        parts.push(`cr${v}`);
        break;
      case 'crbit':
        parts.push(v < 4 ? CR_BITS[v]! : `4*cr${v >> 2}+${CR_BITS[v & 3]}`);
        break;
      default:
        parts.push(String(v));
    }
  }
  return parts.join(',');
}

function layout(mnemonic: string, operands: string): string {
  return operands ? `${mnemonic.padEnd(7)} ${operands}` : mnemonic;
}

const CONDITIONAL = new Set(['bc', 'bclr', 'bcctr']);

function asData(w: number): Disassembly {
  const operands = '0x' + w.toString(16);
  return { mnemonic: '.long', operands, text: `.long ${operands}` }; // objdump: one space
}

/**
 * Disassembles one word at `addr`; words outside the subset print as objdump's `.long`.
 * `strict` (the objdump-compatible listing): a word with a reserved field set prints as
 * `.long` too, as objdump prints it, although it executes as its instruction (Book I 1.3.3).
 */
export function disassemble(word: number, addr: bigint = 0n, targetText: TargetText = hex, strict = false): Disassembly {
  const w = word >>> 0;
  const def = decode(w);
  if (!def) return asData(w);
  const reservedSet = strict && (w & def.reserved) !== 0;
  if (reservedSet && (w & def.reserved & ~def.laxReserved.bits) !== 0) return asData(w);
  const conditional = CONDITIONAL.has(def.name);
  // Invalid forms print as data, as objdump does; conditional branches with reserved BO bits
  // first try the simplified mnemonics (see aliases.ts), and objdump prints bcctr with a
  // decrementing BO normally.
  if (!conditional && invalidForm(def, w)) return asData(w);
  const values = operandValues(def, w);
  const f = flagValues(def, w);
  const byName: Record<string, number> = {};
  def.operands.forEach((o, i) => (byName[o.def.name] = values[i]!));
  for (const a of ALIASES_BY_BASE.get(def.name) ?? []) {
    if (a.asmOnly || (reservedSet && !def.laxReserved.aliases)) continue;
    const av = a.fromBase(byName);
    if (!av) continue;
    const mnemonic = variantName(a.name, f.oe, f.rc, f.lk, f.aa) + a.hint;
    const operands = formatOperands(a.operands, av, addr, f.aa, targetText);
    return { mnemonic, operands, text: layout(mnemonic, operands) };
  }
  // A conditional branch with a reserved BO encoding (Book I 2.4) that no simplified mnemonic
  // covers: objdump prints it as data.
  if (conditional && !validBO(byName.BO!)) return asData(w);
  const mnemonic = variantName(def.name, f.oe, f.rc, f.lk, f.aa);
  const operands = formatOperands(def.operands, values, addr, f.aa, targetText);
  return { mnemonic, operands, text: layout(mnemonic, operands) };
}
