/**
 * FFI conformance: real memory and real calls through src/ioctl into the C shim, which checks
 * what a kernel would see. Written as plain cases so the same suite runs under vitest on the
 * host and under plain node in the ppc64le emulator (scripts/ffi-conformance.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ADAPTER_IMAGE_STRUCT_SIZE,
  CXL_AI_HEADER_SIZE,
  CXL_AI_MAX_CHUNK_SIZE,
  CXL_AI_MAX_HEADER_CHUNK_SIZE,
  CXL_AI_NEED_HEADER,
  decodeAdapterImage,
  encodeAdapterImage,
} from '../../src/ioctl/abi.js';
import { CallInFlightError, type TransferOutcome } from '../../src/ioctl/card-device.js';
import { EBUSY, EINVAL, ENOSYS, ENOTTY, explainErrno } from '../../src/ioctl/errno.js';
import { IoctlCardDevice } from '../../src/ioctl/ioctl-card-device.js';
import { addressOf, Libc } from '../../src/ioctl/libc.js';
import { cxlRequestNumbers } from '../../src/ioctl/request-numbers.js';
import { chunkPlan } from '../../src/image/chunk-plan.js';
import {
  CHECK_CANARY,
  CHECK_OVERREAD,
  CHECK_VA_SLOT,
  fnv1a,
  Shim,
  type ShimRecord,
} from './shim.js';

export interface ConformanceContext {
  readonly shimPath: string;
  /** true under qemu-user, which answers unknown ioctl numbers itself with ENOSYS */
  readonly emulated: boolean;
}

export interface ConformanceCase {
  readonly name: string;
  run(ctx: ConformanceContext): Promise<void>;
}

interface Fixture {
  readonly shim: Shim;
  readonly libc: Libc;
  readonly dir: string;
  readonly devicePath: string;
}

let cached: { path: string; shim: Shim; libc: Libc } | undefined;

function fixture(ctx: ConformanceContext): Fixture {
  if (cached?.path !== ctx.shimPath) {
    cached = {
      path: ctx.shimPath,
      shim: new Shim(ctx.shimPath),
      libc: new Libc({ libraryPath: ctx.shimPath }),
    };
  }
  cached.shim.reset();
  const dir = mkdtempSync(join(tmpdir(), 'cxl-ffi-'));
  // A regular file stands in for /dev/cxl/card0: open and close are libc's, ioctl is the shim's.
  const devicePath = join(dir, 'card0');
  writeFileSync(devicePath, '');
  return { shim: cached.shim, libc: cached.libc, dir, devicePath };
}

async function withFixture(
  ctx: ConformanceContext,
  body: (f: Fixture) => Promise<void>,
): Promise<void> {
  const f = fixture(ctx);
  try {
    await body(f);
  } finally {
    rmSync(f.dir, { recursive: true, force: true });
  }
}

/** A payload of `size` bytes followed by 128 readable zero bytes (docs/kernel-contract.md §3). */
function makeImage(size: number, seed: number): Buffer {
  const image = Buffer.alloc(size + CXL_AI_HEADER_SIZE);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    image[i] = x & 0xff;
  }
  return image;
}

/** Drive one pass of the plan through the device the way the engine does. */
async function runPass(
  device: IoctlCardDevice,
  pass: 'download' | 'validate',
  image: Buffer,
  size: number,
): Promise<TransferOutcome[]> {
  const outcomes: TransferOutcome[] = [];
  for (const call of chunkPlan(size).calls) {
    const fields = {
      flags: call.flags,
      data: image.subarray(call.offset),
      lenData: call.lenData,
      lenImage: size,
    };
    const outcome =
      pass === 'download' ? await device.download(fields) : await device.validate(fields);
    outcomes.push(outcome);
    if (outcome.kind !== 'continue') break;
  }
  return outcomes;
}

