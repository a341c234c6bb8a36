import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCard, readCards, selectCard } from '../../src/hardware/cards.js';
import { identityOf } from '../../src/hardware/types.js';
import { UserFacingError } from '../../src/exit-codes.js';
import { present } from '../helpers/present.js';
import { addGuestCard, DT_NODE, FixtureTree, PDEV } from '../helpers/fixture-tree.js';

describe('readCards on fixture trees', () => {
  let tree: FixtureTree;
  beforeEach(() => {
    tree = new FixtureTree();
  });
  afterEach(() => tree.cleanup());

  it('reads a guest card: attributes, dev, node, DT properties through device/of_node', () => {
    addGuestCard(tree);
    const [card, ...rest] = readCards(tree.root);
    expect(rest).toEqual([]);
    expect(card).toMatchObject({
      name: 'card0',
      number: 0,
      devicePath: '/dev/cxl/card0',
      deviceNodePresent: true,
      devNumber: { major: 238, minor: 0 },
      mode: 'guest',
    });
    expect(card?.attributes).toMatchObject({
      caia_version: '1.0',
      psl_revision: '12',
      psl_timebase_synced: '1',
      dev: '238:0',
    });
    // §5: reset is write-only (0200): sysfs answers EACCES even to root
    expect(card?.unreadableAttributes).toEqual(['reset']);
    expect(card?.node.path).toBe(DT_NODE);
    expect(card?.node.locationCode).toEqual({ ok: true, value: 'U78CB.001.WZS0001-P1-C7' });
    expect(card?.node.pslRevision).toEqual({ ok: true, value: 12 });
    expect(card?.node.caiaVersion).toEqual({ ok: true, value: 0x0100 });
    expect(card?.node.caiaProperty).toBe('ibm,caia-version');
    expect(card?.node.privilegedFacility).toEqual({ ok: true, value: 1 });
    expect(card?.node.status).toEqual({ ok: true, value: 'okay' });
    expect(identityOf(present(card))).toEqual({
      vendorId: 0x1014,
      deviceId: 0x0477,
      subsystemVendorId: 0x1014,
      subsystemId: 0x04cf,
    });
    expect(card?.sysfsIdentity).toMatch(/^\d+:\d+:\d+$/);
  });

  it('keeps only the low 16 bits of an ID cell for the header', () => {
    addGuestCard(tree);
    tree.cell(`${DT_NODE}/vendor-id`, 0xabcd1014);
    const card = present(readCards(tree.root)[0], 'card');
    expect(card.node.vendorId).toEqual({ ok: true, value: 0xabcd1014 });
    expect(identityOf(card).vendorId).toBe(0x1014);
  });

  it('reads the AFU: mode, modes, mmio, irqs, config records, m and s nodes', () => {
    addGuestCard(tree);
    const afus = readCards(tree.root)[0]?.afus;
    expect(afus).toEqual([
      {
        name: 'afu0.0',
        cardNumber: 0,
        slice: 0,
        mode: 'afu_directed',
        modesSupported: ['afu_directed'],
        mmioSize: 67108864,
        irqsMin: 1,
        irqsMax: 2037,
        configRecords: [{ index: 0, vendor: '0x1014', device: '0x0601', class: '0x120000' }],
        deviceNodes: [
          { kind: 'master', devicePath: '/dev/cxl/afu0.0m', present: true },
          { kind: 'slave', devicePath: '/dev/cxl/afu0.0s', present: true },
        ],
      },
    ]);
  });

  it('reports absent DT properties as missing, and the LoPAR caia spelling', () => {
    addGuestCard(tree, {
      omit: ['ibm,loc-code', 'subsystem-id', 'ibm,privileged-facility', 'status'],
      caiaSpelling: 'ibm,cai-version',
    });
    const node = present(readCards(tree.root)[0], 'card').node;
    expect(node.locationCode).toMatchObject({ ok: false, reason: 'missing' });
    expect(node.subsystemId).toMatchObject({ ok: false, reason: 'missing' });
    expect(node.privilegedFacility).toMatchObject({ ok: false, reason: 'missing' });
    expect(node.caiaVersion).toEqual({ ok: true, value: 0x0100 });
    expect(node.caiaProperty).toBe('ibm,cai-version');
  });

  it('reports unreadable properties and attributes (a directory where a file belongs)', () => {
    addGuestCard(tree, { omit: ['ibm,psl-revision'] });
    tree.mkdir(`${DT_NODE}/ibm,psl-revision`);
    tree.file(`${DT_NODE}/device-id`, Buffer.from([0x04])); // malformed: one byte
    const card = `${PDEV}/cxl/card0`;
    tree.remove(`${card}/psl_revision`).mkdir(`${card}/psl_revision`);
    const [info] = readCards(tree.root);
    expect(info?.unreadableAttributes).toEqual(['psl_revision', 'reset']);
    expect(info?.attributes.psl_revision).toBeUndefined();
    expect(info?.node.pslRevision).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(info?.node.deviceId).toMatchObject({ ok: false, reason: 'unreadable' });
    expect(String(info?.node.deviceId.ok === false && info.node.deviceId.detail)).toMatch(
      /4-byte big-endian cell, found 1 bytes/,
    );
  });

  it('reads a bare-metal card: no dev, no node, image attributes, no of_node', () => {
    tree
      .file('/sys/devices/pci0000:00/0000:00:00.0/cxl/card0/image_loaded', 'user\n')
      .file('/sys/devices/pci0000:00/0000:00:00.0/cxl/card0/base_image', '1\n')
      .file('/sys/devices/pci0000:00/0000:00:00.0/cxl/card0/psl_revision', '4\n')
      .link('/sys/class/cxl/card0', '/sys/devices/pci0000:00/0000:00:00.0/cxl/card0');
    const [card] = readCards(tree.root);
    expect(card?.mode).toBe('bare-metal');
    expect(card?.devNumber).toBeNull();
    expect(card?.deviceNodePresent).toBe(false);
    expect(card?.node.path).toBeNull();
    expect(card?.node.vendorId).toMatchObject({ ok: false, reason: 'missing' });
    expect(card?.attributes.image_loaded).toBe('user');
  });

  it('finds no cards when /sys/class/cxl is absent', () => {
    expect(readCards(tree.root)).toEqual([]);
  });
});

