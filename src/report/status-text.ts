/** `status` without a terminal: the snapshot as plain lines. */
import { describeInProgress } from '../journal/lock.js';
import { formatId, formatRate } from './format.js';
import { runningFlashLine } from './running-flash.js';
import type { StatusSnapshot } from './status-snapshot.js';
import { shown, terminalSafe } from '../terminal-text.js';

export function renderStatusText(s: StatusSnapshot): string {
  const lines = [
    `${s.time}${s.simulated ? '  [SIMULATED ADAPTER]' : ''}`,
    `kernel ${shown(s.kernelRelease)}: cxl driver ${shown(s.driver.status)}, module ${s.cxlModuleLoaded ? 'loaded' : 'not loaded'}, PowerVM guest ${s.powervmGuest === null ? 'no (no hypertas property)' : s.powervmGuest ? 'yes' : 'no'}`,
  ];
  if (s.flashing) {
    const f = s.flashing;
    lines.push(
      `FLASHING: pid ${f.pid} (${shown(f.user)}@${shown(f.host)}) on ${shown(f.card ?? '?')}, phase ${shown(f.phase)}, since ${shown(f.startedAt)}`,
    );
    if (s.flash) lines.push(runningFlashLine(s.flash, formatRate));
  }
  if (s.cards.length === 0)
    lines.push(
      s.flash?.reprobing ? 'no cards visible: the flashed card is being re-probed' : 'no cards',
    );
  for (const c of s.cards) {
    lines.push(
      `${shown(c.name)}  ${shown(c.locationCode ?? 'no location code')}  vendor ${formatId(c.vendorId)} device ${formatId(c.deviceId)} subsystem ${formatId(c.subsystemVendorId)}:${formatId(c.subsystemId)}  PSL revision ${c.pslRevision ?? '?'}  CAIA ${c.caiaVersion ?? '?'}`,
    );
    for (const h of c.holders)
      lines.push(`  card device held by pid ${h.pid} (${shown(h.user)}: ${shown(h.command)})`);
    for (const a of c.afus) {
      const users =
        a.users.length === 0
          ? 'not in use'
          : a.users.map((u) => `pid ${u.pid} (${shown(u.user)}: ${shown(u.command)})`).join(', ');
      lines.push(`  ${shown(a.name)}  mode ${shown(a.mode ?? '?')}  ${users}`);
    }
    const last = c.lastFlash;
    if (last)
      lines.push(
        `  last flash ${shown(last.time)}: ${last.inProgress ? describeInProgress(last.inProgress) : shown(last.outcome)} (${shown(last.journalId)})`,
      );
  }
  for (const p of s.problems) lines.push(`note: ${terminalSafe(p)}`);
  return lines.join('\n');
}
