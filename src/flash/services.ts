/**
 * What the engine needs from the rest of the program, as one interface: discovery, preflight,
 * the kernel log, the reload watcher, the image loader and the card device. `services-for.ts`
 * wires the real modules (on the real root or the simulator's); the engine sees nothing else.
 */
import type { ImageEvidence } from '../journal/adapter-claim.js';
import type { CardInfo, DeviceUser, PreflightCheck } from '../hardware/types.js';
import type { LockHolder } from '../journal/lock.js';
import type { CardDevice } from '../ioctl/card-device.js';
import type { DeviceSpec } from './device-thread/protocol.js';
import type { HcallFinding } from './failure.js';

/** The in-memory image the engine flashes (src/image). */
export interface FlashImage {
  readonly path: string;
  /** payload bytes: `len_image` (§1) */
  readonly size: number;
  readonly sha256: string;
  /** the payload followed by 128 readable zero bytes (§3) */
  readonly padded: Uint8Array;
  /** 128 when the file carried its own header and only what follows it is flashed */
  readonly payloadOffset: number;
  readonly format: string;
  /** the full inspection report, for the screens */
  readonly report: unknown;
  /** reasons the image must not be flashed onto this card (checksum, not an image, other IDs) */
  readonly refusals: readonly { readonly message: string; readonly fix: string }[];
  readonly warnings: readonly string[];
}

export interface ImageRequest {
  readonly path: string;
  readonly expectedSha256?: string;
  readonly card: CardInfo | null;
  /** aborted when the run ended (a quit): the read stops and the load rejects with its reason */
  readonly signal?: AbortSignal;
  onProgress?(bytes: number, total: number): void;
}

export type ReloadOutcome =
  | { readonly kind: 'returned'; readonly card: CardInfo; readonly renumbered: boolean }
  | { readonly kind: 'timeout'; readonly disappeared: boolean };

export interface ReloadRequest {
  readonly card: CardInfo;
  readonly deadlineMs: number;
  readonly signal?: AbortSignal;
  onState?(state: 'waiting-for-disappearance' | 'waiting-for-return' | 'verifying'): void;
}

export interface EngineServices {
  readonly simulated: boolean;
  readonly stateDir: string;
  readonly runDir: string;
  discoverCards(): CardInfo[];
  deviceUsers(): readonly DeviceUser[];
  driverLoaded(): boolean;
  /** another cxl-flasher holding the lock right now, or null */
  lockHolder(): LockHolder | null;
  /** what the adapter reports about its image (the simulator's model); absent: unknown */
  readonly imageEvidence?: () => ImageEvidence;
  preflight(card: CardInfo, imageSize: number): PreflightCheck[];
  /** remember where the kernel log ends now */
  markKernelLog(): unknown;
  /** the driver's failed-hcall line written since the mark, if any */
  hcallSince(mark: unknown): HcallFinding | null;
  waitForReload(request: ReloadRequest): Promise<ReloadOutcome>;
  /** throws a UserFacingError (exit 2) for bad input */
  loadImage(request: ImageRequest): Promise<FlashImage>;
  /** what the device thread opens for `devicePath` (`/dev/cxl/cardN` as processes see it) */
  deviceSpec(devicePath: string): DeviceSpec;
  /**
   * Tests only: a card device that must answer in this thread (the kernel harness, whose
   * hypervisor runs in the test's event loop). The device session then runs here.
   */
  localCardDevice?(devicePath: string): Promise<CardDevice>;
  /** the device thread ended; `firedFaults`: the simulator's faults that fired in it */
  deviceThreadEnded(firedFaults: readonly string[]): void;
}
