/**
 * ioctl request numbers, computed from the `_IOC` layout of an architecture (docs/kernel-contract.md §2).
 * powerpc puts 13 size bits and 3 direction bits with NONE=1 READ=2 WRITE=4; the generic
 * layout has 14 size bits and 2 direction bits with NONE=0 WRITE=1 READ=2. Using the generic
 * number on powerpc makes the card driver answer EINVAL (§2 "Wrong encoding").
 */
import {
  ADAPTER_IMAGE_STRUCT_SIZE,
  CXL_MAGIC,
  CXL_NR_DOWNLOAD_IMAGE,
  CXL_NR_VALIDATE_IMAGE,
} from './abi.js';

export interface IocLayout {
  readonly name: 'powerpc' | 'generic' | 'mips';
  readonly sizeBits: number;
  readonly dirBits: number;
  readonly none: number;
  readonly read: number;
  readonly write: number;
}

const NR_BITS = 8;
const TYPE_BITS = 8;

export const POWERPC_LAYOUT: IocLayout = {
  name: 'powerpc',
  sizeBits: 13,
  dirBits: 3,
  none: 1,
  read: 2,
  write: 4,
};
export const GENERIC_LAYOUT: IocLayout = {
  name: 'generic',
  sizeBits: 14,
  dirBits: 2,
  none: 0,
  read: 2,
  write: 1,
};
/** MIPS shares the powerpc arithmetic (arch/mips/include/uapi/asm/ioctl.h). */
export const MIPS_LAYOUT: IocLayout = { ...POWERPC_LAYOUT, name: 'mips' };

/** The layout for a Node `process.arch` value. */
export function iocLayoutForArch(arch: string): IocLayout {
  switch (arch) {
    case 'ppc':
    case 'ppc64':
      return POWERPC_LAYOUT;
    case 'mips':
    case 'mipsel':
    case 'mips64':
    case 'mips64el':
      return MIPS_LAYOUT;
    default:
      return GENERIC_LAYOUT;
  }
}

export type IocDirection = 'none' | 'read' | 'write' | 'readwrite';

/** `_IOC(dir, type, nr, size)` for a layout, as an unsigned 32-bit number. */
export function ioc(
  layout: IocLayout,
  direction: IocDirection,
  type: number,
  nr: number,
  size: number,
): number {
  if (size < 0 || size >= 2 ** layout.sizeBits) {
    throw new RangeError(`ioctl argument size ${size} does not fit ${layout.sizeBits} bits`);
  }
  const dir = {
    none: layout.none,
    read: layout.read,
    write: layout.write,
    readwrite: layout.read | layout.write,
  }[direction];
  const sizeShift = NR_BITS + TYPE_BITS;
  const dirShift = sizeShift + layout.sizeBits;
  // Multiplication, not <<, so bit 31 does not make the result negative.
  return dir * 2 ** dirShift + size * 2 ** sizeShift + (type & 0xff) * 2 ** NR_BITS + (nr & 0xff);
}

export interface CxlRequestNumbers {
  readonly arch: string;
  readonly layout: IocLayout;
  /** `_IOW(0xCA, 0x0A, struct cxl_adapter_image)` */
  readonly downloadImage: number;
  /** `_IOW(0xCA, 0x0B, struct cxl_adapter_image)` */
  readonly validateImage: number;
}

/** The two card-device request numbers for an architecture (default: this process's). */
export function cxlRequestNumbers(arch: string = process.arch): CxlRequestNumbers {
  const layout = iocLayoutForArch(arch);
  const iow = (nr: number): number =>
    ioc(layout, 'write', CXL_MAGIC, nr, ADAPTER_IMAGE_STRUCT_SIZE);
  return {
    arch,
    layout,
    downloadImage: iow(CXL_NR_DOWNLOAD_IMAGE),
    validateImage: iow(CXL_NR_VALIDATE_IMAGE),
  };
}

/** `0x8040ca0a` style, as doctor prints it. */
export function formatRequestNumber(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}
