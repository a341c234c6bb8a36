import { describe, expect, it } from 'vitest';
import {
  imageErrorFromErrno,
  notRegularFileError,
  outOfMemoryError,
} from '../../src/image/load-errors.js';

describe('errno -> message and fix (tests run as root, so EACCES is checked here)', () => {
  it('EACCES and EPERM say permission denied and how to check it', () => {
    for (const code of ['EACCES', 'EPERM']) {
      const e = imageErrorFromErrno(code, '/images/psl.bin', 'denied');
      expect(e.problem).toBe('permission');
      expect(e.exitCode).toBe(2);
      expect(e.message).toBe('Cannot read the image /images/psl.bin: permission denied.');
      expect(e.fix).toMatch(/ls -l.*namei -l/);
    }
  });

  it('each errno the path can produce has its own problem code', () => {
    const problems = ['ENOENT', 'ENOTDIR', 'ELOOP', 'ENAMETOOLONG', 'EIO'].map(
      (code) => imageErrorFromErrno(code, '/x', 'detail').problem,
    );
    expect(problems).toEqual([
      'missing',
      'not-a-directory',
      'link-loop',
      'name-too-long',
      'io-error',
    ]);
  });

  it('an unexpected errno keeps the system message and the code', () => {
    const e = imageErrorFromErrno('EOVERFLOW', '/x', 'value too large');
    expect(e.problem).toBe('unreadable');
    expect(e.message).toBe('Cannot read the image /x: value too large (EOVERFLOW).');
  });

  it('a block device is named as a disk or partition', () => {
    expect(notRegularFileError('block-device', '/dev/sda').message).toMatch(
      /block device \(a disk/,
    );
  });

  it('an allocation failure is a refusal that names the size, not an internal error', () => {
    const e = outOfMemoryError('/x.bin', 200 * 1024 * 1024);
    expect(e).toMatchObject({ problem: 'out-of-memory', exitCode: 2 });
    expect(e.message).toContain('209,715,200 bytes (200.0 MiB)');
  });
});
