// Small user programs the debugger and GDB-server tests step through.

/** Adds 2 to r3 from 1 until it reaches 9, then exit_group(r3); `val` is a known doubleword. */
export const LOOP_PROGRAM = `
	.abiversion 2
	.text
	.globl _start
_start:
	li	r3, 1
	li	r4, 2
loop:	add	r3, r3, r4
	cmpdi	r3, 9
	blt	loop
done:	li	r0, 234
	sc
	.data
val:	.quad 0x1122334455667788
`;
