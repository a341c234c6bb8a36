/** `status` without a terminal: the snapshot as plain lines. */
import { describeInProgress } from '../journal/lock.js';
import { formatId, formatRate } from './format.js';
import { runningFlashLine } from './running-flash.js';
import type { StatusSnapshot } from './status-snapshot.js';

export function renderStatusText(s: StatusSnapshot): string {
  const lines = [
    `${s.time}${s.simulated ? '  [SIMULATED ADAPTER]' : ''}`,
    `kernel ${s.kernelRelease}: cxl driver ${s.driver.status}, module ${s.cxlModuleLoaded ? 'loaded' : 'not loaded'}, PowerVM guest ${s.powervmGuest === null ? 'no (no hypertas property)' : s.powervmGuest ? 'yes' : 'no'}`,
  ];
  if (s.flashing) {
    const f = s.flashing;
    lines.push(
      `FLASHING: pid ${f.pid} (${f.user}@${f.host}) on ${f.card ?? '?'}, phase ${f.phase}, since ${f.startedAt}`,
    );
    if (s.flash) lines.push(runningFlashLine(s.flash, formatRate));
  }
  if (s.cards.length === 0)
    lines.push(
      s.flash?.reprobing ? 'no cards visible: the flashed card is being re-probed' : 'no cards',
    );
  for (const c of s.cards) {
    lines.push(
      `${c.name}  ${c.locationCode ?? 'no location code'}  vendor ${formatId(c.vendorId)} device ${formatId(c.deviceId)} subsystem ${formatId(c.subsystemVendorId)}:${formatId(c.subsystemId)}  PSL revision ${c.pslRevision ?? '?'}  CAIA ${c.caiaVersion ?? '?'}`,
    );
    for (const h of c.holders)
      lines.push(`  card device held by pid ${h.pid} (${h.user}: ${h.command})`);
    for (const a of c.afus) {
      const users =
        a.users.length === 0
          ? 'not in use'
          : a.users.map((u) => `pid ${u.pid} (${u.user}: ${u.command})`).join(', ');
      lines.push(`  ${a.name}  mode ${a.mode ?? '?'}  ${users}`);
    }
    const last = c.lastFlash;
    if (last)
      lines.push(
        `  last flash ${last.time}: ${last.inProgress ? describeInProgress(last.inProgress) : last.outcome} (${last.journalId})`,
      );
  }
  for (const p of s.problems) lines.push(`note: ${p}`);
  return lines.join('\n');
}
