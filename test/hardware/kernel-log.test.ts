import { accessSync, appendFileSync, constants, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  findHcallFailures,
  lastDownloadFacilityFailure,
  markKernelLog,
  parseDownloadFacilityLine,
  parseKmsgRecord,
  readKernelLogSince,
} from '../../src/hardware/kernel-log.js';
import { SystemRoot } from '../../src/hardware/system-root.js';
import { EBUSY, EINVAL } from '../../src/ioctl/errno.js';
import { FixtureTree } from '../helpers/fixture-tree.js';

const record = (message: string, seq = 1, prio = 3) => ({
  seq,
  level: prio & 7,
  facility: prio >> 3,
  usec: 1000,
  message,
});

describe('kmsg records', () => {
  it('parses prio, seq, usec and message, including extra prefix fields', () => {
    expect(parseKmsgRecord('3,1042,5123456,-;hello; world')).toEqual({
      seq: 1042,
      level: 3,
      facility: 0,
      usec: 5123456,
      message: 'hello; world',
    });
    expect(parseKmsgRecord('12,7,99,c,caller=T1;x')).toMatchObject({ level: 4, facility: 1 });
    expect(parseKmsgRecord(' SUBSYSTEM=cxl')).toBeNull();
  });
});

describe('the driver’s download facility line (hcalls.c)', () => {
  it('reads the kernel’s format, where %#llx prints zero as 0x0', () => {
    const line = parseDownloadFacilityLine(
      record(
        'cxl_h_download_facility(0x0000000030000001, VALIDATE(0x3c1e0000, 0x100), 0x0): -70',
        9,
      ),
    );
    expect(line).toEqual({
      seq: 9,
      unitAddress: '0x30000001',
      operation: 'VALIDATE',
      sgList: '0x3c1e0000',
      entries: 256,
      token: '0x0',
      rc: -70,
      rcName: 'H_BAD_DATA',
      meaning: expect.stringMatching(/verification failed/),
      errno: EINVAL,
    });
  });

  it('also reads a bare 0 (glibc’s way) and names EBUSY classes', () => {
    const line = parseDownloadFacilityLine(
      record('cxl_h_download_facility(0x0000000030000001, DOWNLOAD(0, 0x1), 0): -10'),
    );
    expect(line).toMatchObject({
      operation: 'DOWNLOAD',
      sgList: '0x0',
      entries: 1,
      rcName: 'H_AUTHORITY',
      errno: EBUSY,
    });
  });

  it('names a code the driver does not know', () => {
    const line = parseDownloadFacilityLine(
      record('cxl_h_download_facility(0x0000000030000001, DOWNLOAD(0x1000, 0x1), 0x0): -67'),
    );
    expect(line?.rcName).toBe('H_UNSUPPORTED');
    expect(parseDownloadFacilityLine(record('cxl_h_attach_process(0x1, 0x2): -4'))).toBeNull();
  });

  it('recognises the long-busy give-up WARN (§4.7) next to the H_BUSY line', () => {
    const found = findHcallFailures([
      record('------------[ cut here ]------------', 1, 4),
      record('Warning: Giving up waiting for CXL hcall 0x364 after 200000 msec', 2, 4),
      record('cxl_h_download_facility(0x0000000030000001, DOWNLOAD(0x3c1e0000, 0x100), 0x0): 1', 3),
    ]);
    expect(found.longBusyTimeouts).toEqual([{ seq: 2, hcall: '0x364', totalMs: 200000 }]);
    expect(found.downloadFacility[0]).toMatchObject({ rc: 1, rcName: 'H_BUSY', errno: EBUSY });
  });
});

describe('reading since a mark', () => {
  let tree: FixtureTree;
  beforeEach(() => {
    tree = new FixtureTree();
  });
  afterEach(() => tree.cleanup());

  it('returns only records written after the mark, from a regular kmsg file', () => {
    tree.file('/dev/kmsg', '6,1,100,-;boot\n SUBSYSTEM=x\n3,2,200,-;old error\n');
    const mark = markKernelLog(tree.root);
    expect(mark).toEqual({ seq: 2, readable: true, detail: null });
    appendFileSync(
      tree.root.path('/dev/kmsg'),
      '3,3,300,-;cxl_h_download_facility(0x0000000030000001, DOWNLOAD(0x3c1e0000, 0x100), 0x0): -1\n',
    );
    const since = readKernelLogSince(tree.root, mark);
    expect(since.ok && since.records.map((r) => r.seq)).toEqual([3]);
    expect(lastDownloadFacilityFailure(tree.root, mark)).toMatchObject({ rcName: 'H_HARDWARE' });
  });

  it('reports a missing or unreadable log instead of throwing', () => {
    expect(markKernelLog(tree.root)).toMatchObject({ seq: null, readable: false });
    expect(readKernelLogSince(tree.root, markKernelLog(tree.root))).toMatchObject({
      ok: false,
      reason: 'missing',
    });
    tree.mkdir('/dev/kmsg');
    expect(
      readKernelLogSince(tree.root, { seq: null, readable: false, detail: null }),
    ).toMatchObject({
      ok: false,
      reason: 'unreadable',
    });
    expect(lastDownloadFacilityFailure(tree.root, markKernelLog(tree.root))).toBeNull();
  });

  it('an empty log at the mark lets every later record count', () => {
    tree.file('/dev/kmsg', '');
    const mark = markKernelLog(tree.root);
    writeFileSync(tree.root.path('/dev/kmsg'), '3,0,1,-;first\n');
    const since = readKernelLogSince(tree.root, mark);
    expect(since.ok && since.records.length).toBe(1);
  });
});

const realKmsgWritable = (() => {
  try {
    accessSync('/dev/kmsg', constants.R_OK | constants.W_OK);
    return markKernelLog(new SystemRoot('/')).readable;
  } catch {
    return false;
  }
})();

describe('the real /dev/kmsg (one record per read, EAGAIN at the end)', () => {
  it.skipIf(!realKmsgWritable)('reads a record written after the mark', () => {
    const root = new SystemRoot('/');
    const mark = markKernelLog(root);
    const tag = `cxl-flasher test: kmsg reader ${process.pid}-${Date.now()}`;
    writeFileSync('/dev/kmsg', `<6>${tag}\n`);
    const since = readKernelLogSince(root, mark);
    expect(since.ok && since.records.some((r) => r.message === tag && r.level === 6)).toBe(true);
  });
});
