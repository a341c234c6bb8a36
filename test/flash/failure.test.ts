import { describe, expect, it } from 'vitest';
import { classifyPassFailure } from '../../src/flash/failure.js';
import { EBUSY, EINVAL } from '../../src/ioctl/errno.js';

const badData = { rc: -70, name: 'H_BAD_DATA', meaning: 'verification failed' };

describe('failure classification', () => {
  it('is a rejection (exit 4) only when the kernel log says H_BAD_DATA at validation', () => {
    const v = classifyPassFailure(
      'validate',
      { kind: 'failed', call: 3, errno: EINVAL, returned: -1 },
      5,
      badData,
      'cxl-flasher recover',
    );
    expect(v.outcome).toBe('rejected');
    expect(v.exitCode).toBe(4);
    expect(v.message).toMatch(/rejected the image at validation \(call 4 of 5\)/);
    expect(v.error.hcall).toEqual(badData);
    expect(v.error.adapterState).toMatch(/no valid image/);
  });

  it('stays a plain failure (exit 1) when the log could not tell', () => {
    const v = classifyPassFailure(
      'validate',
      { kind: 'failed', call: 0, errno: EINVAL, returned: -1 },
      5,
      null,
      'r',
    );
    expect(v.outcome).toBe('failed');
    expect(v.exitCode).toBe(1);
    expect(v.error.errnoName).toBe('EINVAL');
    expect(v.error.meaning).toMatch(/H_BAD_DATA/);
  });

  it('names the errno and the hypervisor code of a download failure', () => {
    const hw = { rc: -1, name: 'H_HARDWARE', meaning: 'hardware error' };
    const v = classifyPassFailure(
      'download',
      { kind: 'failed', call: 2, errno: EBUSY, returned: -1 },
      9,
      hw,
      'cxl-flasher recover',
    );
    expect(v.exitCode).toBe(1);
    expect(v.message).toBe('The download call 3 of 9 failed with EBUSY (hypervisor H_HARDWARE).');
    expect(v.nextStep).toMatch(/cxl-flasher recover/);
    expect(v.error.adapterState).toMatch(/^Reset by the driver; the download erased its image/);
  });

  it('does not claim the first download call erased the image, only that it may have', () => {
    const v = classifyPassFailure(
      'download',
      { kind: 'failed', call: 0, errno: EBUSY, returned: -1 },
      9,
      null,
      'r',
    );
    expect(v.error.adapterState).toMatch(/may have erased/);
  });

  it('reports an early 0 and a 1 after the last byte as size or header disagreements', () => {
    const early = classifyPassFailure('download', { kind: 'early-done', call: 1 }, 4, null, 'r');
    expect(early.exitCode).toBe(1);
    expect(early.message).toMatch(/complete after call 2 of 4, before the last byte/);
    const over = classifyPassFailure('validate', { kind: 'overrun', call: 3 }, 4, null, 'r');
    expect(over.message).toMatch(/more data after the last byte/);
  });

  it('does not invent an errno for a return value the kernel never gives', () => {
    const v = classifyPassFailure(
      'download',
      { kind: 'failed', call: 0, errno: 0, returned: 2 },
      4,
      null,
      'r',
    );
    expect(v.error.errno).toBeNull();
    expect(v.message).toMatch(/returned 2/);
  });
});
