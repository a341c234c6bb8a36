/**
 * Drives the kernel harness library (harness.c + the kernel's own flash.c and hcalls.c) from a
 * simulation: the program's IoctlCardDevice opens the simulated card node through the library's
 * open/ioctl/close, flash.c does the rest, and what it asks of the platform is answered here by
 * the simulator's own adapter and hypervisor (src/sim/adapter.ts, src/sim/hypervisor.ts). One
 * hypervisor model, two drivers: SimulatedCardDevice and the kernel's.
 */
import koffi from 'koffi';
import { EINVAL, ENOMEM } from '../../src/ioctl/errno.js';
import { IoctlCardDevice } from '../../src/ioctl/ioctl-card-device.js';
import { Libc } from '../../src/ioctl/libc.js';
import type { FacilityOp } from '../../src/sim/hypervisor.js';
import type { SimulationParts as Simulation } from '../../src/sim/simulation.js';

/** What flash.c and hcalls.c did, in order (enum harness_event in harness.c). */
export type KernelEvent =
  | { readonly kind: 'kmsg'; readonly level: number; readonly text: string }
  | { readonly kind: 'facility-reset'; readonly unitAddress: number }
  | { readonly kind: 'remove-afu'; readonly slice: number }
  | { readonly kind: 'reload'; readonly card: number }
  | {
      readonly kind: 'update-property';
      readonly name: string;
      readonly length: number;
      readonly firstCell: number;
    }
  | { readonly kind: 'update-nodes'; readonly unitAddress: number }
  | { readonly kind: 'open'; readonly card: number; readonly rc: number }
  | { readonly kind: 'close'; readonly card: number; readonly released: boolean }
  | { readonly kind: 'overrun'; readonly bytes: number; readonly pageSize: number }
  | { readonly kind: 'copy-fault'; readonly bytes: number }
  | {
      readonly kind: 'hcall';
      readonly op: FacilityOp;
      readonly entries: number;
      readonly length: number;
      readonly token: bigint;
      readonly rc: number;
      readonly r4: bigint;
    };

type EventFn = (kind: number, a: number | bigint, b: number | bigint, text: string) => number;
type HcallFn = (
  op: number | bigint,
  stream: unknown,
  length: number | bigint,
  entries: number | bigint,
  token: number | bigint,
) => number;

interface HarnessLib {
  setCallbacks: (events: unknown, hcalls: unknown, speed: number) => void;
  answer: (rc: number, r4: bigint) => void;
  addCard: (
    path: string,
    number: number,
    unit: bigint,
    vendor: number,
    device: number,
    subsystemVendor: number,
    subsystem: number,
    slices: number,
  ) => number;
  setCardPresent: (present: number) => void;
  dtClear: () => void;
  dtSetProperty: (name: string, value: Buffer, length: number) => number;
  rtasMissing: (nodes: number, properties: number) => void;
  failKzalloc: (size: number) => void;
  failPageAfter: (n: number) => void;
  waiters: () => number;
  interruptWaiters: () => number;
}

const libs = new Map<string, HarnessLib>();
const EventProto = koffi.proto(
  'int harness_event_cb(int kind, long long a, long long b, const char *text)',
);
const HcallProto = koffi.proto(
  'int harness_hcall_cb(long long op, void *stream, long long length, long long entries, unsigned long long token)',
);

