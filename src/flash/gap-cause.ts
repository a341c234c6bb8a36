/**
 * What caused a long gap, from the warnings already on the bus: the progress ticker says when
 * this process did not run for longer than the critical gap (`stalled-critical`: stopped or
 * starved).
 */
import type { EventBus } from './event-bus.js';
import type { GapCause } from './failure.js';

export function watchGapCause(bus: EventBus): () => GapCause | null {
  let cause: GapCause | null = null;
  bus.subscribe((event) => {
    if (event.event === 'warning' && event.code === 'stalled-critical') cause = 'stopped';
  });
  return () => cause;
}
