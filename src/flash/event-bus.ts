/**
 * Where the engine's events go: the store, the plain or NDJSON reporter, the attach socket.
 * Listeners run synchronously in order; a listener that throws is dropped from the stream
 * (reported once through `onListenerError`), never allowed to stop a flash.
 */
import type { FlashEvent, FlashEventInput } from './events.js';

export type EventListener = (event: FlashEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  /**
   * The events a late observer needs to rebuild the current state, in the order they were
   * emitted; only the latest progress of each pass and the latest reload state are kept, each
   * where it was emitted (so a pass's progress still comes before the next phase's events).
   */
  private readonly replayLog = new Map<object | string, FlashEvent>();

  constructor(
    private readonly now: () => Date = () => new Date(),
    private readonly onListenerError: (error: unknown) => void = () => {},
  ) {}

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(input: FlashEventInput): FlashEvent {
    const event = { ...input, time: this.now().toISOString() } as FlashEvent;
    this.remember(event);
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.listeners.delete(listener);
        this.onListenerError(error);
      }
    }
    return event;
  }

  /** Every state-establishing event so far, with only the latest progress of each pass. */
  replay(): FlashEvent[] {
    return [...this.replayLog.values()];
  }

  private remember(event: FlashEvent): void {
    if (event.event === 'hashing') return;
    const key =
      event.event === 'progress'
        ? `progress:${event.phase}`
        : event.event === 'reload'
          ? 'reload'
          : event;
    // delete first: a Map keeps the first insertion's position
    this.replayLog.delete(key);
    this.replayLog.set(key, event);
  }
}
