/**
 * The part of a flash that touches the adapter: take the flasher's lock first (the driver's own
 * open() would block without a word, kernel-abi.md §4.1), then run the attempt.
 */
import { systemLibc } from '../ioctl/libc.js';
import type { CardInfo } from '../hardware/types.js';
import { ExitCode } from '../exit-codes.js';
import { JournalWriter } from '../journal/journal.js';
import { acquireLock, describeLockHolder } from '../journal/lock.js';
import { FlashAttempt, type SessionControl, type SessionOptions } from './attempt.js';
import { summariseCard } from './card-summary.js';
import type { ResultDetails } from './events.js';
import type { EngineServices, FlashImage } from './services.js';

export type { SessionControl, SessionOptions } from './attempt.js';

/** Runs the whole device part; resolves with the result it also emitted. */
export async function runFlashSession(
  services: EngineServices,
  control: SessionControl,
  card: CardInfo,
  image: FlashImage,
  options: SessionOptions,
): Promise<ResultDetails> {
  const before = summariseCard(card, services.deviceUsers());
  const locked = acquireLock(services.stateDir, systemLibc(), {
    ...options.operator,
    card: card.name,
    phase: 'preflight',
    startedAt: new Date().toISOString(),
    attemptId: null,
  });
  if (!locked.acquired) {
    const result: ResultDetails = {
      outcome: 'refused',
      exitCode: ExitCode.PreflightRefused,
      journalId: null,
      message: `Another cxl-flasher holds the lock ${locked.path}: ${describeLockHolder(locked.holder)}.`,
      nextStep: `Wait for it to finish, or watch it with \`cxl-flasher attach --card ${locked.holder?.card ?? card.name}\`.`,
      durationsMs: {},
      largestGapMs: null,
      gapP99Ms: null,
      before,
      after: null,
    };
    control.enterPhase('summary');
    control.bus.emit({ event: 'result', ...result });
    return result;
  }
  try {
    const journal = await JournalWriter.open(services.stateDir);
    return await new FlashAttempt(
      services,
      control,
      card,
      image,
      options,
      locked.lock,
      before,
      journal,
    ).run();
  } finally {
    locked.lock.release();
  }
}
