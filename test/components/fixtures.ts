/** Realistic events and a recording WizardActions for the screen tests. */
import type { RecoveryChoice, WizardActions } from '../../src/flash/actions.js';
import { ctrlCPolicy } from '../../src/flash/ctrl-c.js';
import type {
  CardSummary,
  FlashEventInput,
  Phase,
  TransferSnapshot,
} from '../../src/flash/events.js';
import type { CardInfo, PreflightCheck } from '../../src/hardware/types.js';
import { analyseRecovery, type RecoveryVerdict } from '../../src/journal/recovery.js';
import type {
  Attempt,
  FlashPhase,
  StartRecord,
  TerminalOutcome,
} from '../../src/journal/records.js';

import { cardInfo as sharedCardInfo } from '../helpers/card-info.js';
import { createFlashStore, publish, type FlashState, type FlashStore } from '../../src/store.js';

export const T = '2026-11-25T07:00:00.000Z';

export function emit(store: FlashStore, event: FlashEventInput): void {
  publish(store, { ...event, time: T } as Parameters<typeof publish>[1]);
}

export function enter(store: FlashStore, phase: Phase): void {
  emit(store, { event: 'phase', phase, ctrlC: ctrlCPolicy(phase) });
}

export const FREE_CARD: CardSummary = {
  name: 'card0',
  locationCode: 'U78C9.001.WZS0ABC-P1-C5',
  vendorId: 0x1014,
  deviceId: 0x0477,
  subsystemVendorId: 0x1014,
  subsystemId: 0x04cf,
  pslRevision: 18,
  caiaVersion: '1.0',
  afus: [{ name: 'afu0.0', mode: 'dedicated', users: [] }],
  holders: [],
  lastFlash: { time: '2026-11-20T14:02:00.000Z', outcome: 'success', journalId: 'j-20261120-1' },
};

export const BUSY_CARD: CardSummary = {
  name: 'card1',
  locationCode: 'U78C9.001.WZS0ABC-P1-C6',
  vendorId: 0x1014,
  deviceId: 0x0477,
  subsystemVendorId: 0x1014,
  subsystemId: 0x04cf,
  pslRevision: 17,
  caiaVersion: '1.0',
  afus: [
    {
      name: 'afu1.0',
      mode: 'dedicated',
      users: [{ pid: 4242, command: 'hdl_app', user: 'alice' }],
    },
  ],
  holders: [],
  lastFlash: null,
};

export const AFTER_CARD: CardSummary = { ...FREE_CARD, pslRevision: 19 };

export const IMAGE_EVENT: FlashEventInput = {
  event: 'image',
  path: '/var/tmp/images/capi-new.bin',
  size: 268_435_456,
  sha256: '9f2b8c1d4e5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e',
  format: 'Xilinx bitstream',
  callsPerPass: 257,
  report: {
    compatibility: {
      verdict: 'not-compared',
      // as src/image/compatibility.ts words it, verdict first
      summary:
        "Not compared: the image carries no IDs (no header of its own); the kernel will write card0's IDs into the header it builds.",
      explanation: [],
      advice: null,
    },
    header: {
      kernel: {
        fields: [
          { field: 'version', offset: 0, size: 2, value: 1, hex: '0001', note: 'always 1' },
          {
            field: 'vendor',
            offset: 2,
            size: 2,
            value: '0x1014',
            hex: '1014',
            note: "the adapter's device-tree ID",
          },
        ],
      },
      embedded: null,
    },
    plan: { firstLenData: 1_048_448, lastLenData: 128, totalCalls: 514 },
  },
};

export const PREFLIGHT: PreflightCheck[] = [
  { id: 'driver-loaded', label: 'cxl driver', status: 'pass', message: 'loaded' },
  { id: 'guest-mode', label: 'PowerVM guest', status: 'pass', message: 'hcall-ca present' },
  {
    id: 'journal',
    label: 'Journal',
    status: 'warn',
    message: 'the last attempt on card0 (j-1) never finished',
    fix: 'Flashing a complete image again is the usual fix.',
  },
];

