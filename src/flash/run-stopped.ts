/**
 * Thrown by a step of the flow (image loading, preflight, flash) that was asked to run after the
 * run had already ended before the card device was opened: a quit, a refusal or bad input. The
 * result event has been emitted by then; the caller only stops. Nothing may touch the device
 * afterwards (open + close alone resets the adapter, docs/kernel-contract.md §4.1/§4.5).
 */
export class RunStoppedError extends Error {
  constructor(step: string) {
    super(`the run already ended before ${step}`);
    this.name = 'RunStoppedError';
  }
}
