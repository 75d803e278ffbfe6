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
  fadd, fadds, fsub, fsubs, fmul, fmuls, fdiv, fdivs, fsqrt, fsqrts, fre, fres, frsqrte, frsqrtes, fmadd, fmadds, fmsub, fmsubs,
  fnmadd, fnmadds, fnmsub, fnmsubs, fsel, frsp, fctiw, fctiwz, fctid, fctidz, fctiwu, fctiwuz,
  fctidu, fctiduz, fcfid, fcfids, fcfidu, fcfidus, fcmpu, fcmpo, ftdiv, ftsqrt, mcrfs, fneg, fabs, fnabs, fcpsgn, mffs, mffsce, mffscrn, mffscrni, mffsl,
  mtfsf, mtfsfi, mtfsb0, mtfsb1, frin, friz, frip, frim,
  // vector (VMX) and vector-scalar (VSX)
  lxsdx, lxsiwax, lxsiwzx, lxsspx, lxvd2x, lxvdsx, lxvw4x, lxvwsx, lxvx, stxsdx, stxsiwx, stxsspx,
  stxvd2x, stxvw4x, stxvx, lxvl, lxvll, stxvl, stxvll, lxvb16x, lxvh8x, stxvb16x, stxvh8x, lxv, stxv, lxsd, lxssp, lxsibzx, lxsihzx, stxsibx, stxsihx, stxsd, stxssp, mfvsrd, mfvsrwz, mfvsrld, mtvsrd,
  mtvsrwa, mtvsrwz, mtvsrws, mtvsrdd, xxland, xxlandc, xxlor, xxlxor, xxlnor, xxlorc, xxlnand,
  xxleqv, xxperm, xxpermr, xxmrghw, xxmrglw, xxpermdi, xxsldwi, xxsel, xxspltw, xxextractuw, xxinsertw, xxbrh, xxbrw, xxbrd, xxbrq, xxspltib, xsadddp, xssubdp, xsmuldp,
  xsdivdp, xsaddsp, xssubsp, xsmulsp, xsdivsp, xsmaddadp, xsmaddmdp, xsmsubadp, xsmsubmdp,
  xsnmaddadp, xsnmaddmdp, xsnmsubadp, xsnmsubmdp, xsmaddasp, xsmaddmsp, xsmsubasp, xsmsubmsp,
  xsnmaddasp, xsnmaddmsp, xsnmsubasp, xsnmsubmsp, xscpsgndp, xscmpudp, xscmpodp, xssqrtdp,
  xssqrtsp, xsabsdp, xsnabsdp, xsnegdp, xsrsp, xscvdpsp, xscvdpspn, xscvspdp, xscvspdpn,
  xscvdpsxds, xscvdpsxws, xscvdpuxds, xscvdpuxws, xscvsxddp, xscvuxddp, xscvsxdsp, xscvuxdsp,
  xsrdpi, xsrdpiz, xsrdpip, xsrdpim, xvadddp, xvsubdp, xvmuldp, xvdivdp, xvsqrtdp, xvmaddadp, xvmaddmdp, xvmsubadp,
  xvmsubmdp, xvnmaddadp, xvnmaddmdp, xvnmsubadp, xvnmsubmdp, xvaddsp, xvsubsp, xvmulsp, xvdivsp,
  xvsqrtsp, xvmaddasp, xvmaddmsp, xvmsubasp, xvmsubmsp, xvnmaddasp, xvnmaddmsp, xvnmsubasp,
  xvnmsubmsp, xvcmpeqdp, xvcmpeqdp_, xvcmpgtdp, xvcmpgtdp_, xvcmpgedp, xvcmpgedp_, xvcmpeqsp,
  xvcmpeqsp_, xvcmpgtsp, xvcmpgtsp_, xvcmpgesp, xvcmpgesp_, xvcvsxwdp, xvcvuxwdp, xvcvsxddp, xvcvuxddp, xvcvdpsxws,
  xvcvdpuxws, xvcvdpsxds, xvcvdpuxds, xvcvspdp, xvcvdpsp, xsmaxcdp, xsmincdp, xsmaxdp, xsmindp, xsmaxjdp, xsminjdp, xvcvsxwsp, xvcvuxwsp, xvcvspsxws, xvcvspuxws, xvcvsxdsp, xvcvuxdsp, xvcvspsxds, xvcvspuxds,
  xvrdpi, xvrdpiz, xvrdpip, xvrdpim, xvrspi, xvrspiz, xvrspip, xvrspim, xsrdpic, xvrdpic, xvrspic, xvmaxdp, xvmindp, xvmaxsp, xvminsp, xvabsdp, xvnabsdp, xvnegdp, xvcpsgndp, xvabssp, xvnabssp, xvnegsp, xvcpsgnsp, lvx, lvxl, lvebx, lvehx, lvewx, lvsl, lvsr, stvx,
  stvxl, stvebx, stvehx, stvewx, vand, vandc, vor, vxor, vnor, vorc, vnand, veqv, vsel, vperm,
  vsldoi, vmladduhm, vmsumubm, vmsummbm, vmsumuhm, vmsumshm, vmrghb, vmrghh, vmrghw, vmrglb, vmrglh, vmrglw, vextractub, vextractuh, vextractuw, vextractd, vinsertb, vinserth, vinsertw, vinsertd, vspltb, vsplth, vspltw, vspltisb,
  vspltish, vspltisw, vpkuhum, vpkuwum, vpkudum, vsl, vsr, vslo, vsro, vgbbd, vbpermq, vaddubm,
  vadduhm, vadduwm, vaddudm, vadduqm, vsubuqm, vaddubs, vadduhs, vadduws, vsububm, vsubuhm, vsubuwm, vsubudm,
  vsububs, vsubuhs, vsubuws, vmaxub, vmaxuh, vmaxuw, vmaxsb, vmaxsh, vmaxsw, vminub, vminuh,
  vminuw, vminsb, vminsh, vminsw, vmuluwm, vmuloub, vmulouh, vmulouw, vmulosb, vmulosh, vmulosw, vmuleub, vmuleuh, vmuleuw, vmulesb, vmulesh, vmulesw,
  vupkhsb, vupklsb, vupkhsh, vupklsh, vupkhsw, vupklsw, vrlb, vrlh, vrlw, vrld, vslb, vslh, vslw, vsld, vsrb, vsrh, vsrw, vsrd, vsrab, vsrah,
  vsraw, vsrad, vpopcntb, vpopcnth, vpopcntw, vpopcntd, vsumsws, vsum2sws, vsum4ubs, vsum4sbs, vsum4shs, vclzb, vclzh, vclzw, vclzd, vcmpequb, vcmpequb_, vcmpequh, vcmpequh_,
  vcmpequw, vcmpequw_, vcmpequd, vcmpequd_, vcmpgtub, vcmpgtub_, vcmpgtuh, vcmpgtuh_, vcmpgtuw,
  vcmpgtuw_, vcmpgtud, vcmpgtud_, vcmpgtsb, vcmpgtsb_, vcmpgtsh, vcmpgtsh_, vcmpgtsw, vcmpgtsw_,
  vcmpgtsd, vcmpgtsd_, vcmpneb, vcmpneb_, vcmpneh, vcmpneh_, vcmpnew, vcmpnew_, vcmpnezb,
  vcmpnezb_, vcmpnezh, vcmpnezh_, vcmpnezw, vcmpnezw_, vclzlsbb, vctzlsbb, vnegw, vnegd, vextsb2w, vextsh2w, vextsb2d, vextsh2d, vextsw2d, vextublx, vextubrx,
  vextuhlx, vextuhrx, vextuwlx, vextuwrx, mfvscr, mtvscr,
  vaddfp, vsubfp, vmaddfp, vnmsubfp, vmaxfp, vminfp, vrefp, vrsqrtefp, vcmpeqfp, vcmpeqfp_, vcmpgefp, vcmpgefp_, vcmpgtfp, vcmpgtfp_,
  vcmpbfp, vcmpbfp_, vcfux, vcfsx, vctuxs, vctsxs, vrfin, vrfiz, vrfip, vrfim, vpkshss, vpkshus, vpkswss, vpkswus, vpkuhus,
  vpkuwus, vpksdss, vpksdus, vpkudus, vmsumuhs, vmsumshs, vupkhpx, vupklpx, vpkpx, vpermxor,
  vaddsbs, vaddshs, vaddsws, vsubsbs, vsubshs, vsubsws, vaddcuw, vsubcuw, vavgub, vavguh, vavguw, vavgsb, vavgsh, vavgsw,
  vabsdub, vabsduh, vabsduw, vmaxsd, vmaxud, vminsd, vminud, vmrgew, vmrgow, vpermr, vslv, vsrv, xscmpeqdp, xscmpgedp, xscmpgtdp,
  // system and storage control
  sc, scv, rfid, hrfid, isync, stop, mfmsr, mtmsrd, sync, eieio, tlbie, tlbiel, tlbsync, slbie, slbia, slbmte,
  slbmfee, slbmfev, attn,
}

export function opOf(mnemonic: string): Op {
  const v = (Op as unknown as Record<string, number | undefined>)[mnemonic.replace('.', '_')];
  if (v === undefined) throw new Error(`internal: no semantic op for ${mnemonic}`);
  return v;
}
