import 'vitest';
import type { TestProject } from 'vitest/node';
import { startDatabase } from '../../src/dev/database';

/**
 * Tests run against a real PostgreSQL: DATABASE_URL when set (CI sets it to the machine's server),
 * otherwise an embedded PostgreSQL started here, so `npm test` works on a computer without one.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const database = await startDatabase({ log: (line) => console.log(`[db] ${line}`) });
  project.provide('databaseUrl', database.url);
  return () => database.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
