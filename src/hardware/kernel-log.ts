/**
 * The kernel log since a mark, from `/dev/kmsg`, and the cxl driver's lines in it: the raw
 * hypervisor return code of a failed download or validate (docs/kernel-contract.md §4.3) and the long-busy
 * give-up warning (§4.7). The real device returns one record per read() and EAGAIN at the end
 * with O_NONBLOCK; the simulator's is a regular file of the same format.
 */
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';
import { describeHcall } from '../ioctl/hcall.js';
import type { SystemRoot } from './system-root.js';

export interface KernelRecord {
  readonly seq: number;
  /** syslog level 0-7 (3 = err, 4 = warning) */
  readonly level: number;
  readonly facility: number;
  /** microseconds since boot */
  readonly usec: number;
  readonly message: string;
}

export type KernelLogRead =
  | { readonly ok: true; readonly records: readonly KernelRecord[] }
  | { readonly ok: false; readonly reason: 'missing' | 'unreadable'; readonly detail: string };

/** Where the log ended when the mark was taken: the last sequence number seen. */
export interface KernelLogMark {
  /** null when the log was empty or unreadable: everything read later counts as new */
  readonly seq: number | null;
  readonly readable: boolean;
  readonly detail: string | null;
}

/** `<prio>,<seq>,<usec>,<flags>[,...];message` (Documentation/ABI/testing/dev-kmsg). */
const RECORD = /^(\d+),(\d+),(\d+),[^;]*;(.*)$/;

export function parseKmsgRecord(line: string): KernelRecord | null {
  const match = RECORD.exec(line);
  if (!match) return null;
  const prio = Number(match[1]);
  return {
    seq: Number(match[2]),
    level: prio & 7,
    facility: prio >> 3,
    usec: Number(match[3]),
    message: match[4] ?? '',
  };
}

/** Records of kmsg text; continuation lines (` KEY=value`) are skipped. */
export function parseKmsgText(text: string): KernelRecord[] {
  return text
    .split('\n')
    .map(parseKmsgRecord)
    .filter((r): r is KernelRecord => r !== null);
}

/** 8 KiB is the kernel's largest record (CONSOLE_EXT_LOG_MAX); a smaller read gets EINVAL. */
const RECORD_BUFFER = 16 * 1024;

function readDevice(fd: number): KernelRecord[] {
  const records: KernelRecord[] = [];
  const buffer = Buffer.alloc(RECORD_BUFFER);
  for (;;) {
    let n: number;
    try {
      n = readSync(fd, buffer, 0, buffer.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EPIPE') continue; // records were overwritten before we read them
      if (code === 'EAGAIN') break; // the end, with O_NONBLOCK
      throw error;
    }
    if (n === 0) break;
    const record = parseKmsgRecord(buffer.toString('utf8', 0, n).split('\n')[0] ?? '');
    if (record) records.push(record);
  }
  return records;
}

/** Every record the log holds now. Never throws. */
export function readKernelLog(root: SystemRoot): KernelLogRead {
  const path = root.path('/dev/kmsg');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      ok: false,
      reason: code === 'ENOENT' ? 'missing' : 'unreadable',
      detail: error instanceof Error ? error.message : String(error),
    };
  }
  try {
    if (fstatSync(fd).isFile())
      return { ok: true, records: parseKmsgText(readFileSync(fd, 'utf8')) };
    return { ok: true, records: readDevice(fd) };
  } catch (error) {
    return {
      ok: false,
      reason: 'unreadable',
      detail: error instanceof Error ? error.message : String(error),
    };
  } finally {
    closeSync(fd);
  }
}

/** Remember where the log ends now. */
export function markKernelLog(root: SystemRoot): KernelLogMark {
  const log = readKernelLog(root);
  if (!log.ok) return { seq: null, readable: false, detail: `${log.reason}: ${log.detail}` };
  const last = log.records[log.records.length - 1];
  return { seq: last ? last.seq : null, readable: true, detail: null };
}

