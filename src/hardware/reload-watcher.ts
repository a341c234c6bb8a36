/**
 * After a successful validate, close() removes the card and probes it again (docs/kernel-contract.md
 * §4.6); the number may change, so the card is followed by its location code. The watcher polls
 * sysfs with cheap reads. It tells the old card from the re-probed one by the identity of its
 * sysfs directory, so it works whether it starts before close() or after it returned.
 */
import { formatCaia } from './device-tree.js';
import { locationCodeOf, readCards } from './cards.js';
import type { SystemRoot } from './system-root.js';
import type { CardInfo, DtProperty } from './types.js';
import { shown } from '../terminal-text.js';

export interface CardChange {
  readonly field: string;
  readonly before: string | null;
  readonly after: string | null;
}

export type ReloadState = 'waiting-for-disappearance' | 'waiting-for-return' | 'verifying';

export interface ReloadWatchOptions {
  readonly locationCode: string;
  readonly previous: CardInfo;
  readonly deadlineMs: number;
  readonly pollMs?: number;
  readonly signal?: AbortSignal;
  onState?(state: ReloadState): void;
  /** milliseconds, monotonic; defaults to performance.now */
  readonly now?: () => number;
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export type ReloadResult =
  | {
      readonly kind: 'returned';
      readonly card: CardInfo;
      readonly renumbered: boolean;
      /** whether the watcher saw the card gone (false when it was already back) */
      readonly disappeared: boolean;
      readonly changes: readonly CardChange[];
      readonly elapsedMs: number;
    }
  | {
      readonly kind: 'timeout' | 'aborted';
      readonly disappeared: boolean;
      /** the card as last seen, when it was still (or again, half-probed) present */
      readonly lastSeen: CardInfo | null;
      readonly elapsedMs: number;
    };

const text = (p: DtProperty<number>, format: (n: number) => string): string | null =>
  p.ok ? format(p.value) : null;
const hex4 = (n: number): string => `0x${(n & 0xffff).toString(16).padStart(4, '0')}`;

function facts(card: CardInfo): Record<string, string | null> {
  const n = card.node;
  return {
    name: card.name,
    'psl revision': card.attributes.psl_revision ?? text(n.pslRevision, String),
    'caia version': card.attributes.caia_version ?? text(n.caiaVersion, formatCaia),
    'vendor id': text(n.vendorId, hex4),
    'device id': text(n.deviceId, hex4),
    'subsystem vendor id': text(n.subsystemVendorId, hex4),
    'subsystem id': text(n.subsystemId, hex4),
    'revision id': text(n.revisionId, String),
    afus:
      card.afus.map((a) => `${shown(a.name)}${a.mode ? ` (${shown(a.mode)})` : ''}`).join(', ') ||
      '(none)',
  };
}

/** What differs between the card before the flash and after the reload. */
export function describeCardChanges(before: CardInfo, after: CardInfo): CardChange[] {
  const a = facts(before);
  const b = facts(after);
  return Object.keys(a)
    .filter((field) => a[field] !== b[field])
    .map((field) => ({ field, before: a[field] ?? null, after: b[field] ?? null }));
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Present, fully probed: sysfs is back and so is the /dev node it had before (udev may lag). */
function isComplete(card: CardInfo, previous: CardInfo): boolean {
  return card.deviceNodePresent || !previous.deviceNodePresent;
}

export async function waitForReload(
  root: SystemRoot,
  options: ReloadWatchOptions,
): Promise<ReloadResult> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? abortableSleep;
  const pollMs = options.pollMs ?? 250;
  const start = now();
  const { previous, locationCode } = options;
  let disappeared = false;
  let state: ReloadState | null = null;
  const enter = (next: ReloadState): void => {
    if (state !== next) options.onState?.((state = next));
  };
  enter('waiting-for-disappearance');
  for (;;) {
    const card = readCards(root).find((c) => locationCodeOf(c) === locationCode) ?? null;
    if (!card) {
      disappeared = true;
      enter('waiting-for-return');
    } else if (
      disappeared ||
      card.name !== previous.name ||
      card.sysfsIdentity !== previous.sysfsIdentity
    ) {
      enter('verifying');
      if (isComplete(card, previous))
        return {
          kind: 'returned',
          card,
          renumbered: card.name !== previous.name,
          disappeared,
          changes: describeCardChanges(previous, card),
          elapsedMs: now() - start,
        };
    }
    const elapsedMs = now() - start;
    if (options.signal?.aborted) return { kind: 'aborted', disappeared, lastSeen: card, elapsedMs };
    if (elapsedMs >= options.deadlineMs)
      return { kind: 'timeout', disappeared, lastSeen: card, elapsedMs };
    await sleep(Math.min(pollMs, Math.max(1, options.deadlineMs - elapsedMs)), options.signal);
  }
}
