import { describe, expect, it } from 'vitest';
import type { CardInfo } from '../../src/hardware/types.js';
import { analyseRecovery } from '../../src/journal/recovery.js';
import { cardInfo } from '../helpers/card-info.js';
import type {
  Attempt,
  FlashPhase,
  StartRecord,
  TerminalOutcome,
} from '../../src/journal/records.js';

const LOC = 'U78CB.001.WZS0001-P1-C7';
const card = (name: string, psl: number, loc = LOC): CardInfo => cardInfo(name, psl, loc);

function attempt(phase: FlashPhase | null, outcome: TerminalOutcome | null, id = 'a1'): Attempt {
  const start: StartRecord = {
    type: 'start',
    id,
    time: '2026-11-25T07:00:00.000Z',
    pid: 4242,
    user: 'root',
    host: 'lpar1',
    sshClient: null,
    tty: null,
    toolVersion: '0.1.0',
    simulated: false,
    card: {
      name: 'card0',
      locationCode: LOC,
      vendorId: 0x1014,
      deviceId: 0x0477,
      subsystemVendorId: 0x1014,
      subsystemId: 1,
      pslRevision: 1,
    },
    image: { path: '/images/new.bin', size: 5_000_000, sha256: 'cd'.repeat(32), payloadOffset: 0 },
    callsPerPass: 5,
  };
  return {
    start,
    lastProgress: phase
      ? {
          type: 'progress',
          id,
          time: start.time,
          phase,
          call: 2,
          calls: 5,
          bytes: 2_000_000,
          largestGapMs: 2,
        }
      : null,
    terminal: outcome
      ? {
          type: outcome,
          id,
          time: start.time,
          phase: phase ?? 'preflight',
          call: 2,
          errno: null,
          errnoName: null,
          hcall: null,
          largestGapMs: 2,
          exitCode: 1,
          message: 'x',
        }
      : null,
  };
}

const live = (cards: CardInfo[], extra: Partial<Parameters<typeof analyseRecovery>[1]> = {}) => ({
  driverLoaded: true,
  cards,
  lockHolder: null,
  ...extra,
});

describe('recovery analysis (docs/architecture.md §7)', () => {
  it('has nothing to recover after a success or with an empty journal', () => {
    expect(analyseRecovery([], live([card('card0', 1)])).kind).toBe('nothing-to-recover');
    const v = analyseRecovery([attempt('reload', 'success')], live([card('card0', 2)]));
    expect(v.kind).toBe('nothing-to-recover');
    expect(v.needsAttention).toBe(false);
  });

  it('explains a process killed mid-download: erased image, re-flash with the checksum', () => {
    const v = analyseRecovery([attempt('download', null)], live([card('card0', 1)]));
    expect(v.kind).toBe('no-valid-image');
    expect(v.happened).toMatch(/never finished/);
    expect(v.happened).toMatch(/download call 2 of 5/);
    expect(v.adapterNow).toMatch(/no valid image/);
    expect(v.next.command).toBe(
      `cxl-flasher flash /images/new.bin --card ${LOC} --sha256 ${'cd'.repeat(32)}`,
    );
    expect(v.needsAttention).toBe(true);
  });

  it('treats an aborted or failed validate as no valid image too', () => {
    expect(analyseRecovery([attempt('validate', 'aborted')], live([card('card0', 1)])).kind).toBe(
      'no-valid-image',
    );
    expect(analyseRecovery([attempt('validate', 'rejected')], live([card('card0', 1)])).kind).toBe(
      'no-valid-image',
    );
  });

  it('knows an attempt that ended before any download left the image alone', () => {
    const v = analyseRecovery([attempt('open', null)], live([card('card0', 1)]));
    expect(v.kind).toBe('untouched');
    expect(v.needsAttention).toBe(false);
  });

  it('verifies an interrupted reload by the PSL revision, matching the card by location code', () => {
    // the card came back renumbered with a new PSL revision
    const verified = analyseRecovery([attempt('reload', null)], live([card('card1', 2)]));
    expect(verified.kind).toBe('reload-verified');
    expect(verified.adapterNow).toMatch(/card1 is back with PSL revision 2 \(was 1\)/);
    const same = analyseRecovery([attempt('reload', null)], live([card('card0', 1)]));
    expect(same.kind).toBe('reload-unconfirmed');
    expect(same.next.action).toBe('verify');
  });

  it('says to wait when the card has not come back', () => {
    const v = analyseRecovery([attempt('reload', 'lost')], live([card('card3', 1, 'OTHER-LOC')]));
    expect(v.kind).toBe('card-missing');
    expect(v.next.command).toBe('cxl-flasher status --watch');
  });

  it('points at the running flash when another process holds the lock', () => {
    const holder = {
      pid: 99,
      user: 'ops',
      host: 'lpar1',
      tty: null,
      sshClient: '10.1.2.3 5000 22',
      card: 'card0',
      phase: 'download',
      startedAt: 't',
      attemptId: 'x',
      updatedAt: 't',
    };
    const v = analyseRecovery(
      [attempt('download', null)],
      live([card('card0', 1)], { lockHolder: holder }),
    );
    expect(v.kind).toBe('flash-in-progress');
    expect(v.happened).toMatch(/pid 99 \(ops@lpar1 from 10\.1\.2\.3\)/);
    expect(v.next.command).toBe('cxl-flasher attach --card card0');
  });

  it('asks for the driver first when it is not loaded', () => {
    const v = analyseRecovery([attempt('download', null)], live([], { driverLoaded: false }));
    expect(v.kind).toBe('driver-missing');
    expect(v.next.command).toBe('modprobe cxl');
  });

  it('looks at the last attempt on the requested card only', () => {
    const other = { ...attempt('download', null, 'b2') };
    const onCard1 = {
      ...other,
      start: { ...other.start, card: { ...other.start.card, name: 'card1', locationCode: 'L2' } },
    };
    const v = analyseRecovery(
      [attempt('reload', 'success'), onCard1],
      live([card('card0', 2)]),
      'card0',
    );
    expect(v.kind).toBe('nothing-to-recover');
  });
});
