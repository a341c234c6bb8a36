/**
 * The simulated adapter (docs/architecture.md §8): a fake system root at `<dir>/root` and a model at
 * `<dir>/model.json`, both persistent, so a flash killed mid-way leaves the adapter erased for
 * the next run and another process (`status --watch`, `attach`) can watch the same tree. Each
 * run re-materialises the tree from the model and its scenarios, under the setup lock, unless a
 * live process holds the simulated card or a flasher holds its lock; a holder that died is given
 * the kernel's implicit close first (§4.5).
 */
import { join } from 'node:path';
import { SystemRoot } from '../hardware/system-root.js';
import { ownedDir } from '../safe-fs/owned-dir.js';
import type { CardDevice } from '../ioctl/card-device.js';
import { implicitClose, SimAdapter } from './adapter.js';
import { SimulatedCardDevice } from './driver.js';
import { FlashStorage } from './flash-storage.js';
import { SimHypervisor } from './hypervisor.js';
import { KmsgWriter } from './kmsg.js';
import { factoryModel, isAlive, loadModel, ModelStore, saveModel, type SimModel } from './model.js';
import { parseScenarios, type ScenarioSet } from './scenarios.js';
import { CardSemaphore } from './semaphore.js';
import { acquireSetupLock, type SetupLock } from './setup-lock.js';
import { timingModel, type TimingModel } from './timing.js';
import { TreeWriter } from './tree-writer.js';
import { writeAfus, writeCard, writePhantoms, writeSystem } from './tree.js';

export interface SimulationOptions {
  /** holds `root/`, `model.json`, `flash.bin` and `card.lock` */
  readonly dir: string;
  /** `--simulate` values, or an already parsed set; a bad one throws a UserFacingError (exit 2) */
  readonly scenarios?: readonly string[] | ScenarioSet;
  /** the real clock for the 3-second rule (§6), in ms; injectable for tests */
  readonly clock?: () => number;
  /**
   * `flash`: keep the setup lock from the rebuild through the card lookup until the card device
   * is opened (bounded by SETUP_LEASE_MS), so a second start cannot rebuild the tree under this
   * one; `read` (the default): only for the rebuild.
   */
  readonly setup?: 'flash' | 'read';
  /** Who runs a flash on this simulator now (the flasher's lock), if anyone: its tree is kept. */
  readonly flasherBusy?: () => string | null;
}

/** How long a start waits for another start's setup, and how long a flash may keep it. */
const SETUP_WAIT_MS = { flash: 15_000, read: 3_000 } as const;
const SETUP_LEASE_MS = 60_000;

export interface Simulation {
  readonly dir: string;
  readonly root: SystemRoot;
  readonly scenarios: ScenarioSet;
  readonly timing: TimingModel;
  /** what opening found: a dead holder's implicit close, a live holder's tree left alone, ... */
  readonly notes: readonly string[];
  /**
   * The adapter and hypervisor behind the card devices: what the kernel's own flash.c drives in
   * the kernel harness (test/kernel-harness), in place of SimulatedCardDevice.
   */
  readonly adapter: SimAdapter;
  /** `path` as processes see it: `/dev/cxl/card0` */
  openCardDevice(path: string): CardDevice;
  /** the model as stored now (another process may have changed it) */
  state(): SimModel;
  /** the faults that fired in this run, in this thread or a device thread */
  firedFaults(): string[];
  /** a device thread reports the faults that fired in it */
  faultsFired(keys: readonly string[]): void;
  /** a flash holds its own lock now (its device thread starts): others may set the tree up */
  releaseSetup(): void;
  /** closes what this simulation left open, as the kernel does when a process exits */
  dispose(): Promise<void>;
}

/**
 * The root of the fake tree. Its nodes are plain files and CI runs as root, where access(2)
 * always succeeds, so for `card-node-denied` it answers as an unprivileged caller would.
 */
export class SimulatedRoot extends SystemRoot {
  constructor(
    prefix: string,
    private readonly cardNodesDenied: boolean,
  ) {
    super(prefix);
  }

  override canOpenReadWrite(path: string): boolean {
    if (this.cardNodesDenied && /\/dev\/cxl\/card\d+$/.test(path)) return false;
    return super.canOpenReadWrite(path);
  }
}

