/** A discovered card, with its users and its last flash, as the screens and events show it. */
import type { CardInfo, DeviceUser } from '../hardware/types.js';
import { holderRunning, type LockHolder } from '../journal/lock.js';
import type { Attempt } from '../journal/records.js';
import type { CardSummary } from './events.js';

const value = <T>(r: { ok: true; value: T } | { ok: false }): T | null => (r.ok ? r.value : null);

function caiaText(card: CardInfo): string | null {
  const raw = value(card.node.caiaVersion);
  if (raw !== null) return `${(raw >> 8) & 0xff}.${raw & 0xff}`;
  return card.attributes.caia_version ?? null;
}

function who(u: DeviceUser): { pid: number; command: string; user: string } {
  return { pid: u.pid, command: u.command, user: u.user };
}

function lastFlashOf(
  last: Attempt | undefined,
  lockHolder: LockHolder | null,
): CardSummary['lastFlash'] {
  if (!last) return null;
  const summary = { time: last.start.time, journalId: last.start.id };
  if (last.terminal) return { ...summary, outcome: last.terminal.type };
  const running = holderRunning(lockHolder, last.start.id);
  return running
    ? { ...summary, outcome: 'in-progress', inProgress: { pid: running.pid, phase: running.phase } }
    : { ...summary, outcome: 'unfinished' };
}

/** `lockHolder`: whoever holds the flasher's lock now, so a running attempt is not "unfinished". */
export function summariseCard(
  card: CardInfo,
  users: readonly DeviceUser[],
  attempts: readonly Attempt[] = [],
  lockHolder: LockHolder | null = null,
): CardSummary {
  const locationCode = value(card.node.locationCode);
  const last = [...attempts]
    .reverse()
    .find((a) =>
      locationCode ? a.start.card.locationCode === locationCode : a.start.card.name === card.name,
    );
  const id = (p: CardInfo['node']['vendorId']): number | null => {
    const v = value(p);
    return v === null ? null : v & 0xffff;
  };
  return {
    name: card.name,
    locationCode,
    vendorId: id(card.node.vendorId),
    deviceId: id(card.node.deviceId),
    subsystemVendorId: id(card.node.subsystemVendorId),
    subsystemId: id(card.node.subsystemId),
    pslRevision:
      value(card.node.pslRevision) ??
      (card.attributes.psl_revision ? Number(card.attributes.psl_revision) : null),
    caiaVersion: caiaText(card),
    afus: card.afus.map((afu) => ({
      name: afu.name,
      mode: afu.mode,
      users: users
        .filter((u) => afu.deviceNodes.some((n) => n.devicePath === u.devicePath))
        .map(who),
    })),
    holders: users.filter((u) => u.devicePath === card.devicePath).map(who),
    lastFlash: lastFlashOf(last, lockHolder),
  };
}
