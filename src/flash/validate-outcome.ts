/**
 * When a validate pass that did not end with 0 on its last call was nonetheless taken by the
 * kernel as a success. flash.c: transfer_image, once handle_image returns 0 for a VALIDATE call,
 * removes the AFUs (cxl_guest_remove_afu), resets the adapter (which activates the image), runs
 * update_devicetree, sets `transfer = 1` and returns update_devicetree's rc; device_close then
 * re-probes the card instead of resetting it. So:
 * - a VALIDATE call answered 0 before the last planned call is that success path (the hypervisor
 *   declared the image validated early);
 * - a VALIDATE call returning -1 EINVAL or ENOMEM with no cxl_h_download_facility error in the
 *   kernel log, and with the card's AFUs gone, is that success path too: only update_devicetree
 *   failed (no ibm,update-nodes RTAS service: EINVAL; its buffer allocation: ENOMEM).
 * In both cases the engine must follow the reload, not report "no valid image".
 */
import { EINVAL, ENOMEM, explainErrno } from '../ioctl/errno.js';
import type { CardInfo } from '../hardware/types.js';
import { groupDigits } from '../image/units.js';
import type { Ending } from './endings.js';
import type { HcallFinding } from './failure.js';
import type { PassResult } from './transfer.js';

export type KernelValidated =
  | { readonly kind: 'early-success'; readonly call: number; readonly calls: number }
  | {
      readonly kind: 'devicetree-update-failed';
      readonly call: number;
      readonly calls: number;
      readonly errno: number;
    };

export interface ValidateEvidence {
  /** calls per pass in the plan */
  readonly calls: number;
  /** the last cxl_h_download_facility failure in the kernel log since the attempt began */
  readonly hcall: HcallFinding | null;
  /** the kernel log could be read: an unreadable log proves no hcall went right */
  readonly kernelLogReadable: boolean;
  /** AFUs the card had before the flash, and has now (null: the card is not visible now) */
  readonly afusBefore: number;
  readonly afusNow: number | null;
}

/**
 * A validate pass result that may be the kernel's success path: only the evidence (the kernel
 * log and the AFUs, read before the close re-probes the card) can tell, so the device thread
 * waits for the engine's word before it closes.
 */
export function mayBeKernelValidated(pass: 'download' | 'validate', result: PassResult): boolean {
  if (pass !== 'validate') return false;
  if (result.kind === 'early-done') return true;
  return (
    result.kind === 'failed' &&
    result.returned === -1 &&
    (result.errno === EINVAL || result.errno === ENOMEM)
  );
}

/** The kernel's reading of a validate pass that did not complete as planned; null: a failure. */
export function kernelValidated(
  result: PassResult,
  evidence: ValidateEvidence,
): KernelValidated | null {
  const { calls } = evidence;
  if (result.kind === 'early-done') return { kind: 'early-success', call: result.call, calls };
  if (result.kind !== 'failed' || result.returned !== -1) return null;
  if (result.errno !== EINVAL && result.errno !== ENOMEM) return null;
  if (!evidence.kernelLogReadable || evidence.hcall !== null) return null;
  // cxl_guest_remove_afu ran only on the success path; every other EINVAL or ENOMEM left them
  if (evidence.afusBefore === 0 || evidence.afusNow !== 0) return null;
  return { kind: 'devicetree-update-failed', call: result.call, calls, errno: result.errno };
}

/** The evidence as the engine's services see it, for `kernelValidated`. */
export function validateEvidence(
  services: {
    hcallSince(mark: unknown): HcallFinding | null;
    discoverCards(): readonly CardInfo[];
  },
  mark: unknown,
  card: CardInfo,
  calls: number,
): ValidateEvidence {
  const readable =
    typeof mark === 'object' && mark !== null && 'readable' in mark ? mark.readable === true : true;
  const now = services.discoverCards().find((c) => c.name === card.name);
  return {
    calls,
    hcall: services.hcallSince(mark),
    kernelLogReadable: readable,
    afusBefore: card.afus.length,
    afusNow: now ? now.afus.length : null,
  };
}

/** What the hypervisor and the kernel did, added to the reload's ending (journal and screen). */
export function validateNote(v: KernelValidated): string {
  const nth = `call ${groupDigits(v.call + 1)} of ${groupDigits(v.calls)}`;
  if (v.kind === 'early-success')
    return `The hypervisor reported the validation complete after ${nth}, before the rest of the image was compared; the kernel took that as success (AFUs removed, adapter reset, card re-probed). The whole image had been downloaded.`;
  return `The validate ${nth} returned ${explainErrno(v.errno, 'validate').name} after the hypervisor had accepted the image: only the kernel's device-tree update (update_devicetree) failed, so the kernel re-probed the card on close. The card's device-tree properties may still be those from before the flash.`;
}

export function withValidateNote(ending: Ending, v: KernelValidated): Ending {
  return { ...ending, message: `${ending.message} ${validateNote(v)}` };
}
