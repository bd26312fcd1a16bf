import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

/**
 * The package as a user gets it: `npm pack` (which builds, through `prepack`), then a fresh project
 * outside the repository with nothing but the tarball installed (it has no dependencies, so the
 * install needs nothing from the registry). The tests get the project's folder.
 */
const PACKAGE = join(import.meta.dirname, '..', '..');

declare module 'vitest' {
  export interface ProvidedContext {
    packedProject: string;
  }
}

export default function setup(project: TestProject): () => void {
  const root = mkdtempSync(join(tmpdir(), 'nem12-packed-'));
  const packs = join(root, 'packs');
  const user = join(root, 'user');
  for (const folder of [packs, user]) mkdirSync(folder);
  execFileSync('npm', ['pack', '--pack-destination', packs, '--silent'], { cwd: PACKAGE, stdio: ['ignore', 'ignore', 'inherit'] });
  const [tarball] = readdirSync(packs);
  writeFileSync(join(user, 'package.json'), JSON.stringify({ name: 'a-user', version: '1.0.0', private: true }));
  execFileSync('npm', ['install', join(packs, tarball), '--no-audit', '--no-fund', '--silent'], { cwd: user, stdio: ['ignore', 'ignore', 'inherit'] });
  project.provide('packedProject', user);
  return () => rmSync(root, { recursive: true, force: true });
}

