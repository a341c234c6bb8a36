/**
 * The simulated `/dev/cxl/cardN`: flash.c (docs/kernel-contract.md §4) in front of the simulated
 * hypervisor. open() takes the system-wide semaphore; DOWNLOAD and VALIDATE check the struct,
 * split the chunk into 4 KiB S/G buffers, prepend the header, and make the hcall; any failure
 * resets the adapter; close() resets it, or re-probes it after a successful validate.
 */
import { existsSync } from 'node:fs';
import {
  CXL_AI_ALL,
  CXL_AI_BUFFER_SIZE,
  CXL_AI_HEADER_SIZE,
  CXL_AI_MAX_ENTRIES,
  CXL_AI_NEED_HEADER,
} from '../ioctl/abi.js';
import {
  CallInFlightError,
  transferOutcome,
  type AdapterImageFields,
  type CardDevice,
  type OpenOptions,
  type SyscallOutcome,
  type TransferOutcome,
} from '../ioctl/card-device.js';
import { EACCES, EINVAL, ENODEV, ENOENT, EPERM, type DeviceOperation } from '../ioctl/errno.js';
import type { SimAdapter } from './adapter.js';
import { downloadFacility } from './hcall-loop.js';
import { OP_DOWNLOAD, OP_VALIDATE, type FacilityOp } from './hypervisor.js';
import type { AdapterIdentityModel } from './model.js';
import type { CardSemaphore } from './semaphore.js';

/** §3: the header the driver builds from the DT IDs it read at probe time, all big-endian. */
export function kernelHeader(ids: AdapterIdentityModel, lenImage: number): Buffer {
  const header = Buffer.alloc(CXL_AI_HEADER_SIZE);
  header.writeUInt16BE(1, 0);
  header.writeUInt16BE(ids.vendorId & 0xffff, 8);
  header.writeUInt16BE(ids.deviceId & 0xffff, 10);
  header.writeUInt16BE(ids.subsystemVendorId & 0xffff, 12);
  header.writeUInt16BE(ids.subsystemId & 0xffff, 14);
  header.writeBigUInt64BE(BigInt(CXL_AI_HEADER_SIZE), 16);
  header.writeBigUInt64BE(BigInt.asUintN(64, BigInt(Math.trunc(lenImage))), 24);
  return header;
}

/** The fake real address of the S/G page the driver allocates at open (§3). */
const SG_LIST = 0x3c1e0000n;

export class SimulatedCardDevice implements CardDevice {
  private opened = false;
  private cardNumber = -1;
  /** the driver's static continue_token and transfer flag (flash.c) */
  private token = 0n;
  private transferred = false;
  private inFlight: DeviceOperation | null = null;

  constructor(
    readonly path: string,
    private readonly adapter: SimAdapter,
    private readonly semaphore: CardSemaphore,
  ) {}

  get isOpen(): boolean {
    return this.opened;
  }

  open(options: OpenOptions = {}): Promise<SyscallOutcome> {
    return this.exclusive('open', async () => {
      if (this.opened) return { ok: true };
      const root = this.adapter.env.root;
      const number = /^\/dev\/cxl\/card(\d+)$/.exec(this.path)?.[1];
      const node = root.path(this.path);
      if (number === undefined || !existsSync(node)) return this.openFailed(ENOENT);
      if (!root.canOpenReadWrite(node)) return this.openFailed(EACCES); // the node mode (§4.1)
      // §4.1: down_interruptible on the global semaphore; a signal while waiting gives EPERM.
      if (!(await this.semaphore.acquire(options.signal))) return this.openFailed(EPERM);
      this.adapter.reapDeadHolder();
      if (!this.adapter.hasCard(Number(number))) {
        this.semaphore.release();
        return this.openFailed(ENODEV);
      }
      this.cardNumber = Number(number);
      this.token = 0n;
      this.transferred = false;
      this.opened = true;
      this.adapter.recordHolder(this.cardNumber);
      return { ok: true };
    });
  }

  download(fields: AdapterImageFields): Promise<TransferOutcome> {
    return this.exclusive('download', () => this.transfer(OP_DOWNLOAD, fields));
  }

  validate(fields: AdapterImageFields): Promise<TransferOutcome> {
    return this.exclusive('validate', () => this.transfer(OP_VALIDATE, fields));
  }

  close(): Promise<SyscallOutcome> {
    return this.exclusive('close', async () => {
      if (!this.opened) return { ok: true };
      this.opened = false;
      this.adapter.removeOwnProc();
      this.semaphore.release(); // §4.5: released before the rest of the close
      this.token = 0n;
      if (this.transferred) await this.adapter.reload();
      else this.adapter.reset(`card${this.cardNumber} closed: adapter reset`);
      this.transferred = false;
      this.adapter.clearHolder();
      return { ok: true };
    });
  }

