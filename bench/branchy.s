# Branchy code: a data-dependent branch, a call/return and a CR test per iteration.
	.abiversion 2
	.set ITER, 4000000
	.text
	.globl _start
_start:
	lis	r9, ITER@h
	ori	r9, r9, ITER@l
	mtctr	r9
	li	r3, 0
	li	r4, 0x5a5
1:	rldicl	r5, r4, 63, 1
	andi.	r6, r4, 1
	beq	2f
	xori	r5, r5, 0xb400
2:	mr	r4, r5
	bl	leaf
	cmpwi	cr1, r3, 0
	blt	cr1, 3f
	addi	r3, r3, 1
3:	bdnz	1b
	li	r3, 0
	li	r0, 234
	sc
leaf:	add	r3, r3, r6
	blr
