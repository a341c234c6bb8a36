import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir, xilinxBin } from '../helpers/images.js';
import { expectRefused } from '../helpers/inspect-cli.js';

const dir = tempDir('cxl-inspect-bad-');
const at = (name: string): string => join(dir.path, name);

let socketServer: Server;
beforeAll(async () => {
  writeFileSync(at('psl.bin'), xilinxBin(10_000));
  socketServer = createServer();
  await new Promise<void>((resolve) => socketServer.listen(at('socket'), resolve));
});
afterAll(async () => {
  await new Promise((resolve) => socketServer.close(resolve));
  dir.remove();
});

describe('cxl-flasher inspect: bad input, exit 2 with the problem and a fix', () => {
  it('a missing file', async () => {
    expectRefused(
      await runCli(['inspect', at('nope.bin')]),
      /Image not found: .*nope\.bin does not exist/,
    );
  });

  it('a missing file with --json still prints one JSON document', async () => {
    const r = await runCli(['inspect', at('nope.bin'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout)).toMatchObject({
      schema: 'cxl-flasher.inspect/1',
      ok: false,
      error: { problem: 'missing' },
    });
  });

  it('a path through a regular file', async () => {
    expectRefused(
      await runCli(['inspect', join(at('psl.bin'), 'x.bin')]),
      /before the file name is a file/,
    );
  });

  it('a directory', async () => {
    expectRefused(await runCli(['inspect', dir.path]), /is a directory, not an image file/);
  });

  it('a FIFO, without blocking on it', async () => {
    execFileSync('mkfifo', [at('fifo')]);
    expectRefused(
      await runCli(['inspect', at('fifo')], { timeoutMs: 10_000 }),
      /named pipe \(FIFO\)/,
    );
  });

  it('a device node', async () => {
    expectRefused(await runCli(['inspect', '/dev/null']), /\/dev\/null is a character device/);
  });

  it('a socket', async () => {
    expectRefused(await runCli(['inspect', at('socket')]), /is a socket/);
  });

  it('an empty file', async () => {
    writeFileSync(at('empty.bin'), '');
    expectRefused(await runCli(['inspect', at('empty.bin')]), /empty \(0 bytes\)/);
  });

  it('a file over the 256 MiB limit (sparse: nothing is read)', async () => {
    writeFileSync(at('huge.bin'), '');
    truncateSync(at('huge.bin'), 256 * 1024 * 1024 + 1);
    expectRefused(
      await runCli(['inspect', at('huge.bin')]),
      /larger than the limit of 268,435,456 bytes \(256\.0 MiB\)/,
    );
  });

  it('a file another process keeps appending to while it is read', async () => {
    const path = at('growing.bin');
    writeFileSync(path, '');
    truncateSync(path, 64 * 1024 * 1024); // sparse: costs no disk, takes a while to hash
    const writer: ChildProcess = spawn(
      process.execPath,
      [
        '-e',
        "const fs=require('fs');const fd=fs.openSync(process.argv[1],'a');setInterval(()=>fs.writeSync(fd,'x'),1);process.stdout.write('ready\\n')",
        path,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    try {
      await new Promise<void>((resolve) => writer.stdout?.once('data', () => resolve()));
      expectRefused(
        await runCli(['inspect', path]),
        /growing\.bin changed while it was being read \(it grew/,
      );
    } finally {
      writer.kill('SIGKILL');
    }
  });

  it('no image argument', async () => {
    const r = await runCli(['inspect']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/missing required argument 'image'/);
  });
});
