import { describe, expect, it } from 'vitest';
import { chooseMode, isCi, whyNoQuestions } from '../../src/commands/mode.js';

describe('mode choice (docs/architecture.md §4)', () => {
  const tty = { stdinIsTTY: true, stdoutIsTTY: true, env: {} };
  it('is the wizard only with two terminals, no CI and no --json', () => {
    expect(chooseMode(tty)).toBe('interactive');
    expect(chooseMode({ ...tty, json: true })).toBe('json');
    expect(chooseMode({ ...tty, stdoutIsTTY: false })).toBe('plain');
    expect(chooseMode({ ...tty, stdinIsTTY: false })).toBe('plain');
    expect(chooseMode({ ...tty, env: { CI: 'true' } })).toBe('plain');
    expect(chooseMode({ stdinIsTTY: false, stdoutIsTTY: false, json: true })).toBe('json');
  });

  it('prints lines on TERM=dumb: a terminal without cursor addressing cannot redraw a screen', () => {
    expect(chooseMode({ ...tty, env: { TERM: 'dumb' } })).toBe('plain');
    expect(chooseMode({ ...tty, env: { TERM: 'dumb' }, json: true })).toBe('json');
    expect(chooseMode({ ...tty, env: { TERM: 'linux' } })).toBe('interactive');
    expect(whyNoQuestions({ ...tty, env: { TERM: 'dumb' } })).toMatch(/^TERM=dumb/);
  });

  it('reads CI like is-in-ci: set and not 0 or false', () => {
    expect(isCi({ CI: '1' })).toBe(true);
    expect(isCi({ CONTINUOUS_INTEGRATION: 'yes' })).toBe(true);
    expect(isCi({ CI: '0' })).toBe(false);
    expect(isCi({ CI: 'false' })).toBe(false);
    expect(isCi({})).toBe(false);
  });
});

describe('why nothing is asked (the message before "run again with --yes")', () => {
  const tty = { stdinIsTTY: true, stdoutIsTTY: true, env: {} };
  it('names CI in a real terminal, not a missing terminal', () => {
    expect(whyNoQuestions({ ...tty, env: { CI: '1' } })).toBe(
      'CI is set in the environment, and cxl-flasher asks no questions in CI',
    );
    expect(whyNoQuestions({ ...tty, env: { CONTINUOUS_INTEGRATION: 'yes' } })).toMatch(
      /^CONTINUOUS_INTEGRATION is set/,
    );
  });

  it('names the stream that is not a terminal, and --json', () => {
    expect(whyNoQuestions({ ...tty, stdoutIsTTY: false })).toBe(
      'there is no terminal to ask on (stdout is not a terminal)',
    );
    expect(whyNoQuestions({ env: {} })).toBe(
      'there is no terminal to ask on (stdin and stdout are not terminals)',
    );
    expect(whyNoQuestions({ ...tty, json: true })).toBe('--json never asks questions');
  });
});
