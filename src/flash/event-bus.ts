/**
 * Where the engine's events go: the store, the plain or NDJSON reporter, the attach socket.
 * Listeners run synchronously in order; a listener that throws is dropped from the stream
 * (reported once through `onListenerError`), never allowed to stop a flash.
 */
import type { FlashEvent, FlashEventInput } from './events.js';

export type EventListener = (event: FlashEvent) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();
  /** the events a late observer needs to rebuild the current state */
  private readonly replayLog: FlashEvent[] = [];
  private latestProgress = new Map<string, FlashEvent>();
  private latestReload: FlashEvent | null = null;

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
    return [
      ...this.replayLog,
      ...this.latestProgress.values(),
      ...(this.latestReload ? [this.latestReload] : []),
    ];
  }

  private remember(event: FlashEvent): void {
    if (event.event === 'progress') this.latestProgress.set(event.phase, event);
    else if (event.event === 'reload') this.latestReload = event;
    else if (event.event !== 'hashing') this.replayLog.push(event);
  }
}
