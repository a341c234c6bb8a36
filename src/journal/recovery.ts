/**
 * Recovery analysis (docs/architecture.md §7): from the journal and the live state, what happened to the
 * last attempt on each card, what the adapter is doing now, and the one safe next step. Pure:
 * callers gather the live state; `recover` and the start screen show the verdict.
 */
import type { CardInfo } from '../hardware/types.js';
import { erasureOf, imageNowWords, intactBy, type ImageEvidence } from './adapter-claim.js';
import { describeLockHolder, type LockHolder } from './lock.js';
import { lastKnownPhase, type Attempt, type ProgressRecord } from './records.js';
import { shown } from '../terminal-text.js';

export interface LiveState {
  readonly driverLoaded: boolean;
  readonly cards: readonly CardInfo[];
  /** another flasher holds the lock right now */
  readonly lockHolder: LockHolder | null;
  /** what the adapter reports about its image (the simulator's model); unknown when absent */
  readonly imageEvidence?: (card: CardInfo) => ImageEvidence;
}

export type NextStepAction = 'none' | 'attach' | 'reflash' | 'wait' | 'verify' | 'load-driver';

export interface NextStep {
  readonly action: NextStepAction;
  /** the exact command to run, when there is one */
  readonly command: string | null;
  readonly explanation: string;
}

export type VerdictKind =
  | 'nothing-to-recover'
  | 'flash-in-progress'
  | 'untouched'
  | 'no-valid-image'
  | 'factory-image'
  | 'reload-unconfirmed'
  | 'reload-verified'
  | 'card-missing'
  | 'driver-missing';

export interface RecoveryVerdict {
  readonly kind: VerdictKind;
  readonly attempt: Attempt | null;
  /** what happened, in words */
  readonly happened: string;
  /** what the adapter is doing now, in words */
  readonly adapterNow: string;
  readonly next: NextStep;
  readonly doNot: readonly string[];
  /** whether the verdict should be shown before anything else at start (docs/architecture.md §3.1) */
  readonly needsAttention: boolean;
  /** other cards whose last attempt needs attention too, latest first (their own lists empty) */
  readonly otherCards: readonly RecoveryVerdict[];
}

const DO_NOT_DURING_RECOVERY = [
  'Do not reboot the partition or reload the cxl module while a flash may be running.',
  'Do not open /dev/cxl/cardN with other tools: open + close alone resets the adapter.',
];

function cardFor(attempt: Attempt, cards: readonly CardInfo[]): CardInfo | null {
  const code = attempt.start.card.locationCode;
  if (code) {
    const byCode = cards.find((c) => c.node.locationCode.ok && c.node.locationCode.value === code);
    if (byCode) return byCode;
    return null;
  }
  return cards.find((c) => c.name === attempt.start.card.name) ?? null;
}

function pslOf(card: CardInfo): number | null {
  return card.node.pslRevision.ok ? card.node.pslRevision.value : null;
}

/** Where the journal last saw an attempt; call numbers count from 1, as every human text does. */
export function lastSeen(progress: ProgressRecord | null): string {
  if (!progress) return 'in the preflight';
  const { phase, call, calls } = progress;
  if (phase === 'download' || phase === 'validate')
    return call > 0
      ? `after ${phase} call ${call} of ${calls} completed`
      : `at the start of the ${phase} (no call completed)`;
  if (phase === 'open') return 'opening the card device';
  return `in the ${phase}`;
}

function describeAttempt(attempt: Attempt): string {
  const s = attempt.start;
  return `attempt ${shown(s.id)} (${shown(s.time)}, ${shown(s.user)}@${shown(s.host)}) flashing ${shown(s.image.path)} onto ${shown(s.card.name)} (${s.card.locationCode === null ? 'no location code' : shown(s.card.locationCode)}), last seen ${lastSeen(attempt.lastProgress)}`;
}

function reflashCommand(attempt: Attempt): string {
  const s = attempt.start;
  const card = s.card.locationCode ?? s.card.name;
  return `cxl-flasher flash ${shown(s.image.path)} --card ${shown(card)} --sha256 ${shown(s.image.sha256)}`;
}

