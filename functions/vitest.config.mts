import { defineConfig } from 'vitest/config';

/** The db project's setup: a real PostgreSQL (DATABASE_URL, or the embedded server started by test/db/globalSetup.ts). */
export const dbSetup = {
  globalSetup: ['test/db/globalSetup.ts'],
  testTimeout: 60_000,
  hookTimeout: 60_000,
};


// unit: the pure NEM12 core. db: the loader and CLI against a real PostgreSQL (DATABASE_URL, or an
// embedded server started by test/db/globalSetup.ts). emulator: the pipeline on the Firebase emulators,
// run inside `firebase emulators:exec` by `npm run test:emulator` (src/dev/exec.ts).
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      { extends: true, test: { name: 'db', include: ['test/db/**/*.test.ts'], ...dbSetup } },
      {
        extends: true,
        test: {
          name: 'emulator',
          include: ['test/emulator/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
