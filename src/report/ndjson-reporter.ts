/**
 * `--json`: one event per line on stdout, nothing else there (design.md §4). Progress is printed
 * when a call completes, not on every tick of the engine's clock.
 */
import { ExitCode } from '../exit-codes.js';
import { EventBus } from '../flash/event-bus.js';
import { EVENT_SCHEMA_VERSION, type FlashEvent } from '../flash/events.js';
import { packageInfo } from '../version.js';

export function shouldPrintJson(event: FlashEvent, lastProgressKey: { value: string }): boolean {
  if (event.event === 'hashing') return false;
  if (event.event !== 'progress') return true;
  const key = `${event.phase}:${event.call}`;
  if (key === lastProgressKey.value) return false;
  lastProgressKey.value = key;
  return true;
}

/** A function that prints each event as --json does (also used by `attach --json`). */
export function createNdjsonPrinter(write: (line: string) => void): (event: FlashEvent) => void {
  const last = { value: '' };
  return (event) => {
    if (shouldPrintJson(event, last)) write(`${JSON.stringify(event)}\n`);
  };
}

export function attachNdjsonReporter(bus: EventBus, write: (line: string) => void): () => void {
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
