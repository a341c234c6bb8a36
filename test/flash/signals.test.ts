import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { installSignalHandlers, type SignalTarget } from '../../src/flash/signals.js';

class FakeProcess extends EventEmitter {
  readonly pid = 1234;
  readonly killed: string[] = [];
  kill(_pid: number, signal: string): true {
    this.killed.push(signal);
    return true;
  }
}

function target(refuse: boolean): SignalTarget & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    interrupt: () => calls.push('interrupt'),
    terminate: () => calls.push('terminate'),
    hangup: () => calls.push('hangup'),
    refuseSuspend: () => {
      calls.push('suspend?');
      return refuse;
    },
  };
}

describe('signal policy', () => {
  it('routes SIGINT, SIGTERM and SIGHUP to the engine and uninstalls cleanly', () => {
    const proc = new FakeProcess();
    const t = target(true);
    const uninstall = installSignalHandlers(t, proc as unknown as NodeJS.Process);
    proc.emit('SIGINT');
    proc.emit('SIGTERM');
    proc.emit('SIGHUP');
    expect(t.calls).toEqual(['interrupt', 'terminate', 'hangup']);
    uninstall();
    expect(
      proc.listenerCount('SIGINT') + proc.listenerCount('SIGHUP') + proc.listenerCount('SIGTSTP'),
    ).toBe(0);
  });

  it('refuses Ctrl-Z while the engine says so', () => {
    const proc = new FakeProcess();
    installSignalHandlers(target(true), proc as unknown as NodeJS.Process);
    proc.emit('SIGTSTP');
    expect(proc.killed).toEqual([]);
    expect(proc.listenerCount('SIGTSTP')).toBe(1);
  });

  it('otherwise stops like the default action and listens again after SIGCONT', () => {
    const proc = new FakeProcess();
    installSignalHandlers(target(false), proc as unknown as NodeJS.Process);
    proc.emit('SIGTSTP');
    expect(proc.killed).toEqual(['SIGTSTP']);
    expect(proc.listenerCount('SIGTSTP')).toBe(0);
    proc.emit('SIGCONT');
    expect(proc.listenerCount('SIGTSTP')).toBe(1);
  });
});
