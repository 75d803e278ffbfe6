// The ISA layer: the instruction table and everything derived from it.
export { INSNS, variantName, type InsnDef, type InsnOperand, type Form, type Privilege } from './table.js';
export { OPERANDS, type OperandDef, type OperandKind } from './fields.js';
export { ALIASES, type AliasDef } from './aliases.js';
export { decode, operandValues, flagValues, invalidForm, validBO, type FlagValues } from './decode.js';
export { disassemble, type Disassembly } from './disasm.js';
export { encode, encodeBase, lookupMnemonic, EncodeError, type Mnemonic } from './encode.js';
export { Op } from './ops.js';
export * from './asm/index.js';
