/**
 * The simulated adapter (docs/architecture.md §8): a fake system root at `<dir>/root` and a model at
 * `<dir>/model.json`, both persistent, so a flash killed mid-way leaves the adapter erased for
 * the next run and another process (`status --watch`, `attach`) can watch the same tree. Each
 * run re-materialises the tree from the model and its scenarios, unless a live process holds the
 * simulated card; a holder that died is given the kernel's implicit close first (§4.5).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SystemRoot } from '../hardware/system-root.js';
import type { CardDevice } from '../ioctl/card-device.js';
import { implicitClose, SimAdapter } from './adapter.js';
import { SimulatedCardDevice } from './driver.js';
import { FlashStorage } from './flash-storage.js';
import { SimHypervisor } from './hypervisor.js';
import { KmsgWriter } from './kmsg.js';
import { factoryModel, isAlive, loadModel, ModelStore, saveModel, type SimModel } from './model.js';
import { parseScenarios, type ScenarioSet } from './scenarios.js';
import { CardSemaphore } from './semaphore.js';
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
}

export interface Simulation {
  readonly dir: string;
  readonly root: SystemRoot;
  readonly scenarios: ScenarioSet;
  readonly timing: TimingModel;
  /** what opening found: a dead holder's implicit close, a live holder's tree left alone, ... */
  readonly notes: readonly string[];
  /** `path` as processes see it: `/dev/cxl/card0` */
  openCardDevice(path: string): CardDevice;
  /** the model as stored now (another process may have changed it) */
  state(): SimModel;
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

const PHANTOM_AFU_USER = 4242;
const PHANTOM_CARD_HOLDER = 4243;
const phantomPid = (pid: number): number => (pid === process.pid ? pid + 1000 : pid);

function materialise(root: SystemRoot, model: SimModel, scenarios: ScenarioSet): void {
  const w = new TreeWriter(root);
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

export async function openSimulation(options: SimulationOptions): Promise<Simulation> {
  const scenarios =
    Array.isArray(options.scenarios) || options.scenarios === undefined
      ? parseScenarios((options.scenarios ?? []) as readonly string[])
      : (options.scenarios as ScenarioSet);
  const dir = options.dir;
  mkdirSync(join(dir, 'root'), { recursive: true });
  const root = new SimulatedRoot(join(dir, 'root'), scenarios.cardNodeDenied);
  const storage = new FlashStorage(dir);
  const notes: string[] = [];
  const { model, live } = startingModel(options, scenarios, storage, notes);
  if (!live) {
    saveModel(dir, model);
    materialise(root, model, scenarios);
  }
  const store = new ModelStore(dir, model);
  const timing = timingModel(scenarios.speed);
  const kmsg = new KmsgWriter(root, model.bootTimeMs);
  kmsg.prepare();
  const hypervisor = new SimHypervisor({
    store,
    storage,
    scenarios,
    timing,
    clock: options.clock ?? (() => performance.now()),
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
  return {
    dir,
    root,
    scenarios,
    timing,
    notes,
    openCardDevice(path) {
      const semaphore = new CardSemaphore(
        dir,
        () => store.refresh().phantoms.cardHolder !== null,
        disposed.signal,
      );
      const device = new SimulatedCardDevice(path, adapter, semaphore);
      devices.add(device);
      return device;
    },
    state: () => store.refresh(),
    async dispose() {
      disposed.abort(); // a blocked open() ends with EPERM
      for (const device of devices) if (device.isOpen) await device.close();
      devices.clear();
    },
  };
}
