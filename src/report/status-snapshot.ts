/**
 * What `status` shows (a live dashboard of cards, AFUs, users, driver and kernel state, last
 * flash); refreshed by the status command, rendered by the status screen or printed as JSON.
 */
import type { CardSummary } from '../flash/events.js';
import type { DriverSupport } from '../hardware/environment.js';
import type { LockHolder } from '../journal/lock.js';
import type { RunningFlash } from './running-flash.js';

export interface StatusSnapshot {
  readonly time: string;
  readonly simulated: boolean;
  readonly kernelRelease: string;
  readonly driver: DriverSupport;
  readonly cxlModuleLoaded: boolean;
  readonly powervmGuest: boolean | null;
  readonly cards: readonly CardSummary[];
  /** a flash running right now, from the lock file */
  readonly flashing: LockHolder | null;
  /** how far that flash is (phase, percentage, rate), from its journal records */
  readonly flash: RunningFlash | null;
  /** problems reading the system, in words (missing files are reported, never thrown) */
  readonly problems: readonly string[];
}
