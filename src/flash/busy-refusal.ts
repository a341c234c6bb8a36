/**
 * A card that is not there while another flasher holds the lock is that flasher's card, away in
 * its reload (flash.c: device_close calls cxl_guest_reload_module, which removes it): the
 * refusal names the running flasher instead of blaming the driver or the guest.
 */
import { ExitCode, UserFacingError } from '../exit-codes.js';
import { describeLockHolder, type LockHolder } from '../journal/lock.js';

export function busyRefusal(holder: LockHolder | null): UserFacingError | null {
  if (!holder) return null;
  const away =
    holder.phase === 'reload'
      ? ' Its card is away while the kernel reloads it, so none is visible now.'
      : '';
  return new UserFacingError(
    `Another cxl-flasher is running: ${describeLockHolder(holder)}.${away}`,
    ExitCode.PreflightRefused,
    `Wait for it to finish, or watch it with \`cxl-flasher attach${holder.card ? ` --card ${holder.card}` : ''}\`.`,
  );
}
