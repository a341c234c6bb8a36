import { describe, expect, it } from 'vitest';
import { chunkPlan } from '../../src/image/chunk-plan.js';

const sizes = (n: number): number[] => chunkPlan(n).calls.map((c) => c.lenData);

describe('chunk plan (kernel-abi.md §4.8)', () => {
  it('sends the first call with NEED_HEADER and at most 1,048,448 bytes', () => {
    const plan = chunkPlan(3 * 1_048_576);
    expect(plan.calls[0]).toEqual({ index: 0, offset: 0, lenData: 1_048_448, flags: 1n });
    expect(plan.calls.slice(1).every((c) => c.flags === 0n)).toBe(true);
    expect(sizes(3 * 1_048_576)).toEqual([1_048_448, 1_048_576, 1_048_576, 128]);
  });

  it('covers every byte exactly once, in order', () => {
    const plan = chunkPlan(5_000_000);
    let offset = 0;
    for (const call of plan.calls) {
      expect(call.offset).toBe(offset);
      offset += call.lenData;
    }
    expect(offset).toBe(5_000_000);
  });

  it('handles the boundary sizes', () => {
    expect(sizes(0)).toEqual([]);
    expect(sizes(1)).toEqual([1]);
    expect(sizes(1_048_448)).toEqual([1_048_448]);
    expect(sizes(1_048_449)).toEqual([1_048_448, 1]);
    expect(sizes(1_048_576)).toEqual([1_048_448, 128]);
  });

  it('plans 200 MiB in 201 calls', () => {
    const plan = chunkPlan(200 * 1_048_576);
    expect(plan.calls.length).toBe(201);
    expect(plan.calls.at(-1)?.lenData).toBe(128);
  });

  it('refuses sizes that are not byte counts', () => {
    expect(() => chunkPlan(-1)).toThrow(RangeError);
    expect(() => chunkPlan(1.5)).toThrow(RangeError);
  });
});
