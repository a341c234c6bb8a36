/** Words for a card (picker, status, summary); pure, so the wording is tested without Ink. */
import type { CardSummary } from '../flash/events.js';
import { formatId } from '../report/format.js';
import { formatWhen } from './layout.js';

export interface Person {
  readonly pid: number;
  readonly command: string;
  readonly user: string;
}

export function who(p: Person): string {
  return `pid ${p.pid} ${p.command} (${p.user})`;
}

/** Every process that would lose its AFU or block the open: AFU users, then device holders. */
export function usersOf(card: CardSummary): { what: string; person: Person }[] {
  return [
    ...card.afus.flatMap((afu) => afu.users.map((person) => ({ what: afu.name, person }))),
    ...card.holders.map((person) => ({ what: `/dev/cxl/${card.name}`, person })),
  ];
}

export function isBusy(card: CardSummary): boolean {
  return usersOf(card).length > 0;
}

export function locationOf(card: CardSummary): string {
  return card.locationCode ?? 'no location code';
}

export function idsText(card: CardSummary): string {
  return `vendor ${formatId(card.vendorId)} device ${formatId(card.deviceId)}, subsystem ${formatId(card.subsystemVendorId)}:${formatId(card.subsystemId)}`;
}

export function revisionText(card: CardSummary): string {
  return `PSL revision ${card.pslRevision ?? 'unknown'}, CAIA ${card.caiaVersion ?? 'unknown'}`;
}

export function afuText(afu: CardSummary['afus'][number]): string {
  const mode = afu.mode ? ` (${afu.mode})` : '';
  return afu.users.length === 0
    ? `${afu.name}${mode}: not in use`
    : `${afu.name}${mode}: in use by ${afu.users.map(who).join(', ')}`;
}

export function lastFlashText(card: CardSummary): string {
  const last = card.lastFlash;
  return last
    ? `${formatWhen(last.time)}, ${last.outcome} (journal ${last.journalId})`
    : 'none recorded';
}

/** One line for a Select option. */
export function cardOptionLabel(card: CardSummary): string {
  const n = usersOf(card).length;
  const busy = n > 0 ? `  [IN USE: ${n} process${n === 1 ? '' : 'es'}]` : '';
  return `${card.name}  ${locationOf(card)}${busy}`;
}
