/**
 * `cxl-flasher inspect IMAGE [--card C] [--sha256 HEX] [--json]`: everything the program checks
 * about an image before it would open a device. Exit 0 when nothing stops a flash, 2 when the
 * image is refused (bad file, checksum mismatch, not an image, IDs for another adapter).
 * It never opens a card device.
 */
import type { Command } from 'commander';
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { parseSha256Option } from '../image/checksum.js';
import { inspectImageFile } from '../image/inspect.js';
import {
  INSPECT_SCHEMA,
  type InspectAdapter,
  type InspectReport,
} from '../image/inspect-report.js';
import { renderInspectReport } from '../image/inspect-render.js';
import { ImageError } from '../image/load-errors.js';
import { withContext, writeLine, type RegisterCommand } from './command-kit.js';
import { helpFooter } from './help-footer.js';
import type { CommandContext } from './context.js';
import { writeSampleIfNamed } from './sample-on-demand.js';

export interface AdapterSelection {
  readonly adapter: InspectAdapter | null;
  /** how the adapter was chosen (`the only adapter`), or why there is none */
  readonly note: string;
}

/**
 * How `inspect` finds the adapter for `--card` (a card name or location code). The real lookup
 * (src/hardware discovery, and the simulator with --simulate) is wired in by the caller of
 * `makeRegisterInspect`; it may throw a UserFacingError for a card that does not exist.
 */
export type ResolveAdapter = (
  context: CommandContext,
  cardSpec: string | undefined,
) => Promise<AdapterSelection>;

/** The default: no lookup, and a note that says so. */
export const noAdapterLookup: ResolveAdapter = async (_context, cardSpec) => ({
  adapter: null,
  note:
    cardSpec === undefined
      ? 'no adapter selected: IDs are compared only when --card is given'
      : `--card ${cardSpec} was not looked up (adapter lookup is not available in this build), so IDs are not compared`,
});

interface InspectOptions {
  readonly card?: string;
  readonly sha256?: string;
  readonly json?: boolean;
}

/** The one error a refused report ends with (exit 2); the report itself lists every problem. */
function refusal(report: InspectReport): UserFacingError {
  const [only] = report.problems;
  if (report.problems.length === 1 && only) {
    return new UserFacingError(only.message, ExitCode.BadInput, only.fix);
  }
  return new UserFacingError(
    `The image is refused: ${report.problems.map((p) => p.message.split('\n')[0]).join(' ')}`,
    ExitCode.BadInput,
    report.problems.map((p) => p.fix).join(' '),
  );
}

/** Hashing progress on an interactive stderr, so a large file never looks stuck. */
function progressLine(
  stream: NodeJS.WriteStream,
): ((done: number, total: number) => void) | undefined {
  if (!stream.isTTY) return undefined;
  let shown = -1;
  return (done, total) => {
    const percent = Math.floor((done / total) * 100);
    if (percent === shown) return;
    shown = percent;
    stream.write(done < total ? `\rreading and hashing the image: ${percent}%` : '\r\x1b[K');
  };
}

export function makeRegisterInspect(
  resolveAdapter: ResolveAdapter = noAdapterLookup,
): RegisterCommand {
  return (program: Command, setExitCode) => {
    program
      .command('inspect')
      .description(
        'check an image without touching the adapter: size, SHA-256, format, header, IDs, chunk plan',
      )
      .argument('<image>', 'the image file to flash')
      .option('--card <card>', 'compare with this adapter (card name or location code)')
      .option(
        '--sha256 <hex>',
        'the expected SHA-256 of the image file (else IMAGE.sha256 is used)',
      )
      .option('--json', 'print one JSON document (fields in the README)')
      .addHelpText(
        'after',
        helpFooter({
          notes: ['It never opens a card device.'],
          exitCodes:
            '0 nothing found that stops a flash; 2 the image is refused (the reason is printed).',
          examples: [
            'cxl-flasher inspect psl.bin',
            'cxl-flasher inspect psl.bin --card card0',
            'cxl-flasher inspect psl.bin --json | jq .plan',
          ],
        }),
      )
      .action(
        withContext<InspectOptions>(setExitCode, async (context, options, command) => {
          const path = command.args[0] as string;
          await writeSampleIfNamed(context, path);
          let reportPrinted = false;
          try {
            // A malformed --sha256 is a usage error: say so before reading a large file.
            if (options.sha256 !== undefined) parseSha256Option(options.sha256);
            const selection = await resolveAdapter(context, options.card);
            const { report } = await inspectImageFile(path, selection.adapter, {
              sha256: options.sha256,
              adapterNote: selection.note,
              onProgress: options.json ? undefined : progressLine(process.stderr),
            });
            writeLine(
              process.stdout,
              options.json ? JSON.stringify(report, null, 2) : renderInspectReport(report),
            );
            reportPrinted = true;
            if (!report.ok) throw refusal(report);
            return ExitCode.Success;
          } catch (error) {
            if (options.json && !reportPrinted && error instanceof UserFacingError) {
              const problem = error instanceof ImageError ? error.problem : 'usage';
              const body = { message: error.message, fix: error.fix ?? null, problem };
              writeLine(
                process.stdout,
                JSON.stringify({ schema: INSPECT_SCHEMA, ok: false, error: body }, null, 2),
              );
            }
            throw error;
          }
        }),
      );
  };
}

export const registerInspect: RegisterCommand = makeRegisterInspect(async (context, cardSpec) => {
  const { discoverAdapter } = await import('./adapter-lookup.js');
  return discoverAdapter(context, cardSpec);
});
