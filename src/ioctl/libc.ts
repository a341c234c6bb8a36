/**
 * libc bindings through koffi (loaded by ./koffi.ts), the only module that uses it. Every
 * fixed-argument (docs/terminal-notes.md §5.1): koffi has no `.async` for variadic functions, and on
 * ppc64le ELFv2 koffi always reserves the parameter save area a variadic callee may spill into.
 */
import koffi from './koffi.js';
import type { KoffiFunc } from 'koffi';

/** Linux open(2) flags; the same values on powerpc and the generic ABI. */
export const O_RDONLY = 0;
export const O_RDWR = 0o2;
export const O_CLOEXEC = 0o2000000;
/** flock(2) operations. */
export const LOCK_SH = 1;
export const LOCK_EX = 2;
export const LOCK_NB = 4;
export const LOCK_UN = 8;

export interface SyscallResult {
  readonly result: number;
  /** errno read in the completion callback, on the thread that made the call (koffi >= 3.2) */
  readonly errno: number;
}

export interface LibcOptions {
  /** the shared library that provides open/ioctl/close/flock; tests pass the C shim's path */
  readonly libraryPath?: string;
  /**
   * Where open/ioctl/close run: 'thread-pool' (koffi's `.async`, the caller's event loop stays
   * free) or 'caller' (synchronously on the calling thread, as the device thread does: nothing
   * of an event loop sits between two calls, and a signal sent to that thread reaches the call).
   */
  readonly callsOn?: 'thread-pool' | 'caller';
}

type OpenFn = (path: string, flags: number, mode: number) => number;
type IoctlFn = (fd: number, request: bigint, arg: Buffer) => number;
type IntFn = (fd: number) => number;
type FlockFn = (fd: number, operation: number) => number;

/** A synchronous call on this thread; errno is read before anything else can run. */
function callHere<A extends unknown[]>(
  fn: KoffiFunc<(...args: A) => number>,
  args: A,
): Promise<SyscallResult> {
  const result = fn(...args);
  const errno = result < 0 ? koffi.errno() : 0;
  return Promise.resolve({ result, errno });
}

function callAsync<A extends unknown[]>(
  fn: KoffiFunc<(...args: A) => number>,
  args: A,
  keepAlive: readonly unknown[],
): Promise<SyscallResult> {
  return new Promise((resolve, reject) => {
    fn.async(...args, (err: unknown, result: number) => {
      // errno must be read synchronously here, before any await (docs/terminal-notes.md §5.2).
      const errno = koffi.errno();
      // keepAlive holds every buffer whose raw address the kernel may read until now.
      void keepAlive.length;
      if (err) reject(err instanceof Error ? err : new Error(String(err)));
      else resolve({ result, errno: result < 0 ? errno : 0 });
    });
  });
}

export class Libc {
  readonly libraryPath: string;
  private readonly openFn: KoffiFunc<OpenFn>;
  private readonly ioctlFn: KoffiFunc<IoctlFn>;
  private readonly closeFn: KoffiFunc<IntFn>;
  private readonly flockFn: KoffiFunc<FlockFn>;

  private readonly here: boolean;

  constructor(options: LibcOptions = {}) {
    this.libraryPath = options.libraryPath ?? 'libc.so.6';
    this.here = options.callsOn === 'caller';
    const lib = koffi.load(this.libraryPath);
    this.openFn = lib.func(
      'int open(const char *path, int flags, uint32_t mode)',
    ) as KoffiFunc<OpenFn>;
    // §2: the request travels as an unsigned long; the kernel truncates it to 32 bits.
    this.ioctlFn = lib.func(
      'int ioctl(int fd, unsigned long request, void *arg)',
    ) as KoffiFunc<IoctlFn>;
    this.closeFn = lib.func('int close(int fd)') as KoffiFunc<IntFn>;
    this.flockFn = lib.func('int flock(int fd, int operation)') as KoffiFunc<FlockFn>;
  }

  open(path: string, flags: number): Promise<SyscallResult> {
    if (this.here) return callHere(this.openFn, [path, flags, 0]);
    return callAsync(this.openFn, [path, flags, 0], []);
  }

  /**
   * ioctl on a worker thread. `arg` is the struct; `keepAlive` lists every buffer whose address
   * the struct carries, so none is collected or moved while the kernel reads it.
   */
  ioctl(
    fd: number,
    request: number,
    arg: Buffer,
    keepAlive: readonly unknown[],
  ): Promise<SyscallResult> {
    if (this.here) return callHere(this.ioctlFn, [fd, BigInt(request), arg]);
    return callAsync(this.ioctlFn, [fd, BigInt(request), arg], [arg, ...keepAlive]);
  }

  close(fd: number): Promise<SyscallResult> {
    if (this.here) return callHere(this.closeFn, [fd]);
    return callAsync(this.closeFn, [fd], []);
  }

  /** Non-blocking use only (LOCK_NB), so it runs on the main thread. */
  flockSync(fd: number, operation: number): SyscallResult {
    const result = this.flockFn(fd, operation);
    return { result, errno: result < 0 ? koffi.errno() : 0 };
  }

  /** Blocking flock on a worker thread. */
  flock(fd: number, operation: number): Promise<SyscallResult> {
    return callAsync(this.flockFn, [fd, operation], []);
  }
}

/** The raw address of a buffer's first byte, for the struct's `data` field (§1). */
export function addressOf(bytes: Uint8Array): bigint {
  return koffi.address(bytes);
}

let defaultLibc: Libc | undefined;
/** The process-wide binding to the system C library, created on first use. */
export function systemLibc(): Libc {
  defaultLibc ??= new Libc();
  return defaultLibc;
}
