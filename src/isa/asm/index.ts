// The assembler's public surface.
export { assemble, type AssembleOptions, type AssembleResult, type AsmSection, type AsmSymbol } from './assembler.js';
export { AsmError, type SrcLoc } from './errors.js';
export { toBinary, toElf } from './elf-writer.js';
