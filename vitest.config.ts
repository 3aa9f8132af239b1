import { defineConfig } from 'vitest/config';

// Three tiers (see README): unit is pure and fast; integration talks to the real
// Firestore and Pub/Sub emulators started once by tests/support/global-setup.ts;
// e2e drives `npm start` as a user would.
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summary-reporter.ts'],
    allowOnly: false,
    passWithNoTests: false,
    // Offline: keep Google clients from probing for a metadata server.
    env: { METADATA_SERVER_DETECTION: 'none' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], testTimeout: 10_000 },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