/**
 * Test seam for the kernel harness (test/kernel-harness/cli-preload.ts): a function stored under
 * this symbol on globalThis opens the simulated card devices instead of SimulatedCardDevice, so
 * the built CLI can run against the kernel's own flash.c. Nothing in the program sets it; only
 * code loaded into the process on purpose (`node --import`) can.
 */
export const KERNEL_HARNESS_SEAM = Symbol.for('cxl-flasher.kernel-harness.card-device');
export type KernelHarnessSeam = (path: string, simulation: SimulationParts) => CardDevice;

/** What the kernel harness drives: the adapter (and its hypervisor) of one simulation. */
export type SimulationParts = Pick<Simulation, 'dir' | 'root' | 'scenarios' | 'timing' | 'adapter'>;

const PHANTOM_AFU_USER = 4242;
const PHANTOM_CARD_HOLDER = 4243;
const phantomPid = (pid: number): number => (pid === process.pid ? pid + 1000 : pid);

function materialise(root: SystemRoot, model: SimModel, scenarios: ScenarioSet): void {
  const w = new TreeWriter(root, new Set());
  for (const path of ['/sys', '/proc', '/etc', '/dev/cxl']) w.remove(path);
  w.mkdir('/var/lib/cxl-flasher').mkdir('/run/cxl-flasher');
  writeSystem(w, model, scenarios);
  if (model.card.present && !scenarios.noCards && !scenarios.driverAbsent) {
    writeCard(w, model, scenarios);
    writeAfus(w, model, scenarios);
  }
  writePhantoms(w, model);
}

function startingModel(
  options: SimulationOptions,
  scenarios: ScenarioSet,
  storage: FlashStorage,
  notes: string[],
): { model: SimModel; live: boolean } {
  const { model: stored, problem } = loadModel(options.dir);
  if (problem) notes.push(problem);
  let model = stored ?? factoryModel();
  const holder = model.holder;
  if (holder && (holder.pid === process.pid || isAlive(holder.pid))) {
    notes.push(`PID ${holder.pid} holds the simulated card; its tree was left as it is.`);
    return { model, live: true };
  }
  if (scenarios.fresh) {
    storage.erase();
    model = factoryModel();
  } else if (holder) {
    model = implicitClose(model, scenarios, storage);
    notes.push(model.lastEvent);
  }
  model = {
    ...model,
    phantoms: {
      afuUser: scenarios.afuInUse ? phantomPid(PHANTOM_AFU_USER) : null,
      cardHolder: scenarios.cardHeld ? phantomPid(PHANTOM_CARD_HOLDER) : null,
    },
  };
  return { model, live: false };
}

/**
 * Rebuild the tree from the model under the setup lock, unless another process uses it: a live
 * card holder, a flasher holding its lock (before its open, or in its reload), or a start that
 * kept the setup lock past the wait. Returns the setup lock when it is to be kept.
 */
async function setUp(
  options: SimulationOptions,
  scenarios: ScenarioSet,
  root: SystemRoot,
  storage: FlashStorage,
  notes: string[],
): Promise<{ model: SimModel; lock: SetupLock | null }> {
  const mode = options.setup ?? 'read';
  const lock = await acquireSetupLock(options.dir, SETUP_WAIT_MS[mode]);
  const busy = lock ? (options.flasherBusy?.() ?? null) : 'another start is setting it up';
  if (busy) {
    lock?.release();
    const { model } = loadModel(options.dir);
    notes.push(`The simulated tree is in use (${busy}); it was left as it is.`);
    return { model: model ?? factoryModel(), lock: null };
  }
  try {
    const { model, live } = startingModel(options, scenarios, storage, notes);
    if (!live) {
      saveModel(options.dir, model);
      materialise(root, model, scenarios);
    }
    if (mode === 'read') lock?.release();
    else setTimeout(() => lock?.release(), SETUP_LEASE_MS).unref();
    return { model, lock: mode === 'read' ? null : lock };
  } catch (error) {
    lock?.release();
    throw error;
  }
}

function scenarioSet(scenarios: SimulationOptions['scenarios']): ScenarioSet {
  return Array.isArray(scenarios) || scenarios === undefined
    ? parseScenarios((scenarios ?? []) as readonly string[])
    : (scenarios as ScenarioSet);
}

