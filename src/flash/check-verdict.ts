/** The verdict of `flash --check` when nothing refused the flash: it would go ahead. */
import type { PreflightCheck } from '../hardware/types.js';

export function checkVerdict(checks: readonly PreflightCheck[]): {
  message: string;
  nextStep: string;
} {
  const passed = checks.filter((c) => c.status === 'pass').length;
  const warnings = checks.length - passed;
  const counted = `${passed} of ${checks.length} checks passed${warnings > 0 ? `, ${warnings} warning${warnings === 1 ? '' : 's'}` : ''}`;
  return {
    message: `Check only: ${counted}; the flash would go ahead. The card device was not opened and nothing was written.`,
    nextStep: 'To flash, run the same command without --check (add --yes without a terminal).',
  };
}
