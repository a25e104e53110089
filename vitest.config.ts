import { defineConfig } from 'vitest/config';
import { WxtVitest } from 'wxt/testing/vitest-plugin';

// Two projects, one `vitest run`: unit tests in happy-dom, and end-to-end tests that drive
// the built extension in real Chromium and Firefox (one file at a time: two cores here).
export default defineConfig({
  test: {
    // The second reporter says how many tests on ../shared's real captures were skipped.
    reporters: ['default', './tests/helpers/capture-skip-reporter.ts'],
    projects: [
      {
        plugins: [WxtVitest()],
        test: {
          name: 'unit',
          environment: 'happy-dom',
          setupFiles: ['fake-indexeddb/auto', './tests/setup.ts'],
          include: ['tests/unit/**/*.test.ts', 'tests/unit/**/*.test.tsx', 'server/**/*.test.ts'],
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['tests/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
