// Semantic operation ids: one per instruction of the table, named after its mnemonic ("." is
// written "_"). The interpreter switches on these; the table (table.ts) attaches one to each
// entry by name, so the opcode numbers live only in the table.
export enum Op {
  invalid,
  // branch
  b, bc, bclr, bcctr, crand, cror, crxor, crnand, crnor, creqv, crandc, crorc, mcrf,
  // fixed-point
  addi, addis, addic, addic_, subfic, mulli, cmpi, cmpli, ori, oris, xori, xoris, andi_, andis_,
  twi, tdi, add, addc, adde, addze, addme, subf, subfc, subfe, subfze, subfme, neg, mullw, mulhw,
  mulhwu, mulld, mulhd, mulhdu, divw, divwu, divd, divdu, and, andc, or, orc, xor, nand, nor,
  eqv, slw, srw, sraw, sld, srd, srad, srawi, sradi, extsb, extsh, extsw, cntlzw, cntlzd, cnttzw,
  cnttzd, popcntb, popcntw, popcntd, cmp, cmpl, rlwinm, rlwnm, rlwimi, rldicl, rldicr, rldic,
  rldimi, rldcl, rldcr, isel, mtcrf, mtocrf, mfcr, mfocrf, mfspr, mtspr, tw, td, cmpb, bpermd,
  modsw, moduw, modsd, modud, maddhd, maddhdu, maddld, extswsli, setb, cmprb, cmpeqb, darn,
  addpcis,
  // load/store
  lbz, lbzu, lhz, lhzu, lha, lhau, lwz, lwzu, lwa, ld, ldu, stb, stbu, sth, sthu, stw, stwu, std,
  stdu, lmw, stmw, lbzx, lbzux, lhzx, lhzux, lhax, lhaux, lwzx, lwzux, lwax, lwaux, ldx, ldux,
  stbx, stbux, sthx, sthux, stwx, stwux, stdx, stdux, lhbrx, lwbrx, ldbrx, sthbrx, stwbrx, stdbrx,
  lwarx, ldarx, stwcx_, stdcx_, dcbz, dcbf, dcbst, icbi, dcbt, dcbtst,
  // floating-point storage access and moves
  lfs, lfsu, lfd, lfdu, stfs, stfsu, stfd, stfdu, lfsx, lfsux, lfdx, lfdux, lfiwax, lfiwzx, stfsx, stfsux,
  stfdx, stfdux, stfiwx, fmr,
  // floating-point arithmetic, conversion, compare and FPSCR
  fadd, fadds, fsub, fsubs, fmul, fmuls, fdiv, fdivs, fsqrt, fsqrts, fmadd, fmadds, fmsub, fmsubs,
  fnmadd, fnmadds, fnmsub, fnmsubs, fsel, frsp, fctiw, fctiwz, fctid, fctidz, fctiwu, fctiwuz,
  fctidu, fctiduz, fcfid, fcfids, fcfidu, fcfidus, fcmpu, fcmpo, fneg, fabs, fnabs, fcpsgn, mffs,
  mtfsf, mtfsfi, mtfsb0, mtfsb1, frin, friz, frip, frim,
  // system and storage control
  sc, scv, rfid, hrfid, isync, mfmsr, mtmsrd, sync, eieio, tlbie, tlbiel, tlbsync, slbie, slbia, slbmte,
  slbmfee, slbmfev, attn,
}

export function opOf(mnemonic: string): Op {
  const v = (Op as unknown as Record<string, number | undefined>)[mnemonic.replace('.', '_')];
  if (v === undefined) throw new Error(`internal: no semantic op for ${mnemonic}`);
  return v;
}
