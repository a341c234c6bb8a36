import { describe, expect, it } from 'vitest';
import { cellFor, layoutChunkMap, runsOf } from '../../src/components/chunk-map.js';
import { gapGauge, gapLevel, isLongBusy } from '../../src/components/gap-level.js';
import { capList, fitWrapped, formatWhen, wrappedRows } from '../../src/components/layout.js';
import { transferBudget } from '../../src/components/transfer-budget.js';

describe('chunk map layout', () => {
  it('gives each of 256 calls its own cell, wrapped to the width', () => {
    const chunks = 'd'.repeat(95) + 'f' + 'p'.repeat(160);
    const { rows, callsPerCell } = layoutChunkMap(chunks, 78, 6);
    expect(callsPerCell).toBe(1);
    expect(rows.map((r) => r.length)).toEqual([78, 78, 78, 22]);
    expect(rows[1]?.[95 - 78]).toBe('inFlight');
    expect(rows[1]?.[94 - 78]).toBe('done');
  });

  it('groups calls when they do not fit, and says how many per cell', () => {
    const { rows, callsPerCell } = layoutChunkMap('d'.repeat(1000), 78, 4);
    expect(callsPerCell).toBe(4);
    expect(rows).toHaveLength(4);
    expect(rows.flat()).toHaveLength(250);
  });

  it('lets a failure or the call in flight win inside a group, and marks a mix as partial', () => {
    expect(cellFor('ddxp')).toBe('failed');
    expect(cellFor('ddfp')).toBe('inFlight');
    expect(cellFor('dddd')).toBe('done');
    expect(cellFor('pppp')).toBe('pending');
    expect(cellFor('ddpp')).toBe('partial');
  });

  it('draws runs of equal cells', () => {
    expect(runsOf(['done', 'done', 'inFlight', 'pending'])).toEqual([
      { state: 'done', length: 2 },
      { state: 'inFlight', length: 1 },
      { state: 'pending', length: 1 },
    ]);
  });
});

describe('transfer budget', () => {
  it('fits the whole 256-call map and one warning into an 80x24 body', () => {
    const b = transferBudget({
      bodyRows: 18,
      width: 78,
      calls: 256,
      validate: false,
      timingRows: 2,
      warnings: 3,
    });
    expect(b.mapRows).toBe(4);
    expect(b.warnings).toBe(2);
  });

  it('shrinks the map before it drops below one row', () => {
    const b = transferBudget({
      bodyRows: 12,
      width: 78,
      calls: 1024,
      validate: true,
      timingRows: 5,
      warnings: 1,
    });
    expect(b.mapRows).toBe(1);
    expect(b.warnings).toBe(0);
  });
});

describe('gap levels', () => {
  it('is calm below 1 s, a warning from 1 s, critical from 2.5 s', () => {
    expect(gapLevel(999)).toBe('normal');
    expect(gapLevel(1000)).toBe('warning');
    expect(gapLevel(2499)).toBe('warning');
    expect(gapLevel(2500)).toBe('critical');
    expect(isLongBusy(4999)).toBe(false);
    expect(isLongBusy(5000)).toBe(true);
    expect(isLongBusy(null)).toBe(false);
  });

  it('fills the gauge in proportion to the 3-second limit, never past it', () => {
    expect(gapGauge(1500, 10, '#', '-')).toBe('#####-----');
    expect(gapGauge(9000, 10, '#', '-')).toBe('##########');
  });
});

describe('layout helpers', () => {
  it('counts wrapped rows like a greedy word wrap', () => {
    expect(wrappedRows('short', 80)).toBe(1);
    expect(wrappedRows('aaaa bbbb cccc', 9)).toBe(2);
    expect(wrappedRows('x'.repeat(25), 10)).toBe(3);
    expect(wrappedRows('one\ntwo', 80)).toBe(2);
  });

  it('caps lists and says how many were hidden', () => {
    expect(capList([1, 2, 3], 2)).toEqual({ shown: [1, 2], hidden: 1 });
    expect(capList([1], 5)).toEqual({ shown: [1], hidden: 0 });
  });

  it('fits wrapped texts into rows, keeping one row for the line that says more are left', () => {
    const two = 'a'.repeat(15); // two rows at width 10
    expect(fitWrapped([two, two], 10, 4)).toEqual({ shown: [two, two], hidden: 0 });
    expect(fitWrapped([two, two, two], 10, 5)).toEqual({ shown: [two, two], hidden: 1 });
    expect(fitWrapped([two, two, two], 10, 4)).toEqual({ shown: [two], hidden: 2 });
    expect(fitWrapped([two], 10, 0)).toEqual({ shown: [], hidden: 1 });
  });

  it('prints times in UTC and says so', () => {
    expect(formatWhen('2026-11-25T07:00:59.000Z')).toBe('2026-11-25 07:00 UTC');
    expect(formatWhen('not a time')).toBe('not a time');
  });
});
