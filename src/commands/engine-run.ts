/**
 * Running the engine for a command without the wizard: the controller, the plain or NDJSON
 * reporter, the signal policy, and the headless chain of steps. Loaded only when a command
 * actually flashes (it brings koffi with it).
 */
import { FlashController } from '../flash/controller.js';
import { runHeadlessFlash, type HeadlessRequest } from '../flash/headless.js';
import { currentOperator } from '../flash/operator.js';
import { createEngineServices } from '../flash/services-for.js';
import { installSignalHandlers } from '../flash/signals.js';
import { attachNdjsonReporter } from '../report/ndjson-reporter.js';
import { attachPlainReporter } from '../report/plain-reporter.js';
import type { CommandContext } from './context.js';

export interface EngineRunOptions {
  readonly command: 'flash' | 'recover';
  readonly json: boolean;
  readonly reloadTimeoutMs: number;
  readonly request: HeadlessRequest;
}

function writeSafely(stream: NodeJS.WriteStream): (text: string) => void {
  // A dead terminal (EIO) or a closed pipe must never stop a flash (docs/architecture.md §5).
  return (text) => {
    try {
      if (!stream.destroyed) stream.write(text);
    } catch {
      // the reader is gone; the journal and the attach socket carry the rest
    }
  };
}

/** The engine with a reporter and the signal policy; resolves with the exit code. */
export async function runEngineHeadless(
  context: CommandContext,
  options: EngineRunOptions,
): Promise<number> {
  const controller = new FlashController(createEngineServices(context), {
    command: options.command,
    interactive: false,
    operator: currentOperator(),
    reloadTimeoutMs: options.reloadTimeoutMs,
  });
  const out = writeSafely(process.stdout);
  const err = writeSafely(process.stderr);
  if (options.json) attachNdjsonReporter(controller.bus, out);
  else
    attachPlainReporter(controller.bus, {
      progress: (l) => err(`${l}\n`),
      result: (l) => out(`${l}\n`),
    });
  const uninstall = installSignalHandlers(controller);
  try {
    // Wait for the chain itself, not only for a result: a quit before the device ends it (each
    // step refuses to run after a quit), and only then may the context be disposed.
    return await runHeadlessFlash(controller, options.request);
  } finally {
    uninstall();
  }
}