function bind(libraryPath: string): HarnessLib {
  const known = libs.get(libraryPath);
  if (known) return known;
  const lib = koffi.load(libraryPath);
  const bound: HarnessLib = {
    setCallbacks: lib.func(
      'void harness_set_callbacks(harness_event_cb *events, harness_hcall_cb *hcalls, double speed)',
    ) as HarnessLib['setCallbacks'],
    answer: lib.func(
      'void harness_answer(long long rc, unsigned long long r4)',
    ) as HarnessLib['answer'],
    addCard: lib.func(
      'int harness_add_card(const char *path, int number, unsigned long long unit, unsigned int vendor, unsigned int device, unsigned int subsystem_vendor, unsigned int subsystem, int slices)',
    ) as HarnessLib['addCard'],
    setCardPresent: lib.func(
      'void harness_set_card_present(int present)',
    ) as HarnessLib['setCardPresent'],
    dtClear: lib.func('void harness_dt_clear(void)') as HarnessLib['dtClear'],
    dtSetProperty: lib.func(
      'int harness_dt_set_property(const char *name, const uint8_t *value, unsigned int length)',
    ) as HarnessLib['dtSetProperty'],
    rtasMissing: lib.func(
      'void harness_rtas_missing(int nodes, int properties)',
    ) as HarnessLib['rtasMissing'],
    failKzalloc: lib.func('void harness_fail_kzalloc(size_t size)') as HarnessLib['failKzalloc'],
    failPageAfter: lib.func('void harness_fail_page_after(int n)') as HarnessLib['failPageAfter'],
    waiters: lib.func('int harness_waiters(void)') as HarnessLib['waiters'],
    interruptWaiters: lib.func(
      'int harness_interrupt_waiters(void)',
    ) as HarnessLib['interruptWaiters'],
  };
  libs.set(libraryPath, bound);
  return bound;
}

/** asm/rtas.h: the buffer update_devicetree allocates with kzalloc */
const RTAS_DATA_BUF_SIZE = 4096;

const num = (v: number | bigint): number => Number(v);

/**
 * The kernel driver in front of one simulation. Only one harness per library is live at a time
 * (flash.c's state is static, as in the kernel): `attach` takes the library over.
 */
export class KernelHarness {
  readonly events: KernelEvent[] = [];
  readonly libc: Libc;
  private readonly lib: HarnessLib;
  private readonly registered: unknown[];
  /** errors thrown by the model while answering the kernel; a test asserts there are none */
  readonly errors: unknown[] = [];

  private constructor(
    readonly libraryPath: string,
    readonly sim: Simulation,
  ) {
    this.lib = bind(libraryPath);
    this.libc = new Libc({ libraryPath });
    const onEvent: EventFn = (kind, a, b, text) => {
      try {
        this.onEvent(kind, num(a), b, text);
      } catch (error) {
        this.errors.push(error);
      }
      return 0;
    };
    const onHcall: HcallFn = (op, stream, length, entries, token) => {
      const bytes = Buffer.from(koffi.view(stream, num(length))); // copied: the page is reused
      this.hcall(num(op) as FacilityOp, bytes, num(entries), BigInt(token));
      return 0;
    };
    this.registered = [
      koffi.register(onEvent, koffi.pointer(EventProto)),
      koffi.register(onHcall, koffi.pointer(HcallProto)),
    ];
    this.lib.setCallbacks(this.registered[0], this.registered[1], sim.timing.speed);
    // devicetree-update-fail: what makes the kernel's update_devicetree fail, as the scenario says
    const devicetree = sim.scenarios.devicetreeUpdateFail;
    this.lib.rtasMissing(devicetree === EINVAL ? 1 : 0, 0);
    this.lib.failKzalloc(devicetree === ENOMEM ? RTAS_DATA_BUF_SIZE : 0);
    this.lib.failPageAfter(-1);
    this.probe();
  }

  static attach(libraryPath: string, sim: Simulation): KernelHarness {
    return new KernelHarness(libraryPath, sim);
  }

  /** The card node as this process opens it: the simulated tree's own file. */
  cardPath(number = this.sim.adapter.model.card.number): string {
    return this.sim.root.path(`/dev/cxl/card${number}`);
  }

  /** The program's own device class, over the kernel's driver. */
  openCardDevice(): IoctlCardDevice {
    return new IoctlCardDevice(this.cardPath(), { libc: this.libc });
  }

  /** of.c at probe: the IDs come from the device tree's first cells (of_property_read_u32). */
  private probe(): void {
    const m = this.sim.adapter.model;
    const a = m.adapter;
    const rc = this.lib.addCard(
      this.cardPath(m.card.number),
      m.card.number,
      BigInt(a.unitAddress),
      a.vendorId,
      a.deviceId,
      a.subsystemVendorId,
      a.subsystemId,
      a.afuCount,
    );
    if (rc !== 0) throw new Error('harness_add_card failed');
    this.lib.setCardPresent(m.card.present ? 1 : 0);
  }

