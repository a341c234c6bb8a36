/**
 * `--json`: one event per line on stdout, nothing else there (docs/architecture.md §4). Progress is printed
 * once per completed call (and once for `call: 0` when a pass starts), not on every tick of the
 * engine's clock.
 */
import { ExitCode } from '../exit-codes.js';
import { EventBus } from '../flash/event-bus.js';
import { EVENT_SCHEMA_VERSION, type FlashEvent } from '../flash/events.js';
import { packageInfo } from '../version.js';

export interface JsonPrintState {
  /** the latest `phase` event's phase */
  phase: string | null;
  /** per pass, the highest `call` printed since its `phase` event */
  readonly printedCall: Map<string, number>;
}

export function newJsonPrintState(): JsonPrintState {
  return { phase: null, printedCall: new Map() };
}

/**
 * Whether `--json` prints this event. A progress event is printed when it is the first to report
 * its call: ticks repeat the last completed call and are skipped, as is anything about a pass
 * other than the current phase or a call at or below one already printed, so the lines of a pass
 * always read call 0, 1, ..., N, between its `phase` event and the next.
 */
export function shouldPrintJson(event: FlashEvent, state: JsonPrintState): boolean {
  if (event.event === 'hashing') return false;
  if (event.event === 'phase') {
    state.phase = event.phase;
    state.printedCall.delete(event.phase);
    return true;
  }
  if (event.event !== 'progress') return true;
  if (state.phase !== null && event.phase !== state.phase) return false;
  if (event.call <= (state.printedCall.get(event.phase) ?? -1)) return false;
  state.printedCall.set(event.phase, event.call);
  return true;
}

/** A function that prints each event as --json does (also used by `attach --json`). */
/** `replaceable`: a progress event a newer one may replace while stdout is stalled */
export type NdjsonWrite = (line: string, replaceable?: boolean) => void;

export function createNdjsonPrinter(write: NdjsonWrite): (event: FlashEvent) => void {
  const state = newJsonPrintState();
  return (event) => {
    if (shouldPrintJson(event, state))
      write(`${JSON.stringify(event)}\n`, event.event === 'progress');
  };
}

export function attachNdjsonReporter(bus: EventBus, write: NdjsonWrite): () => void {
  return bus.subscribe(createNdjsonPrinter(write));
}

/** The `start` and `result` lines for a run that ended on a bad argument, before the engine. */
export function badArgumentEvents(
  command: string,
  simulated: boolean,
  error: { readonly message: string; readonly fix?: string; readonly exitCode: number },
): string[] {
  const bus = new EventBus();
  const lines: string[] = [];
  attachNdjsonReporter(bus, (line) => lines.push(line));
  bus.emit({
    event: 'start',
    schema: EVENT_SCHEMA_VERSION,
    tool: { name: packageInfo.name, version: packageInfo.version },
    command,
    simulated,
    pid: process.pid,
  });
  bus.emit({
    event: 'result',
    outcome: error.exitCode === ExitCode.BadInput ? 'bad-input' : 'refused',
    exitCode: error.exitCode,
    journalId: null,
    message: error.message,
    nextStep: error.fix ?? '',
    durationsMs: {},
    largestGapMs: null,
    gapP99Ms: null,
    before: null,
    after: null,
  });
  return lines;
}
