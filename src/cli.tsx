#!/usr/bin/env node
/**
 * The entry point. It prepares the environment before anything that reads it is loaded
 * (docs/terminal-notes.md §6.2: chalk decides colours at import time and ignores NO_COLOR; §5.2: the
 * libuv pool is sized on first use), then runs the program with dynamic imports.
 */
if (process.env.NO_COLOR) process.env.FORCE_COLOR = '0';
if (process.argv.includes('--no-color')) process.env.FORCE_COLOR = '0';
// React's development build (its default without NODE_ENV) checks and times every render: on a
// 2-core VM that made each wizard frame several times slower, and a frame drawn between two
// calls delays the next call (npm run bench, call gaps). A user's own NODE_ENV is kept.
process.env.NODE_ENV ??= 'production';
// A blocking ioctl occupies one pool thread; keep room for file reads beside it.
process.env.UV_THREADPOOL_SIZE ??= '8';

// A closed pipe or a dead terminal must never crash the program (docs/architecture.md §5).
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'EIO') throw error;
  });
}

const { main } = await import('./commands/program.js');
process.exitCode = await main(process.argv);
