/**
 * `--json`: one event per line on stdout, nothing else there (design.md §4). Progress is printed
 * when a call completes, not on every tick of the engine's clock.
 */
import type { EventBus } from '../flash/event-bus.js';
import type { FlashEvent } from '../flash/events.js';

export function shouldPrintJson(event: FlashEvent, lastProgressKey: { value: string }): boolean {
  if (event.event === 'hashing') return false;
  if (event.event !== 'progress') return true;
  const key = `${event.phase}:${event.call}`;
  if (key === lastProgressKey.value) return false;
  lastProgressKey.value = key;
  return true;
}

export function attachNdjsonReporter(bus: EventBus, write: (line: string) => void): () => void {
  const last = { value: '' };
  return bus.subscribe((event) => {
    if (shouldPrintJson(event, last)) write(`${JSON.stringify(event)}\n`);
  });
}
