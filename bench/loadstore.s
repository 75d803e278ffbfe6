# Load/store mix over a 4 KiB buffer: 8 loads, 6 stores, 2 address updates and a bdnz per
# iteration, ITER iterations.
	.abiversion 2
	.set ITER, 8000000
	.text
	.globl _start
_start:
	lis	r9, ITER@h
	ori	r9, r9, ITER@l
	mtctr	r9
	lis	r20, buf@ha
	addi	r20, r20, buf@l
	mr	r21, r20
	li	r22, 0
	li	r3, 5
1:	ld	r4, 0(r21)
	lwz	r5, 8(r21)
	std	r3, 16(r21)
	lbz	r6, 3(r21)
	stw	r4, 24(r21)
	lhz	r7, 24(r21)
	stb	r5, 32(r21)
	ldx	r8, r21, r22
	add	r3, r3, r8
	stdx	r3, r21, r22
	lwa	r10, 12(r21)
	sth	r10, 40(r21)
	lha	r11, 40(r21)
	std	r11, 48(r21)
	addi	r21, r21, 64
	andi.	r21, r21, 4095
	add	r21, r21, r20
	bdnz	1b
	li	r3, 0
	li	r0, 234
	sc
	.data
	.p2align 12
buf:	.space 8192
