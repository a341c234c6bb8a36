import { describe, expect, it } from 'vitest';
import {
  cxlRequestNumbers,
  formatRequestNumber,
  GENERIC_LAYOUT,
  ioc,
  iocLayoutForArch,
  POWERPC_LAYOUT,
} from '../../src/ioctl/request-numbers.js';

// docs/kernel-contract.md §2, values checked there by compiling against the real headers.
describe('ioctl request numbers', () => {
  it('uses the powerpc layout on ppc64 (ppc64le reports arch ppc64)', () => {
    const r = cxlRequestNumbers('ppc64');
    expect(r.layout.name).toBe('powerpc');
    expect(r.downloadImage).toBe(0x8040ca0a);
    expect(r.validateImage).toBe(0x8040ca0b);
    expect(r.downloadImage).toBe(2151729674);
  });

  it('uses the generic layout on x64 and arm64', () => {
    for (const arch of ['x64', 'arm64']) {
      const r = cxlRequestNumbers(arch);
      expect(r.layout.name).toBe('generic');
      expect(r.downloadImage).toBe(0x4040ca0a);
      expect(r.validateImage).toBe(0x4040ca0b);
    }
  });

  it('matches the AFU numbers of the table for both layouts, including _IOR', () => {
    expect(ioc(POWERPC_LAYOUT, 'write', 0xca, 0x00, 64)).toBe(0x8040ca00);
    expect(ioc(GENERIC_LAYOUT, 'write', 0xca, 0x00, 64)).toBe(0x4040ca00);
    expect(ioc(POWERPC_LAYOUT, 'read', 0xca, 0x01, 4)).toBe(0x4004ca01);
    expect(ioc(GENERIC_LAYOUT, 'read', 0xca, 0x01, 4)).toBe(0x8004ca01);
    expect(ioc(POWERPC_LAYOUT, 'read', 0xca, 0x02, 64)).toBe(0x4040ca02);
    expect(ioc(GENERIC_LAYOUT, 'read', 0xca, 0x02, 64)).toBe(0x8040ca02);
  });

  it('the generic download number is what powerpc makes of _IOR (the wrong-encoding trap)', () => {
    expect(ioc(POWERPC_LAYOUT, 'read', 0xca, 0x0a, 64)).toBe(
      cxlRequestNumbers('x64').downloadImage,
    );
  });

  it('encodes _IO with the powerpc NONE bit and _IOWR the same on both layouts', () => {
    expect(ioc(POWERPC_LAYOUT, 'none', 0x74, 1, 0)).toBe(0x20007401);
    expect(ioc(GENERIC_LAYOUT, 'none', 0x74, 1, 0)).toBe(0x00007401);
    expect(ioc(POWERPC_LAYOUT, 'readwrite', 0xca, 5, 64)).toBe(0xc040ca05);
    expect(ioc(GENERIC_LAYOUT, 'readwrite', 0xca, 5, 64)).toBe(0xc040ca05);
  });

  it('refuses a size that does not fit the layout', () => {
    expect(() => ioc(POWERPC_LAYOUT, 'write', 0xca, 1, 8192)).toThrow(RangeError);
    expect(ioc(GENERIC_LAYOUT, 'write', 0xca, 1, 8192)).toBe(0x6000ca01);
  });

  it('maps architectures to layouts', () => {
    expect(iocLayoutForArch('ppc').name).toBe('powerpc');
    expect(iocLayoutForArch('mipsel').name).toBe('mips');
    expect(iocLayoutForArch('riscv64').name).toBe('generic');
  });

  it('formats numbers as doctor prints them', () => {
    expect(formatRequestNumber(0x8040ca0a)).toBe('0x8040ca0a');
    expect(formatRequestNumber(0x401)).toBe('0x00000401');
  });
});
