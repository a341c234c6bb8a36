import { describe, expect, it } from 'vitest';
import { chunkPlan, summarisePlan } from '../../src/image/chunk-plan.js';

const sizes = (n: number): number[] => chunkPlan(n).calls.map((c) => c.lenData);

describe('chunk plan (docs/kernel-contract.md §4.8)', () => {
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
    expect(sizes(3840)).toEqual([3840]);
    expect(sizes(3967)).toEqual([3840, 127]);
    expect(sizes(3968)).toEqual([3968]);
    expect(sizes(1_048_448)).toEqual([1_048_448]);
    expect(sizes(1_048_449)).toEqual([1_048_448, 1]);
    expect(sizes(1_048_576)).toEqual([1_048_448, 128]);
    expect(sizes(1_048_577)).toEqual([1_048_448, 129]);
  });

  it('summarises a pass for display: calls per pass, both passes, first and last sizes', () => {
    expect(summarisePlan(chunkPlan(1_048_577))).toEqual({
      lenImage: 1_048_577,
      callsPerPass: 2,
      totalCalls: 4,
      firstLenData: 1_048_448,
      lastLenData: 129,
      smallFirstChunk: false,
    });
    expect(summarisePlan(chunkPlan(0))).toMatchObject({
      callsPerPass: 0,
      totalCalls: 0,
      firstLenData: null,
      lastLenData: null,
      smallFirstChunk: false,
    });
  });

  it('flags the small first chunk the driver over-reads (docs/kernel-contract.md §3) below 3968 bytes', () => {
    expect(summarisePlan(chunkPlan(1)).smallFirstChunk).toBe(true);
    expect(summarisePlan(chunkPlan(3967)).smallFirstChunk).toBe(true);
    expect(summarisePlan(chunkPlan(3968)).smallFirstChunk).toBe(false);
    expect(summarisePlan(chunkPlan(1_048_449)).smallFirstChunk).toBe(false);
  });

  it('never plans a header call of 3841..3967 bytes: on 4 KiB pages handle_image would write past buffer[0]', () => {
    expect(sizes(3841)).toEqual([3840, 1]);
    expect(sizes(3900)).toEqual([3840, 60]);
    for (let size = 3700; size < 4200; size++) {
      const first = chunkPlan(size).calls[0]?.lenData ?? 0;
      expect(first <= 3840 || first >= 3968).toBe(true);
    }
  });

  it('plans 200 MiB in 201 calls per pass (the plan only: no image is allocated)', () => {
    const plan = chunkPlan(200 * 1_048_576);
    expect(plan.calls.length).toBe(201);
    expect(plan.calls[0]?.lenData).toBe(1_048_448);
    expect(plan.calls.at(-1)?.lenData).toBe(128);
    expect(summarisePlan(plan)).toMatchObject({ callsPerPass: 201, totalCalls: 402 });
  });

  it('refuses sizes that are not byte counts', () => {
    expect(() => chunkPlan(-1)).toThrow(RangeError);
    expect(() => chunkPlan(1.5)).toThrow(RangeError);
  });
});
