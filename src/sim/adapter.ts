/**
 * What the kernel does to the adapter around the ioctls: the facility reset (§4.4), the AFU
 * removal and device-tree update inside a successful validate (§4.6), the remove-and-probe on
 * the following close, and the bookkeeping of who holds the card device (§4.1, §4.5).
 */
import type { SystemRoot } from '../hardware/system-root.js';
import type { KmsgWriter } from './kmsg.js';
import { isAlive, type CardHolderModel, type ModelStore, type SimModel } from './model.js';
import type { FlashStorage } from './flash-storage.js';
import { factoryFallback, type SimHypervisor } from './hypervisor.js';
import type { ScenarioSet } from './scenarios.js';
import { simulatedDelay, type TimingModel } from './timing.js';
import { TreeWriter } from './tree-writer.js';
import {
  CARD_FD,
  removeAfus,
  removeCard,
  updatePslRevision,
  writeAfus,
  writeCard,
  writeProc,
} from './tree.js';

export interface AdapterEnv {
  readonly dir: string;
  readonly root: SystemRoot;
  readonly store: ModelStore;
  readonly storage: FlashStorage;
  readonly hypervisor: SimHypervisor;
  readonly scenarios: ScenarioSet;
  readonly timing: TimingModel;
  readonly kmsg: KmsgWriter;
}

export class SimAdapter {
  readonly tree: TreeWriter;

  constructor(readonly env: AdapterEnv) {
    this.tree = new TreeWriter(env.root);
  }

  get model(): SimModel {
    return this.env.store.current;
  }

  /** get_cxl_adapter(N): the card exists under that number. */
  hasCard(number: number): boolean {
    const m = this.env.store.refresh();
    return m.card.present && m.card.number === number && !this.env.scenarios.driverAbsent;
  }

  /** H_CONTROL_CA_FACILITY reset; its result is ignored by the driver (§4.4). */
  reset(event: string): void {
    this.env.hypervisor.reset();
    this.env.store.update((m) => ({ ...m, lastEvent: event }));
  }

  /** §4.6 step 1: the AFUs go; a process still holding a node now holds a deleted file. */
  removeAfus(): void {
    const m = this.model;
    removeAfus(this.tree, m, this.env.scenarios);
    const n = m.card.number;
    if (m.phantoms.afuUser !== null)
      this.tree.rawLink(`/proc/${m.phantoms.afuUser}/fd/3`, `/dev/cxl/afu${n}.0m (deleted)`);
  }

  /** §4.6 step 3: RTAS ibm,update-nodes/-properties replace the properties in the live DT. */
  updateDeviceTree(): void {
    updatePslRevision(this.tree, this.model);
  }

  /**
   * §4.6: the close after a successful validate unregisters the card and probes it again; the
   * close blocks through both. The number usually survives [UNCONFIRMED]; `renumber` takes the
   * next one and `no-reload` leaves the card gone.
   */
  async reload(): Promise<void> {
    const { scenarios, timing, store } = this.env;
    removeCard(this.tree, this.model, scenarios);
    store.update((m) => ({
      ...m,
      card: { ...m.card, present: false },
      lastEvent: 'reloading: card removed',
    }));
    await simulatedDelay(timing, timing.reloadMs);
    if (scenarios.reload === 'never') {
      store.update((m) => ({
        ...m,
        holder: null,
        lastEvent: 'the card did not come back after the reload',
      }));
      return;
    }
    this.probe(
      scenarios.reload === 'renumber' ? this.model.card.number + 1 : this.model.card.number,
    );
  }

  /** cxl_of_probe: a new card with the DT as it is now, its AFUs and nodes. */
  probe(number: number): void {
    const m = this.env.store.update((model) => ({
      ...model,
      card: { number, present: true },
      holder: null,
      lastEvent: `card${number} probed with PSL revision ${model.pslRevision}`,
    }));
    writeCard(this.tree, m, this.env.scenarios);
    writeAfus(this.tree, m, this.env.scenarios);
  }

  /**
   * A holder that died without closing (another process, or one killed since this run began):
   * the kernel already closed its file (§4.5), so apply that close before taking the card.
   */
  reapDeadHolder(): void {
    const { store, scenarios, storage } = this.env;
    const holder = store.refresh().holder;
    if (!holder || holder.pid === process.pid || isAlive(holder.pid)) return;
    const m = store.update((model) => implicitClose(model, scenarios, storage));
    this.tree.remove(`/proc/${holder.pid}`);
    if (holder.transfer) {
      removeCard(this.tree, m, scenarios);
      this.probe(m.card.number);
    }
  }

  /** Record this process as the holder and show its fd in the fake /proc (§4.1). */
  recordHolder(cardNumber: number): void {
    const holder: CardHolderModel = { pid: process.pid, cardNumber, transfer: false };
    this.env.store.update((m) => ({
      ...m,
      holder,
      lastEvent: `card${cardNumber} opened by PID ${process.pid}`,
    }));
    writeProc(this.tree, {
      pid: process.pid,
      argv: process.argv,
      uid: process.geteuid?.() ?? 0,
      fds: { 0: '/dev/null', [CARD_FD]: `/dev/cxl/card${cardNumber}` },
    });
  }

  markTransfer(): void {
    this.env.store.update((m) =>
      m.holder ? { ...m, holder: { ...m.holder, transfer: true } } : m,
    );
  }

  /** The process's fd goes first: the kernel runs release() after the fd table dropped it. */
  removeOwnProc(): void {
    this.tree.remove(`/proc/${process.pid}`);
  }

  /** Kept until the close finished, so a holder killed mid-reload is completed next run. */
  clearHolder(): void {
    this.env.store.update((m) => (m.holder?.pid === process.pid ? { ...m, holder: null } : m));
  }
}

/**
 * §4.5 for a holder that died: the kernel closed its file. After a completed validate that
 * re-probes the card; otherwise it resets the adapter, and an unfinished download leaves no
 * valid image [UNCONFIRMED; `factory-fallback` boots the factory image instead].
 */
export function implicitClose(
  m: SimModel,
  scenarios: ScenarioSet,
  storage: FlashStorage,
): SimModel {
  const holder = m.holder;
  if (!holder) return m;
  const base = { ...m, holder: null };
  if (holder.transfer)
    return {
      ...base,
      card: { ...m.card, present: true },
      lastEvent: `PID ${holder.pid} exited after a successful validate: the card was re-probed`,
    };
  if (m.image.state !== 'valid' && scenarios.factoryFallback) {
    storage.erase();
    return factoryFallback(base);
  }
  const lost = m.image.state === 'valid' ? '' : `; the image is ${m.image.state}: no valid image`;
  return {
    ...base,
    lastEvent: `PID ${holder.pid} exited holding the card: the adapter was reset${lost}`,
  };
}
