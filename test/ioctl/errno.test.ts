import { describe, expect, it } from 'vitest';
import {
  EACCES,
  EBUSY,
  EFAULT,
  EINVAL,
  ENODEV,
  ENOENT,
  ENOMEM,
  ENOTTY,
  EPERM,
  errnoName,
  explainErrno,
} from '../../src/ioctl/errno.js';
import {
  describeHcall,
  errnoForHcall,
  H_AUTHORITY,
  H_BAD_DATA,
  H_BUSY,
  H_FUNCTION,
  H_HARDWARE,
  H_NOT_FOUND,
  H_PARAMETER,
  H_RESOURCE,
  H_SG_LIST,
  H_STATE,
  H_UNSUPPORTED,
  longBusyMilliseconds,
} from '../../src/ioctl/hcall.js';

describe('errno explainer', () => {
  it('has the Linux numbers', () => {
    expect([EPERM, ENOENT, ENOMEM, EACCES, EFAULT, EBUSY, ENODEV, EINVAL, ENOTTY]).toEqual([
      1, 2, 12, 13, 14, 16, 19, 22, 25,
    ]);
  });

  it('explains every errno the card device can return, with a meaning and an action', () => {
    const cases: [number, 'open' | 'download' | 'validate', RegExp][] = [
      [EINVAL, 'download', /hypervisor|driver/],
      [EINVAL, 'validate', /H_BAD_DATA/],
      [EBUSY, 'download', /H_AUTHORITY/],
      [EFAULT, 'download', /could not read the request struct/],
      [ENOMEM, 'open', /257 pages/],
      [EPERM, 'open', /interrupted by a signal while another process held/],
      [ENODEV, 'open', /gone/],
      [EACCES, 'open', /may not open/],
      [ENOENT, 'open', /does not exist/],
      [ENOTTY, 'download', /not a device/],
    ];
    for (const [errno, op, meaning] of cases) {
      const e = explainErrno(errno, op);
      expect(e.name).toBe(errnoName(errno));
      expect(e.meaning).toMatch(meaning);
      expect(e.action.length).toBeGreaterThan(10);
    }
  });

  it('says when the driver reset the adapter (docs/kernel-contract.md §4.4)', () => {
    expect(explainErrno(EINVAL, 'download').adapterReset).toBe(true);
    expect(explainErrno(EBUSY, 'validate').adapterReset).toBe(true);
    expect(explainErrno(EPERM, 'open').adapterReset).toBe(false);
    expect(explainErrno(ENOENT, 'open').adapterReset).toBe(false);
  });

  it('handles an errno the driver is not known to return', () => {
    const e = explainErrno(99, 'validate');
    expect(e.name).toBe('errno 99');
    expect(e.action).toMatch(/recover/);
  });
});

describe('hypervisor return codes (docs/kernel-contract.md §4.3)', () => {
  it('maps codes to the errno of hcalls.c', () => {
    for (const rc of [H_PARAMETER, H_FUNCTION, H_SG_LIST, H_BAD_DATA])
      expect(errnoForHcall(rc)).toBe(EINVAL);
    for (const rc of [H_AUTHORITY, H_RESOURCE, H_HARDWARE, H_STATE, H_BUSY])
      expect(errnoForHcall(rc)).toBe(EBUSY);
    for (const rc of [H_UNSUPPORTED, H_NOT_FOUND, -12345]) expect(errnoForHcall(rc)).toBe(EINVAL);
  });

  it('names codes and explains them', () => {
    expect(describeHcall(-70).name).toBe('H_BAD_DATA');
    expect(describeHcall(-70).meaning).toMatch(/verification failed/);
    expect(describeHcall(-999).name).toBe('rc -999');
  });

  it('converts long-busy hints to milliseconds (§4.7)', () => {
    expect([9900, 9901, 9902, 9903, 9904, 9905].map(longBusyMilliseconds)).toEqual([
      1, 10, 100, 1000, 10_000, 100_000,
    ]);
    expect(() => longBusyMilliseconds(18)).toThrow(RangeError);
  });
});
