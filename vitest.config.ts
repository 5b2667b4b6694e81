import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const shared = fileURLToPath(new URL('./src-shared', import.meta.url));

export default defineConfig({
  resolve: { alias: { '@shared': shared } },
  test: {
    // data key files go outside the data folder, by default into the user's config folder: tests keep theirs in /tmp
    env: { KORTSTATION_KEY_DIR: process.env.KORTSTATION_KEY_DIR ?? join(tmpdir(), 'kortstation-test-keys') },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node' },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/support/build-once.ts', 'test/support/postgres-global.ts'],
          // one pcscd and two virtual readers: integration files must not race for them
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
    ],
  },
});
