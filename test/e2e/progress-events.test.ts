/**
 * `flash --json` and plain mode on the simulator: each pass's progress is printed once per
 * completed call, 1..N in order after one `call: 0` line, between that pass's `phase` event and
 * the next, with the last call always there (docs/events.md, docs/architecture.md §4).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import { runCli } from '../helpers/cli.js';
import { sampleImage } from '../helpers/engine.js';

/** 4 MiB: five calls a pass, the last one of 128 bytes */
const SIZE = 4 * 1024 * 1024;
const plan = chunkPlan(SIZE);
const N = plan.calls.length;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cxl-progress-'));
  writeFileSync(join(dir, 'image.bin'), sampleImage(SIZE, 7));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

interface Line {
  readonly event: string;
  readonly phase?: string;
  readonly call?: number;
  readonly calls?: number;
  readonly bytes?: number;
  readonly chunks?: string;
}

function expectedPass(phase: string): Line[] {
  const lines: Line[] = [];
  let bytes = 0;
  for (let call = 0; call <= N; call++) {
    if (call > 0) bytes += plan.calls[call - 1]?.lenData ?? NaN;
    const chunks =
      call === N
        ? 'd'.repeat(N)
        : 'd'.repeat(call) + (call > 0 ? 'f' : 'p') + 'p'.repeat(N - call - 1);
    lines.push({ event: 'progress', phase, call, calls: N, bytes, chunks });
  }
  return lines;
}

describe('progress in the output of a flash on the simulator', () => {
  // speed@2.5: a validate call takes longer than the 100 ms tick, so ticks come between calls
  it.each(['speed@1000000', 'speed@2.5'])(
    'flash --json (%s) prints every call of each pass once, in order',
    async (speed) => {
      const run = await runCli([
        `--simulate=${speed}`,
        '--state-dir',
        dir,
        'flash',
        join(dir, 'image.bin'),
        '--yes',
        '--json',
      ]);
      expect(run.code).toBe(0);
      const events = run.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Line);
      const flow = events
        .filter((e) => e.event === 'progress' || e.event === 'phase')
        .filter((e) => e.event === 'progress' || /^(download|validate|reload)$/.test(e.phase ?? ''))
        .map((e) =>
          e.event === 'phase'
            ? { event: e.event, phase: e.phase }
            : {
                event: e.event,
                phase: e.phase,
                call: e.call,
                calls: e.calls,
                bytes: e.bytes,
                chunks: e.chunks,
              },
        );
      expect(flow).toEqual([
        { event: 'phase', phase: 'download' },
        ...expectedPass('download'),
        { event: 'phase', phase: 'validate' },
        ...expectedPass('validate'),
        { event: 'phase', phase: 'reload' },
      ]);
      expect(events.filter((e) => e.event === 'progress')).toHaveLength(2 * (N + 1));
      expect(events.at(-1)).toMatchObject({ event: 'result', outcome: 'success' });
    },
  );

  it('plain mode prints each pass through 100 % before the next phase line', async () => {
    const run = await runCli([
      '--simulate=speed@1000000',
      '--state-dir',
      dir,
      'flash',
      join(dir, 'image.bin'),
      '--yes',
    ]);
    expect(run.code).toBe(0);
    const lines = run.stderr
      .split('\n')
      .filter((l) => /^(phase (download|validate|reload)|download |validate )/.test(l))
      .map((l) => l.replace(/^(\S+ +\d+%\s+call \d+\/\d+).*$/, '$1').replace(/:.*$/, ''));
    expect(lines).toEqual([
      'phase download',
      'download   0%  call 0/5',
      'download  24%  call 1/5',
      'download  49%  call 2/5',
      'download  74%  call 3/5',
      'download  99%  call 4/5',
      'download 100%  call 5/5',
      'phase validate',
      'validate   0%  call 0/5',
      'validate  24%  call 1/5',
      'validate  49%  call 2/5',
      'validate  74%  call 3/5',
      'validate  99%  call 4/5',
      'validate 100%  call 5/5',
      'phase reload',
    ]);
  });
});
