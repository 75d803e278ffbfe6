import { describe, expect, it } from 'vitest';
import {
  PAGE_KERNEL,
  _PAGE_EXEC,
  _PAGE_HASHPTE,
  _PAGE_USER,
  htabConvertPteFlags,
  pfnPte,
  ptePfn,
  pteSlot,
  pteWithSlot,
} from '../../src/kernel-shim/linux-pte.js';

describe('Linux hash PTE (2012, 4K pages)', () => {
  it('PAGE_KERNEL = PRESENT|ACCESSED|COHERENT|RW|DIRTY = 0x391; pfn above bit 17', () => {
    expect(PAGE_KERNEL).toBe(0x391n);
    const pte = pfnPte(0x1234n, PAGE_KERNEL);
    expect(pte).toBe((0x1234n << 17n) | 0x391n);
    expect(ptePfn(pte)).toBe(0x1234n);
  });

  it('records and decodes the HPTE slot: index in bits 0x7000, secondary 0x8000', () => {
    const pte = pfnPte(1n, PAGE_KERNEL);
    expect(pteSlot(pte)).toBeNull();
    const p5 = pteWithSlot(pte, 5);
    expect(p5 & 0xfc00n).toBe(_PAGE_HASHPTE | 0x5000n);
    expect(pteSlot(p5)).toEqual({ secondary: false, index: 5 });
    const s3 = pteWithSlot(p5, 8 + 3);
    expect(s3 & 0xf000n).toBe(0xb000n);
    expect(pteSlot(s3)).toEqual({ secondary: true, index: 3 });
  });

  it('htab_convert_pte_flags: kernel RW page -> R|C|M, PP 0, N (no _PAGE_EXEC)', () => {
    // 0x391 & 0x1fa = 0x190 (R 0x100, C 0x80, M 0x10); no EXEC -> N 0x4; C always -> 0x194.
    expect(htabConvertPteFlags(PAGE_KERNEL)).toBe(0x194n);
    expect(htabConvertPteFlags(PAGE_KERNEL | _PAGE_EXEC)).toBe(0x190n);
    // A user page that is not RW+dirty becomes read-only: PP 0b11.
    expect(htabConvertPteFlags(0x111n | _PAGE_USER) & 3n).toBe(3n);
    expect(htabConvertPteFlags(PAGE_KERNEL | _PAGE_USER) & 3n).toBe(2n);
  });
});
