/**
 * How text wraps on the screens: no continuation row starts with the space that ended the row
 * above (Ink's word wrap keeps it when a row is exactly full), paths and hashes are elided in the
 * middle rather than broken mid-word, and the header table's values are never cut and glued to
 * their notes.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import type { Phase } from '../../src/flash/events.js';
import { ASCII_GLYPHS } from '../../src/components/glyphs.js';
import { emit, IMAGE_EVENT, recordingActions, snapshot, storeAt } from './fixtures.js';
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

const { event: _e, ...IMAGE_FIELDS } = IMAGE_EVENT as Extract<
  typeof IMAGE_EVENT,
  { event: 'image' }
>;

describe('paths and hashes', () => {
  const HASH = '9f2b8c1d4e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e';
  const LONG_PATH = '/srv/firmware/capi/releases/2026-11/adapter-bundles/capi-new-build-4711.bin';

  async function review(columns: number, ascii = false) {
    const store = storeAt('review');
    emit(store, { event: 'image', ...IMAGE_FIELDS, path: LONG_PATH });
    const { actions } = recordingActions();
    const r = await renderInk(
      <App store={store} actions={actions} glyphs={ascii ? ASCII_GLYPHS : undefined} />,
      { columns, rows: 80 },
    );
    return frameRows(r.lastFrame());
  }

  it('at 80 columns and wider: whole, on one row', async () => {
    for (const columns of [80, 200]) {
      const rows = await review(columns);
      expect(rows.some((row) => row.includes(HASH))).toBe(columns >= 80);
      expect(rows.some((row) => row.includes(LONG_PATH))).toBe(columns >= 100);
    }
  });

  for (const columns of [40, 60]) {
    it(`at ${columns} columns: elided in the middle on one row, never broken mid-word`, async () => {
      const rows = await review(columns);
      const sha = rows.find((row) => row.includes('SHA-256')) ?? '';
      expect(sha).toMatch(/SHA-256 +9f2b8c1d[0-9a-f]*…[0-9a-f]*c4d5e$/);
      expect(sha.length).toBeLessThanOrEqual(columns);
      const file = rows.find((row) => row.includes('File')) ?? '';
      expect(file).toMatch(/File +\/srv\/[^ ]*…[^ ]*4711\.bin$/);
      // no row holds a piece of either without the ellipsis
      const pieces = rows.filter((row) => /^ +[0-9a-f]{8,}$|^ +[\w/.-]*4711\.bin$/.test(row));
      expect(pieces).toEqual([]);
    });
  }

  it('ASCII: the ellipsis is three dots', async () => {
    const rows = await review(60, true);
    expect(rows.find((row) => row.includes('SHA-256'))).toMatch(
      /9f2b8c1d[0-9a-f]*\.\.\.[0-9a-f]*c4d5e$/,
    );
  });
});

const WITH_OFFSETS = {
  header: {
    kernel: {
      fields: [
        { field: 'vendor', value: '0x1014', hex: '1014', note: "the adapter's device-tree ID" },
        {
          field: 'image_offset',
          value: 128,
          hex: '0000000000000080',
          note: 'the image follows the header directly',
        },
        {
          field: 'image_length',
          value: 268435456,
          hex: '0000000010000000',
          note: '= len_image, the payload size',
        },
        { field: 'reserved1', value: 0, hex: '0'.repeat(144), note: 'reserved' },
      ],
    },
  },
};

describe('the header table', () => {
  for (const columns of [80, 200]) {
    it(`at ${columns} columns: every value whole, apart from its note`, async () => {
      const store = storeAt('review');
      emit(store, { event: 'image', ...IMAGE_FIELDS, report: WITH_OFFSETS });
      const { actions } = recordingActions();
      const r = await renderInk(<App store={store} actions={actions} />, { columns, rows: 90 });
      const rows = frameRows(r.lastFrame());
      const offset = rows.find((row) => /^ image_offset/.test(row)) ?? '';
      expect(offset).not.toContain('…');
      expect(offset).toMatch(/128 \(0x0000000000000080\) +\S/);
      const length = rows.find((row) => /^ image_length/.test(row)) ?? '';
      expect(length).toMatch(/\(0x[0-9a-f]{16}\) +\S/i);
      // one long value does not push every note under its value
      expect(offset).toMatch(/\) +the image follows/);
    });
  }
});

describe('glyphs before text', () => {
  it('a spinner and a pointer are followed by a space, at 40 and 80 columns', async () => {
    for (const columns of [40, 80]) {
      const starting = await frameAt('starting', columns, 24);
      expect(starting.join('\n')).toMatch(/^ \S Reading the journal/m);
      const picker = await frameAt('selectAdapter', columns, 24);
      expect(picker.join('\n')).toMatch(/^ ❯ card0 /m);
      const image = await frameAt('selectImage', columns, 24);
      expect(image.join('\n')).toMatch(/^ ❯ path to the image file/m);
    }
  });
});
