/**
 * Signal policy (docs/architecture.md §5). SIGINT is Ctrl-C (in the wizard it arrives as a key instead);
 * SIGTERM is a confirmed Ctrl-C; SIGHUP (a dropped SSH session) never stops a transfer or a
 * reload; SIGTSTP (Ctrl-Z) is refused while the hypervisor is waiting for the next chunk.
 */

export interface SignalTarget {
  /** Ctrl-C: quit, ask, or defer, by phase */
  interrupt(): void;
  /** SIGTERM: like a confirmed Ctrl-C */
  terminate(): void;
  /** SIGHUP: the terminal is gone */
  hangup(): void;
  /** SIGTSTP: true when the engine refuses to be stopped now */
  refuseSuspend(): boolean;
}

type SignalProcess = Pick<NodeJS.Process, 'on' | 'off' | 'kill' | 'pid' | 'once'>;

export function installSignalHandlers(
  target: SignalTarget,
  proc: SignalProcess = process,
): () => void {
  const onInt = (): void => target.interrupt();
  const onTerm = (): void => target.terminate();
  const onHup = (): void => target.hangup();
  const onTstp = (): void => {
    if (target.refuseSuspend()) return;
    // Allowed: stop as the default action would, and listen again once continued.
    proc.off('SIGTSTP', onTstp);
    proc.once('SIGCONT', () => proc.on('SIGTSTP', onTstp));
    proc.kill(proc.pid, 'SIGTSTP');
  };
  proc.on('SIGINT', onInt);
  proc.on('SIGTERM', onTerm);
  proc.on('SIGHUP', onHup);
  proc.on('SIGTSTP', onTstp);
  return () => {
    proc.off('SIGINT', onInt);
    proc.off('SIGTERM', onTerm);
    proc.off('SIGHUP', onHup);
    proc.off('SIGTSTP', onTstp);
  };
}