export function snapshot(over: Partial<TransferSnapshot> = {}): TransferSnapshot {
  const calls = over.calls ?? 256;
  const call = over.call ?? 95;
  return {
    phase: 'download',
    call,
    calls,
    bytes: call * 1_048_576,
    totalBytes: calls * 1_048_576,
    rateBytesPerSec: 12_300_000,
    etaSec: 13,
    gapSinceReturnMs: null,
    inFlightMs: 400,
    largestGapMs: 12,
    elapsedMs: 8000,
    chunks:
      'd'.repeat(call) + (call < calls ? 'f' : '') + 'p'.repeat(Math.max(0, calls - call - 1)),
    ...over,
  };
}

/** A store walked through start, adapters, card, image and preflight, then put in `phase`. */
export function storeAt(phase: Phase, initial: Partial<FlashState> = {}): FlashStore {
  const store = createFlashStore(initial);
  emit(store, {
    event: 'start',
    schema: 1,
    tool: { name: 'cxl-flasher', version: '0.1.0' },
    command: 'wizard',
    simulated: initial.simulated ?? false,
    pid: 4711,
  });
  emit(store, { event: 'adapters', cards: [FREE_CARD, BUSY_CARD] });
  if (phase !== 'selectAdapter' && phase !== 'starting' && phase !== 'recovery') {
    emit(store, { event: 'adapter', card: FREE_CARD });
    if (phase !== 'selectImage' && phase !== 'loadingImage') {
      emit(store, IMAGE_EVENT);
      emit(store, { event: 'preflight', checks: PREFLIGHT });
    }
  }
  enter(store, phase);
  return store;
}

export type Call = readonly [name: keyof WizardActions, ...args: unknown[]];

/** A WizardActions that records every call (and can be told to move the store). */
export function recordingActions(
  on: Partial<Record<keyof WizardActions, (...args: unknown[]) => void>> = {},
): { actions: WizardActions; calls: Call[] } {
  const calls: Call[] = [];
  const rec =
    (name: keyof WizardActions) =>
    (...args: unknown[]): void => {
      calls.push([name, ...args]);
      on[name]?.(...args);
    };
  const actions: WizardActions = {
    chooseRecovery: (choice: RecoveryChoice) => rec('chooseRecovery')(choice),
    selectAdapter: (name, options) =>
      options === undefined ? rec('selectAdapter')(name) : rec('selectAdapter')(name, options),
    chooseImage: (path) => rec('chooseImage')(path),
    confirmFlash: () => rec('confirmFlash')(),
    back: () => rec('back')(),
    interrupt: () => rec('interrupt')(),
    confirmInterrupt: () => rec('confirmInterrupt')(),
    dismissInterrupt: () => rec('dismissInterrupt')(),
    suspend: () => rec('suspend')(),
    exit: () => rec('exit')(),
  };
  return { actions, calls };
}

// ---- journal attempts and recovery verdicts, through the real analysis ----

export const LOC = 'U78C9.001.WZS0ABC-P1-C5';
export const cardInfo = (name: string, psl: number, loc = LOC): CardInfo =>
  sharedCardInfo(name, psl, loc);