/**
 * Which card an attempt was on: its location code, which survives a reload, or else the name it
 * had then (docs/architecture.md §3.2: the number may change).
 */
export function cardKey(card: {
  readonly name: string;
  readonly locationCode: string | null;
}): string {
  return card.locationCode ?? `name:${card.name}`;
}

/** The last attempt of each card, ordered as those last attempts are in the journal. */
export function lastAttemptPerCard(attempts: readonly Attempt[]): Map<string, Attempt> {
  const last = new Map<string, Attempt>();
  for (const attempt of attempts) {
    const key = cardKey(attempt.start.card);
    last.delete(key); // re-insert: the map's order follows the latest attempts
    last.set(key, attempt);
  }
  return last;
}

/** `--card`: a location code, or a card's name now, which stands for its location code. */
function attemptsOnCard(
  attempts: readonly Attempt[],
  cards: readonly CardInfo[],
  spec: string,
): Attempt[] {
  const now = cards.find((c) => c.name === spec);
  const loc = now?.node.locationCode.ok ? now.node.locationCode.value : null;
  return attempts.filter((a) =>
    loc
      ? a.start.card.locationCode === loc
      : a.start.card.locationCode === spec ||
        (a.start.card.locationCode === null && a.start.card.name === spec),
  );
}

/**
 * The verdict for the journal (optionally for one card). Each card is judged by its own last
 * attempt (docs/architecture.md §3.1), so a later flash of another card hides nothing: the latest attempt
 * that needs attention comes first, other cards that need it are in `otherCards`.
 */
export function analyseRecovery(
  attempts: readonly Attempt[],
  live: LiveState,
  cardSpec?: string,
): RecoveryVerdict {
  if (live.lockHolder) {
    const h = live.lockHolder;
    return {
      kind: 'flash-in-progress',
      attempt: null,
      happened: `Another flash is running: ${describeLockHolder(h)}.`,
      adapterNow: 'Being flashed by that process.',
      next: {
        action: 'attach',
        command: `cxl-flasher attach${h.card ? ` --card ${shown(h.card)}` : ''}`,
        explanation: 'Watch it; do not start another flash.',
      },
      doNot: DO_NOT_DURING_RECOVERY,
      needsAttention: true,
      otherCards: [],
    };
  }
  const relevant = cardSpec ? attemptsOnCard(attempts, live.cards, cardSpec) : attempts;
  const verdicts = [...lastAttemptPerCard(relevant).values()]
    .reverse() // latest first
    .map((attempt) => judge(attempt, live));
  const [first, ...others] = verdicts.filter((v) => v.needsAttention);
  if (first) return { ...first, otherCards: others };
  return verdicts[0] ?? judge(null, live);
}

