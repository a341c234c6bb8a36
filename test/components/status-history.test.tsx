import { afterEach, describe, expect, it } from 'vitest';
import { HistoryScreen } from '../../src/components/HistoryScreen.js';
import { Providers } from '../../src/components/Providers.js';
import { renderStatus, showHistory } from '../../src/components/render-app.js';
import { StatusScreen } from '../../src/components/StatusScreen.js';
import { UNICODE_GLYPHS } from '../../src/components/glyphs.js';
import type { StatusSnapshot } from '../../src/report/status-snapshot.js';
import { attemptOf, BUSY_CARD, FREE_CARD } from './fixtures.js';
import {
  frameRows,
  KEY,
  renderInk,
  TestStdin,
  TestStdout,
  unmountAll,
  unwrapped,
} from './render.js';

afterEach(unmountAll);

const SNAPSHOT: StatusSnapshot = {
  time: '2026-11-25T07:00:05.000Z',
  simulated: true,
  kernelRelease: '5.14.0-362.el9.ppc64le',
  driver: { status: 'supported', note: 'This kernel has the cxl driver.' },
  cxlModuleLoaded: true,
  powervmGuest: true,
  cards: [FREE_CARD, BUSY_CARD],
  flashing: {
    pid: 999,
    user: 'bob',
    host: 'lpar1',
    tty: null,
    sshClient: '10.1.2.3 40000 22',
    card: 'card0',
    phase: 'download',
    startedAt: '2026-11-25T06:59:00.000Z',
    attemptId: 'j-9',
    updatedAt: '2026-11-25T07:00:00.000Z',
  },
  flash: null,
  problems: ['/sys/class/cxl/card1/psl_timebase_synced: unreadable (EACCES)'],
};

function realStreams(columns = 80, rows = 24) {
  const stdout = new TestStdout(columns, rows);
  const stdin = new TestStdin();
  return {
    stdout,
    stdin,
    options: {
      stdout: stdout as unknown as NodeJS.WriteStream,
      stdin: stdin as unknown as NodeJS.ReadStream,
      stderr: new TestStdout() as unknown as NodeJS.WriteStream,
      glyphs: UNICODE_GLYPHS,
    },
  };
}
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 150));

describe('status dashboard', () => {
  it('shows kernel, driver, guest mode, a flash in progress, cards, users and problems', async () => {
    const r = await renderInk(
      <Providers>
        <StatusScreen snapshot={SNAPSHOT} watch onQuit={() => {}} />
      </Providers>,
      { rows: 60 },
    );
    const frame = unwrapped(r.lastFrame());
    expect(frame).toContain('SIMULATED ADAPTER');
    expect(frame).toContain('Status (live)');
    expect(frame).toContain('Kernel 5.14.0-362.el9.ppc64le');
    expect(frame).toContain('supported · module loaded');
    expect(frame).toContain('PowerVM guest yes (hcall-ca)');
    expect(frame).toContain('pid 999 (bob@lpar1 from 10.1.2.3) on card0, phase download');
    expect(frame).toContain('cxl-flasher attach --card card0');
    expect(frame).toContain('Cards (2)');
    expect(frame).toContain('afu1.0 (dedicated): in use by pid 4242 hdl_app (alice)');
    expect(frame).toContain('psl_timebase_synced: unreadable (EACCES)');
  });

  it('refreshes in place: same height, new values', async () => {
    const r = await renderInk(
      <Providers>
        <StatusScreen snapshot={SNAPSHOT} watch onQuit={() => {}} />
      </Providers>,
    );
    const before = frameRows(r.lastFrame()).length;
    r.instance.rerender(
      <Providers>
        <StatusScreen
          snapshot={{ ...SNAPSHOT, time: '2026-11-25T07:01:05.000Z', flashing: null }}
          watch
          onQuit={() => {}}
        />
      </Providers>,
    );
    const frame = await r.waitFor('07:01:05 UTC');
    expect(frameRows(frame)).toHaveLength(before);
    expect(before).toBeLessThan(24);
  });

  it('renderStatus: update() shows a newer snapshot; q closes it', async () => {
    const { stdout, stdin, options } = realStreams();
    const view = renderStatus(SNAPSHOT, { ...options, watch: true });
    await settle();
    view.update({ ...SNAPSHOT, kernelRelease: '6.1.0-99-powerpc64le' });
    await settle();
    stdin.write('q');
    await view.closed;
    expect(stdout.text()).toContain('6.1.0-99-powerpc64le');
  });
});