/** The driver and hypervisor side of a simulation: what answers the card device's calls. */
export interface SimulatedCard {
  readonly adapter: SimAdapter;
  /** `path` as processes see it: `/dev/cxl/card0` */
  openCardDevice(path: string): CardDevice;
  /** the fault keys that have fired (each fires once per run, across device threads) */
  firedFaults(): string[];
  /** the model as stored now (another process or thread may have changed it) */
  state(): SimModel;
  /** closes what is open, as the kernel does when a process exits; a blocked open() ends */
  dispose(): Promise<void>;
}

export interface SimulatedCardOptions {
  readonly dir: string;
  readonly root: SystemRoot;
  readonly scenarios: ScenarioSet;
  readonly model: SimModel;
  readonly clock?: () => number;
  readonly firedFaults?: readonly string[];
}

function simulatedCard(options: SimulatedCardOptions): SimulatedCard {
  const { dir, root, scenarios } = options;
  const store = new ModelStore(dir, options.model);
  const storage = new FlashStorage(dir);
  const timing = timingModel(scenarios.speed);
  const kmsg = new KmsgWriter(root, options.model.bootTimeMs);
  kmsg.prepare();
  const hypervisor = new SimHypervisor({
    store,
    storage,
    scenarios,
    timing,
    clock: options.clock ?? (() => performance.now()),
    firedFaults: options.firedFaults,
  });
  const adapter = new SimAdapter({
    dir,
    root,
    store,
    storage,
    hypervisor,
    scenarios,
    timing,
    kmsg,
  });
  const devices = new Set<SimulatedCardDevice>();
  const disposed = new AbortController();
  const parts: SimulationParts = { dir, root, scenarios, timing, adapter };
  return {
    adapter,
    openCardDevice(path) {
      const harness = (globalThis as Record<symbol, unknown>)[KERNEL_HARNESS_SEAM];
      if (typeof harness === 'function') return (harness as KernelHarnessSeam)(path, parts);
      const semaphore = new CardSemaphore(
        dir,
        () => store.refresh().phantoms.cardHolder !== null,
        disposed.signal,
      );
      const device = new SimulatedCardDevice(path, adapter, semaphore);
      devices.add(device);
      return device;
    },
    firedFaults: () => hypervisor.firedFaults(),
    state: () => store.refresh(),
    async dispose() {
      disposed.abort(); // a blocked open() ends with EPERM
      for (const device of devices) if (device.isOpen) await device.close();
      devices.clear();
    },
  };
}

/**
 * The card of a simulation another thread opened (the device thread): the same tree and model,
 * nothing rebuilt, so a tree that another thread or process is reading is left as it is.
 */
export function connectSimulatedCard(options: {
  readonly dir: string;
  readonly scenarios: readonly string[];
  readonly firedFaults?: readonly string[];
}): SimulatedCard {
  const scenarios = scenarioSet(options.scenarios);
  const model = loadModel(options.dir).model ?? factoryModel();
  const root = new SimulatedRoot(join(options.dir, 'root'), scenarios.cardNodeDenied);
  return simulatedCard({
    dir: options.dir,
    root,
    scenarios,
    model,
    firedFaults: options.firedFaults,
  });
}

export async function openSimulation(options: SimulationOptions): Promise<Simulation> {
  const scenarios = scenarioSet(options.scenarios);
  // Only folders of ours (0700, no link on the way) are rebuilt: the tree's rebuild deletes.
  const dir = ownedDir(options.dir, { create: true, what: 'simulator folder' });
  const rootDir = ownedDir(join(dir, 'root'), { create: true, what: 'simulator root' });
  const root = new SimulatedRoot(rootDir, scenarios.cardNodeDenied);
  const storage = new FlashStorage(dir);
  storage.check();
  const notes: string[] = [];
  const setup = await setUp({ ...options, dir }, scenarios, root, storage, notes);
  const { model } = setup;
  const card = simulatedCard({ dir, root, scenarios, model, clock: options.clock });
  const fired = new Set<string>();
  // The flasher's lock is held once its device thread starts: no start rebuilds under it.
  const releaseSetup = (): void => setup.lock?.release();
  return {
    dir,
    root,
    scenarios,
    timing: timingModel(scenarios.speed),
    notes,
    adapter: card.adapter,
    openCardDevice: (path) => {
      releaseSetup();
      return card.openCardDevice(path);
    },
    releaseSetup,
    state: () => card.state(),
    firedFaults: () => [...new Set([...fired, ...card.firedFaults()])],
    faultsFired: (keys) => keys.forEach((key) => fired.add(key)),
    dispose: async () => {
      releaseSetup();
      await card.dispose();
    },
  };
}
