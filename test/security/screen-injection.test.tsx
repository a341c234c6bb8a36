/**
 * Terminal injection through the screens: every Ink screen rendered with the corpus in each
 * outside string it shows (card names, location codes, AFU users, the image path and its .bit
 * fields, the wizard's list of image files, journal fields, lock holder details, a result and
 * an error from another process). The renders are in Ink's debug mode, which writes each frame
 * as text with no escape sequence of its own (FORCE_COLOR=0): any control character but a
 * newline in a frame came from the data.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app.js';
import { HistoryScreen } from '../../src/components/HistoryScreen.js';
import { StatusScreen } from '../../src/components/StatusScreen.js';
import type { CardSummary, FlashEventInput, Phase } from '../../src/flash/events.js';
import { analyseRecovery } from '../../src/journal/recovery.js';
import type { Attempt } from '../../src/journal/records.js';
import type { StatusSnapshot } from '../../src/report/status-snapshot.js';
import { UNSAFE_FOR_TERMINAL } from '../../src/terminal-text.js';
import { cardInfo } from '../helpers/card-info.js';
import {
  attemptOf,
  emit,
  enter,
  IMAGE_EVENT,
  PREFLIGHT,
  recordingActions,
  snapshot,
  storeAt,
} from '../components/fixtures.js';
import { KEY, renderInk, unmountAll, type Rendered } from '../components/render.js';

afterEach(unmountAll);

const N =
  'n\x1b]2;PWNED\x07\x1b[31m\r\nsuccess (exit 0): forged\x9b2J\u202egnp.exe\u2066\u2028\x7f\t';

function expectCleanFrames(r: Rendered, what: string): void {
  expect(r.stdout.frames.length, what).toBeGreaterThan(0);
  r.stdout.frames.forEach((frame, f) =>
    frame.split('\n').forEach((line, i) => {
      const bad = UNSAFE_FOR_TERMINAL.exec(line);
      expect(
        bad,
        `${what}: frame ${f} line ${i + 1} holds U+${bad?.[0].codePointAt(0)?.toString(16)}: ${JSON.stringify(line)}`,
      ).toBeNull();
    }),
  );
}

const person = { pid: 7, command: N, user: N };
const NASTY_CARD: CardSummary = {
  name: N,
  locationCode: N,
  vendorId: 0x1014,
  deviceId: 0x0477,
  subsystemVendorId: 0x1014,
  subsystemId: 0x04cf,
  pslRevision: 18,
  caiaVersion: N,
  afus: [{ name: N, mode: N, users: [person] }],
  holders: [person],
  lastFlash: { time: N, outcome: N, journalId: N },
};
const NASTY_IMAGE: FlashEventInput = {
  ...(IMAGE_EVENT as Extract<FlashEventInput, { event: 'image' }>),
  path: `/img/${N}.bit`,
  format: N,
  report: {
    format: { label: N, evidence: N, details: { design: N, part: N } },
    compatibility: { verdict: 'not-compared', summary: N, explanation: [N], advice: N },
    header: {
      kernel: { fields: [{ field: N, offset: 0, size: 2, value: N, hex: N, note: N }] },
      embedded: null,
    },
    warnings: [N],
    plan: { firstLenData: 1, lastLenData: 1, totalCalls: 2 },
  },
};
const NASTY_PREFLIGHT = [
  ...PREFLIGHT,
  { id: N, label: N, status: 'warn' as const, message: N, fix: N },
];

function nastyStore(phase: Phase) {
  const store = storeAt('selectAdapter');
  emit(store, { event: 'adapters', cards: [NASTY_CARD] });
  emit(store, { event: 'adapter', card: NASTY_CARD });
  emit(store, NASTY_IMAGE);
  emit(store, { event: 'preflight', checks: NASTY_PREFLIGHT });
  emit(store, { event: 'warning', code: N, message: N });
  enter(store, phase);
  return store;
}

describe('wizard screens with the corpus in every outside string', () => {
  for (const phase of ['selectAdapter', 'review', 'opening'] as const) {
    it(phase, async () => {
      const r = await renderInk(
        <App store={nastyStore(phase)} actions={recordingActions().actions} />,
        {
          rows: 60,
          columns: 100,
        },
      );
      await r.press(KEY.down);
      expectCleanFrames(r, phase);
    });
  }

  it('the image list: file names found in a folder', async () => {
    const store = nastyStore('selectImage');
    store.setState({ imageCandidates: [`/img/${N}.bin`, `/img/${N}2.bin`] });
    const r = await renderInk(<App store={store} actions={recordingActions().actions} />, {
      rows: 40,
    });
    await r.press('/');
    expectCleanFrames(r, 'selectImage');
  });

  it('transfer, reload, error and summary', async () => {
    const store = nastyStore('download');
    const r = await renderInk(<App store={store} actions={recordingActions().actions} />, {
      rows: 60,
      columns: 100,
    });
    emit(store, { event: 'progress', ...snapshot() });
    enter(store, 'reload');
    emit(store, {
      event: 'reload',
      state: 'waiting-for-return',
      elapsedMs: 1,
      deadlineMs: 2,
      message: N,
    });
    emit(store, {
      event: 'error',
      phase: 'download',
      call: 3,
      errno: 5,
      errnoName: N,
      meaning: N,
      action: N,
      hcall: { rc: -2, name: N, meaning: N },
      adapterState: N,
    });
    enter(store, 'summary');
    emit(store, {
      event: 'result',
      outcome: 'failed',
      exitCode: 1,
      journalId: N,
      message: N,
      nextStep: N,
      durationsMs: { total: 5 },
      largestGapMs: 1,
      gapP99Ms: 1,
      before: NASTY_CARD,
      after: NASTY_CARD,
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expectCleanFrames(r, 'transfer to summary');
  });
});

function nastyAttempt(id: string, outcome: 'failed' | null): Attempt {
  const a = attemptOf(id, '2026-11-25T06:00:00.000Z', 'download', outcome, {
    path: `/img/${N}.bin`,
    card: { name: N, locationCode: N },
  });
  return {
    ...a,
    start: { ...a.start, user: N, host: N, sshClient: `${N} 1 2`, tty: N, toolVersion: N },
    terminal: a.terminal
      ? { ...a.terminal, message: N, errnoName: N, hcall: { rc: -2, name: N } }
      : null,
  };
}

describe('history, status and recovery screens', () => {
  it('history, the list and the details', async () => {
    const attempts = [nastyAttempt(`a${N}`, 'failed'), nastyAttempt(`b${N}`, null)];
    const r = await renderInk(<HistoryScreen attempts={attempts} onQuit={() => {}} />, {
      rows: 50,
    });
    await r.press(KEY.enter);
    await r.press(KEY.down);
    await r.press(KEY.enter);
    expectCleanFrames(r, 'history');
  });

  it('status', async () => {
    const holder = {
      pid: 999,
      user: N,
      host: N,
      tty: N,
      sshClient: `${N} 1 2`,
      card: N,
      phase: N,
      startedAt: N,
      attemptId: N,
      updatedAt: N,
    };
    const s: StatusSnapshot = {
      time: N,
      simulated: true,
      kernelRelease: N,
      driver: { status: 'supported', note: N },
      cxlModuleLoaded: true,
      powervmGuest: true,
      cards: [NASTY_CARD],
      flashing: holder,
      flash: null,
      problems: [N],
    };
    const r = await renderInk(<StatusScreen snapshot={s} watch={false} onQuit={() => {}} />, {
      rows: 50,
    });
    expectCleanFrames(r, 'status');
  });

  it('recovery', async () => {
    const store = storeAt('recovery');
    const verdict = analyseRecovery([nastyAttempt(`c${N}`, null)], {
      driverLoaded: true,
      cards: [cardInfo(N, 18, N)],
      lockHolder: null,
    });
    store.setState({ recovery: verdict });
    const r = await renderInk(<App store={store} actions={recordingActions().actions} />, {
      rows: 50,
    });
    await r.press(KEY.down);
    expectCleanFrames(r, 'recovery');
  });
});
