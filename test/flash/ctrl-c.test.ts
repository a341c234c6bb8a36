import { describe, expect, it } from 'vitest';
import { ctrlCPolicy } from '../../src/flash/ctrl-c.js';

describe('Ctrl-C policy (docs/architecture.md §5)', () => {
  it('quits before the device is opened', () => {
    for (const phase of ['starting', 'selectAdapter', 'review'] as const) {
      expect(ctrlCPolicy(phase).action).toBe('quit');
      expect(ctrlCPolicy(phase).description).toMatch(/not been touched/);
    }
    // an open that went through already reset the adapter on close (docs/kernel-contract.md §4.5)
    expect(ctrlCPolicy('opening').action).toBe('quit');
    expect(ctrlCPolicy('opening').description).toMatch(/closing the device resets the adapter/);
  });

  it('says what a headless run does: a second Ctrl-C within 5 s is the confirmation', () => {
    expect(ctrlCPolicy('download', false).description).toMatch(/^Ctrl-C twice within 5 s aborts/);
    expect(ctrlCPolicy('download', true).description).toMatch(/^Ctrl-C asks before aborting/);
  });

  it('asks for confirmation during the transfer and spells out the consequence', () => {
    for (const phase of ['download', 'validate'] as const) {
      expect(ctrlCPolicy(phase).action).toBe('confirm-abort');
      expect(ctrlCPolicy(phase).description).toMatch(/resets the adapter.*no valid image/);
    }
  });

  it('is deferred during the reload', () => {
    expect(ctrlCPolicy('reload').action).toBe('deferred');
    expect(ctrlCPolicy('summary').action).toBe('exit');
  });
});
