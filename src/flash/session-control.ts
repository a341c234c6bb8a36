/**
 * What the device part of a run (session.ts, attempt.ts) is given by its controller: the bus and
 * the phase to publish through, the abort to listen to, and the options that shape the attempt.
 */
import type { EventBus } from './event-bus.js';
import type { Phase } from './events.js';
import type { Operator } from './operator.js';

export interface SessionControl {
  readonly bus: EventBus;
  enterPhase(phase: Phase): void;
  /** aborted when the user confirmed an abort, or quit before the open was issued */
  readonly abort: AbortSignal;
}

export interface SessionOptions {
  readonly reloadTimeoutMs: number;
  readonly operator: Operator;
  readonly tickMs?: number;
}