export function attemptOf(
  id: string,
  time: string,
  phase: FlashPhase | null,
  outcome: TerminalOutcome | null,
  over: {
    durationMs?: number;
    simulated?: boolean;
    path?: string;
    card?: { name: string; locationCode: string | null };
  } = {},
): Attempt {
  const start: StartRecord = {
    type: 'start',
    id,
    time,
    pid: 4242,
    user: 'root',
    host: 'lpar1',
    sshClient: '10.0.0.9 51234 22',
    tty: '/dev/pts/1',
    toolVersion: '0.1.0',
    simulated: over.simulated ?? false,
    card: {
      name: over.card?.name ?? 'card0',
      locationCode: over.card ? over.card.locationCode : LOC,
      vendorId: 0x1014,
      deviceId: 0x0477,
      subsystemVendorId: 0x1014,
      subsystemId: 0x04cf,
      pslRevision: 18,
    },
    image: {
      path: over.path ?? '/var/tmp/images/capi-new.bin',
      size: 268_435_456,
      sha256: 'ab'.repeat(32),
      payloadOffset: 0,
    },
    callsPerPass: 257,
  };
  const end = new Date(Date.parse(time) + (over.durationMs ?? 90_000)).toISOString();
  return {
    start,
    lastProgress: phase
      ? {
          type: 'progress',
          id,
          time,
          phase,
          call: 37,
          calls: 257,
          bytes: 37 * 1_048_576,
          largestGapMs: 21,
        }
      : null,
    terminal: outcome
      ? {
          type: outcome,
          id,
          time: end,
          phase: phase ?? 'preflight',
          call: outcome === 'success' ? 256 : 37,
          errno: outcome === 'failed' ? 5 : null,
          errnoName: outcome === 'failed' ? 'EIO' : null,
          hcall: outcome === 'failed' ? { rc: -2, name: 'H_HARDWARE' } : null,
          largestGapMs: 21,
          exitCode: outcome === 'success' ? 0 : outcome === 'aborted' ? 130 : 1,
          message: outcome === 'success' ? 'Flashed and verified.' : `Ended ${outcome}.`,
        }
      : null,
  };
}

/** The last attempt died mid-download; the card is present with its old PSL revision. */
export function noValidImageVerdict(): RecoveryVerdict {
  return analyseRecovery([attemptOf('j-7', '2026-11-25T06:00:00.000Z', 'download', null)], {
    driverLoaded: true,
    cards: [cardInfo('card0', 18)],
    lockHolder: null,
  });
}

export function flashInProgressVerdict(): RecoveryVerdict {
  return analyseRecovery([], {
    driverLoaded: true,
    cards: [cardInfo('card0', 18)],
    lockHolder: {
      pid: 999,
      user: 'bob',
      host: 'lpar1',
      tty: null,
      sshClient: null,
      card: 'card0',
      phase: 'download',
      startedAt: '2026-11-25T06:59:00.000Z',
      attemptId: 'j-9',
      updatedAt: '2026-11-25T07:00:00.000Z',
    },
  });
}

/** Location codes of the other slots (card0 is at LOC, -C5). */
export const LOC_C6 = 'U78C9.001.WZS0ABC-P1-C6';
export const LOC_C7 = 'U78C9.001.WZS0ABC-P1-C7';
const LOC_C8 = 'U78C9.001.WZS0ABC-P1-C8';
const LOC_C9 = 'U78C9.001.WZS0ABC-P1-C9';

/**
 * Every card's last attempt died, each judged on its own (journal/recovery.ts): card0's, the
 * latest, comes first; card1's (-C6, mid-download) rides along in otherCards, and with `more`
 * so do card2's (-C7, gone since) and card3's and card4's (re-probe not confirmed).
 */
export function severalCardsVerdict(more = false): RecoveryVerdict {
  const on = (name: string, locationCode: string) => ({ card: { name, locationCode } });
  const attempts = [
    attemptOf('j-3', '2026-11-25T03:00:00.000Z', 'reload', null, on('card3', LOC_C8)),
    attemptOf('j-4', '2026-11-25T04:00:00.000Z', 'reload', null, on('card4', LOC_C9)),
    attemptOf('j-5', '2026-11-25T05:00:00.000Z', 'validate', 'failed', on('card2', LOC_C7)),
    attemptOf('j-6', '2026-11-25T05:30:00.000Z', 'download', null, {
      ...on('card1', LOC_C6),
      path: '/var/tmp/images/other.bin',
    }),
    attemptOf('j-7', '2026-11-25T06:00:00.000Z', 'download', null),
  ];
  return analyseRecovery(more ? attempts : attempts.slice(3), {
    driverLoaded: true,
    cards: [
      cardInfo('card0', 18),
      cardInfo('card1', 18, LOC_C6),
      cardInfo('card3', 18, LOC_C8),
      cardInfo('card4', 18, LOC_C9),
    ],
    lockHolder: null,
  });
}
