import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    setupFiles: ['test/setup/cursor-restore.ts'],
    env: { FORCE_COLOR: '0' },
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
