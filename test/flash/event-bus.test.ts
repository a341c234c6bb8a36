import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/flash/event-bus.js';
import type { FlashEventInput } from '../../src/flash/events.js';

const phase = (name: 'download' | 'validate' | 'reload'): FlashEventInput => ({
  event: 'phase',
  phase: name,
  ctrlC: { action: 'confirm-abort', description: 'd' },
});

const progress = (pass: 'download' | 'validate', call: number): FlashEventInput => ({
  event: 'progress',
  phase: pass,
  call,
  calls: 3,
  bytes: call,
  totalBytes: 3,
  rateBytesPerSec: null,
  etaSec: null,
  gapSinceReturnMs: null,
  inFlightMs: null,
  largestGapMs: 0,
  elapsedMs: 0,
  chunks: 'ppp',
});

const reload = (state: 'closing' | 'verifying'): FlashEventInput => ({
  event: 'reload',
  state,
  elapsedMs: 0,
  deadlineMs: 1000,
  message: state,
});

describe('event bus replay', () => {
  it('keeps the latest progress of each pass and reload state where they were emitted', () => {
    const bus = new EventBus();
    bus.emit(phase('download'));
    for (let call = 0; call <= 3; call++) bus.emit(progress('download', call));
    bus.emit({ event: 'hashing', bytes: 1, totalBytes: 2 });
    bus.emit(phase('validate'));
    bus.emit(progress('validate', 0));
    bus.emit({ event: 'warning', code: 'gap', message: 'gap' });
    bus.emit(progress('validate', 3));
    bus.emit(phase('reload'));
    bus.emit(reload('closing'));
    bus.emit(reload('verifying'));
    const replayed = bus
      .replay()
      .map((e) =>
        e.event === 'phase'
          ? e.phase
          : e.event === 'progress'
            ? `${e.phase} ${e.call}`
            : e.event === 'reload'
              ? `reload ${e.state}`
              : e.event,
      );
    // a late observer sees a pass's progress before the next pass's phase, as it happened
    expect(replayed).toEqual([
      'download',
      'download 3',
      'validate',
      'warning',
      'validate 3',
      'reload',
      'reload verifying',
    ]);
  });
});
