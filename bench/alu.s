# ALU mix: 16 fixed-point instructions and a bdnz per iteration, ITER iterations.
	.abiversion 2
	.set ITER, 8000000
	.text
	.globl _start
_start:
	lis	r9, ITER@h
	ori	r9, r9, ITER@l
	mtctr	r9
	li	r3, 1
	li	r4, 3
	li	r5, 7
	li	r6, 11
1:	add	r3, r3, r4
	xor	r5, r5, r3
	addi	r4, r4, 5
	rlwinm	r6, r5, 3, 0, 28
	subf	r7, r6, r3
	and	r8, r7, r5
	or	r6, r6, r8
	sldi	r10, r3, 2
	srdi	r11, r10, 1
	addc	r12, r11, r4
	adde	r3, r3, r12
	neg	r7, r7
	extsw	r8, r7
	cmpd	r8, r3
	nor	r5, r5, r6
	mulld	r12, r4, r5
	bdnz	1b
	li	r3, 0
	li	r0, 234
	sc
