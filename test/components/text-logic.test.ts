import { describe, expect, it } from 'vitest';
import {
  afuText,
  cardOptionLabel,
  isBusy,
  lastFlashText,
  usersOf,
} from '../../src/components/card-text.js';
import {
  durationMs,
  historyLabel,
  largestGapMs,
  sortAttempts,
} from '../../src/components/history-text.js';
import { readImageReport } from '../../src/components/image-report.js';
import { recoveryChoices } from '../../src/components/recovery-choices.js';
import { otherCardLine } from '../../src/components/recovery-others.js';
import {
  attemptOf,
  BUSY_CARD,
  flashInProgressVerdict,
  FREE_CARD,
  IMAGE_EVENT,
  noValidImageVerdict,
  severalCardsVerdict,
} from './fixtures.js';

describe('card words', () => {
  it('counts AFU users and device holders as users of a card', () => {
    expect(isBusy(FREE_CARD)).toBe(false);
    expect(isBusy(BUSY_CARD)).toBe(true);
    const held = { ...FREE_CARD, holders: [{ pid: 77, command: 'capi-reset', user: 'root' }] };
    expect(isBusy(held)).toBe(true);
    expect(usersOf(held)).toEqual([
      { what: '/dev/cxl/card0', person: { pid: 77, command: 'capi-reset', user: 'root' } },
    ]);
  });

  it('names who uses an AFU and marks a busy card in the picker label', () => {
    const [afu] = BUSY_CARD.afus;
    if (!afu) throw new Error('fixture has an AFU');
    expect(afuText(afu)).toBe('afu1.0 (dedicated): in use by pid 4242 hdl_app (alice)');
    expect(cardOptionLabel(BUSY_CARD)).toBe('card1  U78C9.001.WZS0ABC-P1-C6  [IN USE: 1 process]');
    expect(cardOptionLabel(FREE_CARD)).toBe('card0  U78C9.001.WZS0ABC-P1-C5');
    expect(lastFlashText(FREE_CARD)).toBe('2026-11-20 14:02 UTC, success (journal j-20261120-1)');
    expect(lastFlashText(BUSY_CARD)).toBe('none recorded');
  });
});

describe('image report, read defensively', () => {
  it('survives anything that is not the expected object', () => {
    for (const junk of [undefined, null, 42, 'text', [], { header: 7, plan: 'x' }]) {
      const view = readImageReport(junk);
      expect(view.compatibility).toBeNull();
      expect(view.headers).toEqual([]);
      expect(view.checksum).toBeNull();
    }
  });

  it("reads the image module's compatibility, header rows and plan", () => {
    const view = readImageReport((IMAGE_EVENT as { report: unknown }).report);
    expect(view.compatibility?.verdict).toBe('not-compared');
    expect(view.headers[0]?.rows).toEqual([
      { field: 'version', value: '1', hex: '0001', note: 'always 1' },
      { field: 'vendor', value: '0x1014', hex: '1014', note: "the adapter's device-tree ID" },
    ]);
    expect(view.plan).toEqual({ firstLenData: 1_048_448, lastLenData: 128, totalCalls: 514 });
  });

  it('skips malformed rows but keeps the good ones', () => {
    const view = readImageReport({
      header: { kernel: { fields: [null, { field: 'version', value: 1 }, { value: 2 }] } },
      checksum: { status: 'match', expected: 'ab', source: 'sidecar' },
    });
    expect(view.headers[0]?.rows).toEqual([
      { field: 'version', value: '1', hex: null, note: null },
    ]);
    expect(view.checksum).toEqual({ status: 'match', detail: 'expected ab, from the sidecar' });
  });
});

describe('recovery choices', () => {
  it('puts the re-flash first when it is the safe next step', () => {
    const options = recoveryChoices(noValidImageVerdict());
    expect(options.map((o) => o.value)).toEqual(['reflash', 'continue', 'quit']);
    expect(options[0]?.label).toContain('/var/tmp/images/capi-new.bin');
    expect(options[0]?.label).toContain('U78C9.001.WZS0ABC-P1-C5');
  });

  it('never offers a re-flash while another flash runs', () => {
    expect(recoveryChoices(flashInProgressVerdict()).map((o) => o.value)).toEqual(['quit']);
  });

  it('offers the picker and quit without a verdict', () => {
    expect(recoveryChoices(null).map((o) => o.value)).toEqual(['continue', 'quit']);
  });
});

describe('other cards that need attention', () => {
  it('says the card, its location code, the verdict and what recover --card would do', () => {
    expect(severalCardsVerdict(true).otherCards.map(otherCardLine)).toEqual([
      'card1 U78C9.001.WZS0ABC-P1-C6: no valid image; cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C6 would offer to re-flash /var/tmp/images/other.bin',
      'card2 U78C9.001.WZS0ABC-P1-C7: not visible; cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C7 would say to wait for the card to come back',
      'card4 U78C9.001.WZS0ABC-P1-C9: new image not confirmed; cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C9 would say to check that the new image is active',
      'card3 U78C9.001.WZS0ABC-P1-C8: new image not confirmed; cxl-flasher recover --card U78C9.001.WZS0ABC-P1-C8 would say to check that the new image is active',
    ]);
  });

  it('names a card without a location code by the name recover --card matches', () => {
    const [other] = severalCardsVerdict().otherCards;
    if (!other?.attempt) throw new Error('fixture has another card');
    const start = other.attempt.start;
    const nameOnly = {
      ...other,
      attempt: {
        ...other.attempt,
        start: { ...start, card: { ...start.card, locationCode: null } },
      },
    };
    expect(otherCardLine(nameOnly)).toBe(
      'card1 (no location code): no valid image; cxl-flasher recover --card card1 would offer to re-flash /var/tmp/images/other.bin',
    );
  });
});

describe('history rows', () => {
  const older = attemptOf('j-1', '2026-11-20T10:00:00.000Z', 'reload', 'success');
  const newer = attemptOf('j-2', '2026-11-25T06:00:00.000Z', 'download', 'failed', {
    durationMs: 65_000,
    simulated: true,
  });
  const open = attemptOf('j-3', '2026-11-24T06:00:00.000Z', 'validate', null);

  it('sorts the most recent first', () => {
    expect(sortAttempts([older, newer, open]).map((a) => a.start.id)).toEqual([
      'j-2',
      'j-3',
      'j-1',
    ]);
  });

  it('shows outcome, duration and largest gap, and marks simulated attempts', () => {
    expect(durationMs(newer)).toBe(65_000);
    expect(durationMs(open)).toBeNull();
    expect(largestGapMs(open)).toBe(21);
    const [first, second] = historyLabel(newer, 76).split('\n');
    expect(first).toMatch(/^2026-11-25 06:00 UTC {2}FAILED\* +took 1:05 +largest gap 21 ms$/);
    expect(second).toBe('  U78C9.001.WZS0ABC-P1-C5  capi-new.bin');
    expect(historyLabel(open, 76)).toContain('UNFINISHED   took -');
    expect(historyLabel(newer, 30).split('\n')[0]).toHaveLength(30);
  });
});
