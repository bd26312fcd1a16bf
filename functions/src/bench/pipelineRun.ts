import { STATUS_COLLECTION } from '../status/statusDocument';
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { initializeApp } from 'firebase-admin/app';
import { getFirestore } from 'firebase-admin/firestore';
import { getStorage } from 'firebase-admin/storage';
import { getAuth } from 'firebase-admin/auth';
import pg from 'pg';
import { addMember, createOrganisation } from '../orgs/organisations';
import { uploadPathOf } from '../pipeline/uploadPaths';
import { statusIdOf } from '../pipeline/objects';
import type { UploadStatus } from '../status/uploadStatus';

/**
 * Runs inside `firebase emulators:exec` (started by `npm run bench`): uploads one file to the
 * emulated bucket and times upload-to-done through the whole pipeline. Prints one JSON object.
 */
async function main(path: string): Promise<void> {
  const project = process.env.GCLOUD_PROJECT ?? 'demo-nem12';
  const bucketName = `${project}.appspot.com`;
  const app = initializeApp({ projectId: project, storageBucket: bucketName });
  // The trigger loads only files of a registered organisation (a fresh emulator run: none yet).
  const orgs = { auth: getAuth(app), firestore: getFirestore(app) };
  await createOrganisation(orgs, 'Benchmark', { id: ORG });
  // Sent by a member, as the page sends: the trigger checks the uploader's membership.
  const { uid } = await addMember(orgs, ORG, 'bench@example.com', 'member', { password: 'bench password' });
  // Warm-up: one small upload first, so the timed one meets warm function instances (as a pipeline
  // that receives files every day does); the cold first-upload time is reported beside it.
  const warmup = await timedUpload(app, bucketName, uploadPathOf(ORG, uid, 'warmup.csv'), WARMUP_FILE);
  const timed = await timedUpload(app, bucketName, uploadPathOf(ORG, uid, basename(path)), readFileSync(path));
  const steps = await stepsOf(timed.statusId, timed.status);
  process.stdout.write(`\nPIPELINE_RESULT ${JSON.stringify({ ...timed.result, publishMs: steps.publishMs, steps, bytes: statSync(path).size, coldSmallFileMs: warmup.result.ms })}\n`);
  process.exit(timed.status.status === 'done' && warmup.status.status === 'done' ? 0 : 1);
}

const ORG = 'bench';

const WARMUP_FILE = Buffer.from(
  ['100,NEM12,202501010000,MDP1,RETAILER1', '200,WARMUP0001,E1,1,E1,N1,M,kWh,30,', `300,20200101,${Array(48).fill('1').join(',')},A,,,20200102000000,`, '900', ''].join('\r\n'),
);

async function timedUpload(app: ReturnType<typeof initializeApp>, bucketName: string, name: string, bytes: Buffer) {
  const started = performance.now();
  const file = getStorage(app).bucket(bucketName).file(name);
  // Resumable, as any tool sends a large file (the emulator drops a 25 MB single-request body).
  await file.save(bytes, { resumable: bytes.length > 5 << 20 });
  const uploadedMs = performance.now() - started;
  const [metadata] = await file.getMetadata();
  const statusId = statusIdOf({ bucket: bucketName, name, generation: String(metadata.generation) });
  const timeline: string[] = [];
  const status = await new Promise<UploadStatus>((done, fail) => {
    // An upload the trigger refuses never gets a status: fail instead of waiting for ever.
    const timeout = setTimeout(() => fail(new Error(`${name}: no final status after 15 minutes (${timeline.at(-1) ?? 'no status'})`)), 15 * 60_000);
    const stop = getFirestore(app)
      .collection(STATUS_COLLECTION)
      .doc(statusId)
      .onSnapshot((snapshot) => {
        const data = snapshot.data() as UploadStatus | undefined;
        if (data) timeline.push(`${Math.round(performance.now() - started)}ms ${data.status} chunks ${data.chunks.done}/${data.chunks.total}`);
        if (data?.status === 'done' || data?.status === 'failed') {
          stop();
          clearTimeout(timeout);
          done(data);
        }
      });
  });
  const ms = performance.now() - started;
  return { statusId, status, result: { status: status.status, readings: status.readings.total, new: status.readings.new, chunks: status.chunks.total, uploadMs: uploadedMs, ms, timeline } };
}

/**
 * Each step's time, from the status document's stamps and the ledger: the split (created to
 * loading), the chunks (loading to the last chunk staged), the publish (the last chunk staged to the
 * readings published: the finishing task's transaction and its dispatch), the Flo SQL file (loading
 * to its last part written; in parallel with the chunks), and done.
 */
async function stepsOf(statusId: string, status: UploadStatus) {
  const at = (stamp: unknown) => (stamp as { toMillis(): number }).toMillis();
  const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await db.connect();
  try {
    const { rows } = await db.query<{ staged: Date; published: Date; sql: Date | null }>(
      `SELECT max(c.staged_at) AS staged, u.published_at AS published, max(c.sql_written_at) AS sql
       FROM uploads u JOIN upload_chunks c ON c.upload_id = u.id WHERE u.status_id = $1 GROUP BY u.id`,
      [statusId],
    );
    const created = at(status.createdAt);
    const loading = at(status.loadingAt);
    const ms = (from: number, to: number) => Math.round(to - from);
    return {
      splitMs: ms(created, loading),
      chunksMs: ms(loading, rows[0].staged.getTime()),
      publishMs: ms(rows[0].staged.getTime(), rows[0].published.getTime()),
      floSqlMs: rows[0].sql === null ? null : ms(loading, rows[0].sql.getTime()),
      doneMs: ms(created, at(status.finishedAt)),
    };
  } finally {
    await db.end();
  }
}

main(process.argv[2]).catch((error) => {
  console.error(error);
  process.exit(1);
});
