/**
 * Signals aimed at one thread: how a stop request reaches the device thread while it waits in
 * the driver's `open()`. flash.c `device_open` waits with `down_interruptible`; a signal
 * delivered to the waiting thread ends that wait and the driver answers -EPERM (never a restart),
 * so the open fails at once and no device is opened. A process-directed signal would go to
 * whichever thread does not block it (usually the main one) and leave the wait alone.
 *
 * The target learns its own kernel thread id from `/proc/thread-self` (Linux 3.17 and later);
 * the sender calls tgkill(2) through syscall(2), since glibc only wraps tgkill from 2.30 on and
 * RHEL 8 (Linux 4.18) ships 2.28. glibc's `syscall` is written in assembly and reads its
 * arguments from registers, so a fixed four-argument prototype is exact on x86-64 and ppc64le.
 */
import { readlinkSync } from 'node:fs';
import koffi from './koffi.js';
import type { KoffiFunc } from 'koffi';

/**
 * The signal used to interrupt the device thread. A handler must be installed (Node's, through
 * `process.on`) or the default action would end the process; with a handler, the interrupted
 * wait returns and the handler itself does nothing.
 */
export const THREAD_STOP_SIGNAL = 'SIGUSR2';
const SIGUSR2 = 12; // the same on x86-64, ppc64le and arm64 Linux

/** tgkill's number per architecture (arch/*\/syscall tables). */
const SYS_TGKILL: Partial<Record<string, number>> = { x64: 234, ppc64: 250, arm64: 131 };

/** This thread's kernel id (the TID in /proc/PID/task), or null when /proc cannot tell. */
export function currentThreadId(): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isSafeInteger(tid) && tid > 0 ? tid : null;
  } catch {
    return null;
  }
}

type SyscallFn = (number: number, a: number, b: number, c: number) => number;
let syscallFn: KoffiFunc<SyscallFn> | undefined;
let libc: ReturnType<typeof koffi.load> | undefined;
/** The C library, loaded once for this module's two calls. */
const loadLibc = (): ReturnType<typeof koffi.load> => (libc ??= koffi.load('libc.so.6'));

let handlerInstalled = false;
/**
 * Installs the do-nothing handler once, for the life of the process: removing it while a signal
 * is on its way would let the default action end the process.
 */
export function prepareThreadStopSignal(): void {
  if (handlerInstalled) return;
  handlerInstalled = true;
  process.on(THREAD_STOP_SIGNAL, () => {});
}

/** Whether this architecture can aim a signal at one thread. */
export function canSignalThreads(arch: string = process.arch): boolean {
  return SYS_TGKILL[arch] !== undefined;
}

/**
 * Send the stop signal to thread `tid` of this process; false when it could not be sent (an
 * unknown architecture, or the thread has already ended: ESRCH).
 */
export function signalThread(tid: number): boolean {
  const number = SYS_TGKILL[process.arch];
  if (number === undefined) return false;
  prepareThreadStopSignal();
  syscallFn ??= loadLibc().func(
    'long syscall(long number, long a, long b, long c)',
  ) as KoffiFunc<SyscallFn>;
  return syscallFn(number, process.pid, tid, SIGUSR2) === 0;
}

type SetPriorityFn = (which: number, who: number, prio: number) => number;
const PRIO_PROCESS = 0;

/**
 * Raise this thread's scheduling priority (a lower nice value) where the process may: root can,
 * others get EACCES and keep the default. The device thread asks for it so that, on a machine
 * whose cores are busy (the screen, other processes), it is not the thread the scheduler makes
 * wait between two calls. Returns whether it took effect.
 */
export function raiseThisThreadPriority(
  nice: number,
  tid: number | null = currentThreadId(),
): boolean {
  if (tid === null) return false;
  try {
    const fn = loadLibc().func(
      'int setpriority(int which, uint32_t who, int prio)',
    ) as KoffiFunc<SetPriorityFn>;
    return fn(PRIO_PROCESS, tid, nice) === 0;
  } catch {
    return false;
  }
}
