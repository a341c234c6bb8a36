/**
 * How long the simulated hypervisor and driver take. docs/kernel-contract.md §6 has no public PowerVM
 * figures [UNCONFIRMED]; these are chosen so a 64 MiB flash takes about a minute at speed 1
 * (4 s erase + 35 s download + 19 s validate + 3 s reload), with the erase on the first
 * download call making it the slowest (§6). Every delay is a real timer divided by the speed;
 * the 3-second limit between calls is not scaled.
 */
export interface TimingModel {
  readonly eraseMs: number;
  readonly downloadMsPerMiB: number;
  readonly validateMsPerMiB: number;
  /** remove + re-probe on the close after a successful validate (§4.6) */
  readonly reloadMs: number;
  readonly speed: number;
}

export const DEFAULT_TIMING: Omit<TimingModel, 'speed'> = {
  eraseMs: 4000,
  downloadMsPerMiB: 550,
  validateMsPerMiB: 300,
  reloadMs: 3000,
};

/** §6: after H_CONTINUE the next call must come within 3 s, on the real clock. */
export const CONTINUE_LIMIT_MS = 3000;

const MiB = 1024 * 1024;

export function timingModel(speed: number): TimingModel {
  return { ...DEFAULT_TIMING, speed };
}

/** Sleep `ms` of simulated time (real timers, scaled by the speed). */
export function simulatedDelay(timing: TimingModel, ms: number): Promise<void> {
  const real = ms / timing.speed;
  return real < 0.5 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, real));
}

export function transferMs(
  timing: TimingModel,
  pass: 'download' | 'validate',
  bytes: number,
): number {
  const perMiB = pass === 'download' ? timing.downloadMsPerMiB : timing.validateMsPerMiB;
  return (bytes / MiB) * perMiB;
}
