/**
 * The interactive wizard (docs/architecture.md §3) for `cxl-flasher`, `flash IMAGE` in a terminal and
 * `recover`'s choices: the controller and its wizard driver, the Ink screens, the signal policy.
 * Loaded only in a terminal (it brings Ink, React and koffi).
 */
import { resolve } from 'node:path';
import { FlashController } from '../flash/controller.js';
import { currentOperator } from '../flash/operator.js';
import { createEngineServices } from '../flash/services-for.js';
import { installSignalHandlers } from '../flash/signals.js';
import { Wizard, type WizardOptions } from '../flash/wizard.js';
import type { WizardActions } from '../flash/actions.js';
import { renderWizard } from '../components/render-app.js';
import { ExitCode } from '../exit-codes.js';
import { outputDrained } from '../report/output-channel.js';
import { startAuditLog } from './audit.js';
import type { CommandContext } from './context.js';

export interface WizardRunOptions extends WizardOptions {
  readonly reloadTimeoutMs: number;
  /** skip the start screen's recovery check (recover has just shown it) */
  readonly skipRecovery?: boolean;
  /** flash even the image the journal says the card already runs */
  readonly force?: boolean;
}

/**
 * The simulator's sample image: its path at once, the file written in the background so the
 * first screen is not held up. Choosing it waits for the write to finish.
 */
async function sampleImage(
  context: CommandContext,
): Promise<{ path: string; ready: Promise<unknown> } | null> {
  if (!context.simulation) return null;
  const { sampleImagePath, writeSampleImage } = await import('../sim/sample-image.js');
  const ready = writeSampleImage(context.simulation.dir).catch(() => undefined); // then it is not found, and the wizard says so
  return { path: sampleImagePath(context.simulation.dir), ready };
}

export async function runWizard(
  context: CommandContext,
  options: WizardRunOptions,
): Promise<number> {
  const services = createEngineServices(context);
  const operator = currentOperator();
  const controller = new FlashController(services, {
    command: 'wizard',
    interactive: true,
    operator,
    reloadTimeoutMs: options.reloadTimeoutMs,
    force: options.force,
  });
  startAuditLog(context, controller.bus, operator);
  const sample = await sampleImage(context);
  const wizard = new Wizard(controller, services, {
    ...options,
    extraCandidates: [...(options.extraCandidates ?? []), ...(sample ? [sample.path] : [])],
  });
  let leave: (code: number) => void = () => {};
  const left = new Promise<number>((resolve) => (leave = resolve));
  const exitCode = (): number => controller.store.getState().result?.exitCode ?? ExitCode.Success;
  const actions: WizardActions = {
    chooseRecovery: (c) => wizard.chooseRecovery(c),
    selectAdapter: (name, o) => wizard.selectAdapter(name, o),
    chooseImage: (p) => {
      if (sample && resolve(p.trim()) === sample.path)
        void sample.ready.then(() => wizard.chooseImage(p));
      else wizard.chooseImage(p);
    },
    confirmFlash: () => wizard.confirmFlash(),
    back: () => wizard.back(),
    interrupt: () => wizard.interrupt(),
    confirmInterrupt: () => wizard.confirmInterrupt(),
    dismissInterrupt: () => wizard.dismissInterrupt(),
    suspend: () => wizard.suspend(),
    exit: () => {
      if (controller.currentPhase === 'summary') leave(exitCode());
    },
  };
  // Quitting before the device was opened needs no summary to read.
  void controller.finished.then((code) => {
    const result = controller.store.getState().result;
    if (result?.outcome === 'aborted' && result.journalId === null) leave(code);
  });
  const instance = renderWizard(controller.store, actions);
  const stopWatchingTerminal = controller.bus.subscribe((event) => {
    // SIGHUP: the terminal is gone; stop drawing, the flash goes on (docs/architecture.md §5).
    if (event.event === 'warning' && event.code === 'terminal-lost') {
      try {
        instance.unmount();
      } catch {
        // the terminal may already refuse writes
      }
      void controller.finished.then(leave);
    }
  });
  const uninstall = installSignalHandlers(controller);
  try {
    if (options.skipRecovery) {
      controller.begin();
      wizard.startAtPicker();
    } else {
      wizard.start();
    }
    return await left;
  } finally {
    uninstall();
    stopWatchingTerminal();
    instance.unmount();
    await instance.waitUntilExit().catch(() => undefined);
    // The summary is on its way: a terminal that does not drain gets it when it does.
    await outputDrained();
  }
}
