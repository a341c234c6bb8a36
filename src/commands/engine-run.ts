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
import { outputChannel, outputDrained } from '../report/output-channel.js';
import { attachPlainReporter } from '../report/plain-reporter.js';
import { startAuditLog } from './audit.js';
import type { CommandContext } from './context.js';
import { terminalSafe } from '../terminal-text.js';

export interface EngineRunOptions {
  readonly command: 'flash' | 'recover';
  readonly json: boolean;
  /** plain mode: only the result line and errors */
  readonly quiet?: boolean;
  /** flash even the image the journal says the card already runs */
  readonly force?: boolean;
  readonly reloadTimeoutMs: number;
  readonly request: HeadlessRequest;
}

/** The engine with a reporter and the signal policy; resolves with the exit code. */
export async function runEngineHeadless(
  context: CommandContext,
  options: EngineRunOptions,
): Promise<number> {
  const operator = currentOperator();
  const controller = new FlashController(createEngineServices(context), {
    command: options.command,
    interactive: false,
    operator,
    reloadTimeoutMs: options.reloadTimeoutMs,
    force: options.force,
  });
  // Never blocking, never failing the flash: a stalled terminal keeps only the newest progress
  // line, and a write error (a closed pipe, a dead terminal, a full disk) only ends the output.
  const out = outputChannel(1);
  const err = outputChannel(2);
  out.onFailure = (code) =>
    err.send(
      `cxl-flasher: standard output failed (${code}); the flash goes on, see \`cxl-flasher history\`\n`,
    );
  // JSON with what it leaves raw (DEL, C1, bidi) as \uXXXX: the same values, safe in a terminal
  if (options.json)
    attachNdjsonReporter(controller.bus, (line, replaceable) =>
      out.send(terminalSafe(line), replaceable ? 'progress' : 'line'),
    );
  else
    attachPlainReporter(
      controller.bus,
      {
        // the net: a control character a formatter missed is shown, never sent to the terminal
        progress: (l, replaceable) =>
          err.send(`${terminalSafe(l)}\n`, replaceable ? 'progress' : 'line'),
        result: (l) => out.send(`${terminalSafe(l)}\n`),
      },
      { quiet: options.quiet === true },
    );
  startAuditLog(context, controller.bus, operator);
  const uninstall = installSignalHandlers(controller);
  try {
    // Wait for the chain itself, not only for a result: a quit before the device ends it (each
    // step refuses to run after a quit), and only then may the context be disposed.
    return await runHeadlessFlash(controller, options.request);
  } finally {
    uninstall();
    // The result is on its way; the terminal drains when it can (Ctrl-Q, a reader coming
    // back), and a stop signal ends that wait.
    await outputDrained();
  }
}
