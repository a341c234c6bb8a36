/**
 * How text wraps on the screens: no continuation row starts with the space that ended the row
 * above (Ink's word wrap keeps it when a row is exactly full), paths and hashes are elided in the
 * middle rather than broken mid-word, and the header table's values are never cut and glued to
 * their notes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import type { Phase } from '../../src/flash/events.js';
import { emit, recordingActions, snapshot, storeAt } from './fixtures.js';
import { frameRows, renderInk, unmountAll } from './render.js';

afterEach(unmountAll);

async function frameAt(phase: Phase, columns: number, rows = 60): Promise<string[]> {
  const store = storeAt(phase, { simulated: true, imageCandidates: ['/var/tmp/images/a.bin'] });
  if (phase === 'download') emit(store, { event: 'progress', ...snapshot({ phase }) });
  const { actions } = recordingActions();
  const r = await renderInk(<App store={store} actions={actions} />, { columns, rows });
  return frameRows(r.lastFrame());
}

describe('continuation rows', () => {
  // Every width from 40 to 100 makes some sentence fill a row exactly.
  it('never start with a stray space (frame padding is one column; fields start at 15)', async () => {
    const stray: string[] = [];
    for (let columns = 40; columns <= 100; columns += 3)
      for (const phase of ['review', 'download'] as const)
        for (const row of await frameAt(phase, columns))
          if (/^ {2}[^ ]/.test(row) || /^ {16}[^ ]/.test(row))
            stray.push(`${phase}@${columns}: ${JSON.stringify(row)}`);
    expect(stray).toEqual([]);
  }, 60_000);
});
