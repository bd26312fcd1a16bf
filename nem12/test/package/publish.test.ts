import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// What `npm publish` would upload, without uploading it: npm's own checks of package.json raise no
// warning (the only one left is that nobody is logged in), and the tarball holds the builds and the
// documents, nothing else (no source, tests or configuration).
describe('npm publish --dry-run', () => {
  it('is clean and publishes only dist, README, CHANGELOG, LICENSE and package.json', () => {
    const run = spawnSync('npm', ['publish', '--dry-run', '--json'], { cwd: join(import.meta.dirname, '..', '..'), encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const warnings = run.stderr.split('\n').filter((line) => /^npm warn/i.test(line));
    expect(warnings.filter((line) => !/requires you to be logged in/.test(line))).toEqual([]);
    const { nem12 } = JSON.parse(run.stdout);
    const paths: string[] = nem12.files.map((file: { path: string }) => file.path);
    expect(paths.filter((path) => !path.startsWith('dist/')).sort()).toEqual(['CHANGELOG.md', 'LICENSE', 'README.md', 'package.json']);
    expect(paths).toContain('dist/esm/index.js');
    expect(paths).toContain('dist/esm/index.d.ts');
    expect(paths).toContain('dist/cjs/index.js');
    expect(paths).toContain('dist/cjs/package.json');
    expect(paths.filter((path) => path.startsWith('dist/')).every((path) => /\.(js|d\.ts)$|^dist\/cjs\/package\.json$/.test(path))).toBe(true);
  });
});
