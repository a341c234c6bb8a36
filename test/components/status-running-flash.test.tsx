/**
 * The status dashboard with a flash running: its phase, percentage and rate under "Flashing
 * now", and during the reload the card being re-probed instead of "No CAPI card is visible".
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Providers } from '../../src/components/Providers.js';
import { StatusScreen } from '../../src/components/StatusScreen.js';
import type { RunningFlash } from '../../src/report/running-flash.js';
import type { StatusSnapshot } from '../../src/report/status-snapshot.js';
import { renderInk, unmountAll, unwrapped } from './render.js';

afterEach(unmountAll);

const FLASH: RunningFlash = {
  attemptId: 'j-9',
  pid: 999,
  card: 'card0',
  locationCode: 'U78CB.001.WZS0001-P1-C7',
  imagePath: '/srv/psl.bin',
  phase: 'download',
  phaseSince: '2026-11-25T07:00:01.000Z',
  call: 3,
  calls: 17,
  bytes: 12 * 1024 * 1024,
  totalBytes: 64 * 1024 * 1024,
  percent: 18,
  rateBytesPerSec: 2_500_000,
  reprobing: false,
};

function snapshot(flash: RunningFlash, cards: StatusSnapshot['cards'] = []): StatusSnapshot {
  return {
    time: '2026-11-25T07:00:05.000Z',
    simulated: false,
    kernelRelease: '6.1.0',
    driver: { status: 'supported', note: 'This kernel has the cxl driver.' },
    cxlModuleLoaded: true,
    powervmGuest: true,
    cards,
    flashing: {
      pid: 999,
      user: 'root',
      host: 'lpar1',
      tty: null,
      sshClient: null,
      card: 'card0',
      phase: flash.phase,
      startedAt: '2026-11-25T07:00:00.000Z',
      attemptId: 'j-9',
      updatedAt: '2026-11-25T07:00:01.000Z',
    },
    flash,
    problems: [],
  };
}

async function frameOf(s: StatusSnapshot): Promise<string> {
  const r = await renderInk(
    <Providers>
      <StatusScreen snapshot={s} watch onQuit={() => {}} />
    </Providers>,
    { rows: 40, columns: 120 },
  );
  return unwrapped(r.lastFrame());
}

describe('status dashboard with a flash running', () => {
  it('shows the phase, the percentage and the rate', async () => {
    const frame = await frameOf(snapshot(FLASH));
    expect(frame).toMatch(/download 18% \(call 3\/17\) at 2\.5 MB\/s/);
  });

  it('during the reload says the card is being re-probed, not that none is visible', async () => {
    const reload = { ...FLASH, phase: 'reload', call: null, calls: null, percent: null };
    const frame = await frameOf(snapshot({ ...reload, reprobing: true }));
    expect(frame).toContain('Cards (0)');
    expect(frame).toMatch(/card0 at U78CB\.001\.WZS0001-P1-C7 is being re-probed by the kernel/);
    expect(frame).not.toContain('No CAPI card is visible');
  });
});
