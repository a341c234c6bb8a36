/**
 * Plain mode has no keys to press: a phase line that only describes keys (the summary's
 * "Ctrl-C or q exits", meant for the wizard's screen) is not printed; the others still say what
 * Ctrl-C (SIGINT) does now.
 */
import { describe, expect, it } from 'vitest';
import { ctrlCPolicy } from '../../src/flash/ctrl-c.js';
import { EventBus } from '../../src/flash/event-bus.js';
import type { Phase } from '../../src/flash/events.js';
import { attachPlainReporter } from '../../src/report/plain-reporter.js';

describe('plain phase lines', () => {
  it('drops the summary phase line, keeps the others and the result', () => {
    const bus = new EventBus(() => new Date('2026-11-25T07:00:00.000Z'));
    const err: string[] = [];
    const out: string[] = [];
    attachPlainReporter(bus, { progress: (l) => err.push(l), result: (l) => out.push(l) });
    for (const phase of ['loadingImage', 'summary'] as Phase[])
      bus.emit({ event: 'phase', phase, ctrlC: ctrlCPolicy(phase) });
    bus.emit({
      event: 'result',
      outcome: 'aborted',
      exitCode: 130,
      journalId: null,
      message: 'Quit before the card device was opened; the adapter was not touched.',
      nextStep: 'Nothing to recover.',
      durationsMs: {},
      largestGapMs: null,
      gapP99Ms: null,
      before: null,
      after: null,
    });
    expect(err).toEqual(['phase loadingImage: Ctrl-C quits; the adapter has not been touched.']);
    expect(err.join('\n')).not.toMatch(/\bq exits/);
    expect(out[0]).toMatch(/^aborted \(exit 130\)/);
  });
});
