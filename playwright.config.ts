import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from '@playwright/test';

// data key files go outside the data folder, by default into the user's config folder: the browser-mode hosts of tests keep theirs in /tmp
process.env.KORTSTATION_KEY_DIR ??= join(tmpdir(), 'kortstation-test-keys');

export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/support/build-once.ts',
  // one pcscd with two virtual readers: tests take turns
  workers: 1,
  fullyParallel: false,
  timeout: 60_000,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: {
    browserName: 'chromium',
    testIdAttribute: 'data-test',
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-gpu', '--no-first-run'],
    },
  },
});