  private openFailed(errno: number): SyscallOutcome {
    return { ok: false, errno, operation: 'open' };
  }

  private async transfer(op: FacilityOp, fields: AdapterImageFields): Promise<TransferOutcome> {
    for (const [name, value] of [
      ['lenData', fields.lenData],
      ['lenImage', fields.lenImage],
    ] as const)
      if (!Number.isSafeInteger(value) || value < 0)
        throw new RangeError(`${name} must be a u64 the struct can carry, got ${value}`); // as the real port's encoder
    if (!this.opened) return transferOutcome(-1, EINVAL); // as the ioctl port answers on no fd
    const reserved = fields.reserved ?? [0n, 0n, 0n, 0n];
    // §1: checked before any hcall, so no reset follows.
    if (reserved.some((word) => word !== 0n) || (fields.flags & ~CXL_AI_ALL) !== 0n)
      return transferOutcome(-1, EINVAL);
    const header = (fields.flags & CXL_AI_NEED_HEADER) !== 0n;
    const lenChunk = fields.lenData + (header ? CXL_AI_HEADER_SIZE : 0);
    const entries = Math.ceil(lenChunk / CXL_AI_BUFFER_SIZE);
    if (entries > CXL_AI_MAX_ENTRIES) return this.failed(EINVAL); // negative rc: reset (§1)
    // §3: with the header and one partial buffer the driver copies len_data + 128 bytes, 128
    // past the caller's chunk. A view that ends before that is taken as the copy faulting.
    const overRead = header && entries === 1 && lenChunk % CXL_AI_BUFFER_SIZE !== 0;
    const copied = fields.lenData + (overRead ? CXL_AI_HEADER_SIZE : 0);
    if (fields.data.byteLength < copied) return this.copyFaulted(op);
    const data = fields.data.subarray(0, fields.lenData);
    const stream = header
      ? Buffer.concat([kernelHeader(this.adapter.model.adapter, fields.lenImage), data])
      : data;
    const result = await downloadFacility(
      this.adapter.env.hypervisor,
      this.adapter.env.kmsg,
      this.adapter.env.timing,
      {
        op,
        unitAddress: this.adapter.model.adapter.unitAddress,
        sgList: SG_LIST,
        entries,
        token: this.token,
        stream,
      },
    );
    if (result.result < 0) return this.failed(-result.result);
    this.token = result.result === 0 ? 0n : (result.newToken ?? this.token);
    // flash.c: transfer_image returns update_devicetree's rc from the success path
    const devicetree = op === OP_VALIDATE && result.result === 0 ? this.validated() : 0;
    if (devicetree !== 0) return transferOutcome(-1, devicetree);
    return transferOutcome(result.result, 0);
  }

  /** §4.4: any negative rc resets the adapter at once; the token is NOT cleared. */
  private failed(errno: number): TransferOutcome {
    this.adapter.reset(`call failed with errno ${errno}: adapter reset`);
    return transferOutcome(-1, errno);
  }

  /**
   * §4.3 driver bug: copy_from_user failing jumps out with rc still 0 and no hcall. DOWNLOAD
   * returns 0 ("complete"); VALIDATE takes the success path. The token is left as it was.
   */
  private copyFaulted(op: FacilityOp): TransferOutcome {
    const devicetree = op === OP_VALIDATE ? this.validated() : 0;
    return devicetree !== 0 ? transferOutcome(-1, devicetree) : transferOutcome(0, 0);
  }

  /**
   * §4.6, inside the final VALIDATE: AFUs removed, reset (activates the image), DT updated, and
   * `transfer = 1` whatever update_devicetree returned; its errno (0 when it worked) is returned.
   */
  private validated(): number {
    this.adapter.removeAfus();
    this.adapter.reset('validate succeeded: AFUs removed, adapter reset');
    const failed = this.adapter.env.scenarios.devicetreeUpdateFail ?? 0;
    if (failed === 0) this.adapter.updateDeviceTree();
    this.transferred = true;
    this.adapter.markTransfer();
    return failed;
  }

  /**
   * One call in flight per device, as the real port enforces. The answer comes straight back, as
   * a synchronous call's does in the device thread: nothing waits for an event loop between the
   * hypervisor's answer and the next call, so the gap the hypervisor sees is the program's.
   */
  private async exclusive<T>(operation: DeviceOperation, run: () => Promise<T>): Promise<T> {
    if (this.inFlight !== null) throw new CallInFlightError(this.path, this.inFlight, operation);
    this.inFlight = operation;
    try {
      return await run();
    } finally {
      this.inFlight = null;
    }
  }
}
