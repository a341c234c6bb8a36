import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  mkdirSync,
  statSync,
  symlinkSync,
  truncateSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageError } from '../../src/image/load-errors.js';
import { loadImage, MAX_IMAGE_SIZE } from '../../src/image/load.js';
import { embeddedHeader, tempDir, xilinxBin } from '../helpers/images.js';

const dir = tempDir();
const at = (name: string): string => join(dir.path, name);
const sha256 = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

async function refusal(path: string, options = {}): Promise<ImageError> {
  const error = await loadImage(path, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ImageError);
  const imageError = error as ImageError;
  expect(imageError.exitCode).toBe(2);
  expect(imageError.fix?.length).toBeGreaterThan(10);
  return imageError;
}

let socketServer: Server;
beforeAll(async () => {
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(at('socket'), resolve));
});
afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  dir.remove();
});

describe('loadImage: a good image', () => {
  it('holds the whole file, hashed, followed by 128 readable zero bytes in the same memory', async () => {
    const data = xilinxBin(3 * 1024 * 1024 + 17);
    writeFileSync(at('psl.bin'), data);
    const image = await loadImage(at('psl.bin'), { readChunkSize: 1024 * 1024 });
    expect(image.fileSize).toBe(data.length);
    expect(image.payload.equals(data)).toBe(true);
    expect(image.fileSha256).toBe(sha256(data));
    expect(image.payloadSha256).toBe(image.fileSha256);
    expect(image.payloadOffset).toBe(0);
    expect(image.embeddedHeader).toBeNull();
    expect(image.padded.length).toBe(data.length + 128);
    expect(image.padded.subarray(data.length).equals(Buffer.alloc(128))).toBe(true);
    expect(image.padded.buffer).toBe(image.payload.buffer);
    expect(image.padded.byteOffset).toBe(image.payload.byteOffset);
  });

  it('reports progress after every read, ending at the file size', async () => {
    const data = xilinxBin(1_000_000);
    writeFileSync(at('progress.bin'), data);
    const seen: [number, number][] = [];
    await loadImage(at('progress.bin'), {
      readChunkSize: 300_000,
      onProgress: (done, total) => seen.push([done, total]),
    });
    expect(seen).toEqual([
      [300_000, 1_000_000],
      [600_000, 1_000_000],
      [900_000, 1_000_000],
      [1_000_000, 1_000_000],
    ]);
  });

  it('follows a symbolic link and says where it leads', async () => {
    writeFileSync(at('target.bin'), xilinxBin(5000));
    symlinkSync(at('target.bin'), at('link.bin'));
    const image = await loadImage(at('link.bin'));
    expect(image.path).toBe(at('link.bin'));
    expect(image.realPath).toBe(at('target.bin'));
  });

  it('strips a header embedded in the file: the payload is what follows it', async () => {
    const payload = xilinxBin(10_000);
    const file = Buffer.concat([embeddedHeader([0x1014, 0x0477, 0x1014, 0x04dd], 10_000), payload]);
    writeFileSync(at('with-header.bin'), file);
    const image = await loadImage(at('with-header.bin'), { readChunkSize: 100 });
    expect(image.payloadOffset).toBe(128);
    expect(image.payload.equals(payload)).toBe(true);
    expect(image.padded.length).toBe(10_000 + 128);
    expect(image.padded.subarray(10_000).equals(Buffer.alloc(128))).toBe(true);
    expect(image.fileSha256).toBe(sha256(file));
    expect(image.payloadSha256).toBe(sha256(payload));
    expect(image.embeddedHeader).toMatchObject({ deviceId: 0x0477, imageLength: 10_000n });
    expect(image.embeddedHeaderBytes?.equals(file.subarray(0, 128))).toBe(true);
  });

  it('never writes next to the image', async () => {
    const sub = at('untouched');
    mkdirSync(sub);
    writeFileSync(join(sub, 'a.bin'), xilinxBin(4096));
    const before = statSync(sub).mtimeMs;
    await loadImage(join(sub, 'a.bin'));
    expect(execFileSync('ls', ['-A', sub], { encoding: 'utf8' }).trim()).toBe('a.bin');
    expect(statSync(sub).mtimeMs).toBe(before);
  });
});

