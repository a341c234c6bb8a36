/**
 * The driver's `cxl_h_download_facility` (hcalls.c, docs/kernel-contract.md §4.3 and §4.7): the hcall in
 * a loop that retries H_BUSY at once and sleeps through long-busy hints until their sum would
 * pass 120 s, then the pr_err line for any result but success or continue, then the errno.
 */
import {
  CXL_HCALL_TIMEOUT_DOWNLOAD_MS,
  H_AUTHORITY,
  H_BAD_DATA,
  H_BUSY,
  H_CONTINUE,
  H_FUNCTION,
  H_HARDWARE,
  H_PARAMETER,
  H_RESOURCE,
  H_SG_LIST,
  H_STATE,
  H_SUCCESS,
  errnoForHcall,
  isLongBusy,
  longBusyMilliseconds,
} from '../ioctl/hcall.js';
import { downloadFacilityMessage, KERN_ERR, longHex, type KmsgWriter } from './kmsg.js';
import type { FacilityOp, SimHypervisor } from './hypervisor.js';
import { simulatedDelay, type TimingModel } from './timing.js';

/** The cases of the driver's switch; any other rc gets a WARN splat and EINVAL. */
const HANDLED = new Set([
  H_SUCCESS,
  H_CONTINUE,
  H_PARAMETER,
  H_FUNCTION,
  H_SG_LIST,
  H_BAD_DATA,
  H_AUTHORITY,
  H_RESOURCE,
  H_HARDWARE,
  H_STATE,
  H_BUSY,
]);

export interface FacilityCall {
  readonly op: FacilityOp;
  readonly unitAddress: number;
  readonly sgList: bigint;
  readonly entries: number;
  /** the driver's static continue_token */
  readonly token: bigint;
  readonly stream: Uint8Array;
}

export interface FacilityResult {
  /** what handle_image sees: 0, 1, or a negative errno */
  readonly result: number;
  /** the token to keep on H_CONTINUE */
  readonly newToken: bigint | null;
  readonly rc: number;
}

export async function downloadFacility(
  hypervisor: SimHypervisor,
  kmsg: KmsgWriter,
  timing: TimingModel,
  call: FacilityCall,
): Promise<FacilityResult> {
  let token = call.token;
  let total = 0;
  let rc: number;
  let r4: bigint;
  for (;;) {
    ({ rc, r4 } = await hypervisor.downloadFacility(call.op, call.stream, call.entries, token));
    token = r4;
    if (rc !== H_BUSY && !isLongBusy(rc)) break;
    if (rc === H_BUSY) continue; // retried at once, without a limit (§4.7)
    const delay = longBusyMilliseconds(rc);
    total += delay;
    if (total > CXL_HCALL_TIMEOUT_DOWNLOAD_MS) {
      kmsg.warn(`Warning: Giving up waiting for CXL hcall 0x364 after ${total} msec`, process.pid);
      rc = H_BUSY;
      break;
    }
    await simulatedDelay(timing, delay); // msleep: uninterruptible in the kernel
  }
  if (rc !== H_SUCCESS && rc !== H_CONTINUE)
    kmsg.write(
      KERN_ERR,
      downloadFacilityMessage(call.unitAddress, call.op, call.sgList, call.entries, r4, rc),
    );
  if (rc === H_SUCCESS) return { result: 0, newToken: null, rc };
  if (rc === H_CONTINUE) return { result: 1, newToken: r4, rc };
  if (!HANDLED.has(rc)) kmsg.warn(`Unexpected return code: ${longHex(rc)}`, process.pid);
  return { result: -errnoForHcall(rc), newToken: null, rc };
}
