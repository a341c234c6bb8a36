/** The `plan` event as plain lines: what the card runs now, what it would run, the steps. */
import type { FlashPlan } from '../flash/events.js';
import { formatBytes } from './format.js';

export function planLines(plan: FlashPlan): string {
  const where = `${plan.card.name} at ${plan.card.locationCode ?? 'unknown location'}`;
  const revision = `PSL revision ${plan.current.pslRevision ?? 'unknown'}`;
  const runs = plan.current.image;
  const lines = [
    runs
      ? `current: ${where} runs ${revision}; last flashed with ${runs.path} (${formatBytes(runs.size)}, sha256 ${runs.sha256}) at ${runs.time}, journal ${runs.journalId}`
      : `current: ${where} runs ${revision}; image unknown`,
  ];
  if (plan.current.note) lines.push(`  note: ${plan.current.note}`);
  lines.push(
    `new: ${plan.new.path} (${formatBytes(plan.new.size)}, sha256 ${plan.new.sha256}, ${plan.new.format}); its PSL revision shows after the reload`,
  );
  if (plan.sameImage) lines.push('  same image: the journal says the card already runs it');
  lines.push(`plan: ${plan.steps.join('; ')}`);
  return lines.join('\n');
}
