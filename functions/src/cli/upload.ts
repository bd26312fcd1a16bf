import { STATUS_COLLECTION } from '../status/statusDocument';
import type { App } from 'firebase-admin/app';
import { getFirestore, Timestamp } from 'firebase-admin/firestore';
import { getOrganisation } from '../orgs/organisations';
import { getStorage } from 'firebase-admin/storage';
import { isOrgId, LOCAL_ORG } from '../orgs/orgIds';
import { statusIdOf, uploadPathOf } from '../pipeline/objects';
import { adminApp, firebaseTarget } from './firebaseProject';
import type { UploadStatus } from '../status/uploadStatus';
import { describeIssues } from './format';
import { EXIT, UsageError } from './failure';
import { inputFile } from './inputFile';
import { ProgressBar } from './progress';

/**
 * `nem12 upload FILE --org ORG [--wait] [--json]`: puts the file in the organisation's folder of the
 * bucket, where the pipeline picks it up, and with --wait follows its status document to the end.
 * The project: see firebaseProject.ts.
 */
export async function uploadCommand(positionals: string[], values: Record<string, unknown>): Promise<number> {
  const file = inputFile(positionals[0]);
  const org = (values.org as string | undefined) ?? LOCAL_ORG;
  if (!isOrgId(org)) throw new UsageError(`--org "${org}" is not an organisation id (2-128 letters, digits, "_" or "-")`);
  const uid = (values.uid as string | undefined) ?? 'cli';
  if (!/^[\w.-]+$/.test(uid)) throw new UsageError(`--uid "${uid}" may hold letters, digits, '.', '_' and '-' only`);
  const timeoutSeconds = Number(values.timeout ?? 900);
  if (!(timeoutSeconds > 0)) throw new UsageError('--timeout must be a positive number of seconds');
  const target = firebaseTarget(values);
  const bucketName = target.bucket;

  if (file.size === 0) {
    // The pipeline skips empty objects: say why here rather than upload something that never loads.
    process.stderr.write(`${file.name}: REJECTED, the file is empty (EMPTY_FILE); not uploaded\n`);
    return EXIT.rejected;
  }
  const app = adminApp(target);
  try {
    if ((await getOrganisation({ firestore: getFirestore(app) }, org)) === null) {
      // The pipeline would skip the object: say so here instead.
      process.stderr.write(`${file.name}: REJECTED (ORGANISATION_NOT_FOUND): there is no organisation ${org} (see \`nem12 org list\`); not uploaded\n`);
      return EXIT.rejected;
    }
    const destination = uploadPathOf(org, uid, file.name);
    const [uploaded] = await getStorage(app).bucket(bucketName).upload(file.path, {
      destination,
      resumable: file.size > 8 * 1024 * 1024,
      metadata: { contentType: 'application/octet-stream' },
    });
    const generation = String(uploaded.metadata.generation);
    const statusId = statusIdOf({ bucket: bucketName, name: destination, generation });
    if (!values.wait) {
      const where = { statusId, object: `gs://${bucketName}/${destination}`, generation };
      process.stdout.write(values.json ? `${JSON.stringify(where)}\n` : `uploaded ${where.object} (generation ${generation}); status: uploads/${statusId}\n`);
      return EXIT.ok;
    }
    const status = await follow(app, statusId, file.name, timeoutSeconds);
    if (values.json) process.stdout.write(`${JSON.stringify({ statusId, ...(plain(status) as object) })}\n`);
    else process.stdout.write(`${describe(status)}\n`);
    return status?.status === 'done' ? EXIT.ok : EXIT.rejected;
  } finally {
    await Promise.resolve(getFirestore(app).terminate()).catch(() => {});
  }
}

/** Watches uploads/{statusId} (onSnapshot) until done or failed; a progress bar on a terminal. */
function follow(app: App, statusId: string, name: string, timeoutSeconds: number): Promise<UploadStatus | null> {
  const progress = new ProgressBar(`loading ${name}`);
  return new Promise((done) => {
    let last: UploadStatus | null = null;
    const timer = setTimeout(() => {
      stop();
      progress.done();
      process.stderr.write(`${name}: no final status after ${timeoutSeconds} s (last: ${last?.status ?? 'not started'})\n`);
      done(last);
    }, timeoutSeconds * 1000);
    const stop = getFirestore(app)
      .collection(STATUS_COLLECTION)
      .doc(statusId)
      .onSnapshot((snapshot) => {
        const status = snapshot.data() as UploadStatus | undefined;
        if (!status) return;
        last = status;
        if (status.status === 'loading') progress.update(status.chunks.done, status.chunks.total, `${status.readings.loaded.toLocaleString()} of ${status.readings.total.toLocaleString()} readings`);
        if (status.status === 'publishing') progress.update(status.chunks.total, status.chunks.total, 'publishing: making the readings visible');
        if (status.status === 'done' || status.status === 'failed') {
          clearTimeout(timer);
          stop();
          progress.done();
          done(status);
        }
      });
  });
}

function describe(status: UploadStatus | null): string {
  if (!status) return 'no status';
  const head =
    status.status === 'done'
      ? `${status.fileName}: done, ${status.readings.total} readings: ${status.readings.new} new, ${status.readings.updated} updated, ${status.readings.unchanged} unchanged` +
        `${status.warnings.count ? `, ${status.warnings.count} warning(s)` : ''}${status.sqlPath ? `\n  Flo SQL: ${status.sqlPath}` : ''}`
      : `${status.fileName}: ${status.status.toUpperCase()}${status.errors.count ? `, ${status.errors.count} error(s), nothing loaded` : ''}`;
  const issues = describeIssues({
    errors: status.errors.items.map((i) => ({ ...i, severity: 'error' as const })),
    warnings: status.warnings.items.map((i) => ({ ...i, severity: 'warning' as const })),
    errorCount: status.errors.count,
    warningCount: status.warnings.count,
  } as never);
  return issues ? `${head}\n${issues}` : head;
}

/** Firestore Timestamps as ISO strings, for JSON output. */
function plain(value: unknown): unknown {
  if (value instanceof Timestamp) return value.toDate().toISOString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}
