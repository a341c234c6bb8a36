/** The `plan` event as plain lines: what the card runs now, what it would run, the steps. */
import type { FlashPlan } from '../flash/events.js';
import { shown } from '../terminal-text.js';
import { formatBytes } from './format.js';

export function planLines(plan: FlashPlan): string {
  const loc = plan.card.locationCode;
  const where = `${shown(plan.card.name)} at ${loc === null ? 'unknown location' : shown(loc)}`;
  const revision = `PSL revision ${plan.current.pslRevision ?? 'unknown'}`;
  const runs = plan.current.image;
  const lines = [
    runs
      ? `current: ${where} runs ${revision}; last flashed with ${shown(runs.path)} (${formatBytes(runs.size)}, sha256 ${shown(runs.sha256)}) at ${shown(runs.time)}, journal ${shown(runs.journalId)}`
      : `current: ${where} runs ${revision}; image unknown`,
  ];
  if (plan.current.note) lines.push(`  note: ${shown(plan.current.note)}`);
  lines.push(
    `new: ${shown(plan.new.path)} (${formatBytes(plan.new.size)}, sha256 ${plan.new.sha256}, ${plan.new.format}); its PSL revision shows after the reload`,
  );
  if (plan.sameImage) lines.push('  same image: the journal says the card already runs it');
  lines.push(`plan: ${plan.steps.join('; ')}`);
  return lines.join('\n');
}
