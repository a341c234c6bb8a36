import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCards } from '../../src/hardware/cards.js';
import { describeCardChanges, waitForReload } from '../../src/hardware/reload-watcher.js';
import { present } from '../helpers/present.js';
import { addGuestCard, FixtureTree, PDEV } from '../helpers/fixture-tree.js';

const LOC = 'U78CB.001.WZS0001-P1-C7';

/** Removes the card (and its class links) from the tree, as the driver's remove does. */
function removeCard(tree: FixtureTree, n = 0): void {
  tree
    .remove(`/sys/class/cxl/card${n}`)
    .remove(`/sys/class/cxl/afu${n}.0`)
    .remove(`/sys/class/cxl/afu${n}.0m`)
    .remove(`/sys/class/cxl/afu${n}.0s`)
    .remove(`${PDEV}/cxl`)
    .remove(`/dev/cxl/card${n}`);
}

describe('waitForReload', () => {
  let tree: FixtureTree;
  beforeEach(() => {
    tree = new FixtureTree();
    addGuestCard(tree, { pslRevision: 12 });
  });
  afterEach(() => tree.cleanup());

  /** A virtual clock: each sleep advances it and runs the step for that moment. */
  function script(steps: Record<number, () => void>) {
    let t = 0;
    return {
      now: () => t,
      sleep: async (ms: number) => {
        t += ms;
        for (const [at, step] of Object.entries(steps))
          if (Number(at) <= t && Number(at) > t - ms) step();
      },
    };
  }

  it('sees the card disappear and come back renumbered, with what changed', async () => {
    const previous = present(readCards(tree.root)[0], 'card');
    const states: string[] = [];
    const clock = script({
      100: () => removeCard(tree),
      300: () => addGuestCard(tree, { number: 1, pslRevision: 13 }),
    });
    const result = await waitForReload(tree.root, {
      locationCode: LOC,
      previous,
      deadlineMs: 5000,
      pollMs: 50,
      onState: (s) => states.push(s),
      ...clock,
    });
    expect(result.kind).toBe('returned');
    if (result.kind !== 'returned') return;
    expect(result).toMatchObject({ renumbered: true, disappeared: true });
    expect(result.card.name).toBe('card1');
    expect(result.elapsedMs).toBe(300);
    expect(states).toEqual(['waiting-for-disappearance', 'waiting-for-return', 'verifying']);
    expect(result.changes).toEqual([
      { field: 'name', before: 'card0', after: 'card1' },
      { field: 'psl revision', before: '12', after: '13' },
      { field: 'afus', before: 'afu0.0 (afu_directed)', after: 'afu1.0 (afu_directed)' },
    ]);
  });

  it('recognises a card that is already back under the same name by its new sysfs identity', async () => {
    const previous = present(readCards(tree.root)[0], 'card');
    removeCard(tree);
    addGuestCard(tree, { pslRevision: 13 });
    const result = await waitForReload(tree.root, {
      locationCode: LOC,
      previous,
      deadlineMs: 1000,
      ...script({}),
    });
    expect(result).toMatchObject({ kind: 'returned', renumbered: false, disappeared: false });
  });

  it('waits for the /dev node after sysfs returns (udev lags)', async () => {
    const previous = present(readCards(tree.root)[0], 'card');
    const clock = script({
      50: () => {
        removeCard(tree);
        addGuestCard(tree);
        tree.remove('/dev/cxl/card0');
      },
      200: () => tree.file('/dev/cxl/card0', ''),
    });
    const result = await waitForReload(tree.root, {
      locationCode: LOC,
      previous,
      deadlineMs: 1000,
      pollMs: 50,
      ...clock,
    });
    expect(result).toMatchObject({ kind: 'returned', elapsedMs: 200 });
  });

  it('times out, saying whether the card ever disappeared', async () => {
    const previous = present(readCards(tree.root)[0], 'card');
    const stays = await waitForReload(tree.root, {
      locationCode: LOC,
      previous,
      deadlineMs: 500,
      pollMs: 100,
      ...script({}),
    });
    expect(stays).toMatchObject({ kind: 'timeout', disappeared: false });
    const gone = await waitForReload(tree.root, {
      locationCode: LOC,
      previous,
      deadlineMs: 500,
      pollMs: 100,
      ...script({ 100: () => removeCard(tree) }),
    });
    expect(gone).toMatchObject({
      kind: 'timeout',
      disappeared: true,
      lastSeen: null,
      elapsedMs: 500,
    });
  });

  it('ends early when aborted, on the real clock', async () => {
    const previous = present(readCards(tree.root)[0], 'card');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const result = await waitForReload(tree.root, {
      locationCode: LOC,
      previous,
      deadlineMs: 60_000,
      pollMs: 10_000,
      signal: controller.signal,
    });
    expect(result.kind).toBe('aborted');
  });
});

describe('describeCardChanges', () => {
  it('lists nothing for the same card', () => {
    const tree = new FixtureTree();
    try {
      addGuestCard(tree);
      const card = present(readCards(tree.root)[0], 'card');
      expect(describeCardChanges(card, card)).toEqual([]);
    } finally {
      tree.cleanup();
    }
  });
});
