/** Outside strings made safe for a terminal: visible, escaped, never able to forge a line. */
import { describe, expect, it } from 'vitest';
import { UNSAFE_FOR_TERMINAL, quoteInput, shown, terminalSafe } from '../../src/terminal-text.js';

describe('shown', () => {
  it('leaves an ordinary name exactly as it is', () => {
    expect(shown('/srv/images/adapter-v2.bin')).toBe('/srv/images/adapter-v2.bin');
    expect(shown('dösbänk ✓ 画像.bin')).toBe('dösbänk ✓ 画像.bin');
    expect(shown("it's here.bin")).toBe("it's here.bin");
    expect(shown('')).toBe('');
  });

  it("quotes a name with control characters the way ls does, $'...', each one visible", () => {
    expect(shown('a\x1b]2;pwned\x07b')).toBe("$'a\\e]2;pwned\\ab'");
    expect(shown('x\ny')).toBe("$'x\\ny'");
    expect(shown('x\ry')).toBe("$'x\\ry'");
    expect(shown('x\ty')).toBe("$'x\\ty'");
    expect(shown('x\x00y\x7f')).toBe("$'x\\x00y\\u007f'");
    expect(shown('x\x9b31m')).toBe("$'x\\u009b31m'");
    expect(shown('x\u202eexe.bin')).toBe("$'x\\u202eexe.bin'");
    expect(shown('x\u2066y\u2069')).toBe("$'x\\u2066y\\u2069'");
    expect(shown('x\u2028y\u2029')).toBe("$'x\\u2028y\\u2029'");
    expect(shown('x\u200fy')).toBe("$'x\\u200fy'");
  });

  it("escapes the quote and the backslash inside $'...', so bash reads the exact name back", () => {
    expect(shown("it's\n\\")).toBe("$'it\\'s\\n\\\\'");
  });

  it('never lets a newline forge a line, and leaves no control character at all', () => {
    const forged = 'evil.bin\nsuccess (exit 0): flashed\r\x1b[2K';
    const out = shown(forged);
    expect(out).not.toMatch(UNSAFE_FOR_TERMINAL);
    expect(out.split('\n')).toHaveLength(1);
  });

  it('takes what is not a string (a number, null) as its text', () => {
    expect(shown(42)).toBe('42');
    expect(shown(null)).toBe('null');
  });
});

describe('terminalSafe (the net for a whole line of program text)', () => {
  it('keeps the newlines the program wrote and escapes every other control character', () => {
    expect(terminalSafe('one\ntwo\x1b]0;t\x07\r')).toBe('one\ntwo\\e]0;t\\a\\r');
    for (const line of terminalSafe('one\ntwo\x1b]0;t\x07\u202e').split('\n'))
      expect(line).not.toMatch(UNSAFE_FOR_TERMINAL);
  });
});

describe('terminalSafe on JSON text', () => {
  it('keeps every value exactly: what JSON.stringify leaves raw becomes the same \\u escape', () => {
    const value = { name: 'a\x1b\x7f\x9b\u202e\u2028\tb', n: [1, 'x\ny'] };
    const text = terminalSafe(JSON.stringify(value, null, 2));
    expect(JSON.parse(text)).toEqual(value);
    for (const line of text.split('\n')) expect(line).not.toMatch(UNSAFE_FOR_TERMINAL);
  });
});

describe('quoteInput', () => {
  it('quotes short input whole', () => {
    expect(quoteInput('abc')).toBe('"abc"');
  });

  it('caps long input and says how much was left out', () => {
    const out = quoteInput('x'.repeat(1024 * 1024), 80);
    expect(out.length).toBeLessThan(140);
    expect(out).toContain('1,048,496 more characters');
  });

  it('escapes control characters in what it quotes', () => {
    expect(quoteInput('a\x1bb\nc')).toBe('"a\\eb\\nc"');
    expect(quoteInput('a\x1bb')).not.toMatch(UNSAFE_FOR_TERMINAL);
  });
});
