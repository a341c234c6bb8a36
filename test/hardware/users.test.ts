import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cardHolders,
  parsePasswd,
  parseStatusUid,
  readDeviceUsers,
  usersOfAfus,
} from '../../src/hardware/users.js';
import { addGuestCard, addProcess, FixtureTree } from '../helpers/fixture-tree.js';

describe('readDeviceUsers on a fixture /proc', () => {
  let tree: FixtureTree;
  beforeEach(() => {
    tree = new FixtureTree();
    addGuestCard(tree);
  });
  afterEach(() => tree.cleanup());

  it('finds AFU and card holders with command line and user from the root’s passwd', () => {
    addProcess(tree, 4242, '/dev/cxl/afu0.0m', {
      cmdline: '/usr/bin/capi-app -d /dev/cxl/afu0.0m',
      uid: 1001,
    });
    addProcess(tree, 4300, '/dev/cxl/card0', { cmdline: 'other-flasher card0', uid: 0 });
    addProcess(tree, 4400, '/dev/null');
    addProcess(tree, 4500, '/dev/cxl/afu0.0m (deleted)');
    tree.file('/etc/passwd', 'capiuser:x:1001:1001::/home/capiuser:/bin/sh\n');
    const scan = readDeviceUsers(tree.root);
    expect(scan.note).toBeNull();
    expect(scan.scannedPids).toBe(4);
    expect(scan.users).toEqual([
      {
        pid: 4242,
        command: '/usr/bin/capi-app -d /dev/cxl/afu0.0m',
        uid: 1001,
        user: 'capiuser',
        devicePath: '/dev/cxl/afu0.0m',
      },
      {
        pid: 4300,
        command: 'other-flasher card0',
        uid: 0,
        user: 'root',
        devicePath: '/dev/cxl/card0',
      },
    ]);
    expect(usersOfAfus(scan.users, ['afu0.0']).map((u) => u.pid)).toEqual([4242]);
    expect(usersOfAfus(scan.users, ['afu1.0'])).toEqual([]);
    expect(cardHolders(scan.users).map((u) => u.pid)).toEqual([4300]);
    expect(cardHolders(scan.users, 4300)).toEqual([]);
  });

  it('falls back to the uid when no passwd names it', () => {
    addProcess(tree, 4242, '/dev/cxl/afu0.0s', { uid: 54321 });
    expect(readDeviceUsers(tree.root).users[0]?.user).toBe('54321');
  });

  it('counts processes whose fd table cannot be read instead of throwing', () => {
    addProcess(tree, 4242, '/dev/cxl/afu0.0m');
    // A self-referencing link: readdir fails with ELOOP even for root, as EACCES would for a user.
    tree.rawLink('/proc/777/fd', 'fd');
    tree.file('/proc/778/status', 'Uid:\t0\t0\t0\t0\n'); // exited: no fd dir, not counted
    const scan = readDeviceUsers(tree.root);
    expect(scan.unreadablePids).toEqual([777]);
    expect(scan.users.map((u) => u.pid)).toEqual([4242]);
  });

  it('does not scan at all without /dev/cxl', () => {
    const empty = new FixtureTree();
    try {
      addProcess(empty, 4242, '/dev/cxl/afu0.0m');
      expect(readDeviceUsers(empty.root)).toMatchObject({ users: [], note: 'no /dev/cxl' });
    } finally {
      empty.cleanup();
    }
  });

  it('uses the kernel thread name when the command line is empty', () => {
    addProcess(tree, 4242, '/dev/cxl/afu0.0m');
    tree.file('/proc/4242/cmdline', '').file('/proc/4242/comm', 'kworker/1:2\n');
    expect(readDeviceUsers(tree.root).users[0]?.command).toBe('[kworker/1:2]');
  });
});

describe('parsers', () => {
  it('reads the effective uid from status', () => {
    expect(parseStatusUid('Name:\tx\nUid:\t1000\t0\t0\t0\n')).toBe(0);
    expect(parseStatusUid('Name:\tx\n')).toBeNull();
  });
  it('keeps the first name for a uid in passwd', () => {
    const names = parsePasswd('root:x:0:0::/root:/bin/sh\ntoor:x:0:0::/:/bin/sh\nbad line\n');
    expect([...names]).toEqual([[0, 'root']]);
  });
});