/** The records written after the mark. */
export function readKernelLogSince(root: SystemRoot, mark: KernelLogMark): KernelLogRead {
  const log = readKernelLog(root);
  if (!log.ok || mark.seq === null) return log;
  const after = mark.seq;
  return { ok: true, records: log.records.filter((r) => r.seq > after) };
}

/** hcalls.c: `cxl_h_download_facility(%#.16llx, %s(%#llx, %#llx), %#lx): %li`, printed with pr_err on failure. */
export interface DownloadFacilityLine {
  readonly seq: number;
  /** the unit address, as `0x...` */
  readonly unitAddress: string;
  readonly operation: 'DOWNLOAD' | 'VALIDATE' | 'UNKNOWN_OP';
  /** real address of the S/G list */
  readonly sgList: string;
  readonly entries: number;
  /** R4 as returned by the hypervisor */
  readonly token: string;
  readonly rc: number;
  readonly rcName: string;
  readonly meaning: string;
  /** the errno the driver turned the rc into (§4.3), null for success and continue */
  readonly errno: number | null;
}

/** The kernel's `%#llx` prints 0 as `0x0` (lib/vsprintf.c); glibc prints `0`. Both are read. */
const HEX = '(0x[0-9a-fA-F]+|0)';
const DOWNLOAD_LINE = new RegExp(
  `cxl_h_download_facility\\(${HEX}, (DOWNLOAD|VALIDATE|UNKNOWN_OP)\\(${HEX}, ${HEX}\\), ${HEX}\\): (-?\\d+)\\s*$`,
);
const hex = (text: string): string => `0x${BigInt(text).toString(16)}`;

export function parseDownloadFacilityLine(record: KernelRecord): DownloadFacilityLine | null {
  const m = DOWNLOAD_LINE.exec(record.message);
  if (!m) return null;
  const [, unit = '0', op, sg = '0', entries = '0', token = '0', rc = '0'] = m;
  const code = describeHcall(Number(rc));
  return {
    seq: record.seq,
    unitAddress: hex(unit),
    operation: op as DownloadFacilityLine['operation'],
    sgList: hex(sg),
    entries: Number(BigInt(entries)),
    token: hex(token),
    rc: Number(rc),
    rcName: code.name,
    meaning: code.meaning,
    errno: code.errno,
  };
}

/** §4.7: `Warning: Giving up waiting for CXL hcall %#x after %u msec` (a WARN). */
export interface LongBusyTimeout {
  readonly seq: number;
  readonly hcall: string;
  readonly totalMs: number;
}

const LONG_BUSY = /Giving up waiting for CXL hcall (0x[0-9a-fA-F]+) after (\d+) msec/;

export function parseLongBusyTimeout(record: KernelRecord): LongBusyTimeout | null {
  const m = LONG_BUSY.exec(record.message);
  return m ? { seq: record.seq, hcall: hex(m[1] ?? '0'), totalMs: Number(m[2]) } : null;
}

export interface HcallFailures {
  readonly downloadFacility: readonly DownloadFacilityLine[];
  readonly longBusyTimeouts: readonly LongBusyTimeout[];
}

/** The driver's download/validate failure lines and long-busy give-ups among these records. */
export function findHcallFailures(records: readonly KernelRecord[]): HcallFailures {
  const downloadFacility: DownloadFacilityLine[] = [];
  const longBusyTimeouts: LongBusyTimeout[] = [];
  for (const record of records) {
    const line = parseDownloadFacilityLine(record);
    if (line) downloadFacility.push(line);
    const busy = parseLongBusyTimeout(record);
    if (busy) longBusyTimeouts.push(busy);
  }
  return { downloadFacility, longBusyTimeouts };
}

/** The last failed download/validate hcall since the mark, or null (none, or log unreadable). */
export function lastDownloadFacilityFailure(
  root: SystemRoot,
  mark: KernelLogMark,
): DownloadFacilityLine | null {
  const log = readKernelLogSince(root, mark);
  if (!log.ok) return null;
  const lines = findHcallFailures(log.records).downloadFacility;
  return lines[lines.length - 1] ?? null;
}
