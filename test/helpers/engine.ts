/** An engine run on the simulator in a temp folder, for in-process tests (no device mocks). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveContext, type CommandContext } from '../../src/commands/context.js';
import { FlashController } from '../../src/flash/controller.js';
import type { FlashEvent } from '../../src/flash/events.js';
import { currentOperator } from '../../src/flash/operator.js';
import { createEngineServices } from '../../src/flash/services-for.js';
import type { EngineServices } from '../../src/flash/services.js';
import { attemptsOf, readJournal } from '../../src/journal/journal.js';
import type { Attempt } from '../../src/journal/records.js';

/** A raw Xilinx-style bitstream: dummy words, bus width, sync word, then seeded bytes. */
export function sampleImage(size: number, seed = 1): Buffer {
  const prefix = Buffer.from('ffffffffffffffff000000bb11220044ffffffffffffffffaa995566', 'hex');
  const image = Buffer.alloc(size);
  prefix.copy(image);
  let x = seed >>> 0 || 1;
  for (let i = prefix.length; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    image[i] = x & 0xff;
  }
  return image;
}

export interface EngineRun {
  readonly dir: string;
  readonly imagePath: string;
  readonly image: Buffer;
  readonly context: CommandContext;
  readonly services: EngineServices;
  readonly controller: FlashController;
  readonly events: FlashEvent[];
  attempts(): Attempt[];
  dispose(): Promise<void>;
}

export async function engineRun(
  scenarios: readonly string[] = [],
  options: {
    imageSize?: number;
    speed?: number;
    reloadTimeoutMs?: number;
    interactive?: boolean;
    dir?: string;
    /** the journal and lock somewhere else than `dir` (the simulator stays in `dir`) */
    stateDir?: string;
    /** replace services before the controller is built (the kernel harness's card device) */
    wrapServices?: (services: EngineServices, context: CommandContext) => EngineServices;
  } = {},
): Promise<EngineRun> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'cxl-engine-'));
  const image = sampleImage(options.imageSize ?? 2_500_000);
  const imagePath = join(dir, 'image.bin');
  writeFileSync(imagePath, image);
  const context = await resolveContext({
    simulate: [`speed@${options.speed ?? 400}`, ...scenarios].join(','),
    stateDir: dir,
  });
  const plain = createEngineServices(
    options.stateDir ? { ...context, stateDir: options.stateDir } : context,
  );
  const services = options.wrapServices ? options.wrapServices(plain, context) : plain;
  const controller = new FlashController(services, {
    command: 'flash',
    interactive: options.interactive ?? false,
    operator: currentOperator(),
    reloadTimeoutMs: options.reloadTimeoutMs ?? 5000,
    tickMs: 20,
  });
  const events: FlashEvent[] = [];
  controller.bus.subscribe((e) => events.push(e));
  return {
    dir,
    imagePath,
    image,
    context,
    services,
    controller,
    events,
    attempts: () => attemptsOf(readJournal(dir).records),
    async dispose() {
      await context.dispose();
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Resolves when the store reaches a phase with at least `calls` calls done in that pass. */
export function whenTransfer(
  run: EngineRun,
  phase: 'download' | 'validate',
  calls: number,
): Promise<void> {
  return new Promise((resolve) => {
    const check = (): boolean => {
      const s = run.controller.store.getState();
      return s.phase === phase && (s.transfer[phase]?.call ?? 0) >= calls;
    };
    if (check()) return resolve();
    const unsubscribe = run.controller.store.subscribe(() => {
      if (check()) {
        unsubscribe();
        resolve();
      }
    });
  });
}
