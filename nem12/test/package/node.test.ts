import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { parseNem12 } from '../../src/index.js';

// The packed package installed in a fresh project (packedProject.ts), used from Node as ESM and as
// CommonJS, and type-checked by tsc from a user's TypeScript files.
const user = inject('packedProject');
const DEFECTS = join(import.meta.dirname, '..', 'fixtures', 'defects');
const FILES = ['silent_drop_reference_ok.csv', 'crash_300_without_comma.csv', 'lost_whole_file_duplicate_day.csv'];

// What a user's script prints of a parse; the same function body in both module systems.
const REPORT = `({ ok, resolved, days, issues, readings, first }) => JSON.stringify({ ok, resolved, days, issues, readings, first })`;

const ESM = `import { createReadStream } from 'node:fs';
import { Nem12Parser, readingsOf } from 'nem12';
// The README's Node stream example.
const days = [], issues = [];
let first = null;
const parser = new Nem12Parser({
  onEvent: (event) => {
    if (event.type !== 'day') return;
    days.push(event.date);
    for (const r of readingsOf(event)) first ??= { ...r, intervalEnd: r.intervalEnd.toISOString() };
  },
  onIssue: (issue) => issues.push(issue.code + '@' + issue.line),
});
for await (const chunk of createReadStream(process.argv[2], { highWaterMark: 7 })) parser.push(chunk);
parser.end();
const report = ${REPORT};
console.log(report({ ok: parser.info.errors === 0, resolved: import.meta.resolve('nem12'), days, issues, readings: parser.info.readings, first }));
`;

const CJS = `const { readFileSync } = require('node:fs');
const { parseNem12, readingsOf } = require('nem12');
const result = parseNem12(readFileSync(process.argv[2]));
const reading = result.days.length > 0 ? readingsOf(result.days[0]).next().value : undefined;
const first = reading ? { ...reading, intervalEnd: reading.intervalEnd.toISOString() } : null;
const issues = [...result.issues.errors, ...result.issues.warnings].sort((a, b) => a.line - b.line).map((i) => i.code + '@' + i.line);
const report = ${REPORT};
console.log(report({ ok: result.ok, resolved: require.resolve('nem12'), days: result.days.map((d) => d.date), issues, readings: result.info.readings, first }));
`;

function run(script: string, file: string) {
  return JSON.parse(execFileSync(process.execPath, [join(user, script), join(DEFECTS, file)], { cwd: user, encoding: 'utf8' }));
}

/** What the repository's source says of the file: the installed build must say the same. */
function expected(file: string) {
  const result = parseNem12(readFileSync(join(DEFECTS, file)));
  const reading = result.days.length > 0 ? [...result.days[0].values].findIndex((v) => v !== null) : -1;
  return {
    ok: result.ok,
    days: result.days.map((d) => d.date),
    issues: [...result.issues.errors, ...result.issues.warnings].sort((a, b) => a.line - b.line).map((i) => `${i.code}@${i.line}`),
    readings: result.info.readings,
    firstValue: reading < 0 ? null : result.days[0].values[reading],
  };
}

describe('the packed package in a fresh project', () => {
  it('is installed as a copy of the tarball, not a link to the repository', () => {
    expect(lstatSync(join(user, 'node_modules', 'nem12')).isSymbolicLink()).toBe(false);
    expect(JSON.parse(readFileSync(join(user, 'node_modules', 'nem12', 'package.json'), 'utf8'))).toMatchObject({ name: 'nem12', version: '0.1.0' });
  });

  it.each(FILES)('ESM (import, a Node stream in 7-byte chunks) and CommonJS (require) read %s as the source does', (file) => {
    writeFileSync(join(user, 'esm.mjs'), ESM);
    writeFileSync(join(user, 'cjs.cjs'), CJS);
    const esm = run('esm.mjs', file);
    const cjs = run('cjs.cjs', file);
    const want = expected(file);
    expect(esm.resolved).toMatch(/\/node_modules\/nem12\/dist\/esm\/index\.js$/);
    expect(cjs.resolved).toBe(createRequire(join(user, 'x.js')).resolve('nem12'));
    expect(cjs.resolved).toMatch(/\/node_modules\/nem12\/dist\/cjs\/index\.js$/);
    for (const got of [esm, cjs]) {
      expect({ ok: got.ok, days: got.days, issues: got.issues, readings: got.readings, firstValue: got.first?.value ?? null }).toEqual(want);
    }
    expect(esm.first).toEqual(cjs.first);
  });

  it('a clean file: its first reading ends 00:30 NEM time (UTC+10) on its first day', () => {
    writeFileSync(join(user, 'cjs.cjs'), CJS);
    const { first, ok } = run('cjs.cjs', 'silent_drop_reference_ok.csv');
    expect(ok).toBe(true);
    expect(first).toMatchObject({ intervalEnd: '2003-12-31T14:30:00.000Z', quality: 'A' });
  });

  it("type-checks a user's TypeScript, ESM and CommonJS, with the package's own types", () => {
    const source = `import { parseNem12, readingsOf, ISSUE_SEVERITY, type IssueCode, type Nem12Event } from 'nem12';
const result = parseNem12(new TextEncoder().encode('100,NEM12,200405011135,MDA1,Ret1\\n900\\n'));
const codes: IssueCode[] = result.issues.errors.map((found) => found.code);
const severity: 'error' | 'warning' = ISSUE_SEVERITY.MISSING_END;
const dates: string[] = result.days.map((day) => day.date);
const kinds = result.events.map((event: Nem12Event) => event.type);
for (const day of result.days) for (const reading of readingsOf(day)) reading.intervalEnd.getTime();
// @ts-expect-error: not an issue code (the types are real, not any)
const wrong: IssueCode = 'NOT_A_CODE';
// @ts-expect-error: days are records, not strings
const notText: string = result.days[0];
export { codes, severity, dates, kinds, wrong, notText };
`;
    writeFileSync(join(user, 'check.mts'), source);
    writeFileSync(join(user, 'check.cts'), source);
    writeFileSync(join(user, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, types: [] },
      files: ['check.mts', 'check.cts'],
    }));
    const tsc = join(import.meta.dirname, '..', '..', '..', 'node_modules', 'typescript', 'bin', 'tsc');
    const run = spawnSync(process.execPath, [tsc, '-p', user, '--listFiles'], { cwd: user, encoding: 'utf8' });
    expect(run.status, run.stdout).toBe(0);
    const listed = run.stdout;
    expect(listed).toContain('/node_modules/nem12/dist/esm/index.d.ts');
    expect(listed).toContain('/node_modules/nem12/dist/cjs/index.d.ts');
  });
});