describe('history', () => {
  const attempts = [
    attemptOf('j-1', '2026-11-20T10:00:00.000Z', 'reload', 'success'),
    attemptOf('j-3', '2026-11-25T06:00:00.000Z', 'validate', 'failed', { path: '/srv/b.bin' }),
    attemptOf('j-2', '2026-11-24T06:00:00.000Z', 'download', null, { path: '/srv/a.bin' }),
  ];

  it('lists attempts most recent first with outcome, card, image, duration and gap', async () => {
    const r = await renderInk(
      <Providers>
        <HistoryScreen attempts={attempts} onQuit={() => {}} />
      </Providers>,
    );
    const rows = frameRows(r.lastFrame());
    const order = ['FAILED', 'UNFINISHED', 'SUCCESS'].map((o) =>
      rows.findIndex((row) => row.includes(o)),
    );
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(r.lastFrame()).toContain('b.bin');
    expect(r.lastFrame()).toContain('1:30');
    expect(r.lastFrame()).toContain('21 ms');
  });

  it('shows one attempt in full with Enter, back to the list with Esc, quits with q', async () => {
    let quit = 0;
    const r = await renderInk(
      <Providers>
        <HistoryScreen attempts={attempts} onQuit={() => quit++} />
      </Providers>,
      { rows: 50 },
    );
    await r.press(KEY.enter);
    const frame = unwrapped(await r.waitFor('Attempt j-3'));
    expect(frame).toContain('FAILED: Ended failed.');
    expect(frame).toContain('root@lpar1 from 10.0.0.9');
    expect(frame).toContain('Where it stopped');
    expect(frame).toContain('EIO (5)');
    expect(frame).toContain('H_HARDWARE (-2)');
    await r.press(KEY.escape);
    await r.waitUntil((f) => !f.includes('Attempt j-3'));
    expect(quit).toBe(0);
    await r.press(KEY.down);
    await r.press(KEY.enter);
    await r.waitFor('Attempt j-2');
    await r.press('q');
    expect(quit).toBe(1);
  });

  it('shows an attempt its flasher still runs as in progress, with pid and phase, not unfinished', async () => {
    // j-2 has no terminal record; the lock says pid 999 runs it, now in validate
    const running = { attemptId: 'j-2', pid: 999, phase: 'validate' };
    const r = await renderInk(
      <Providers>
        <HistoryScreen attempts={attempts} running={running} onQuit={() => {}} />
      </Providers>,
      { rows: 50 },
    );
    const rows = frameRows(r.lastFrame());
    expect(rows.some((row) => row.includes('IN PROGRESS (pid 999, phase validate)'))).toBe(true);
    expect(r.lastFrame()).not.toContain('UNFINISHED');
    expect(rows.every((row) => row.length <= 80)).toBe(true);
    await r.press(KEY.down);
    await r.press(KEY.enter);
    const frame = unwrapped(await r.waitFor('Attempt j-2'));
    expect(frame).toContain('IN PROGRESS (pid 999, phase validate): no terminal record yet');
    expect(frame).toContain('cxl-flasher attach');
    expect(frame).not.toContain('the process ended without one');
  });

  it('still calls an attempt unfinished when the running flasher is on another attempt', async () => {
    const r = await renderInk(
      <Providers>
        <HistoryScreen
          attempts={attempts}
          running={{ attemptId: 'j-9', pid: 999, phase: 'download' }}
          onQuit={() => {}}
        />
      </Providers>,
    );
    expect(r.lastFrame()).toContain('UNFINISHED');
    expect(r.lastFrame()).not.toContain('IN PROGRESS');
  });

  it('showHistory passes the running attempt to the screen', async () => {
    const { stdout, stdin, options } = realStreams();
    const done = showHistory(attempts, {
      ...options,
      running: { attemptId: 'j-2', pid: 999, phase: 'download' },
    });
    await settle();
    stdin.write('q');
    await done;
    expect(stdout.text()).toContain('IN PROGRESS (pid 999, phase download)');
  });

  it('showHistory resolves when the user quits', async () => {
    const { stdout, stdin, options } = realStreams();
    const done = showHistory(attempts, options);
    await settle();
    stdin.write('q');
    await expect(done).resolves.toBeUndefined();
    expect(stdout.text()).toContain('History');
  });
});
