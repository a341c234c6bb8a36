/**
 * The simulated kernel log: a regular file at `<root>/dev/kmsg` in the /dev/kmsg record format
 * (`<prio>,<seq>,<usec>,<flags>;message`), with the cxl driver's lines printed exactly as the
 * kernel's vsnprintf would (docs/kernel-contract.md §4.3, §4.7).
 */
import { closeSync, constants, lstatSync, writeSync } from 'node:fs';
import { openOwnedFile, readOwnedFile } from '../safe-fs/owned-file.js';
import type { SystemRoot } from '../hardware/system-root.js';

export const KERN_ERR = 3;
export const KERN_WARNING = 4;

/** The kernel's `%#llx`: always `0x`, even for zero (lib/vsprintf.c; glibc would print `0`). */
export function kernelHex(value: bigint | number): string {
  return `0x${BigInt(value).toString(16)}`;
}

/** The kernel's `%#.16llx`: `0x` and at least 16 digits. */
export function kernelHex16(value: bigint | number): string {
  return `0x${BigInt(value).toString(16).padStart(16, '0')}`;
}

/** hcalls.c, pr_err on any rc other than H_SUCCESS and H_CONTINUE. */
export function downloadFacilityMessage(
  unitAddress: number,
  operation: 1 | 2,
  sgList: bigint,
  entries: number,
  r4: bigint,
  rc: number,
): string {
  const op = operation === 1 ? 'DOWNLOAD' : 'VALIDATE';
  return `cxl_h_download_facility(${kernelHex16(unitAddress)}, ${op}(${kernelHex(sgList)}, ${kernelHex(entries)}), ${kernelHex(r4)}): ${rc}`;
}

/** The 64-bit two's complement `%lx` of a negative long. */
export function longHex(value: number): string {
  return BigInt.asUintN(64, BigInt(value)).toString(16);
}

const KEEP_BYTES = 512 * 1024;
const { O_WRONLY, O_CREAT, O_TRUNC, O_APPEND } = constants;

export class KmsgWriter {
  private readonly path: string;

  constructor(
    root: SystemRoot,
    private readonly bootTimeMs: number,
  ) {
    this.path = root.path('/dev/kmsg');
  }

  /** Create the file if needed; keep only the newest records of a log grown large over many runs. */
  prepare(): void {
    let size = -1;
    try {
      size = lstatSync(this.path).size;
    } catch {
      this.writeFile(O_WRONLY | O_CREAT, '');
    }
    if (size > KEEP_BYTES * 2) {
      const text = this.text();
      const tail = text.slice(text.length - KEEP_BYTES);
      this.writeFile(O_WRONLY | O_CREAT | O_TRUNC, tail.slice(tail.indexOf('\n') + 1));
    }
  }

  /** The log's text ('' when missing); never through a link. */
  private text(): string {
    return readOwnedFile(this.path, 'simulated kernel log')?.toString('utf8') ?? '';
  }

  private writeFile(flags: number, text: string): void {
    const fd = openOwnedFile(this.path, flags, 'simulated kernel log');
    try {
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
  }

  private nextSeq(): number {
    const lines = this.text().trimEnd().split('\n');
    for (let i = lines.length - 1; i >= 0; i--) {
      const seq = /^\d+,(\d+),/.exec(lines[i] ?? '')?.[1];
      if (seq !== undefined) return Number(seq) + 1;
    }
    return 0;
  }

  write(level: number, message: string): void {
    const usec = Math.max(0, Math.round((Date.now() - this.bootTimeMs) * 1000));
    this.writeFile(
      O_WRONLY | O_CREAT | O_APPEND,
      `${level},${this.nextSeq()},${usec},-;${message}\n`,
    );
  }

  /** What WARN() prints around its message (the stack dump is left out). */
  warn(message: string, pid: number): void {
    this.write(KERN_WARNING, '------------[ cut here ]------------');
    this.write(KERN_WARNING, message);
    this.write(
      KERN_WARNING,
      `WARNING: CPU: 0 PID: ${pid} at drivers/misc/cxl/hcalls.c cxl_h_download_facility [cxl]`,
    );
    this.write(KERN_WARNING, '---[ end trace 0000000000000000 ]---');
  }
}
