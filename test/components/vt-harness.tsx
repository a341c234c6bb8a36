/**
 * Run in a child process without CI set (Ink only draws live frames outside CI): mounts the
 * wizard with the production render options on a fake 80x24 TTY, walks it through a flash,
 * replays everything Ink wrote on a VirtualTerminal and prints the screen as JSON.
 * argv[2] === 'incremental' turns Ink's incremental renderer on instead.
 */
import { renderWizard, INK_OPTIONS } from '../../src/components/render-app.js';
import { UNICODE_GLYPHS } from '../../src/components/glyphs.js';
import { emit, enter, FREE_CARD, recordingActions, snapshot, storeAt } from './fixtures.js';
import { TestStdin, TestStdout } from './render.js';
import { VirtualTerminal } from './vt.js';
import { render } from 'ink';
import { App } from '../../src/app.js';

const incremental = process.argv[2] === 'incremental';
const stdout = new TestStdout(80, 24);
const vt = new VirtualTerminal(80, 24);
const write = stdout.write;
stdout.write = (data: string) => {
  vt.write(data);
  return write(data);
};
const streams = {
  stdout: stdout as unknown as NodeJS.WriteStream,
  stdin: new TestStdin() as unknown as NodeJS.ReadStream,
  stderr: new TestStdout() as unknown as NodeJS.WriteStream,
};
const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 150));

const store = storeAt('selectAdapter', { simulated: true });
const { actions } = recordingActions();
const instance = incremental
  ? render(<App store={store} actions={actions} glyphs={UNICODE_GLYPHS} />, {
      ...INK_OPTIONS,
      incrementalRendering: true,
      ...streams,
    })
  : renderWizard(store, actions, { ...streams, glyphs: UNICODE_GLYPHS });
await pause();
emit(store, { event: 'adapter', card: FREE_CARD });
enter(store, 'download');
for (let call = 1; call <= 64; call += 9) {
  emit(store, { event: 'progress', ...snapshot({ calls: 64, call }) });
  await pause();
}
enter(store, 'validate');
emit(store, { event: 'progress', ...snapshot({ phase: 'validate', calls: 64, call: 7 }) });
await pause();
process.stdout.write(JSON.stringify(vt.screen()));
instance.unmount();
process.exit(0);
