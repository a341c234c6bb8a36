/**
 * Garbage collection kept out of the passes. A collection in the device thread stops it, and
 * one that falls between two calls is a gap the program made (the 3-second rule names GC). So
 * the thread gets a young generation large enough for a whole pass's garbage, and empties it
 * just before each pass, while no sequence is open: before the first download call nothing has
 * answered "continue", and the download's last call answered 0 before the validate pass begins.
 * A pass then runs without a collection: its calls make little garbage (the call log is shared
 * memory, the image is never copied), a few KiB a call on the simulator, less on the kernel.
 *
 * Both are V8 settings of the process (`v8.setFlagsFromString`): the young generation's size is
 * read when a thread's heap is made, so it is set just before the device thread starts and the
 * main thread's heap keeps its own; the collection function comes from `--expose-gc`, which new
 * contexts get from then on. The size setting costs the thread about 60 ms at start (measured:
 * a bare Worker starts in 46 ms, in 89 to 110 ms after any heap-size setting), once per flash,
 * before the device is opened.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * The least size of each half of the device thread's young generation. 16 MiB holds the garbage
 * of a pass of some 1,500 calls (1.5 GiB) on the simulator; pages are only backed once used.
 */
export const DEVICE_THREAD_SEMI_SPACE_MIB = 16;

/** Call in the main thread just before the device thread's Worker is made. */
export function sizeNextThreadsYoungGeneration(): void {
  setFlagsFromString(`--min-semi-space-size=${DEVICE_THREAD_SEMI_SPACE_MIB}`);
}

type Collect = (options: { type: 'minor' | 'major' }) => void;
let collect: Collect | null = null;

/** Empty this thread's young generation (a scavenge: about a millisecond). */
export function collectBeforePass(): void {
  if (!collect) {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  }
  collect({ type: 'minor' });
}
