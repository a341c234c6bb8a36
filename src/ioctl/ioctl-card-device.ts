/**
 * The real `CardDevice`: `/dev/cxl/cardN` through libc open/ioctl/close (docs/kernel-contract.md §4).
 */
import { encodeAdapterImage, ZERO_RESERVED } from './abi.js';
import {
  CallInFlightError,
  transferOutcome,
  type AdapterImageFields,
  type CardDevice,
  type OpenOptions,
  type SyscallOutcome,
  type TransferOutcome,
} from './card-device.js';
import { EINVAL, EPERM, type DeviceOperation } from './errno.js';
import { addressOf, O_CLOEXEC, O_RDWR, systemLibc, type Libc } from './libc.js';
import { cxlRequestNumbers, type CxlRequestNumbers } from './request-numbers.js';

export interface IoctlCardDeviceOptions {
  readonly libc?: Libc;
  /** request numbers; defaults to this process's architecture (§2) */
  readonly requests?: CxlRequestNumbers;
}

export class IoctlCardDevice implements CardDevice {
  private fd: number | null = null;
  private inFlight: DeviceOperation | null = null;
  private readonly libc: Libc;
  private readonly requests: CxlRequestNumbers;

  constructor(
    readonly path: string,
    options: IoctlCardDeviceOptions = {},
  ) {
    this.libc = options.libc ?? systemLibc();
    this.requests = options.requests ?? cxlRequestNumbers();
  }

  get isOpen(): boolean {
    return this.fd !== null;
  }

  /** The open descriptor, so that another thread can close it should this one die. */
  get descriptor(): number | null {
    return this.fd;
  }

  async open(options: OpenOptions = {}): Promise<SyscallOutcome> {
    return this.exclusive('open', async () => {
      if (this.fd !== null) return { ok: true };
      if (options.signal?.aborted) return { ok: false, errno: EPERM, operation: 'open' };
      // §4.1: blocks while any card device is open system-wide; O_NONBLOCK would be ignored.
      const { result, errno } = await this.libc.open(this.path, O_RDWR | O_CLOEXEC);
      if (result < 0) return { ok: false, errno, operation: 'open' };
      this.fd = result;
      return { ok: true };
    });
  }

  download(fields: AdapterImageFields): Promise<TransferOutcome> {
    return this.transfer('download', this.requests.downloadImage, fields);
  }

  validate(fields: AdapterImageFields): Promise<TransferOutcome> {
    return this.transfer('validate', this.requests.validateImage, fields);
  }

  async close(): Promise<SyscallOutcome> {
    return this.exclusive('close', async () => {
      const fd = this.fd;
      if (fd === null) return { ok: true };
      this.fd = null;
      // §4.5: resets the adapter, or re-probes it after a successful validate.
      const { result, errno } = await this.libc.close(fd);
      return result < 0 ? { ok: false, errno, operation: 'close' } : { ok: true };
    });
  }

  private transfer(
    operation: 'download' | 'validate',
    request: number,
    fields: AdapterImageFields,
  ): Promise<TransferOutcome> {
    return this.exclusive(operation, async () => {
      const fd = this.fd;
      if (fd === null) return { kind: 'error', errno: EINVAL, returned: -1 };
      if (fields.data.byteLength < fields.lenData) {
        // §4.3: a short buffer would make copy_from_user fail, which the driver reports as success.
        throw new RangeError(
          `${operation}: data holds ${fields.data.byteLength} bytes, len_data is ${fields.lenData}`,
        );
      }
      const struct = encodeAdapterImage({
        flags: fields.flags,
        data: addressOf(fields.data),
        lenData: BigInt(fields.lenData),
        lenImage: BigInt(fields.lenImage),
        reserved: fields.reserved ?? ZERO_RESERVED,
      });
      const { result, errno } = await this.libc.ioctl(fd, request, struct, [fields.data]);
      return transferOutcome(result, errno);
    });
  }

  /** One call in flight per device (docs/terminal-notes.md §5.2); a second one is a programming error. */
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