/** Assert one recorded call against what the kernel should have seen. */
function assertCall(
  rec: ShimRecord,
  expected: { request: number; flags: bigint; offset: number; lenData: number; size: number },
  image: Buffer,
  label: string,
): void {
  assert.equal(rec.request, BigInt(expected.request), `${label}: request number`);
  assert.equal(rec.checks & CHECK_CANARY, CHECK_CANARY, `${label}: shim stack canary`);
  assert.equal(
    rec.checks & CHECK_VA_SLOT,
    CHECK_VA_SLOT,
    `${label}: va_arg slot (ELFv2 save area)`,
  );
  const struct = decodeAdapterImage(rec.arg);
  assert.equal(struct.flags, expected.flags, `${label}: flags`);
  assert.equal(struct.data, addressOf(image.subarray(expected.offset)), `${label}: data address`);
  assert.equal(struct.lenData, BigInt(expected.lenData), `${label}: len_data`);
  assert.equal(struct.lenImage, BigInt(expected.size), `${label}: len_image`);
  assert.deepEqual(struct.reserved, [0n, 0n, 0n, 0n], `${label}: reserved words`);
  // The whole 64 bytes, byte for byte, in host order.
  const expectedBytes = encodeAdapterImage({
    flags: expected.flags,
    data: struct.data,
    lenData: BigInt(expected.lenData),
    lenImage: BigInt(expected.size),
    reserved: [0n, 0n, 0n, 0n],
  });
  assert.ok(rec.arg.equals(expectedBytes), `${label}: struct bytes`);
  assert.equal(rec.dataLength, BigInt(expected.lenData), `${label}: bytes read at data`);
  const chunk = image.subarray(expected.offset, expected.offset + expected.lenData);
  assert.equal(rec.dataChecksum, fnv1a(chunk), `${label}: checksum of the chunk bytes`);
}

