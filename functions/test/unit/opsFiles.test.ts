import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/dev/emulators';
import { TMP_PREFIX, UPLOADS_PREFIX } from '../../src/pipeline/objects';
import { productionSection } from './readmeCommands';

// The files under ops/ that the README applies with one command each: they exist, every one is
// applied, and each has the shape its API takes (gcloud checks none of that offline). The
// log-based metrics' filters are evaluated against the log entries the code really writes.
const OPS = join(REPO_ROOT, 'ops');
const section = productionSection(readFileSync(join(REPO_ROOT, 'README.md'), 'utf8')).text;
// The YAML library firebase-tools itself uses (a dependency of the pinned firebase-tools).
const fromRoot = createRequire(join(REPO_ROOT, 'package.json'));
const YAML = createRequire(fromRoot.resolve('firebase-tools/package.json'))('yaml') as { parse(text: string): unknown };
const json = (file: string) => JSON.parse(readFileSync(join(OPS, file), 'utf8'));
const metricFiles = readdirSync(join(OPS, 'metrics')).sort();
const alertFiles = readdirSync(join(OPS, 'alerts')).sort();
const metrics = new Map(metricFiles.map((file) => [file.replace(/\.yaml$/, ''), YAML.parse(readFileSync(join(OPS, 'metrics', file), 'utf8')) as LogMetric]));

interface LogMetric {
  description?: string;
  filter: string;
  metricDescriptor: { metricKind: string; valueType: string; labels?: { key: string; valueType?: string }[] };
  labelExtractors?: Record<string, string>;
}