/** The verdict for one card's last attempt (or for none). */
function judge(attempt: Attempt | null, live: LiveState): RecoveryVerdict {
  if (!attempt || attempt.terminal?.type === 'success') {
    return {
      kind: 'nothing-to-recover',
      attempt,
      happened: attempt
        ? `The last attempt (${shown(attempt.start.id)}) succeeded.`
        : 'No flash attempt is recorded.',
      adapterNow: nothingRecordedNow(live),
      next: {
        action: 'none',
        command: null,
        explanation:
          live.driverLoaded && live.cards.length > 0
            ? 'Nothing to recover.'
            : 'Nothing to recover from the journal; run `cxl-flasher doctor` to see why no card is visible.',
      },
      doNot: [],
      needsAttention: false,
      otherCards: [],
    };
  }
  if (!live.driverLoaded) {
    return {
      kind: 'driver-missing',
      attempt,
      happened: `The ${describeAttempt(attempt)} did not complete.`,
      adapterNow: 'Unknown: the cxl driver is not loaded, so no card is visible.',
      next: {
        action: 'load-driver',
        command: 'modprobe cxl',
        explanation: 'Load the cxl driver (Linux 4.6 to 6.14), then run cxl-flasher recover again.',
      },
      doNot: DO_NOT_DURING_RECOVERY,
      needsAttention: true,
      otherCards: [],
    };
  }
  const phase = lastKnownPhase(attempt);
  const outcome = attempt.terminal?.type ?? 'unfinished';
  const card = cardFor(attempt, live.cards);
  const story =
    outcome === 'unfinished'
      ? `The ${describeAttempt(attempt)}, never finished: the process ended without a result (killed, crashed, or the machine went down).`
      : `The ${describeAttempt(attempt)}, ended ${outcome}: ${shown(attempt.terminal?.message ?? '')}`.trim();

  if (phase === 'reload' && outcome !== 'rejected' && outcome !== 'failed') {
    // Validate returned 0: the image was flashed and activated; the kernel was re-probing (§4.6).
    if (!card) {
      return {
        kind: 'card-missing',
        attempt,
        happened: story,
        adapterNow: `The card with location code ${shown(attempt.start.card.locationCode ?? '?')} is not visible: the re-probe has not finished or failed.`,
        next: {
          action: 'wait',
          command: 'cxl-flasher status --watch',
          explanation:
            'The kernel re-probes the adapter after a successful validate; this can take minutes. Wait for the card to return; if it does not, check the kernel log (dmesg) and the HMC.',
        },
        doNot: DO_NOT_DURING_RECOVERY,
        needsAttention: true,
        otherCards: [],
      };
    }
    const before = attempt.start.card.pslRevision;
    const now = pslOf(card);
    const changed = before !== null && now !== null && before !== now;
    return {
      kind: changed ? 'reload-verified' : 'reload-unconfirmed',
      attempt,
      happened: story,
      adapterNow: `${shown(card.name)} is back${changed ? ` with PSL revision ${now} (was ${before}): the new image is active` : `; PSL revision ${now ?? 'unknown'} (was ${before ?? 'unknown'}), which does not prove the new image is active`}.`,
      next: changed
        ? { action: 'none', command: null, explanation: 'The flash completed; nothing to redo.' }
        : {
            action: 'verify',
            command: `cxl-flasher status --card ${shown(card.name)}`,
            explanation:
              'Check the AFUs and their configuration records; if in doubt, flash the same image again.',
          },
      doNot: [],
      needsAttention: !changed,
      otherCards: [],
    };
  }
  if (!card) {
    return {
      kind: 'card-missing',
      attempt,
      happened: story,
      adapterNow: 'The card is not visible in /sys/class/cxl.',
      next: {
        action: 'wait',
        command: 'cxl-flasher status --watch',
        explanation:
          'The adapter may be resetting. If it does not return, check dmesg and the HMC.',
      },
      doNot: DO_NOT_DURING_RECOVERY,
      needsAttention: true,
      otherCards: [],
    };
  }
  // What the journal says reached the adapter, and what the adapter itself reports now.
  const erasure = erasureOf(attempt);
  const evidence = live.imageEvidence?.(card) ?? 'unknown';
  if (intactBy(erasure, evidence)) {
    return {
      kind: 'untouched',
      attempt,
      happened: story,
      adapterNow:
        evidence !== 'unknown'
          ? imageNowWords(shown(card.name), attempt, evidence)
          : `${shown(card.name)} is present and its image was never erased (no download call was made).`,
      next: {
        action: outcome === 'aborted' ? 'none' : 'reflash',
        command: reflashCommand(attempt),
        explanation: 'Nothing was written. Flash again when you are ready.',
      },
      doNot: [],
      needsAttention: false,
      otherCards: [],
    };
  }
  return {
    kind: evidence === 'factory' ? 'factory-image' : 'no-valid-image',
    attempt,
    happened: story,
    adapterNow: imageNowWords(shown(card.name), attempt, evidence),
    next: {
      action: 'reflash',
      command: reflashCommand(attempt),
      explanation:
        'Flash the same image again; its checksum is verified before the device is opened.',
    },
    doNot: DO_NOT_DURING_RECOVERY,
    needsAttention: true,
    otherCards: [],
  };
}

/** "The adapter now" when no attempt needs attention: honest about a missing driver or card. */
function nothingRecordedNow(live: LiveState): string {
  if (!live.driverLoaded) return 'Unknown: the cxl driver is not loaded, so no card is visible.';
  if (live.cards.length === 0)
    return 'Unknown: no CAPI card is visible in /sys/class/cxl (run `cxl-flasher doctor`).';
  return 'Nothing suggests a problem.';
}
