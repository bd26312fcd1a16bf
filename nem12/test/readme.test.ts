import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ISSUE_SEVERITY } from '../src/index.js';

// The README's table of issue codes is the documented, stable list: it must name exactly the codes
// the package exports, each with its severity, so neither can change without the other.
function documentedCodes(): [string, string][] {
  const readme = readFileSync(join(import.meta.dirname, '..', 'README.md'), 'utf8');
  const table = readme.slice(readme.indexOf('<!-- issue codes'));
  const rows: [string, string][] = [];
  for (const line of table.split('\n').slice(1)) {
    if (!line.startsWith('|')) {
      if (rows.length > 0) break;
      continue;
    }
    const match = /^\| `([A-Z0-9_]+)` \| (error|warning) \|/.exec(line);
    if (match) rows.push([match[1], match[2]]);
  }
  return rows;
}

describe('README: the issue codes', () => {
  it('lists every exported code once, with its severity, and nothing else', () => {
    const documented = documentedCodes();
    expect(new Set(documented.map(([code]) => code)).size).toBe(documented.length);
    const byCode = (a: [string, string], b: [string, string]) => a[0].localeCompare(b[0]);
    expect(documented.sort(byCode)).toEqual(Object.entries(ISSUE_SEVERITY).sort(byCode));
  });
});
