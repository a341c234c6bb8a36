/** A guest-mode card as discovery reports it (src/hardware/cards.ts), for recovery and screen tests. */
import type { CardInfo } from '../../src/hardware/types.js';

const ok = <V>(value: V) => ({ ok: true as const, value });

export function cardInfo(name: string, psl: number, loc: string): CardInfo {
  return {
    name,
    number: Number(name.slice(4)),
    sysfsPath: `/sys/class/cxl/${name}`,
    devicePath: `/dev/cxl/${name}`,
    deviceNodePresent: true,
    devNumber: { major: 240, minor: 0 },
    attributes: { psl_revision: String(psl) },
    unreadableAttributes: ['reset'],
    node: {
      path: `/sys/firmware/devicetree/base/${name}`,
      vendorId: ok(0x1014),
      deviceId: ok(0x0477),
      subsystemVendorId: ok(0x1014),
      subsystemId: ok(0x04cf),
      revisionId: ok(1),
      locationCode: ok(loc),
      pslRevision: ok(psl),
      caiaVersion: ok(0x0100),
      caiaProperty: 'ibm,caia-version',
      privilegedFacility: ok(1),
      status: { ok: false as const, reason: 'missing' as const, detail: 'ENOENT' },
    },
    afus: [],
    mode: 'guest',
    sysfsIdentity: `dev:ino-of-${name}`,
  };
}
