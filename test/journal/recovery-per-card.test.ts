/**
 * docs/architecture.md §3.1: the recovery screen comes first if the last attempt on ANY card did not end or
 * ended aborted. Cards are told apart by location code (their numbers change across reloads,
 * docs/kernel-contract.md §4.6), so a later attempt on another card must not hide one that needs help.
 */
import { describe, expect, it } from 'vitest';
import type { CardInfo } from '../../src/hardware/types.js';
import { analyseRecovery, lastAttemptPerCard } from '../../src/journal/recovery.js';
import { cardInfo } from '../helpers/card-info.js';
import type { Attempt, FlashPhase, TerminalOutcome } from '../../src/journal/records.js';

const LOC_A = 'U78CB.001.WZS0001-P1-C7';
const LOC_B = 'U78CB.001.WZS0001-P1-C9';
const card = (name: string, loc: string, psl = 1): CardInfo => cardInfo(name, psl, loc);

/** One attempt as the journal reassembles it: on a card (name at the time, location code). */
function attempt(
  id: string,
  minute: number,
  on: { name: string; loc: string | null },
  phase: FlashPhase,
  outcome: TerminalOutcome | null,
): Attempt {
  const time = `2026-11-25T07:${String(minute).padStart(2, '0')}:00.000Z`;
  return {
    start: {
      type: 'start',
      id,
      time,
      pid: 4242,
      user: 'root',
      host: 'lpar1',
      sshClient: null,
      tty: null,
      toolVersion: '0.1.0',
      simulated: false,
      card: {
        name: on.name,
        locationCode: on.loc,
        vendorId: 0x1014,
        deviceId: 0x0477,
        subsystemVendorId: 0x1014,
        subsystemId: 1,
        pslRevision: 1,
      },
      image: {
        path: `/images/${id}.bin`,
        size: 5_000_000,
        sha256: 'cd'.repeat(32),
        payloadOffset: 0,
      },
      callsPerPass: 5,
    },
    lastProgress: {
      type: 'progress',
      id,
      time,
      phase,
      call: 2,
      calls: 5,
      bytes: 2_000_000,
      largestGapMs: 2,
    },
    terminal: outcome
      ? {
          type: outcome,
          id,
          time,
          phase,
          call: 2,
          errno: null,
          errnoName: null,
          hcall: null,
          largestGapMs: 2,
          exitCode: outcome === 'success' ? 0 : 130,
          message: outcome,
        }
      : null,
  };
}

const live = (cards: CardInfo[]) => ({ driverLoaded: true, cards, lockHolder: null });

describe('recovery looks at the last attempt of each card', () => {
  it('an abort on card0 is not hidden by a later success on card1', () => {
    const attempts = [
      attempt('a-abort', 1, { name: 'card0', loc: LOC_A }, 'download', 'aborted'),
      attempt('b-ok', 2, { name: 'card1', loc: LOC_B }, 'reload', 'success'),
    ];
    const v = analyseRecovery(attempts, live([card('card0', LOC_A), card('card1', LOC_B)]));
    expect(v.kind).toBe('no-valid-image');
    expect(v.needsAttention).toBe(true);
    expect(v.attempt?.start.id).toBe('a-abort');
    expect(v.next.command).toContain(`--card ${LOC_A}`);
    expect(v.otherCards).toEqual([]);
  });

  it('a process killed mid-download on one card is not hidden either', () => {
    const attempts = [
      attempt('a-dead', 1, { name: 'card0', loc: LOC_A }, 'validate', null),
      attempt('b-ok', 2, { name: 'card1', loc: LOC_B }, 'reload', 'success'),
    ];
    const v = analyseRecovery(attempts, live([card('card0', LOC_A), card('card1', LOC_B)]));
    expect(v.kind).toBe('no-valid-image');
    expect(v.attempt?.start.id).toBe('a-dead');
  });

  it('tells cards apart by location code, not by their number at the time', () => {
    // card0 then was the card at LOC_A; after a reload the card at LOC_B became card0
    const attempts = [
      attempt('a-abort', 1, { name: 'card0', loc: LOC_A }, 'download', 'aborted'),
      attempt('b-ok', 2, { name: 'card0', loc: LOC_B }, 'reload', 'success'),
    ];
    const v = analyseRecovery(attempts, live([card('card1', LOC_A), card('card0', LOC_B)]));
    expect(v.kind).toBe('no-valid-image');
    expect(v.attempt?.start.id).toBe('a-abort');
    expect(v.adapterNow).toMatch(/^card1 is present/); // the card's name now
  });

  it('a later success on the same card settles it', () => {
    const attempts = [
      attempt('a-abort', 1, { name: 'card0', loc: LOC_A }, 'download', 'aborted'),
      attempt('a-ok', 2, { name: 'card1', loc: LOC_A }, 'reload', 'success'),
      attempt('b-ok', 3, { name: 'card0', loc: LOC_B }, 'reload', 'success'),
    ];
    const v = analyseRecovery(attempts, live([card('card1', LOC_A, 2), card('card0', LOC_B)]));
    expect(v.kind).toBe('nothing-to-recover');
    expect(v.needsAttention).toBe(false);
  });

  it('when two cards need help: the latest first, the other one listed with it', () => {
    const attempts = [
      attempt('a-abort', 1, { name: 'card0', loc: LOC_A }, 'download', 'aborted'),
      attempt('b-dead', 2, { name: 'card1', loc: LOC_B }, 'validate', null),
    ];
    const v = analyseRecovery(attempts, live([card('card0', LOC_A), card('card1', LOC_B)]));
    expect(v.attempt?.start.id).toBe('b-dead');
    expect(v.otherCards.map((o) => [o.kind, o.attempt?.start.id])).toEqual([
      ['no-valid-image', 'a-abort'],
    ]);
    expect(v.otherCards[0]?.otherCards).toEqual([]);
  });

  it('--card by the name a card has now finds its attempts under their location code', () => {
    const attempts = [
      attempt('a-abort', 1, { name: 'card1', loc: LOC_A }, 'download', 'aborted'),
      attempt('b-ok', 2, { name: 'card0', loc: LOC_B }, 'reload', 'success'),
    ];
    const cards = [card('card0', LOC_A), card('card1', LOC_B)];
    expect(analyseRecovery(attempts, live(cards), 'card0').attempt?.start.id).toBe('a-abort');
    expect(analyseRecovery(attempts, live(cards), 'card1').kind).toBe('nothing-to-recover');
    expect(analyseRecovery(attempts, live(cards), LOC_A).kind).toBe('no-valid-image');
  });

  it('groups attempts without a location code by card name', () => {
    const attempts = [
      attempt('x', 1, { name: 'card0', loc: null }, 'download', null),
      attempt('y', 2, { name: 'card1', loc: null }, 'reload', 'success'),
      attempt('z', 3, { name: 'card1', loc: LOC_B }, 'download', 'aborted'),
    ];
    expect([...lastAttemptPerCard(attempts).values()].map((a) => a.start.id)).toEqual([
      'x',
      'y',
      'z',
    ]);
  });
});
