/**
 * `flash IMAGE` without a terminal (or with --json): the wizard's steps chained without
 * questions. Without --yes it stops at the confirmation with exit 2 (nothing touched); with
 * --check it stops there with exit 0 when every check passed.
 */
import { ExitCode, UserFacingError } from '../exit-codes.js';
import type { FlashController } from './controller.js';
import { checkVerdict } from './check-verdict.js';
import { RunStoppedError } from './run-stopped.js';

export interface HeadlessRequest {
  readonly imagePath: string;
  readonly cardSpec?: string;
  readonly expectedSha256?: string;
  readonly yes: boolean;
  /** `--check`: every check, the verdict and the plan, then stop before the device (exit 0) */
  readonly check?: boolean;
  /** why nobody is asked to confirm, for the message without --yes (default: no terminal) */
  readonly noQuestionReason?: string;
}

export async function runHeadlessFlash(
  controller: FlashController,
  request: HeadlessRequest,
): Promise<number> {
  try {
    controller.begin();
    controller.enterPhase('selectAdapter');
    controller.discover();
    controller.selectCard(request.cardSpec);
    await controller.loadImage(request.imagePath, request.expectedSha256);
    const checks = controller.preflight();
    const failing = checks.filter((c) => c.status === 'fail');
    if (failing.length > 0) {
      // Only "the card already runs this image": its own outcome (still exit 3, a refusal).
      const onlySameImage = failing.every((c) => c.id === 'same-image');
      return controller.endEarly(
        onlySameImage ? 'same-image' : 'refused',
        ExitCode.PreflightRefused,
        `Preflight refused: ${failing.map((c) => `${c.label}: ${c.message.replace(/\.$/, '')}`).join('; ')}.`,
        failing
          .map((c) => c.fix)
          .filter(Boolean)
          .join(' ') || 'Fix the failing checks and try again.',
      );
    }
    if (request.check) {
      const v = checkVerdict(checks);
      return controller.endEarly('checked', ExitCode.Success, v.message, v.nextStep);
    }
    if (!request.yes) {
      return controller.endEarly(
        'bad-input',
        ExitCode.BadInput,
        `Flashing needs a confirmation, and nothing asks for one here: ${request.noQuestionReason ?? 'there is no terminal to ask on'}.`,
        'Review the checks above, then run again with --yes to confirm.',
      );
    }
    return await controller.flash();
  } catch (error) {
    // The run ended before the device (a quit while the image loaded): its result is out.
    if (error instanceof RunStoppedError) return controller.exitCode;
    if (error instanceof UserFacingError) {
      return controller.endEarly(
        error.exitCode === ExitCode.BadInput ? 'bad-input' : 'refused',
        error.exitCode,
        error.message,
        error.fix ?? '',
      );
    }
    // Anything else still ends with one result event (and no stack trace): --json promises it.
    return controller.endAfterError(error);
  }
}