export const conformanceCases: readonly ConformanceCase[] = [
  {
    name: 'the struct is 64 bytes and the request numbers of this architecture reach the shim',
    run: (ctx) =>
      withFixture(ctx, async ({ shim, libc, devicePath }) => {
        const requests = cxlRequestNumbers();
        const device = new IoctlCardDevice(devicePath, { libc });
        shim.script(0, 0);
        assert.deepEqual(await device.open(), { ok: true });
        const image = makeImage(100, 1);
        const fields = { flags: CXL_AI_NEED_HEADER, data: image, lenData: 100, lenImage: 100 };
        assert.deepEqual(await device.download(fields), { kind: 'done' });
        assert.deepEqual(await device.validate(fields), { kind: 'done' });
        await device.close();
        const [download, validate] = shim.records();
        assert.ok(download && validate, 'two calls recorded');
        assert.equal(download.request, BigInt(requests.downloadImage));
        assert.equal(validate.request, BigInt(requests.validateImage));
        assert.equal(download.arg.length, ADAPTER_IMAGE_STRUCT_SIZE);
        assert.ok(download.fd >= 0, 'a real descriptor from libc open');
        assert.equal(validate.fd, download.fd);
      }),
  },
  {
    name: 'a whole download + validate sequence is byte-exact (header flag, chunk sizes, data)',
    run: (ctx) =>
      withFixture(ctx, async ({ shim, libc, devicePath }) => {
        const requests = cxlRequestNumbers();
        const size = 3 * CXL_AI_MAX_CHUNK_SIZE + 12_345;
        const image = makeImage(size, 7);
        const plan = chunkPlan(size);
        assert.deepEqual(
          plan.calls.map((c) => c.lenData),
          [CXL_AI_MAX_HEADER_CHUNK_SIZE, CXL_AI_MAX_CHUNK_SIZE, CXL_AI_MAX_CHUNK_SIZE, 12_473],
        );
        // 1 after every call but the last of each pass, which answers 0 (§4.8).
        shim.script(1, 1, 1, 0, 1, 1, 1, 0);
        const device = new IoctlCardDevice(devicePath, { libc });
        await device.open();
        const download = await runPass(device, 'download', image, size);
        const validate = await runPass(device, 'validate', image, size);
        await device.close();
        const kinds = (o: TransferOutcome[]): string[] => o.map((x) => x.kind);
        assert.deepEqual(kinds(download), ['continue', 'continue', 'continue', 'done']);
        assert.deepEqual(kinds(validate), ['continue', 'continue', 'continue', 'done']);
        const records = shim.records();
        assert.equal(records.length, 8);
        records.forEach((rec, i) => {
          const pass = i < 4 ? 'download' : 'validate';
          const call = plan.calls[i % 4];
          assert.ok(call);
          assertCall(
            rec,
            {
              request: pass === 'download' ? requests.downloadImage : requests.validateImage,
              flags: call.index === 0 ? CXL_AI_NEED_HEADER : 0n,
              offset: call.offset,
              lenData: call.lenData,
              size,
            },
            image,
            `${pass} call ${call.index}`,
          );
          assert.equal(rec.fd, records[0]?.fd);
        });
      }),
  },
  {
    name: 'a small header call lets the driver over-read 128 readable zero bytes (§3)',
    run: (ctx) =>
      withFixture(ctx, async ({ shim, libc, devicePath }) => {
        const size = 1000;
        const image = makeImage(size, 3);
        shim.script(0);
        const device = new IoctlCardDevice(devicePath, { libc });
        await device.open();
        await runPass(device, 'download', image, size);
        await device.close();
        const [rec] = shim.records();
        assert.ok(rec);
        assert.equal(
          rec.checks & CHECK_OVERREAD,
          CHECK_OVERREAD,
          'the shim over-read like the driver',
        );
        assert.equal(rec.overreadChecksum, fnv1a(Buffer.alloc(CXL_AI_HEADER_SIZE)));
      }),
  },
  {
    name: 'failures come back as errno, explained, and stop the pass',
    run: (ctx) =>
      withFixture(ctx, async ({ shim, libc, devicePath }) => {
        const size = 2 * CXL_AI_MAX_CHUNK_SIZE;
        const image = makeImage(size, 11);
        shim.script(1, [-1, EINVAL]);
        const device = new IoctlCardDevice(devicePath, { libc });
        await device.open();
        const outcomes = await runPass(device, 'download', image, size);
        assert.deepEqual(outcomes, [
          { kind: 'continue' },
          { kind: 'error', errno: EINVAL, returned: -1 },
        ]);
        const explained = explainErrno(EINVAL, 'download');
        assert.equal(explained.name, 'EINVAL');
        assert.equal(explained.adapterReset, true);
        shim.script([-1, EBUSY]);
        const busy = await device.validate({
          flags: CXL_AI_NEED_HEADER,
          data: image,
          lenData: 10,
          lenImage: size,
        });
        assert.deepEqual(busy, { kind: 'error', errno: EBUSY, returned: -1 });
        // A value the kernel never returns is an error too, not "continue".
        shim.script(2);
        const odd = await device.validate({ flags: 0n, data: image, lenData: 10, lenImage: size });
        assert.deepEqual(odd, { kind: 'error', errno: 0, returned: 2 });
        await device.close();
        assert.equal(shim.callCount, 4);
      }),
  },
  {
    name: 'one call in flight per device',
    run: (ctx) =>
      withFixture(ctx, async ({ shim, libc, devicePath }) => {
        const image = makeImage(64, 5);
        shim.script(1, 0);
        const device = new IoctlCardDevice(devicePath, { libc });
        await device.open();
        const fields = { flags: CXL_AI_NEED_HEADER, data: image, lenData: 64, lenImage: 64 };
        const first = device.download(fields);
        await assert.rejects(device.download(fields), CallInFlightError);
        assert.deepEqual(await first, { kind: 'continue' });
        assert.deepEqual(await device.download({ ...fields, flags: 0n }), { kind: 'done' });
        await device.close();
        assert.equal(shim.callCount, 2, 'the refused call never reached the driver');
      }),
  },
  {
    name: 'the real libc ioctl on a regular file fails with ENOTTY and is explained',
    run: (ctx) =>
      withFixture(ctx, async ({ devicePath }) => {
        const device = new IoctlCardDevice(devicePath); // the system C library, not the shim
        assert.deepEqual(await device.open(), { ok: true });
        const image = makeImage(16, 9);
        const outcome = await device.download({
          flags: CXL_AI_NEED_HEADER,
          data: image,
          lenData: 16,
          lenImage: 16,
        });
        await device.close();
        // qemu-user answers ioctl numbers it does not know with ENOSYS, without the kernel.
        const expected = ctx.emulated ? ENOSYS : ENOTTY;
        assert.deepEqual(outcome, { kind: 'error', errno: expected, returned: -1 });
        const explained = explainErrno(expected, 'download');
        assert.match(explained.meaning, ctx.emulated ? /emulation/ : /not a device/);
      }),
  },
  {
    name: 'a missing device node fails open with ENOENT',
    run: (ctx) =>
      withFixture(ctx, async ({ dir }) => {
        const device = new IoctlCardDevice(join(dir, 'no-such-card'));
        const outcome = await device.open();
        assert.deepEqual(outcome, { ok: false, errno: 2, operation: 'open' });
        assert.match(explainErrno(2, 'open').action, /doctor/);
      }),
  },
  {
    name: 'thousands of async calls on four devices keep every argument, canary and buffer intact',
    run: (ctx) =>
      withFixture(ctx, async ({ shim, libc, devicePath }) => {
        const DEVICES = 4;
        const CALLS_PER_DEVICE = 1250;
        const devices = Array.from(
          { length: DEVICES },
          () => new IoctlCardDevice(devicePath, { libc }),
        );
        for (const device of devices) await device.open();
        shim.script(...Array.from({ length: DEVICES * CALLS_PER_DEVICE }, () => 1));
        const GUARD = 0xa5;
        const expected = new Map<
          string,
          { checksum: bigint; flags: bigint; lenData: number; lenImage: number }
        >();
        const buffers: Buffer[] = [];
        await Promise.all(
          devices.map(async (device, d) => {
            for (let i = 0; i < CALLS_PER_DEVICE; i++) {
              const lenData = 1 + ((i * 7919 + d * 104_729) % 65_536);
              // guard bytes on both sides of the data; the driver may only read between them
              const block = makeImage(lenData + 2 * CXL_AI_HEADER_SIZE, i * DEVICES + d + 1);
              block.fill(GUARD, 0, CXL_AI_HEADER_SIZE);
              block.fill(
                0,
                CXL_AI_HEADER_SIZE + lenData,
                CXL_AI_HEADER_SIZE + lenData + CXL_AI_HEADER_SIZE,
              );
              const data = block.subarray(CXL_AI_HEADER_SIZE);
              const flags = i % 2 === 0 ? CXL_AI_NEED_HEADER : 0n;
              const lenImage = lenData * 3 + d;
              expected.set(addressOf(data).toString(), {
                checksum: fnv1a(data.subarray(0, lenData)),
                flags,
                lenData,
                lenImage,
              });
              buffers.push(block);
              const outcome = await device.download({ flags, data, lenData, lenImage });
              assert.deepEqual(outcome, { kind: 'continue' });
              assert.ok(
                block.subarray(0, CXL_AI_HEADER_SIZE).every((b) => b === GUARD),
                'guard before data',
              );
            }
          }),
        );
        for (const device of devices) await device.close();
        const records = shim.records();
        assert.equal(records.length, DEVICES * CALLS_PER_DEVICE);
        assert.ok(shim.guardsIntact, 'the shim record table guards');
        const threads = new Set<bigint>();
        for (const rec of records) {
          assert.equal(rec.checks & (CHECK_CANARY | CHECK_VA_SLOT), CHECK_CANARY | CHECK_VA_SLOT);
          const struct = decodeAdapterImage(rec.arg);
          const want = expected.get(struct.data.toString());
          assert.ok(want, 'the data address is one this process passed');
          assert.equal(struct.flags, want.flags);
          assert.equal(struct.lenData, BigInt(want.lenData));
          assert.equal(struct.lenImage, BigInt(want.lenImage));
          assert.equal(rec.dataChecksum, want.checksum);
          threads.add(rec.thread);
        }
        // The calls ran on worker threads, never on the JS thread.
        assert.ok(threads.size >= 1);
        assert.equal(buffers.length, DEVICES * CALLS_PER_DEVICE);
      }),
  },
];
