import { describe, expect, it } from 'vitest';
import {
  baseShiftFromSlbLlp,
  decodeLargeLp,
  hptePageSizes,
  lpSizeBits,
  MMU_PSIZE_DEFS,
  penc,
  shiftFromSllpEncoding,
  sllpEncoding,
  slbLlpForBase,
} from '../../src/mmu/page-sizes.js';

describe('page sizes (POWER7/8/9 mmu_psize_defs)', () => {
  it('SLB L||LP per base size: 4K 0x000, 64K L|LP=01 0x110, 16M L 0x100', () => {
    expect(slbLlpForBase(12)).toBe(0x000n);
    expect(slbLlpForBase(16)).toBe(0x110n);
    expect(slbLlpForBase(24)).toBe(0x100n);
    expect(baseShiftFromSlbLlp(0x110n | 0x400n)).toBe(16); // Kp does not disturb
    expect(baseShiftFromSlbLlp(0x100n)).toBe(24);
    expect(baseShiftFromSlbLlp(0n)).toBe(12);
    expect(baseShiftFromSlbLlp(0x120n)).toBeNull(); // 16G: not modelled
    expect(baseShiftFromSlbLlp(0x010n)).toBeNull(); // L=0 with LP!=0
  });

  it('get_sllp_encoding: (sllp & 0x100) >> 6 | (sllp & 0x30) >> 4', () => {
    // 4K: 0; 64K: 0x100>>6 = 4, 0x10>>4 = 1 -> 5; 16M: 4.
    expect(sllpEncoding(12)).toBe(0);
    expect(sllpEncoding(16)).toBe(5);
    expect(sllpEncoding(24)).toBe(4);
    expect(shiftFromSllpEncoding(5)).toBe(16);
    expect(shiftFromSllpEncoding(4)).toBe(24);
    expect(shiftFromSllpEncoding(0)).toBe(12);
    expect(shiftFromSllpEncoding(6)).toBeNull();
  });

  it('penc table and avpnm', () => {
    expect(penc(12, 12)).toBe(0);
    expect(penc(12, 16)).toBe(0x7);
    expect(penc(12, 24)).toBe(0x38);
    expect(penc(16, 16)).toBe(0x1);
    expect(penc(16, 24)).toBe(0x8);
    expect(penc(24, 24)).toBe(0x0);
    expect(penc(16, 12)).toBeNull();
    expect(penc(24, 16)).toBeNull();
    // avpnm = (1 << (24 - 23)) - 1 = 1 for 16M, 0 below 8M.
    expect(MMU_PSIZE_DEFS[24].avpnm).toBe(1n);
    expect(MMU_PSIZE_DEFS[16].avpnm).toBe(0n);
    expect(MMU_PSIZE_DEFS[24].tlbiel).toBe(false);
  });

  it('LP "rrrr zzzz": 64K uses 4 low bits, 16M all 8', () => {
    expect(lpSizeBits(16)).toBe(4);
    expect(lpSizeBits(24)).toBe(8);
    for (let r = 0; r < 16; r++) {
      expect(decodeLargeLp((r << 4) | 0x1)).toEqual({ base: 16, actual: 16 });
      expect(decodeLargeLp((r << 4) | 0x7)).toEqual({ base: 12, actual: 16 });
    }
    expect(decodeLargeLp(0x38)).toEqual({ base: 12, actual: 24 });
    expect(decodeLargeLp(0x08)).toEqual({ base: 16, actual: 24 });
    expect(decodeLargeLp(0x00)).toEqual({ base: 24, actual: 24 });
    // 0x18: low nibble 8 is not a 64K code, and as 8 bits it is no 16M code.
    expect(decodeLargeLp(0x18)).toBeNull();
    expect(decodeLargeLp(0x02)).toBeNull();
    expect(hptePageSizes(false, 0xff)).toEqual({ base: 12, actual: 12 });
  });
});