describe('ops/ in the README', () => {
  it('every ops/ path the README names exists, and every ops/ file is applied by the README', () => {
    const named = [...new Set([...section.matchAll(/\bops\/[\w./*-]*\w/g)].map((match) => match[0].replace(/[.]$/, '')))];
    const patterns = named.map((path) => new RegExp(`^${path.replace(/[.]/g, '\\.').replace(/\*/g, '[^/]*')}$`));
    for (const path of named) {
      if (path.endsWith('/')) continue;
      const matches = path.includes('*') ? readdirSync(join(REPO_ROOT, path.slice(0, path.lastIndexOf('/')))) : [];
      expect(path.includes('*') ? matches.length : Number(existsSync(join(REPO_ROOT, path))), path).toBeGreaterThan(0);
    }
    const files = readdirSync(OPS, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => `ops/${join(entry.parentPath, entry.name).slice(OPS.length + 1)}`);
    for (const file of files) expect(patterns.some((pattern) => pattern.test(file)), `${file} is not applied by the README`).toBe(true);
    // One command each, and the right one.
    expect(section).toContain('--cors-file=');
    expect(section).toContain('--lifecycle-file=ops/lifecycle.json');
    expect(section).toMatch(/for f in ops\/metrics\/\*\.yaml; do gcloud logging metrics create .*--config-from-file="\$f"; done/);
    expect(section).toMatch(/for f in ops\/alerts\/\*\.json; do gcloud alpha monitoring policies create --policy-from-file="\$f"/);
  });
});

describe('ops/cors.json', () => {
  it('lets the Hosting origins GET (getBlob of a Flo SQL file), once PROJECT_ID is replaced as the README does', () => {
    const rendered = JSON.parse(readFileSync(join(OPS, 'cors.json'), 'utf8').replace(/PROJECT_ID/g, 'nem12-sample-prj'));
    expect(Array.isArray(rendered)).toBe(true);
    expect(rendered).toEqual([
      { origin: ['https://nem12-sample-prj.web.app', 'https://nem12-sample-prj.firebaseapp.com'], method: ['GET'], maxAgeSeconds: expect.any(Number) },
    ]);
    expect(section).toContain('sed "s/PROJECT_ID/$PROJECT/g" ops/cors.json');
  });
});

describe('ops/lifecycle.json', () => {
  it('deletes temporary objects after the longest an upload may run, and uploads after months', () => {
    const { rule } = json('lifecycle.json') as { rule: { action: { type: string }; condition: { age: number; matchesPrefix: string[] } }[] };
    for (const { action, condition } of rule) {
      expect(Object.keys(condition).sort()).toEqual(['age', 'matchesPrefix']);
      expect(action).toEqual({ type: 'Delete' });
      expect(Number.isInteger(condition.age) && condition.age > 0).toBe(true);
    }
    const ageOf = (prefix: string) => rule.filter((entry) => entry.condition.matchesPrefix.includes(prefix)).map((entry) => entry.condition.age);
    // The code's own prefixes (an object layout change must change this file).
    expect(rule.flatMap((entry) => entry.condition.matchesPrefix).sort()).toEqual([TMP_PREFIX, UPLOADS_PREFIX].sort());
    // cleanup fails an upload still running after 6 hours: its tmp/ objects are never needed after 1 day.
    expect(ageOf(TMP_PREFIX)).toEqual([2]);
    expect(ageOf(UPLOADS_PREFIX)[0]).toBeGreaterThanOrEqual(30);
  });
});

/** The entries the functions log (firebase-functions' logger, as Cloud Run's jsonPayload), from the built code. */
function loggedEntries(): Record<string, Record<string, unknown>> {
  const logsJs = join(REPO_ROOT, 'functions', 'lib', 'logs.js');
  if (!existsSync(logsJs)) throw new Error('functions/lib/logs.js is missing: run npm run build -w functions first');
  const script = `const { logs } = require(${JSON.stringify(logsJs)});
    const moved = { statusId: 's', from: 'loading', ms: 1, readings: 2, chunks: 1 };
    logs.statusMoved({ ...moved, transition: 'fail', to: 'failed' });
    logs.statusMoved({ ...moved, transition: 'reject', from: 'splitting', to: 'failed' });
    logs.statusMoved({ ...moved, transition: 'complete', to: 'done' });
    logs.cleanup({ redriven: 1, stalled: 2, stagingDropped: 0, tmpDeleted: 3 });
    logs.cleanup({ redriven: 0, stalled: 0, stagingDropped: 0, tmpDeleted: 0 });
    logs.uploadFailed({ statusId: 's', code: 'X', message: 'm' });`;
  const run = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', env: { PATH: process.env.PATH } });
  // Info entries go to stdout, errors to stderr (Cloud Run reads both).
  const [failed, rejected, done, stalled, idle] = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
  const other = JSON.parse(run.stderr.trim().split('\n')[0]) as Record<string, unknown>;
  return { failed, rejected, done, stalled, idle, other };
}

/** Cloud Logging's query language, the part the metrics use: `A AND B`, `field="text"`, `field>number`. */
function matches(filter: string, entry: Record<string, unknown>, resourceType: string): boolean {
  return filter.split(/\s+AND\s+/).every((term) => {
    const found = /^([\w.]+)\s*(=|>|<|>=|<=)\s*(?:"([^"]*)"|(-?\d+(?:\.\d+)?))$/.exec(term.trim());
    if (!found) throw new Error(`cannot evaluate the filter term ${term}`);
    const [, field, op, text, number] = found;
    const value = field === 'resource.type' ? resourceType : field.startsWith('jsonPayload.') ? entry[field.slice('jsonPayload.'.length)] : undefined;
    if (text !== undefined) return op === '=' && value === text;
    const n = Number(value);
    return typeof value === 'number' && ({ '>': n > +number, '<': n < +number, '>=': n >= +number, '<=': n <= +number } as Record<string, boolean>)[op] === true;
  });
}

describe('ops/metrics: log-based metrics', () => {
  const logged = loggedEntries();

  it('have the LogMetric shape: a filter, a DELTA INT64 counter, an extractor per label', () => {
    expect([...metrics.keys()]).toEqual(['nem12_uploads_failed', 'nem12_uploads_stalled']);
    for (const [name, metric] of metrics) {
      expect(Object.keys(metric).every((key) => ['description', 'filter', 'metricDescriptor', 'labelExtractors', 'valueExtractor', 'bucketOptions', 'disabled'].includes(key)), name).toBe(true);
      expect(typeof metric.filter, name).toBe('string');
      expect(metric.metricDescriptor, name).toMatchObject({ metricKind: 'DELTA', valueType: 'INT64' });
      const labels = (metric.metricDescriptor.labels ?? []).map((label) => label.key).sort();
      expect(Object.keys(metric.labelExtractors ?? {}).sort(), name).toEqual(labels);
      for (const extractor of Object.values(metric.labelExtractors ?? {})) expect(extractor).toMatch(/^EXTRACT\(jsonPayload\.\w+\)$/);
    }
  });

  it('uploads failed: counts the entries of uploads moved to failed, labelled fail or reject, nothing else', () => {
    const metric = metrics.get('nem12_uploads_failed')!;
    const counted = Object.entries(logged).filter(([, entry]) => matches(metric.filter, entry, 'cloud_run_revision')).map(([name]) => name);
    expect(counted.sort()).toEqual(['failed', 'rejected']);
    const field = /^EXTRACT\(jsonPayload\.(\w+)\)$/.exec(metric.labelExtractors!.transition)![1];
    expect([logged.failed[field], logged.rejected[field]]).toEqual(['fail', 'reject']);
    expect(matches(metric.filter, logged.failed, 'cloud_function')).toBe(false);
  });

  it('uploads stalled: counts the cleanup runs that failed stalled uploads, not the others', () => {
    const metric = metrics.get('nem12_uploads_stalled')!;
    const counted = Object.entries(logged).filter(([, entry]) => matches(metric.filter, entry, 'cloud_run_revision')).map(([name]) => name);
    expect(counted).toEqual(['stalled']);
  });
});

const COMPARISONS = ['COMPARISON_GT', 'COMPARISON_GE', 'COMPARISON_LT', 'COMPARISON_LE', 'COMPARISON_EQ', 'COMPARISON_NE'];
const ALIGNERS = ['ALIGN_NONE', 'ALIGN_DELTA', 'ALIGN_RATE', 'ALIGN_SUM', 'ALIGN_MEAN', 'ALIGN_MAX', 'ALIGN_MIN', 'ALIGN_COUNT'];
const REDUCERS = ['REDUCE_NONE', 'REDUCE_SUM', 'REDUCE_MEAN', 'REDUCE_MAX', 'REDUCE_MIN', 'REDUCE_COUNT'];
// The monitored resource each metric is written against.
const RESOURCE_OF: [RegExp, string][] = [
  [/^logging\.googleapis\.com\/user\//, 'cloud_run_revision'],
  [/^cloudtasks\.googleapis\.com\/queue\//, 'cloud_tasks_queue'],
  [/^cloudsql\.googleapis\.com\/database\//, 'cloudsql_database'],
];

describe('ops/alerts: alert policies', () => {
  const policies = alertFiles.map((file) => [file, json(`alerts/${file}`)] as const);

  it('have the AlertPolicy shape, each condition a threshold on a known metric of its resource', () => {
    for (const [file, policy] of policies) {
      expect(Object.keys(policy).every((key) => ['displayName', 'documentation', 'userLabels', 'conditions', 'combiner', 'enabled', 'alertStrategy', 'severity'].includes(key)), file).toBe(true);
      expect(policy.displayName, file).toMatch(/^NEM12: /);
      expect(policy.documentation.content.length, file).toBeGreaterThan(50);
      expect(['OR', 'AND', 'AND_WITH_MATCHING_RESOURCE'], file).toContain(policy.combiner);
      expect(policy.conditions.length, file).toBeGreaterThan(0);
      for (const condition of policy.conditions) {
        expect(Object.keys(condition).sort(), file).toEqual(['conditionThreshold', 'displayName']);
        const threshold = condition.conditionThreshold;
        const metricType = /metric\.type="([^"]+)"/.exec(threshold.filter)?.[1] ?? '';
        const resourceType = /resource\.type="([^"]+)"/.exec(threshold.filter)?.[1];
        const known = RESOURCE_OF.find(([pattern]) => pattern.test(metricType));
        expect(known, `${file}: ${metricType}`).toBeDefined();
        expect(resourceType, file).toBe(known![1]);
        expect(COMPARISONS, file).toContain(threshold.comparison);
        expect(typeof threshold.thresholdValue, file).toBe('number');
        expect(threshold.duration, file).toMatch(/^\d+s$/);
        for (const aggregation of threshold.aggregations) {
          expect(aggregation.alignmentPeriod, file).toMatch(/^\d+s$/);
          expect(ALIGNERS, file).toContain(aggregation.perSeriesAligner);
          if (aggregation.crossSeriesReducer) expect(REDUCERS, file).toContain(aggregation.crossSeriesReducer);
        }
        // A log-based metric must be one of ops/metrics, and a label it filters on one of its labels.
        const user = /^logging\.googleapis\.com\/user\/(.+)$/.exec(metricType)?.[1];
        if (user) {
          expect(metrics.has(user), `${file}: ${user} is not in ops/metrics`).toBe(true);
          const labels = (metrics.get(user)!.metricDescriptor.labels ?? []).map((label) => label.key);
          for (const [, label] of threshold.filter.matchAll(/metric\.label\.(\w+)/g)) expect(labels, file).toContain(label);
        }
      }
    }
  });

  it('cover failed and stalled uploads, the task queues and the database (CPU, disk, connections)', () => {
    const watched = policies.flatMap(([, policy]) => policy.conditions.map((condition: { conditionThreshold: { filter: string } }) => /metric\.type="([^"]+)"/.exec(condition.conditionThreshold.filter)![1]));
    expect(watched.sort()).toEqual([
      'cloudsql.googleapis.com/database/cpu/utilization',
      'cloudsql.googleapis.com/database/disk/utilization',
      'cloudsql.googleapis.com/database/postgresql/num_backends',
      'cloudtasks.googleapis.com/queue/depth',
      'logging.googleapis.com/user/nem12_uploads_failed',
      'logging.googleapis.com/user/nem12_uploads_stalled',
    ]);
    // The failure alert is on the pipeline's failures, which the metric labels `fail`.
    const failed = policies.find(([file]) => file === 'uploads-failed.json')![1];
    expect(failed.conditions[0].conditionThreshold.filter).toContain('metric.label.transition="fail"');
    // Above what the functions open with the defaults (50: README, Connections and time).
    const connections = policies.find(([file]) => file === 'sql-connections.json')![1];
    expect(connections.conditions[0].conditionThreshold.thresholdValue).toBeGreaterThan(50);
  });
});
