/** The words for a failure after a gap over the hypervisor's 3-second limit (pure). */
import { describe, expect, it } from 'vitest';
import { EventBus } from '../../src/flash/event-bus.js';
import { abandonedByGap, classifyPassFailure } from '../../src/flash/failure.js';
import { watchGapCause } from '../../src/flash/gap-cause.js';
import { EBUSY } from '../../src/ioctl/errno.js';

const hState = { rc: -75, name: 'H_STATE', meaning: 'not in a valid state' };

describe('a gap over 3 s in words', () => {
  it('says nothing when the largest gap was within the limit', () => {
    expect(abandonedByGap(null, null)).toBeNull();
    expect(abandonedByGap(3000, null)).toBeNull();
  });

  it('names a stop that fell while a call was in flight, which the gap figure cannot see', () => {
    expect(abandonedByGap(0.2, 'stopped')).toMatch(
      /^This process was stopped or starved for more than 3 s .* while a call was in the hypervisor/,
    );
  });

  it('names the gap in seconds, and the cause when known', () => {
    expect(abandonedByGap(4512, null)).toBe(
      'The hypervisor abandoned the sequence because of a gap of 4.5 s between calls (its limit is 3 s).',
    );
    expect(abandonedByGap(4512, 'stopped')).toMatch(
      /gap of 4\.5 s between calls \(its limit is 3 s\): this process was stopped or starved/,
    );
  });

  it('a failed download after such a gap says so first, then the bare code', () => {
    const failed = { kind: 'failed', call: 4, errno: EBUSY, returned: -1 } as const;
    const v = classifyPassFailure('download', failed, 7, hState, 'r', {
      largestGapMs: 4512,
      cause: 'stopped',
    });
    expect(v.message).toMatch(
      /^The hypervisor abandoned the sequence because of a gap of 4\.5 s .*stopped or starved.* Then the download call 5 of 7 failed with EBUSY \(hypervisor H_STATE\)\.$/,
    );
    const plain = classifyPassFailure('download', failed, 7, hState, 'r', {
      largestGapMs: 120,
      cause: null,
    });
    expect(plain.message).toBe('The download call 5 of 7 failed with EBUSY (hypervisor H_STATE).');
  });

  it('takes a stop as the cause from a stalled-critical warning on the bus', () => {
    const bus = new EventBus();
    const cause = watchGapCause(bus);
    bus.emit({ event: 'warning', code: 'gap', message: 'm' });
    expect(cause()).toBeNull();
    bus.emit({ event: 'warning', code: 'stalled-critical', message: 'm' });
    expect(cause()).toBe('stopped');
  });
});
