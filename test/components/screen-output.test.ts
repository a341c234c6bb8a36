/**
 * The wizard's screen on a non-blocking channel: while the terminal does not drain only the
 * newest frame is kept, it is written as an update of the frame really on screen, and a write's
 * callback (Ink's unmount waits on one) fires after what came before has gone out, never at once.
 */
import { describe, expect, it } from 'vitest';
import { screenOnChannel } from '../../src/components/screen-output.js';
import { OutputChannel } from '../../src/report/output-channel.js';

const ESC = '\u001B';
const ERASE = (rows: number): string =>
  rows === 0 ? '' : `${ESC}[2K` + `${ESC}[1A${ESC}[2K`.repeat(rows - 1) + `${ESC}[G`;

function stalledTerminal() {
  const written: string[] = [];
  let open = true;
  const channel = new OutputChannel(1, {
    writeSync: (_fd, data) => {
      if (!open) throw Object.assign(new Error('EAGAIN'), { code: 'EAGAIN' });
      written.push(data.toString());
      return data.length;
    },
  });
  const stream = { columns: 80, rows: 24, isTTY: true } as unknown as NodeJS.WriteStream;
  return {
    screen: screenOnChannel(stream, channel),
    channel,
    written,
    stall: () => (open = false),
    resume: () => (open = true),
  };
}

describe('screenOnChannel', () => {
  it('keeps only the newest frame while stalled, then writes it over the frame on screen', async () => {
    const t = stalledTerminal();
    t.screen.write(`first a\nfirst b\n`);
    t.stall();
    t.screen.write(`${ERASE(3)}second a\nsecond b\n`); // fails: the channel now waits
    for (let i = 0; i < 20; i++) t.screen.write(`${ERASE(3)}frame ${i}\nline\n`);
    t.screen.write(`${ERASE(3)}last a\nlast b\nlast c\n`);
    expect(t.written.join('')).toBe('first a\nfirst b\n');
    t.resume();
    await t.channel.drained();
    const after = t.written.slice(1).join('');
    expect(after).not.toMatch(/frame \d+/); // the frames in between were never written
    expect(after).toContain('last');
    expect(after).toContain('c'); // the new third row
  });

  it("calls a write's callback after the queued output went out, never synchronously", async () => {
    const t = stalledTerminal();
    t.stall();
    t.screen.write('x\n');
    let called = false;
    t.screen.write('', () => (called = true));
    expect(called).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(called).toBe(false); // still stalled
    t.resume();
    await t.channel.drained();
    await Promise.resolve();
    expect(called).toBe(true);
  });
});
