// Errors that mean "bad input": the CLI prints their message as one line and exits with 2.
// The assembler's AsmError and the ELF loader's ElfError extend this class.

/** A user-facing error about input (a file, an option, an address). */
export class InputError extends Error {
  override name = 'InputError';
}
