import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/flash/event-bus.js';
import type { FlashEventInput } from '../../src/flash/events.js';
import { attachNdjsonReporter } from '../../src/report/ndjson-reporter.js';
import { attachPlainReporter } from '../../src/report/plain-reporter.js';

const fixedNow = (): Date => new Date('2026-11-25T07:00:00.000Z');

function progress(
  call: number,
  calls = 20,
  phase: 'download' | 'validate' = 'download',
): FlashEventInput {
  return {
    event: 'progress',
    phase,
    call,
    calls,
    bytes: call * 1000,
    totalBytes: calls * 1000,
    rateBytesPerSec: 2_000_000,
    etaSec: calls - call,
    gapSinceReturnMs: null,
    inFlightMs: 3,
    largestGapMs: 2,
    elapsedMs: call * 10,
    chunks: '',
  };
}

const result: FlashEventInput = {
  event: 'result',
  outcome: 'failed',
  exitCode: 1,
  journalId: 'j1',
  message: 'download call 3 failed',
  nextStep: 'cxl-flasher recover',
  durationsMs: { total: 1500 },
  largestGapMs: 2,
  gapP99Ms: null,
  before: null,
  after: null,
};

describe('NDJSON reporter', () => {
  it('prints one JSON object per line, progress once per completed call, and the result', () => {
    const bus = new EventBus(fixedNow);
    const lines: string[] = [];
    attachNdjsonReporter(bus, (l) => lines.push(l));
    bus.emit({
      event: 'phase',
      phase: 'download',
      ctrlC: { action: 'confirm-abort', description: 'd' },
    });
    bus.emit(progress(1));
    bus.emit(progress(1)); // a tick with no new call
    bus.emit({ event: 'hashing', bytes: 1, totalBytes: 2 });
    bus.emit(progress(2));
    bus.emit(result);
    expect(lines.every((l) => l.endsWith('\n') && !l.slice(0, -1).includes('\n'))).toBe(true);
    const events = lines.map(
      (l) => JSON.parse(l) as { event: string; call?: number; time: string },
    );
    expect(events.map((e) => e.event)).toEqual(['phase', 'progress', 'progress', 'result']);
    expect(events[1]?.call).toBe(1);
    expect(events[0]?.time).toBe('2026-11-25T07:00:00.000Z');
  });
});

const phase = (name: 'download' | 'validate' | 'reload'): FlashEventInput => ({
  event: 'phase',
  phase: name,
  ctrlC: { action: 'confirm-abort', description: 'd' },
});

describe('NDJSON reporter, progress of two passes', () => {
  it('prints each call of a pass once, in order, and nothing of a pass after the next phase', () => {
    const bus = new EventBus(fixedNow);
    const lines: string[] = [];
    attachNdjsonReporter(bus, (l) => lines.push(l));
    bus.emit(phase('download'));
    for (const call of [0, 0, 1, 1, 3, 2, 3, 4, 5, 5]) bus.emit(progress(call, 5));
    bus.emit(phase('validate'));
    bus.emit(progress(0, 5, 'validate'));
    bus.emit(progress(5, 5)); // a late download event: never printed after the validate began
    bus.emit(progress(0, 5, 'validate')); // a tick: validate 0 was printed already
    for (const call of [1, 2, 3, 4, 5]) bus.emit(progress(call, 5, 'validate'));
    bus.emit(phase('reload'));
    bus.emit(progress(5, 5, 'validate'));
    const printed = lines
      .map((l) => JSON.parse(l) as { event: string; phase: string; call?: number })
      .map((e) => (e.event === 'phase' ? e.phase : `${e.phase} ${e.call}`));
    expect(printed).toEqual([
      'download',
      'download 0',
      'download 1',
      'download 3', // a call below one already printed would go backwards
      'download 4',
      'download 5',
      'validate',
      'validate 0',
      'validate 1',
      'validate 2',
      'validate 3',
      'validate 4',
      'validate 5',
      'reload',
    ]);
  });

  it('prints the calls of a pass again when the pass starts again', () => {
    const bus = new EventBus(fixedNow);
    const lines: string[] = [];
    attachNdjsonReporter(bus, (l) => lines.push(l));
    for (let i = 0; i < 2; i++) {
      bus.emit(phase('download'));
      bus.emit(progress(0, 2));
      bus.emit(progress(1, 2));
    }
    expect(lines.filter((l) => l.includes('"progress"'))).toHaveLength(4);
  });
});

