/**
 * The part of a flash that touches the adapter: take the flasher's lock first (the driver's own
 * open() would block without a word, docs/kernel-contract.md §4.1), then run the attempt. A state
 * directory that cannot hold the lock or the journal ends here, before the device is opened.
 */
import { join } from 'node:path';
import { systemLibc } from '../ioctl/libc.js';
import type { CardInfo } from '../hardware/types.js';
import { ExitCode } from '../exit-codes.js';
import { JOURNAL_FILE, JournalWriter } from '../journal/journal.js';
import { acquireLock, describeLockHolder, LOCK_FILE, type LockResult } from '../journal/lock.js';
import { stateDirProblem, type StateDirProblem } from '../journal/state-dir.js';
import { FlashAttempt } from './attempt.js';
import { summariseCard } from './card-summary.js';
import { stateDirRefusal } from './endings.js';
import type { CardSummary, ResultDetails } from './events.js';
import type { EngineServices, FlashImage } from './services.js';
import type { SessionControl, SessionOptions } from './session-control.js';
import { unjournaledResult } from './unjournaled-result.js';
import { shown } from '../terminal-text.js';

export type { SessionControl, SessionOptions } from './session-control.js';

function refuse(
  control: SessionControl,
  before: CardSummary,
  message: string,
  nextStep: string,
): ResultDetails {
  const result = unjournaledResult('refused', ExitCode.PreflightRefused, message, nextStep, before);
  control.enterPhase('summary');
  control.bus.emit({ event: 'result', ...result });
  return result;
}

function refuseStateDir(
  control: SessionControl,
  before: CardSummary,
  problem: StateDirProblem,
): ResultDetails {
  const r = stateDirRefusal(problem);
  return refuse(control, before, r.message, r.nextStep);
}

/** Runs the whole device part; resolves with the result it also emitted. */
export async function runFlashSession(
  services: EngineServices,
  control: SessionControl,
  card: CardInfo,
  image: FlashImage,
  options: SessionOptions,
): Promise<ResultDetails> {
  const { stateDir } = services;
  const before = summariseCard(card, services.deviceUsers());
  let locked: LockResult;
  try {
    locked = acquireLock(stateDir, systemLibc(), {
      ...options.operator,
      card: card.name,
      phase: 'preflight',
      startedAt: new Date().toISOString(),
      attemptId: null,
    });
  } catch (error) {
    return refuseStateDir(
      control,
      before,
      stateDirProblem(stateDir, 'lock', join(stateDir, LOCK_FILE), error),
    );
  }
  if (!locked.acquired) {
    return refuse(
      control,
      before,
      `Another cxl-flasher holds the lock ${shown(locked.path)}: ${describeLockHolder(locked.holder)}.`,
      `Wait for it to finish, or watch it with \`cxl-flasher attach --card ${shown(locked.holder?.card ?? card.name)}\`.`,
    );
  }
  try {
    let journal: JournalWriter;
    try {
      journal = await JournalWriter.open(stateDir);
    } catch (error) {
      return refuseStateDir(
        control,
        before,
        stateDirProblem(stateDir, 'journal', join(stateDir, JOURNAL_FILE), error),
      );
    }
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
