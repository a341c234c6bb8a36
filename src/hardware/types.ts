/**
 * What discovery reports about the adapters of this machine. The contract between
 * src/hardware (which fills it from sysfs, the device tree, /dev and /proc) and its users
 * (image compatibility, the engine, the screens and the reporters).
 */
import type { ReadResult } from './read.js';

/** The IDs the kernel copies into the image header (docs/kernel-contract.md §3, §5). */
export interface AdapterIdentity {
  readonly vendorId: number | null;
  readonly deviceId: number | null;
  readonly subsystemVendorId: number | null;
  readonly subsystemId: number | null;
}

/** A device-tree property: its decoded value, or why it could not be read. */
export type DtProperty<T> = ReadResult<T>;

/** The adapter's device-tree node, read through `/sys/class/cxl/cardN/device/of_node` (§5). */
export interface AdapterNode {
  /** the resolved node directory, or null when `device/of_node` is missing */
  readonly path: string | null;
  readonly vendorId: DtProperty<number>;
  readonly deviceId: DtProperty<number>;
  readonly subsystemVendorId: DtProperty<number>;
  readonly subsystemId: DtProperty<number>;
  readonly revisionId: DtProperty<number>;
  readonly locationCode: DtProperty<string>;
  readonly pslRevision: DtProperty<number>;
  /** `ibm,caia-version`, or LoPAR's `ibm,cai-version` spelling; which one is in `caiaProperty` */
  readonly caiaVersion: DtProperty<number>;
  readonly caiaProperty: 'ibm,caia-version' | 'ibm,cai-version' | null;
  readonly privilegedFacility: DtProperty<number>;
  readonly status: DtProperty<string>;
}

export type AfuNodeKind = 'master' | 'slave' | 'dedicated';

export interface AfuDeviceNode {
  readonly kind: AfuNodeKind;
  /** `/dev/cxl/afuN.Mm` (unprefixed, as processes see it) */
  readonly devicePath: string;
  readonly present: boolean;
}

export interface ConfigRecord {
  readonly index: number;
  readonly vendor: string | null;
  readonly device: string | null;
  readonly class: string | null;
}

export interface AfuInfo {
  /** `afu0.0` */
  readonly name: string;
  readonly cardNumber: number;
  readonly slice: number;
  readonly mode: string | null;
  readonly modesSupported: readonly string[];
  readonly mmioSize: number | null;
  readonly irqsMin: number | null;
  readonly irqsMax: number | null;
  readonly configRecords: readonly ConfigRecord[];
  readonly deviceNodes: readonly AfuDeviceNode[];
}

/** A process holding a cxl device node open (from /proc/PID/fd). */
export interface DeviceUser {
  readonly pid: number;
  readonly command: string;
  readonly user: string;
  readonly uid: number | null;
  /** `/dev/cxl/afu0.0m`, `/dev/cxl/card0`, ... */
  readonly devicePath: string;
}

/** The result of one scan of /proc for cxl device users. */
export interface DeviceUserScan {
  readonly users: readonly DeviceUser[];
  /** processes looked at */
  readonly scannedPids: number;
  /** processes whose fd table could not be read (another user's, without root): not counted as users */
  readonly unreadablePids: readonly number[];
  /** why nothing was scanned (no /dev/cxl, /proc unreadable), or null */
  readonly note: string | null;
}

export interface CardInfo {
  /** `card0` */
  readonly name: string;
  readonly number: number;
  /** `/sys/class/cxl/card0` (unprefixed) */
  readonly sysfsPath: string;
  /** `/dev/cxl/card0` (unprefixed); `deviceNodePresent` says whether it exists */
  readonly devicePath: string;
  readonly deviceNodePresent: boolean;
  /** `dev` attribute, guest only */
  readonly devNumber: { readonly major: number; readonly minor: number } | null;
  /** every attribute file that exists in the card's sysfs directory, raw text */
  readonly attributes: Readonly<Record<string, string>>;
  /** attributes present but unreadable (e.g. write-only `reset`) */
  readonly unreadableAttributes: readonly string[];
  readonly node: AdapterNode;
  readonly afus: readonly AfuInfo[];
  /** whether this is a guest card (has `dev`) or a bare-metal one (has `image_loaded`) */
  readonly mode: 'guest' | 'bare-metal' | 'unknown';
  /**
   * Identity of the card's sysfs directory (device, inode, birth time). A re-probed card gets
   * a new one even under the same name (§4.6), which is how the reload watcher tells them apart.
   */
  readonly sysfsIdentity: string | null;
}

/** The IDs of a card, for the header and compatibility; null where a property is absent. */
export function identityOf(card: CardInfo): AdapterIdentity {
  const v = (p: DtProperty<number>): number | null => (p.ok ? p.value & 0xffff : null);
  return {
    vendorId: v(card.node.vendorId),
    deviceId: v(card.node.deviceId),
    subsystemVendorId: v(card.node.subsystemVendorId),
    subsystemId: v(card.node.subsystemId),
  };
}

export type CheckStatus = 'pass' | 'warn' | 'fail';

export interface PreflightCheck {
  /** stable id for scripts: `driver-loaded`, `guest-mode`, `card-node`, ... */
  readonly id: string;
  readonly label: string;
  readonly status: CheckStatus;
  readonly message: string;
  /** what to do when it is not a pass */
  readonly fix?: string;
}
