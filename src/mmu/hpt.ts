// The hashed page table as the translation hardware finds and judges it: where it is for a
// CPU model (SDR1, or PTCR and partition-table entry 0), and storage protection. Formats,
// hashes and the PTE compare are in hpte.ts and hash.ts.

import type { CpuModel } from '../cpu/models.js';
import { decodePate0Hash, decodePtcr, decodeSdr1, pateAddress, type HtabGeometry } from './hash.js';

/**
 * Where this model finds the HPT: SDR1 (v2.07, Book III 5.7.7.1) or, on POWER9 in hash mode,
 * entry 0 of the partition table PTCR names (v3.0 Book III 5.7.6.1; HR=1 would mean radix).
 * `read64` reads a big-endian doubleword of real storage (null beyond storage).
 */
export function hptLocation(model: CpuModel, sdr1: bigint, ptcr: bigint, read64: (ra: bigint) => bigint | null): HtabGeometry | null {
  if (model.hptLocation === 'sdr1') return sdr1 === 0n ? null : decodeSdr1(sdr1);
  if (ptcr === 0n) return null;
  const pate0 = read64(pateAddress(decodePtcr(ptcr), 0n));
  if (pate0 === null) return null;
  return decodePate0Hash(pate0).geometry;
}

/**
 * Storage protection (Book III 5.7.9.2, "Protection matrix"): key = MSR[PR] ? Kp : Ks,
 * pp = PP0 || PP. Returns [read allowed, write allowed]; reserved pp values allow nothing.
 */
export function protection(key: boolean, pp: number): [boolean, boolean] {
  if (!key) {
    if (pp === 0 || pp === 1 || pp === 2) return [true, true];
    if (pp === 3 || pp === 6) return [true, false];
    return [false, false];
  }
  if (pp === 2) return [true, true];
  if (pp === 1 || pp === 3) return [true, false];
  return [false, false];
}