describe('plain reporter', () => {
  it('prints progress about every 5 %, phases, and the result on stdout, without escapes', () => {
    const bus = new EventBus(fixedNow);
    const err: string[] = [];
    const out: string[] = [];
    attachPlainReporter(bus, { progress: (l) => err.push(l), result: (l) => out.push(l) });
    bus.emit({
      event: 'phase',
      phase: 'download',
      ctrlC: { action: 'confirm-abort', description: 'Ctrl-C asks.' },
    });
    for (let call = 1; call <= 20; call++) {
      bus.emit(progress(call));
      bus.emit(progress(call));
    }
    bus.emit({ event: 'warning', code: 'gap', message: 'a gap of 1.2 s' });
    bus.emit(result);
    const progressLines = err.filter((l) => l.startsWith('download '));
    expect(progressLines).toHaveLength(20); // 5 % per call here, never twice for one call
    expect(progressLines[0]).toMatch(/^download {3}5%\s+call 1\/20/);
    expect(err).toContain('phase download: Ctrl-C asks.');
    expect(err).toContain('warning: a gap of 1.2 s');
    expect(out).toEqual([
      'failed (exit 1): download call 3 failed; journal j1; total 1.5 s; largest gap 2 ms\nnext: cxl-flasher recover',
    ]);
    expect([...err, ...out].join('')).not.toContain('\u001b');
  });

  it('prints a line per phase and per call of a short pass, each pass ending on its last call', () => {
    const bus = new EventBus(fixedNow);
    const err: string[] = [];
    attachPlainReporter(bus, { progress: (l) => err.push(l), result: () => {} });
    bus.emit(phase('download'));
    for (let call = 0; call <= 5; call++) bus.emit(progress(call, 5));
    bus.emit(phase('validate'));
    for (let call = 0; call <= 5; call++) bus.emit(progress(call, 5, 'validate'));
    const kept = err.map((l) => l.replace(/^(\S+ +\d+%\s+call \d+\/\d+).*$/, '$1'));
    expect(kept).toEqual([
      'phase download: d',
      'download   0%  call 0/5',
      'download  20%  call 1/5',
      'download  40%  call 2/5',
      'download  60%  call 3/5',
      'download  80%  call 4/5',
      'download 100%  call 5/5',
      'phase validate: d',
      'validate   0%  call 0/5',
      'validate  20%  call 1/5',
      'validate  40%  call 2/5',
      'validate  60%  call 3/5',
      'validate  80%  call 4/5',
      'validate 100%  call 5/5',
    ]);
  });

  it('prints nothing about a pass once the next phase began', () => {
    const bus = new EventBus(fixedNow);
    const err: string[] = [];
    attachPlainReporter(bus, { progress: (l) => err.push(l), result: () => {} });
    bus.emit(phase('download'));
    for (let call = 0; call <= 3; call++) bus.emit(progress(call, 5));
    bus.emit(phase('validate'));
    bus.emit(progress(5, 5)); // late
    expect(err.at(-1)).toBe('phase validate: d');
  });

  it('skips ticks below the 5 % step on a long pass', () => {
    const bus = new EventBus(fixedNow);
    const err: string[] = [];
    attachPlainReporter(bus, { progress: (l) => err.push(l), result: () => {} });
    for (let call = 1; call <= 200; call++) bus.emit(progress(call, 200));
    expect(err.length).toBeLessThanOrEqual(21);
    expect(err.at(-1)).toMatch(/100%\s+call 200\/200/);
  });
});
