import { describe, expect, it } from 'vitest';
import type { FlashEvent } from '../src/flash/events.js';
import { applyEvent, createFlashStore, initialFlashState, publish } from '../src/store.js';

const t = '2026-11-25T07:00:00.000Z';
const snapshot = {
  phase: 'download' as const,
  call: 2,
  calls: 4,
  bytes: 2_097_024,
  totalBytes: 4_000_000,
  rateBytesPerSec: 1_000_000,
  etaSec: 2,
  gapSinceReturnMs: null,
  inFlightMs: 12,
  largestGapMs: 3,
  elapsedMs: 2000,
  chunks: 'ddfp',
};

describe('store', () => {
  it('rebuilds the same state from the same events (what attach relies on)', () => {
    const events: FlashEvent[] = [
      {
        event: 'start',
        time: t,
        schema: 1,
        tool: { name: 'cxl-flasher', version: '0.1.0' },
        command: 'flash',
        simulated: true,
        pid: 7,
      },
      {
        event: 'phase',
        time: t,
        phase: 'download',
        ctrlC: { action: 'confirm-abort', description: 'x' },
      },
      { event: 'progress', time: t, ...snapshot },
      { event: 'warning', time: t, code: 'gap', message: 'gap 1.2 s' },
    ];
    const a = createFlashStore();
    const b = createFlashStore({ observer: true });
    for (const e of events) {
      publish(a, e);
      publish(b, e);
    }
    expect({ ...a.getState(), observer: true }).toEqual(b.getState());
    expect(a.getState().phase).toBe('download');
    expect(a.getState().transfer.download).toEqual(snapshot);
    expect(a.getState().simulated).toBe(true);
    expect(a.getState().warnings).toEqual([{ code: 'gap', message: 'gap 1.2 s', time: t }]);
  });

  it('closes the interrupt prompt when the phase changes or a result arrives', () => {
    const open = initialFlashState({ interruptPrompt: true });
    const next = applyEvent(open, {
      event: 'phase',
      time: t,
      phase: 'reload',
      ctrlC: { action: 'deferred', description: 'd' },
    });
    expect(next.interruptPrompt).toBe(false);
  });

  it('keeps each pass separately and bounds the warning list', () => {
    let s = initialFlashState();
    s = applyEvent(s, { event: 'progress', time: t, ...snapshot });
    s = applyEvent(s, { event: 'progress', time: t, ...snapshot, phase: 'validate', call: 1 });
    expect(s.transfer.download?.call).toBe(2);
    expect(s.transfer.validate?.call).toBe(1);
    for (let i = 0; i < 80; i++)
      s = applyEvent(s, { event: 'warning', time: t, code: 'w', message: String(i) });
    expect(s.warnings).toHaveLength(50);
    expect(s.warnings.at(-1)?.message).toBe('79');
  });
});