describe('choosing a card', () => {
  let tree: FixtureTree;
  beforeEach(() => {
    tree = new FixtureTree();
    addGuestCard(tree, { number: 0, locationCode: 'U78CB.001.WZS0001-P1-C7' });
    addGuestCard(tree, { number: 1, locationCode: 'U78CB.001.WZS0001-P1-C9' });
  });
  afterEach(() => tree.cleanup());

  it('finds a card by name or by location code', () => {
    const cards = readCards(tree.root);
    expect(cards.map((c) => c.name)).toEqual(['card0', 'card1']);
    expect(findCard(cards, 'card1')?.number).toBe(1);
    expect(findCard(cards, 'U78CB.001.WZS0001-P1-C7')?.name).toBe('card0');
    expect(findCard(cards, 'card7')).toBeUndefined();
  });

  it('names the cards that exist when the spec matches none (exit 2)', () => {
    const cards = readCards(tree.root);
    let error: unknown;
    try {
      selectCard(cards, 'card7');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserFacingError);
    expect((error as UserFacingError).exitCode).toBe(2);
    expect((error as UserFacingError).message).toBe(
      'No such card "card7"; these exist: card0 (U78CB.001.WZS0001-P1-C7), card1 (U78CB.001.WZS0001-P1-C9).',
    );
    expect(() => selectCard(cards)).toThrow(/There are 2 cards/);
    expect(() => selectCard([])).toThrow(/no cxl cards/);
    expect(selectCard(cards.slice(1)).name).toBe('card1');
  });
});
