/**
 * `cxl-flasher attach [--card C] [--json]`: watch a flash running in another process (after an
 * SSH drop, or from a second login), read-only. Exits with the flash's own exit code when its
 * result arrives.
 */
import type { Command } from 'commander';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import type { FlashEvent } from '../flash/events.js';
import { shown, terminalSafe } from '../terminal-text.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { helpFooter } from './help-footer.js';
import { currentMode } from './mode.js';

/** A line of the socket that was not a usable event, as a warning the observer shows. */
function skippedWarning(line: number, reason: string): Extract<FlashEvent, { event: 'warning' }> {
  return {
    event: 'warning',
    time: new Date().toISOString(),
    code: 'attach',
    message: terminalSafe(`attach: event line ${line} of the socket skipped: ${reason}`),
  };
}

function withShownEvents(
  print: (event: FlashEvent) => void,
  shownEvent: <T>(value: T) => T,
): (event: FlashEvent) => void {
  return (event) => print(shownEvent(event));
}

interface AttachOptions {
  readonly card?: string;
  readonly json?: boolean;
}

/** The transfer screens, read-only, on a store rebuilt from the socket's events. */
async function observeInTerminal(path: string): Promise<number> {
  const { watchFlash } = await import('../report/attach-client.js');
  const { createFlashStore, publish } = await import('../store.js');
  const { renderObserver } = await import('../components/render-app.js');
  const store = createFlashStore({ observer: true });
  const { shownEvent } = await import('../report/shown-event.js');
  const watch = watchFlash(path, (event) => publish(store, shownEvent(event)), {
    onSkipped: (line, reason) => publish(store, skippedWarning(line, reason)),
  });
  let leave: () => void = () => {};
  const left = new Promise<void>((resolve) => (leave = resolve));
  const instance = renderObserver(store, {
    onLeave: () => {
      leave();
      watch.stop();
    },
  });
  const result = await watch.done;
  // The flash ended: keep its summary on screen until the user leaves, like the wizard does.
  if (result) await left;
  instance.unmount();
  await instance.waitUntilExit().catch(() => undefined);
  return result?.event === 'result' ? result.exitCode : ExitCode.Success;
}

export const registerAttach: RegisterCommand = (program: Command, setExitCode) => {
  program
    .command('attach')
    .description('watch a flash running in another process (read-only)')
    .option('--card <card>', 'the card being flashed, when several are')
    .option('--json', 'print the flash events as NDJSON (docs/events.md)')
    .addHelpText(
      'after',
      helpFooter({
        notes: ['Ctrl-C leaves the observer; it never stops the flash.'],
        exitCodes:
          "the watched flash's own (0-5, 130) once its result arrives; 0 when nothing is running or the socket closes first; 2 when several flashes run and no --card is given; 3 when the socket or its folder is not the flasher's (owned by another user, or writable by others).",
        examples: [
          'cxl-flasher attach',
          'cxl-flasher attach --card card0 --json | jq -c \'select(.event=="progress")\'',
        ],
      }),
    )
    .action(
      withContext<AttachOptions>(setExitCode, async (context, options) => {
        const { findFlashSocket, socketTrustProblem, watchFlash } =
          await import('../report/attach-client.js');
        const choice = await findFlashSocket(context.runDir, options.card);
        if (choice.kind === 'several') {
          throw new UserFacingError(
            `Several flashes are running: ${choice.cards.map(shown).join(', ')}.`,
            ExitCode.BadInput,
            'Pass --card with one of them.',
          );
        }
        const mode = currentMode(options.json);
        if (choice.kind === 'none') {
          writeLine(
            process.stdout,
            mode === 'json'
              ? JSON.stringify({ running: false, message: choice.message })
              : choice.message,
          );
          return ExitCode.Success;
        }
        const distrust = socketTrustProblem(choice.path);
        if (distrust)
          throw new UserFacingError(
            `The flash's socket cannot be trusted: ${distrust}.`,
            ExitCode.PreflightRefused,
            'Only the flasher (this user or root) may own the socket and its folder, and no one else may write that folder: `chmod go-w` the folder, and remove a socket someone else put there.',
          );
        if (mode === 'interactive') return observeInTerminal(choice.path);
        const { shownEvent } = await import('../report/shown-event.js');
        const print =
          mode === 'json'
            ? (await import('../report/ndjson-reporter.js')).createNdjsonPrinter((l) =>
                process.stdout.write(terminalSafe(l)),
              )
            : withShownEvents(
                (await import('../report/plain-reporter.js')).createPlainPrinter({
                  progress: (l) => process.stderr.write(`${terminalSafe(l)}\n`),
                  result: (l) => process.stdout.write(`${terminalSafe(l)}\n`),
                }),
                shownEvent,
              );
        if (mode !== 'json')
          process.stderr.write(
            `watching the flash of ${choice.card} (read-only; Ctrl-C leaves, the flash goes on)\n`,
          );
        const watch = watchFlash(choice.path, print, {
          onSkipped: (line, reason) =>
            process.stderr.write(`${skippedWarning(line, reason).message}\n`),
        });
        const leave = (): void => watch.stop();
        process.once('SIGINT', leave);
        try {
          const result = await watch.done;
          if (result?.event === 'result') return result.exitCode;
          if (mode !== 'json')
            process.stderr.write(
              'The socket closed before a result arrived; see `cxl-flasher history`.\n',
            );
          return ExitCode.Success;
        } finally {
          process.off('SIGINT', leave);
        }
      }),
    );
};
