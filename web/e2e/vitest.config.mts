import { defineConfig } from 'vitest/config';

// End to end, run inside `firebase emulators:exec` by `npm run test:e2e` (functions/src/dev/exec.ts):
// the built page on the Hosting emulator in a real headless Chromium, and the security rules.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
  },
});