  /** ibm,update-nodes is about to run: the DT model reports the adapter's properties as now. */
  private refreshDeviceTree(): void {
    this.lib.dtClear();
    const cell = Buffer.alloc(4);
    cell.writeUInt32BE(this.sim.adapter.model.pslRevision);
    this.lib.dtSetProperty('ibm,psl-revision', cell, 4);
  }

  private onEvent(kind: number, a: number, b: number | bigint, text: string): void {
    const adapter = this.sim.adapter;
    switch (kind) {
      case 1:
        this.events.push({ kind: 'kmsg', level: a, text });
        adapter.env.kmsg.write(a, text);
        return;
      case 2:
        this.events.push({ kind: 'facility-reset', unitAddress: a });
        adapter.reset('H_CONTROL_CA_FACILITY reset');
        return;
      case 3:
        this.events.push({ kind: 'remove-afu', slice: a });
        // transfer_image's success path: from here flash.c's `transfer` is 1 (the close re-probes)
        if (a === 0) {
          adapter.removeAfus();
          adapter.markTransfer();
        }
        return;
      case 4:
        this.events.push({ kind: 'reload', card: a });
        void this.reload();
        return;
      case 5:
        this.events.push({ kind: 'update-property', name: text, length: a, firstCell: num(b) });
        if (text === 'ibm,psl-revision') adapter.updateDeviceTree();
        return;
      case 6:
        this.events.push({ kind: 'update-nodes', unitAddress: a });
        this.refreshDeviceTree();
        return;
      case 7:
        this.events.push({ kind: 'open', card: a, rc: num(b) });
        if (num(b) === 0) adapter.recordHolder(a);
        return;
      case 8:
        this.events.push({ kind: 'close', card: a, released: num(b) === 1 });
        if (num(b) === 0) adapter.removeOwnProc();
        else adapter.clearHolder();
        return;
      case 9:
        this.events.push({ kind: 'overrun', bytes: a, pageSize: num(b) });
        return;
      case 10:
        this.events.push({ kind: 'copy-fault', bytes: a });
        return;
      default:
        throw new Error(`unknown kernel harness event ${kind}`);
    }
  }

  private hcall(op: FacilityOp, stream: Buffer, entries: number, token: bigint): void {
    const hypervisor = this.sim.adapter.env.hypervisor;
    hypervisor.downloadFacility(op, stream, entries, token).then(
      ({ rc, r4 }) => {
        this.events.push({ kind: 'hcall', op, entries, length: stream.length, token, rc, r4 });
        this.lib.answer(rc, BigInt.asUintN(64, r4));
      },
      (error: unknown) => {
        this.errors.push(error);
        this.lib.answer(-1, 0n); // H_HARDWARE
      },
    );
  }

  private async reload(): Promise<void> {
    try {
      await this.sim.adapter.reload();
      this.probe();
    } catch (error) {
      this.errors.push(error);
    } finally {
      this.lib.answer(0, 0n);
    }
  }

  /** The next kzalloc of `size` bytes fails (update_devicetree's RTAS buffer: 4096). */
  failNextKzalloc(size: number): void {
    this.lib.failKzalloc(size);
  }

  /** The firmware lacks ibm,update-nodes and/or ibm,update-properties. */
  rtasMissing(nodes: boolean, properties: boolean): void {
    this.lib.rtasMissing(nodes ? 1 : 0, properties ? 1 : 0);
  }

  /** get_zeroed_page fails after `n` more succeed. */
  failPagesAfter(n: number): void {
    this.lib.failPageAfter(n);
  }

  /** Threads asleep in down_interruptible (a second open waiting for the first to close). */
  get waiters(): number {
    return this.lib.waiters();
  }

  /** A signal to each: down_interruptible returns -EINTR, device_open -EPERM. */
  interruptWaiters(): number {
    return this.lib.interruptWaiters();
  }

  /** Stop answering; events after this are dropped. */
  detach(): void {
    this.lib.setCallbacks(null, null, 1);
    for (const r of this.registered) koffi.unregister(r as never);
  }

  /** The events of one kind, for assertions. */
  of<K extends KernelEvent['kind']>(kind: K): Extract<KernelEvent, { kind: K }>[] {
    return this.events.filter((e): e is Extract<KernelEvent, { kind: K }> => e.kind === kind);
  }
}
