/**
 * frame-diff.ts: a stream of frames written through the differ draws exactly what the full
 * frames draw (text and colours), on a virtual terminal, while writing fewer bytes.
 */
import { describe, expect, it } from 'vitest';
import {
  FrameDiffer,
  lineUpdate,
  parseCells,
  parseFrameWrite,
} from '../../src/components/frame-diff.js';
import { VirtualTerminal } from './vt.js';

const ESC = '\u001B';
const eraseLines = (count: number): string => {
  let out = '';
  for (let i = 0; i < count; i++) out += `${ESC}[2K${i < count - 1 ? `${ESC}[1A` : ''}`;
  return count ? `${out}${ESC}[G` : '';
};

/** What Ink's standard renderer writes for `frame` after a frame of `previousRows` rows. */
const standardWrite = (previousRows: number | null, frame: string[]): string =>
  `${previousRows === null ? '' : eraseLines(previousRows + 1)}${frame.join('\n')}\n`;

/** A deterministic pseudo-random source (mulberry32). */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STYLES = ['', `${ESC}[1m`, `${ESC}[2m`, `${ESC}[32m`, `${ESC}[43m${ESC}[30m`, `${ESC}[7m`];
const RESET = [`${ESC}[22m`, `${ESC}[39m`, `${ESC}[0m`, `${ESC}[27m`, `${ESC}[49m`];
const GLYPHS = 'ab █░▶·✗⚠─界';

function randomLine(next: () => number, width: number): string {
  let line = '';
  let used = 0;
  const target = Math.floor(next() * (width + 1));
  while (used < target) {
    if (next() < 0.2) line += STYLES[Math.floor(next() * STYLES.length)];
    if (next() < 0.1) line += RESET[Math.floor(next() * RESET.length)];
    const ch = GLYPHS[Math.floor(next() * GLYPHS.length)] ?? 'a';
    const w = ch === '界' ? 2 : 1;
    if (used + w > width) break;
    line += ch;
    used += w;
  }
  return `${line}${ESC}[0m`;
}

/** The next frame: mostly the previous one, with a few rows changed, sometimes taller or shorter. */
function evolve(next: () => number, previous: string[], width: number, maxRows: number): string[] {
  const rows = next() < 0.2 ? 1 + Math.floor(next() * maxRows) : previous.length || 5;
  return Array.from({ length: rows }, (_, r) =>
    previous[r] !== undefined && next() < 0.7 ? previous[r] : randomLine(next, width),
  );
}

describe('frame diffing', () => {
  it('draws exactly what the full frames draw, colours included, over 400 random frames', () => {
    const width = 30;
    const height = 16;
    const full = new VirtualTerminal(width, height);
    const diffed = new VirtualTerminal(width, height);
    const differ = new FrameDiffer();
    const next = random(7);
    let frame: string[] = [];
    let previousRows: number | null = null;
    let fullBytes = 0;
    let diffedBytes = 0;
    for (let step = 0; step < 400; step++) {
      frame = evolve(next, frame, width, height - 2);
      const write = standardWrite(previousRows, frame);
      previousRows = frame.length;
      const out = differ.transform(write);
      full.write(write);
      diffed.write(out);
      fullBytes += write.length;
      diffedBytes += out.length;
      expect(diffed.styledScreen(), `frame ${step}`).toEqual(full.styledScreen());
    }
    expect(diffedBytes).toBeLessThan(fullBytes * 0.6);
  });

  it('writes only the changed cells of a progress row', () => {
    const before = ` Download ${ESC}[32m${'█'.repeat(6)}${ESC}[39m${'░'.repeat(32)}  15%`;
    const after = ` Download ${ESC}[32m${'█'.repeat(7)}${ESC}[39m${'░'.repeat(31)}  17%`;
    const update = lineUpdate(before, after);
    // two runs: the bar's new cell (column 17) and the percentage digit (column 52)
    expect(update).toBe(`${ESC}[17G${ESC}[0m${ESC}[32m█${ESC}[0m${ESC}[52G${ESC}[0m7`);
    const vt = new VirtualTerminal(60, 1);
    vt.write(before);
    vt.write(`\r${update}`);
    const reference = new VirtualTerminal(60, 1);
    reference.write(after);
    expect(vt.styledScreen()).toEqual(reference.styledScreen());
    expect(Buffer.byteLength(update)).toBeLessThan(Buffer.byteLength(after) / 3);
  });

  it('rewrites a whole line holding a wide character or an escape other than colour', () => {
    expect(parseCells('ok 界')).toBeNull();
    expect(parseCells(`a${ESC}]8;;http://x${ESC}\\b`)).toBeNull();
    expect(lineUpdate('ok 界', 'ok 界!')).toBe(`${ESC}[2Kok 界!`);
  });

  it('passes through what is not a frame, and a frame whose erase does not match the last one', () => {
    const differ = new FrameDiffer();
    expect(differ.transform('a\nb\n')).toBe('a\nb\n'); // first frame
    expect(differ.transform(`${ESC}[?2026h`)).toBe(`${ESC}[?2026h`); // neutral
    const mismatch = `${eraseLines(5)}a\nc\n`; // Ink thinks 4 rows were there
    expect(differ.transform(mismatch)).toBe(mismatch);
    expect(differ.transform(`${eraseLines(3)}a\nd\n`)).toBe(`${ESC}[2A\r\n${ESC}[1G${ESC}[0md\r\n`);
    expect(differ.transform(`${ESC}[2J${ESC}[3J${ESC}[H`)).toContain('[2J'); // a clear: unknown screen
    expect(differ.transform(`${eraseLines(3)}a\nd\n`)).toBe(`${eraseLines(3)}a\nd\n`);
    expect(parseFrameWrite('no newline at the end')).toBeNull();
  });
});
