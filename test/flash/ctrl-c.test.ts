import { describe, expect, it } from 'vitest';
import { ctrlCPolicy } from '../../src/flash/ctrl-c.js';

describe('Ctrl-C policy (design.md §5)', () => {
  it('quits before the device is opened', () => {
    for (const phase of ['starting', 'selectAdapter', 'review', 'opening'] as const) {
      expect(ctrlCPolicy(phase).action).toBe('quit');
      expect(ctrlCPolicy(phase).description).toMatch(/not been touched/);
    }
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
