/**
 * The simulated adapter's persistent state, `<dir>/model.json`, written atomically (temp file +
 * rename) so a flash killed mid-way leaves a consistent record for the next run.
 */
import { closeSync, constants, renameSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { openOwnedFile, readOwnedFile } from '../safe-fs/owned-file.js';
import { PathSafetyError } from '../safe-fs/path-safety-error.js';
import { modelProblem } from './model-shape.js';

/**
 * What the adapter's flash holds. `erased` and `partial` follow a download that did not finish;
 * `downloaded` a download that finished but was never validated. Only `valid` is usable (§4.2).
 */
export type StoredImageState = 'valid' | 'erased' | 'partial' | 'downloaded';

export interface AdapterIdentityModel {
  /** the DT `reg` unit address the driver passes to every hcall */
  readonly unitAddress: number;
  readonly vendorId: number;
  readonly deviceId: number;
  readonly subsystemVendorId: number;
  readonly subsystemId: number;
  readonly revisionId: number;
  readonly locationCode: string;
  readonly caiaVersion: number;
  readonly afuCount: number;
}

export interface CardHolderModel {
  readonly pid: number;
  readonly cardNumber: number;
  /** a validate succeeded: the close re-probes instead of resetting (§4.5) */
  readonly transfer: boolean;
}

export interface SimModel {
  readonly version: 1;
  /** epoch ms of the simulated boot; kmsg timestamps count from it */
  readonly bootTimeMs: number;
  readonly adapter: AdapterIdentityModel;
  readonly card: { readonly number: number; readonly present: boolean };
  /** the running PSL revision, as the DT shows it */
  readonly pslRevision: number;
  readonly factoryPslRevision: number;
  readonly image: {
    readonly state: StoredImageState;
    /** the programmed stream's SHA-256 once known; null for the factory image */
    readonly sha256: string | null;
    readonly origin: 'factory' | 'flashed';
  };
  /** SHA-256 of a validated stream -> the PSL revision it brings, so re-flashing one is stable */
  readonly knownImages: Readonly<Record<string, number>>;
  /** who holds the card device (the semaphore of §4.1); checked for liveness on the next run */
  readonly holder: CardHolderModel | null;
  /** phantom processes the tree shows (scenarios afu-in-use and card-held) */
  readonly phantoms: { readonly afuUser: number | null; readonly cardHolder: number | null };
  readonly lastEvent: string;
  /**
   * The gaps the hypervisor saw in the last sequence of each pass: from returning H_CONTINUE to
   * the next call arriving, the 3-second rule's own measure (§6). Absent in older model files.
   */
  readonly hypervisorGaps?: Partial<Record<'download' | 'validate', HypervisorGapStats>>;
}

export interface HypervisorGapStats {
  /** calls answered in the sequence */
  readonly calls: number;
  readonly largestMs: number;
  /** 99th percentile, nearest rank; null with no gap (a one-call pass) */
  readonly p99Ms: number | null;
}

export const FACTORY_PSL_REVISION = 12;

export function factoryModel(now: number = Date.now()): SimModel {
  return {
    version: 1,
    bootTimeMs: now,
    adapter: {
      unitAddress: 0x30000001,
      vendorId: 0x1014,
      deviceId: 0x0477,
      subsystemVendorId: 0x1014,
      subsystemId: 0x04cf,
      revisionId: 0x02,
      locationCode: 'U78CB.001.WZS0001-P1-C7',
      caiaVersion: 0x0100,
      afuCount: 1,
    },
    card: { number: 0, present: true },
    pslRevision: FACTORY_PSL_REVISION,
    factoryPslRevision: FACTORY_PSL_REVISION,
    image: { state: 'valid', sha256: null, origin: 'factory' },
    knownImages: {},
    holder: null,
    phantoms: { afuUser: null, cardHolder: null },
    lastEvent: 'factory-new simulated adapter',
  };
}

export const modelPath = (dir: string): string => join(dir, 'model.json');

/** What happens when model.json cannot be used, and how to choose otherwise. */
const FRESH =
  'the simulator started a factory-new adapter and will write it there (to keep the old file, copy it away first; --simulate=fresh resets on purpose)';

/** The stored model, or null when there is none or it cannot be used (then the caller starts fresh). */
export function loadModel(dir: string): { model: SimModel | null; problem: string | null } {
  let text: string;
  try {
    const bytes = readOwnedFile(modelPath(dir), 'simulator model');
    if (bytes === null) return { model: null, problem: null };
    text = bytes.toString('utf8');
  } catch (error) {
    if (error instanceof PathSafetyError) throw error; // a link or another user's: refuse
    const code = (error as NodeJS.ErrnoException).code;
    return { model: null, problem: code === 'ENOENT' ? null : `model.json unreadable (${code})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { model: null, problem: `model.json is not valid JSON; ${FRESH}` };
  }
  const wrong = modelProblem(value);
  if (wrong)
    return { model: null, problem: `model.json is not a simulator model (${wrong}); ${FRESH}` };
  return { model: value as SimModel, problem: null };
}

export function saveModel(dir: string, model: SimModel): void {
  const path = modelPath(dir);
  const temp = `${path}.${process.pid}.tmp`;
  const { O_WRONLY, O_CREAT, O_TRUNC } = constants;
  const fd = openOwnedFile(temp, O_WRONLY | O_CREAT | O_TRUNC, 'simulator model');
  try {
    writeSync(fd, `${JSON.stringify(model, null, 2)}\n`);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path); // replaces a link itself, never what it points at
}

/** Whether a process exists (EPERM means it does, owned by someone else). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The model shared by the parts of one simulation. Every change re-reads the file first, so a
 * change made by another process on the same directory is not lost.
 */
export class ModelStore {
  constructor(
    readonly dir: string,
    private model: SimModel,
  ) {}

  get current(): SimModel {
    return this.model;
  }

  /** What the file says now (another process may have written it). */
  refresh(): SimModel {
    const stored = loadModel(this.dir).model;
    if (stored) this.model = stored;
    return this.model;
  }

  update(change: (model: SimModel) => SimModel): SimModel {
    const before = this.refresh();
    const after = change(before);
    this.model = after;
    if (JSON.stringify(after) !== JSON.stringify(before)) saveModel(this.dir, after);
    return after;
  }
}
