/**
 * After the final validate returned 0 (docs/kernel-contract.md §4.6): the device thread closes the card
 * device, which removes the AFUs, resets the adapter and re-probes it (it can block for minutes);
 * then wait for the card to come back by location code (its number may change) and read it again.
 * How the attempt ends follows from it: the card is back (success), or it is lost.
 */
import type { SyscallOutcome } from '../ioctl/card-device.js';
import { explainErrno } from '../ioctl/errno.js';
import type { CardInfo } from '../hardware/types.js';
import { summariseCard } from './card-summary.js';
import { reloadLostEnding, reloadSuccessEnding, type Ending, type ReloadFacts } from './endings.js';
import type { EventBus } from './event-bus.js';
import type { ReloadSnapshot } from './events.js';
import type { EngineServices, ReloadOutcome } from './services.js';
import { shown } from '../terminal-text.js';

type ReloadState = ReloadSnapshot['state'];

function messageFor(state: ReloadState, where: string): string {
  switch (state) {
    case 'closing':
      return 'Closing the card device: the kernel removes the AFUs, resets the adapter and re-probes it; this call can block for minutes.';
    case 'waiting-for-disappearance':
      return 'Waiting for the old card to go away.';
    case 'waiting-for-return':
      return `Waiting for the card at ${shown(where)} to come back (its number may change).`;
    case 'verifying':
      return 'The card is back; reading its new properties.';
  }
}

/** `closed`: the device thread's close, issued as soon as the final validate returned 0 */
export async function runReload(
  closed: Promise<SyscallOutcome>,
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
    const close = await closed;
    if (!close.ok) {
      bus.emit({
        event: 'warning',
        code: 'close',
        message: `close after validation failed with ${explainErrno(close.errno, 'close').name}; waiting for the reload anyway`,
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

/** How the attempt ends after the reload: the card as it came back, or lost. */
export function reloadEnding(
  facts: ReloadFacts,
  outcome: ReloadOutcome,
  services: EngineServices,
): Ending {
  if (outcome.kind === 'timeout') return reloadLostEnding(facts, outcome.disappeared);
  return reloadSuccessEnding(
    facts,
    summariseCard(outcome.card, services.deviceUsers()),
    outcome.renumbered,
  );
}
