/**
 * Builds and drives the C shim (cxl_shim.c). The shim's control functions are bound here with
 * koffi; the ioctl under test goes through src/ioctl's own `Libc` binding.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import koffi from 'koffi';

const here = dirname(fileURLToPath(import.meta.url));
const SOURCE_NAME = 'cxl_shim.c';

/** Compile the shim with the host compiler into `outDir`; returns the library's path. */
export function buildShim(outDir: string, compiler = 'cc'): string {
  mkdirSync(outDir, { recursive: true });
  const output = join(outDir, 'libcxlshim.so');
  // The source sits beside this file in test/ffi; a compiled copy of this file does not.
  const source = findSource();
  execFileSync(
    compiler,
    [
      '-shared',
      '-fPIC',
      '-O2',
      '-fstack-protector-all',
      '-Wall',
      '-Wextra',
      '-Werror',
      '-o',
      output,
      source,
      '-lpthread',
    ],
    { stdio: 'pipe' },
  );
  return output;
}

function findSource(): string {
  for (const candidate of [
    join(here, SOURCE_NAME),
    resolve(here, '../../../test/ffi', SOURCE_NAME),
  ]) {
    try {
      execFileSync('test', ['-f', candidate]);
      return candidate;
    } catch {
      // try the next one
    }
  }
  throw new Error(`cannot find ${SOURCE_NAME} near ${here}`);
}

export const CHECK_CANARY = 1;
export const CHECK_VA_SLOT = 2;
export const CHECK_OVERREAD = 4;

/** One call as the shim saw it (struct shim_record in cxl_shim.c). */
export interface ShimRecord {
  readonly request: bigint;
  readonly fd: number;
  readonly checks: number;
  readonly argAddress: bigint;
  readonly arg: Buffer;
  readonly dataChecksum: bigint;
  readonly dataLength: bigint;
  readonly overreadChecksum: bigint;
  readonly vaSlotOffset: bigint;
  readonly returned: number;
  readonly error: number;
  readonly thread: bigint;
}

type IntFn = () => number;

export class Shim {
  private readonly resetFn: IntFn;
  private readonly pushFn: (ret: number, err: number) => number;
  private readonly countFn: IntFn;
  private readonly sizeFn: IntFn;
  private readonly getFn: (index: number, out: Buffer) => number;
  private readonly guardsFn: IntFn;

  constructor(readonly libraryPath: string) {
    const lib = koffi.load(libraryPath);
    this.resetFn = lib.func('void shim_reset(void)') as IntFn;
    this.pushFn = lib.func('int shim_push_result(int ret, int err)') as typeof this.pushFn;
    this.countFn = lib.func('int shim_call_count(void)') as IntFn;
    this.sizeFn = lib.func('int shim_record_size(void)') as IntFn;
    this.getFn = lib.func('int shim_get_record(int i, _Out_ void *out)') as typeof this.getFn;
    this.guardsFn = lib.func('int shim_guards_intact(void)') as IntFn;
  }

  reset(): void {
    this.resetFn();
  }

  /** Queue the answers of the next calls: 1, 0, or -1 with an errno. */
  script(...results: readonly (number | readonly [number, number])[]): void {
    for (const r of results) {
      const [ret, err] = typeof r === 'number' ? [r, 0] : r;
      if (this.pushFn(ret, err) !== 0) throw new Error('shim script is full');
    }
  }

  get callCount(): number {
    return this.countFn();
  }

  get guardsIntact(): boolean {
    return this.guardsFn() === 1;
  }

  records(): ShimRecord[] {
    const size = this.sizeFn();
    const out: ShimRecord[] = [];
    for (let i = 0; ; i++) {
      const buf = Buffer.alloc(size);
      if (this.getFn(i, buf) !== 0) break;
      out.push(decodeRecord(buf));
    }
    return out;
  }
}

function decodeRecord(buf: Buffer): ShimRecord {
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  const u64 = (o: number): bigint => view.getBigUint64(o, little);
  return {
    request: u64(0),
    fd: view.getInt32(8, little),
    checks: view.getUint32(12, little),
    argAddress: u64(16),
    arg: Buffer.from(buf.subarray(24, 88)),
    dataChecksum: u64(88),
    dataLength: u64(96),
    overreadChecksum: u64(104),
    vaSlotOffset: view.getBigInt64(112, little),
    returned: view.getInt32(120, little),
    error: view.getInt32(124, little),
    thread: u64(128),
  };
}

/**
 * FNV-1a 64, the shim's checksum, on four 16-bit limbs so it stays in plain numbers (a BigInt
 * per byte is too slow for megabytes under emulation).
 */
export function fnv1a(bytes: Uint8Array): bigint {
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (let i = 0; i < bytes.length; i++) {
    h0 ^= bytes[i] ?? 0;
    // multiply by the FNV prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + h0 * 0x100 + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + h1 * 0x100 + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return (BigInt(h3) << 48n) | (BigInt(h2) << 32n) | (BigInt(h1) << 16n) | BigInt(h0);
}
