/** flash.c: transfer_image's success path, read from what a validate pass returned. */
import { describe, expect, it } from 'vitest';
import {
  kernelValidated,
  validateEvidence,
  validateNote,
  type ValidateEvidence,
} from '../../src/flash/validate-outcome.js';
import { EBUSY, EINVAL, ENOMEM } from '../../src/ioctl/errno.js';
import type { AfuInfo } from '../../src/hardware/types.js';
import { cardInfo } from '../helpers/card-info.js';

const clean: ValidateEvidence = {
  calls: 3,
  hcall: null,
  kernelLogReadable: true,
  afusBefore: 1,
  afusNow: 0,
};
const failed = (errno: number, call = 2, returned = -1) =>
  ({ kind: 'failed', call, errno, returned }) as const;

describe('kernelValidated', () => {
  it('takes an early 0 from VALIDATE as the kernel’s success path', () => {
    expect(kernelValidated({ kind: 'early-done', call: 1 }, clean)).toEqual({
      kind: 'early-success',
      call: 1,
      calls: 3,
    });
  });

  it.each([EINVAL, ENOMEM])(
    'takes -1 errno %i with no hcall error logged and the AFUs removed as update_devicetree failing after transfer = 1',
    (errno) => {
      expect(kernelValidated(failed(errno), clean)).toEqual({
        kind: 'devicetree-update-failed',
        call: 2,
        calls: 3,
        errno,
      });
    },
  );

  it.each<[string, ValidateEvidence, ReturnType<typeof failed>]>([
    [
      'an hcall error in the log (H_BAD_DATA)',
      { ...clean, hcall: { rc: -70, name: 'H_BAD_DATA', meaning: '' } },
      failed(EINVAL),
    ],
    ['an unreadable kernel log', { ...clean, kernelLogReadable: false }, failed(EINVAL)],
    ['the AFUs still there (handle_image’s own ENOMEM)', { ...clean, afusNow: 1 }, failed(ENOMEM)],
    ['a card with no AFUs to tell by', { ...clean, afusBefore: 0 }, failed(EINVAL)],
    ['the card not visible', { ...clean, afusNow: null }, failed(EINVAL)],
    ['EBUSY', clean, failed(EBUSY)],
    ['a return value the kernel never gives', clean, failed(EINVAL, 2, -2)],
  ])('keeps it a failure with %s', (_what, evidence, result) => {
    expect(kernelValidated(result, evidence)).toBeNull();
  });

  it('keeps an overrun and a stop as they are', () => {
    expect(kernelValidated({ kind: 'overrun', call: 2 }, clean)).toBeNull();
    expect(kernelValidated({ kind: 'stopped', completed: 1 }, clean)).toBeNull();
  });
});

describe('validateEvidence', () => {
  const afu: AfuInfo = {
    name: 'afu0.0',
    cardNumber: 0,
    slice: 0,
    mode: 'dedicated_process',
    modesSupported: ['dedicated_process'],
    mmioSize: null,
    irqsMin: null,
    irqsMax: null,
    configRecords: [],
    deviceNodes: [],
  };
  const card = { ...cardInfo('card0', 12, 'U78CB.001.WZS0001-P1-C7'), afus: [afu] };
  const services = (afus: number | null) => ({
    hcallSince: () => null,
    discoverCards: () => (afus === null ? [] : [{ ...card, afus: card.afus.slice(0, afus) }]),
  });

  it('reads the mark’s readability, the hcall line and the AFUs now', () => {
    expect(validateEvidence(services(0), { readable: false }, card, 3)).toEqual({
      calls: 3,
      hcall: null,
      kernelLogReadable: false,
      afusBefore: 1,
      afusNow: 0,
    });
    expect(validateEvidence(services(null), { readable: true }, card, 3).afusNow).toBeNull();
  });
});

describe('validateNote', () => {
  it('says what the hypervisor and the kernel did', () => {
    expect(validateNote({ kind: 'early-success', call: 1, calls: 3 })).toMatch(
      /validation complete after call 2 of 3.*kernel took that as success/,
    );
    expect(
      validateNote({ kind: 'devicetree-update-failed', call: 2, calls: 3, errno: EINVAL }),
    ).toMatch(/call 3 of 3 returned EINVAL.*update_devicetree/);
  });
});
