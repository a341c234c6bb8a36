/**
 * After the final validate returned 0 (docs/kernel-contract.md §4.6): close the card device, which removes
 * the AFUs, resets the adapter and re-probes it (it can block for minutes), then wait for the card
 * to come back by location code (its number may change) and read it again.
 */
import type { CardDevice } from '../ioctl/card-device.js';
import { explainErrno } from '../ioctl/errno.js';
import type { CardInfo } from '../hardware/types.js';
import type { EventBus } from './event-bus.js';
import type { ReloadSnapshot } from './events.js';
import type { EngineServices, ReloadOutcome } from './services.js';

type ReloadState = ReloadSnapshot['state'];

function messageFor(state: ReloadState, where: string): string {
  switch (state) {
    case 'closing':
      return 'Closing the card device: the kernel removes the AFUs, resets the adapter and re-probes it; this call can block for minutes.';
    case 'waiting-for-disappearance':
      return 'Waiting for the old card to go away.';
    case 'waiting-for-return':
      return `Waiting for the card at ${where} to come back (its number may change).`;
    case 'verifying':
      return 'The card is back; reading its new properties.';
  }
}

export async function runReload(
  device: CardDevice,
  services: EngineServices,
  bus: EventBus,
  card: CardInfo,
  where: string,
  timeoutMs: number,
): Promise<ReloadOutcome> {
  const started = performance.now();
  let state: ReloadState = 'closing';
  const publish = (): void => {
    bus.emit({
      event: 'reload',
      state,
      elapsedMs: performance.now() - started,
      deadlineMs: timeoutMs,
      message: messageFor(state, where),
    });
  };
  const tick = setInterval(publish, 250);
  tick.unref();
  try {
    publish();
    const closed = await device.close();
    if (!closed.ok) {
      bus.emit({
        event: 'warning',
        code: 'close',
        message: `close after validation failed with ${explainErrno(closed.errno, 'close').name}; waiting for the reload anyway`,
      });
    }
    return await services.waitForReload({
      card,
      deadlineMs: Math.max(0, timeoutMs - (performance.now() - started)),
      onState: (next) => {
        state = next;
        publish();
      },
    });
  } finally {
    clearInterval(tick);
  }
}
