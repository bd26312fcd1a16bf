import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { dbSetup } from '../../../vitest.config.mts';

// The db project's own setup on one probe file (test/db/exitCode.test.ts runs it): whatever the
// setup loads must leave vitest's exit code alone.
export default defineConfig({
  root: fileURLToPath(new URL('../../..', import.meta.url)),
  test: { ...dbSetup, include: ['test/db/probe/exitCode.probe.ts'] },
});