describe('loadImage: bad input, each refused with its own message and exit code 2', () => {
  it('a missing file', async () => {
    const e = await refusal(at('nope.bin'));
    expect(e.problem).toBe('missing');
    expect(e.message).toMatch(/not found.*nope\.bin does not exist/);
  });

  it('a symbolic link to nothing', async () => {
    symlinkSync(at('gone.bin'), at('dangling.bin'));
    const e = await refusal(at('dangling.bin'));
    expect(e.problem).toBe('dangling-link');
    expect(e.message).toContain('gone.bin');
  });

  it('a path through a regular file (ENOTDIR)', async () => {
    writeFileSync(at('plain'), 'x');
    const e = await refusal(join(at('plain'), 'image.bin'));
    expect(e.problem).toBe('not-a-directory');
  });

  it('a directory', async () => {
    const e = await refusal(dir.path);
    expect(e.problem).toBe('directory');
    expect(e.message).toMatch(/is a directory/);
  });

  it('a FIFO, without ever opening it (no writer: an open would block)', async () => {
    execFileSync('mkfifo', [at('pipe')]);
    const e = await refusal(at('pipe'));
    expect(e.problem).toBe('fifo');
    expect(e.message).toMatch(/named pipe.*not opened/);
  });

  it('a character device', async () => {
    const e = await refusal('/dev/null');
    expect(e.problem).toBe('character-device');
  });

  it('a socket', async () => {
    const e = await refusal(at('socket'));
    expect(e.problem).toBe('socket');
  });

  it('an empty file', async () => {
    writeFileSync(at('empty.bin'), '');
    const e = await refusal(at('empty.bin'));
    expect(e.problem).toBe('empty');
    expect(e.message).toMatch(/empty \(0 bytes\)/);
  });

  it('a file over the size limit (a sparse file: nothing is read or allocated)', async () => {
    writeFileSync(at('huge.bin'), '');
    truncateSync(at('huge.bin'), MAX_IMAGE_SIZE + 1);
    const e = await refusal(at('huge.bin'));
    expect(e.problem).toBe('too-large');
    expect(e.message).toContain('268,435,457 bytes');
    expect(e.message).toContain('limit of 268,435,456 bytes (256.0 MiB)');
  });

  it('a file exactly at a limit passes and one byte more does not (a small limit, to stay light)', async () => {
    writeFileSync(at('limit.bin'), xilinxBin(5000));
    expect((await loadImage(at('limit.bin'), { maxSize: 5000 })).fileSize).toBe(5000);
    const e = await refusal(at('limit.bin'), { maxSize: 4999 });
    expect(e.problem).toBe('too-large');
  });

  it('the limit cannot be raised above MAX_IMAGE_SIZE', async () => {
    writeFileSync(at('huge2.bin'), '');
    truncateSync(at('huge2.bin'), MAX_IMAGE_SIZE + 1);
    const e = await refusal(at('huge2.bin'), { maxSize: MAX_IMAGE_SIZE * 2 });
    expect(e.problem).toBe('too-large');
  });

  it('a file that grows while it is read', async () => {
    writeFileSync(at('growing.bin'), xilinxBin(100_000));
    const e = await refusal(at('growing.bin'), {
      readChunkSize: 10_000,
      onProgress: (done: number) => {
        if (done === 50_000) appendFileSync(at('growing.bin'), 'more');
      },
    });
    expect(e.problem).toBe('changed');
    expect(e.message).toMatch(/changed while it was being read \(it grew from 100,000 to 100,004/);
  });

  it('a file that shrinks while it is read', async () => {
    writeFileSync(at('shrinking.bin'), xilinxBin(100_000));
    const e = await refusal(at('shrinking.bin'), {
      readChunkSize: 10_000,
      onProgress: (done: number) => {
        if (done === 50_000) truncateSync(at('shrinking.bin'), 60_000);
      },
    });
    expect(e.problem).toBe('changed');
    expect(e.message).toMatch(
      /it shrank: 100,000 bytes were expected, the file ended after 60,000/,
    );
  });

  it('a file rewritten in place (same size, new modification time)', async () => {
    writeFileSync(at('rewritten.bin'), xilinxBin(100_000));
    const e = await refusal(at('rewritten.bin'), {
      readChunkSize: 10_000,
      onProgress: (done: number) => {
        if (done !== 50_000) return;
        writeFileSync(at('rewritten.bin'), xilinxBin(100_000));
        utimesSync(at('rewritten.bin'), new Date(), new Date(Date.now() + 5000));
      },
    });
    expect(e.problem).toBe('changed');
    expect(e.message).toMatch(/modified in place/);
  });

  it('a header whose length does not match the file (truncated)', async () => {
    const file = Buffer.concat([embeddedHeader([0x1014, 0x0477, 0, 0], 10_000), xilinxBin(9_000)]);
    writeFileSync(at('truncated.bin'), file);
    const e = await refusal(at('truncated.bin'));
    expect(e.problem).toBe('header-length');
    expect(e.message).toMatch(
      /declares an image of 10,000 bytes, but 9,000 bytes follow.*1,000 bytes are missing/,
    );
  });

  it('a header with nothing after it', async () => {
    writeFileSync(at('header-only.bin'), embeddedHeader([0x1014, 0x0477, 0, 0], 0));
    const e = await refusal(at('header-only.bin'));
    expect(e.problem).toBe('header-without-image');
  });

  it('a header-like start with data in the reserved bytes', async () => {
    const header = embeddedHeader([0x1014, 0x0477, 0, 0], 1000);
    header[100] = 0x5a;
    writeFileSync(at('reserved.bin'), Buffer.concat([header, xilinxBin(1000)]));
    const e = await refusal(at('reserved.bin'));
    expect(e.problem).toBe('header-reserved');
    expect(e.message).toMatch(/offsets 100/);
  });
});
