/**
 * The progress events of a flash on the simulator (docs/events.md): for each pass, one `call: 0`
 * event when the pass starts, then exactly one per completed call, 1..N in order, nothing of a
 * pass after the next pass's `phase` event, and the last call always reported. Checked on the
 * bus (ticks included) and on what `--json` prints from it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { FlashEvent } from '../../src/flash/events.js';
import { runHeadlessFlash } from '../../src/flash/headless.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import { createNdjsonPrinter } from '../../src/report/ndjson-reporter.js';
import { engineRun, type EngineRun } from '../helpers/engine.js';

type Progress = Extract<FlashEvent, { event: 'progress' }>;

let run: EngineRun | null = null;
afterEach(async () => {
  await run?.dispose();
  run = null;
});

/** 4 MiB: four full calls and a last one of 128 bytes, the case a reviewer saw lose call 4. */
const IMAGE_SIZE = 4 * 1024 * 1024;
const plan = chunkPlan(IMAGE_SIZE);
const N = plan.calls.length;

/** What each pass's progress lines say: call k, its bytes, and the chunk map after it. */
function expectedPass(phase: 'download' | 'validate'): object[] {
  let bytes = 0;
  const expected: object[] = [{ phase, call: 0, calls: N, bytes: 0, chunks: 'p'.repeat(N) }];
  for (let k = 1; k <= N; k++) {
    bytes += plan.calls[k - 1]?.lenData ?? NaN;
    // published once the next call has been issued: it is in flight
    const chunks = 'd'.repeat(k) + (k < N ? 'f' + 'p'.repeat(N - k - 1) : '');
    expected.push({ phase, call: k, calls: N, bytes, chunks });
  }
  return expected;
}

function printedAsJson(events: readonly FlashEvent[]): FlashEvent[] {
  const printed: FlashEvent[] = [];
  const print = createNdjsonPrinter((line) => printed.push(JSON.parse(line) as FlashEvent));
  for (const e of events) print(e);
  return printed;
}

/** The events between a pass's `phase` event and the next `phase` event. */
function eventsOfPhase(events: readonly FlashEvent[], phase: string): FlashEvent[] {
  const start = events.findIndex((e) => e.event === 'phase' && e.phase === phase);
  expect(start).toBeGreaterThanOrEqual(0);
  const rest = events.slice(start + 1);
  const end = rest.findIndex((e) => e.event === 'phase');
  return end < 0 ? rest : rest.slice(0, end);
}

describe.each([
  ['zero latency', 1_000_000],
  ['a finite speed, with ticks between calls', 10],
])('progress events at %s (speed@%d)', (_label, speed) => {
  it('come once per completed call, in order, each pass ending on its last call', async () => {
    run = await engineRun([], { imageSize: IMAGE_SIZE, speed });
    expect(await runHeadlessFlash(run.controller, { imagePath: run.imagePath, yes: true })).toBe(0);
    expect(N).toBe(5);

    // On the bus (ticks included): every progress event of a pass is inside that pass, its
    // `call` never goes back, and every call from 0 to N is there.
    for (const phase of ['download', 'validate'] as const) {
      const all = run.events.filter((e): e is Progress => e.event === 'progress');
      const inside = eventsOfPhase(run.events, phase).filter(
        (e): e is Progress => e.event === 'progress',
      );
      expect(inside.every((e) => e.phase === phase)).toBe(true);
      expect(inside).toHaveLength(all.filter((e) => e.phase === phase).length);
      const calls = inside.map((e) => e.call);
      expect(calls).toEqual([...calls].sort((a, b) => a - b));
      expect([...new Set(calls)]).toEqual([0, 1, 2, 3, 4, 5]);
    }

    // What --json prints: exactly calls 0..N of each pass, each right after it completed.
    const printed = printedAsJson(run.events);
    const sequence = printed
      .filter((e) => e.event === 'phase' || e.event === 'progress')
      .filter((e) => e.event === 'progress' || /^(download|validate|reload)$/.test(e.phase));
    expect(sequence).toMatchObject([
      { event: 'phase', phase: 'download' },
      ...expectedPass('download').map((p) => ({ event: 'progress', ...p })),
      { event: 'phase', phase: 'validate' },
      ...expectedPass('validate').map((p) => ({ event: 'progress', ...p })),
      { event: 'phase', phase: 'reload' },
    ]);
    expect(sequence).toHaveLength(2 * (N + 1) + 3);
  });
});
