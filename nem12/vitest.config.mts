import { defineConfig } from 'vitest/config';

// The parser's own tests (test/*.test.ts, against the source) and the package as users get it
// (test/package/*.test.ts: the packed tarball in a fresh project, Node and Chromium).
export default defineConfig({
  test: {
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/*.test.ts'] } },
      { extends: true, test: { name: 'package', include: ['test/package/*.test.ts'], globalSetup: ['test/package/packedProject.ts'], testTimeout: 180_000, hookTimeout: 180_000, fileParallelism: false } },
    ],
  },
});
