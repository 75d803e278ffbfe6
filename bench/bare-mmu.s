# Bare-metal benchmark loops for the MMU (choose with --entry):
#   0x100 ALU loop, real mode          0x120 ALU loop, IR and DR on
#   0x140 load/store loop, real mode   0x160 load/store loop, IR and DR on
#   0x180 TLB-miss loop: DR on, loads from 8192 distinct 4 KiB pages, more than the TLB holds,
#         so every load misses the TLB and walks the HPT
# The translated runs map EA = RA for the first 64 KiB (code, data) through SLB ESID 0 ->
# VSID 0x100, and EA 0x10000000 + k*4K -> RA 0x1000000 + k*4K for k < 8192 through ESID 1 ->
# VSID 0x123. HPT at 0x100000, HTABSIZE 2 (8192 PTEGs). Every loop ends with attn.
	.set	ITER, 4000000
	.set	MISS_ROUNDS, 8
	.text
	.org	0x100
	li	r31, 0
	b	main
	.org	0x120
	li	r31, 1
	b	main
	.org	0x140
	li	r31, 2
	b	main
	.org	0x160
	li	r31, 3
	b	main
	.org	0x180
	li	r31, 4
	b	main

	.org	0x200
main:
	andi.	r0, r31, 1
	beq	1f
	bl	map
	mfmsr	r3
	ori	r3, r3, 0x30		# IR | DR
	mtsrr1	r3
	lis	r3, 1f@ha
	addi	r3, r3, 1f@l
	mtsrr0	r3
	rfid
1:	cmpdi	r31, 2
	blt	alu
	cmpdi	r31, 4
	blt	ldst
	bl	map
	mfmsr	r3
	ori	r3, r3, 0x10		# DR
	mtmsrd	r3
	isync
	b	miss

alu:	lis	r9, ITER@h
	ori	r9, r9, ITER@l
	mtctr	r9
	li	r3, 1
	li	r4, 3
	li	r5, 7
	li	r6, 11
2:	add	r3, r3, r4
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
	bdnz	2b
	attn

ldst:	lis	r9, ITER@h
	ori	r9, r9, ITER@l
	mtctr	r9
	li	r20, 0
	ori	r20, r20, 0x8000	# data buffer (mapped EA = RA)
	mr	r21, r20
	li	r22, 0
	li	r3, 5
3:	ld	r4, 0(r21)
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
	bdnz	3b
	attn

miss:	li	r9, MISS_ROUNDS
	mtctr	r9
	lis	r20, 0x1000
4:	li	r21, 0
	li	r22, 8192
5:	sldi	r23, r21, 12
	ldx	r24, r20, r23
	addi	r21, r21, 1
	cmpd	r21, r22
	blt	5b
	bdnz	4b
	attn

# map: HPT at 0x100000 (HTABSIZE 2: 8192 PTEGs); identity map 16 pages at EA 0 (VSID 0x100)
# and 8192 pages at EA 0x10000000 -> RA 0x1000000 (VSID 0x123); SLB entries 0 and 1.
map:	lis	r3, 0x10
	ori	r3, r3, 2
	mtsdr1	r3
	lis	r4, 0x10		# HTABORG
	li	r5, 0			# page k
	li	r6, 16
6:	li	r7, 0x100		# VSID
	xor	r8, r7, r5		# hash = VSID ^ k
	andi.	r8, r8, 8191
	sldi	r8, r8, 7
	add	r8, r8, r4		# PTEG, slot 0
	sldi	r9, r5, 12		# RA = k * 4K
	std	r9, 8(r8)
	sldi	r10, r7, 12		# AVPN = VSID << 12 (VA >> 23 << 7 for pages below 8M)
	ori	r10, r10, 1
	std	r10, 0(r8)
	addi	r5, r5, 1
	cmpd	r5, r6
	blt	6b
	li	r5, 0
	li	r6, 8192
7:	li	r7, 0x123
	xor	r8, r7, r5
	andi.	r8, r8, 8191
	sldi	r8, r8, 7
	add	r8, r8, r4
	addi	r8, r8, 16		# slot 1 (slot 0 may hold an identity PTE)
	sldi	r9, r5, 12
	addis	r9, r9, 0x100		# RA 0x1000000 + k * 4K
	std	r9, 8(r8)
	sldi	r10, r7, 12
	srdi	r11, r5, 11		# VA bits above the 8 MiB boundary: k >> 11
	sldi	r11, r11, 7
	or	r10, r10, r11
	ori	r10, r10, 1
	std	r10, 0(r8)
	addi	r5, r5, 1
	cmpd	r5, r6
	blt	7b
	ptesync
	lis	r3, 0x10
	ori	r3, r3, 0x0000		# VSID 0x100 << 12
	li	r4, 0
	oris	r4, r4, 0x0800		# ESID 0 | V | index 0
	slbmte	r3, r4
	lis	r3, 0x12
	ori	r3, r3, 0x3000		# VSID 0x123 << 12
	lis	r4, 0x1800
	ori	r4, r4, 1		# ESID 1 | V | index 1
	slbmte	r3, r4
	isync
	blr
