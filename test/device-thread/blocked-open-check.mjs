/**
 * The blocked-open check for an emulated architecture (scripts/test-ppc64le.sh): the compiled
 * DeviceThread against the shim whose open() waits like flash.c `device_open`
 * (blocking_open.c). A stop must end the wait with EPERM within 1 s, in the device thread.
 * Usage: node blocked-open-check.mjs DIST_DIR SHIM_LIBRARY; prints TAP-like lines.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import koffi from 'koffi';

const [dist, library] = process.argv.slice(2);
const { DeviceThread } = await import(
  pathToFileURL(join(dist, 'flash/device-thread/device-thread.js')).href
);
const lib = koffi.load(library);
const openState = lib.func('int shim_open_state(void)');
const waitingThread = lib.func('long shim_waiting_thread(void)');

const dir = mkdtempSync(join(tmpdir(), 'cxl-blocked-'));
const path = join(dir, 'card0');
writeFileSync(`${path}.held`, '');
let failures = 0;
const check = (ok, what) => {
  console.log(`${ok ? 'ok' : 'not ok'} - ${what}`);
  if (!ok) failures++;
};
try {
  const image = { padded: new Uint8Array(new SharedArrayBuffer(4224)), size: 4096 };
  const thread = await DeviceThread.start({ kind: 'kernel', path, libraryPath: library }, image);
  const opened = thread.open();
  const deadline = Date.now() + 20_000;
  while (openState() !== 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
  check(openState() === 1, 'open() waits while another holder has the card');
  check(Number(waitingThread()) !== process.pid, 'the wait is in the device thread');
  const stoppedAt = performance.now();
  thread.requestStop();
  const outcome = await opened;
  const ms = performance.now() - stoppedAt;
  check(
    outcome.ok === false && outcome.errno === 1,
    `the driver answers EPERM (errno ${outcome.errno})`,
  );
  check(ms < 1000, `the wait ended ${ms.toFixed(0)} ms after the stop (< 1000)`);
  check(openState() === 2, 'the wait was ended by the signal, nothing opened');
  await thread.whenEnded();
} catch (error) {
  check(false, `blocked open: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(failures === 0 ? 0 : 1);
