import { getApps, initializeApp } from 'firebase-admin/app';
import { getAuth } from 'firebase-admin/auth';
import { getFirestore } from 'firebase-admin/firestore';
import { getFunctions } from 'firebase-admin/functions';
import { getStorage } from 'firebase-admin/storage';
import pg from 'pg';
import type { PipelineContext } from '../../src/pipeline/context';
import type { Role } from '../../src/orgs/membership';
import { addMember, createOrganisation, getOrganisation, type OrgAdmin } from '../../src/orgs/organisations';
import { statusIdOf } from '../../src/pipeline/objects';
import { redeliverFinalize as redeliver } from '../../src/dev/sweeper';
import { STATUS_COLLECTION } from '../../src/status/statusDocument';
import type { UploadStatus } from '../../src/status/uploadStatus';

/**
 * What the end-to-end tests need, talking to the real emulators started by `firebase emulators:exec`
 * (see src/dev/exec.ts) and to the same PostgreSQL the functions use (DATABASE_URL).
 */
export const PROJECT = process.env.GCLOUD_PROJECT ?? 'demo-nem12';
export const BUCKET = `${PROJECT}.appspot.com`;
/**
 * A bucket no trigger watches (the storage trigger is the default bucket's): a test that runs the
 * trigger's work itself, or holds an upload back from it, puts its object here.
 */
export const HELD_BUCKET = `${PROJECT}-held`;
export const REGION = 'australia-southeast1';

for (const name of ['FIRESTORE_EMULATOR_HOST', 'FIREBASE_STORAGE_EMULATOR_HOST', 'FIREBASE_AUTH_EMULATOR_HOST', 'CLOUD_TASKS_EMULATOR_HOST', 'DATABASE_URL']) {
  if (!process.env[name]) throw new Error(`${name} is not set: run these tests through \`npm run test:emulator\` (firebase emulators:exec)`);
}

const app = getApps()[0] ?? initializeApp({ projectId: PROJECT, storageBucket: BUCKET });
export const firestore = getFirestore(app);
export const bucket = getStorage(app).bucket(BUCKET);
export const taskQueues = getFunctions(app);
export const db = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 3 });
// A restarted server (the fault tests) ends idle connections: they are dropped, not fatal.
db.on('error', () => {});
export const admin: OrgAdmin = { auth: getAuth(app), firestore };
/** The pipeline's context as the test process has it: the same emulators and database as the functions. */
export const ctx: PipelineContext = { db, auth: getAuth(app), firestore, storage: getStorage(app), queues: taskQueues };

/** An organisation in the registry (created once: the trigger loads only uploads of one that exists). */
export async function organisation(id: string): Promise<string> {
  if ((await getOrganisation(admin, id)) === null) {
    await createOrganisation(admin, `Test ${id}`, { id }).catch((error: { code?: string }) => {
      if (error.code !== 'ORGANISATION_EXISTS') throw error;
    });
  }
  return id;
}

export interface Member {
  uid: string;
  email: string;
  token: string;
}

const PASSWORD = 'correct horse battery';

/** A member of `org` (the Auth user made by the same code as `nem12 org add-member`), signed in: a real ID token with the claims. */
export async function member(org: string, name: string, role: Role = 'admin'): Promise<Member> {
  await organisation(org);
  const email = `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`;
  const added = await addMember(admin, org, email, role, { password: PASSWORD });
  return { uid: added.uid, email, token: await signIn(email) };
}

/** Signs in on the Auth emulator (REST), as the web SDK would: a fresh ID token. */
export async function signIn(email: string, password = PASSWORD): Promise<string> {
  const response = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signInWithPassword?key=demo-key`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password, returnSecureToken: true }),
  });
  const body = (await response.json()) as { idToken: string };
  if (!response.ok) throw new Error(`sign-in failed: ${JSON.stringify(body)}`);
  return body.idToken;
}

/** A new account nobody has added to an organisation (self sign-up, its address unverified), signed in. */
export async function signUp(name: string, email = `${name}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@example.com`): Promise<Member> {
  const response = await fetch(`http://${process.env.FIREBASE_AUTH_EMULATOR_HOST}/identitytoolkit.googleapis.com/v1/accounts:signUp?key=demo-key`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD, returnSecureToken: true }),
  });
  const body = (await response.json()) as { idToken: string; localId: string };
  if (!response.ok) throw new Error(`sign-up failed: ${JSON.stringify(body)}`);
  return { uid: body.localId, email, token: body.idToken };
}

export const API = `http://127.0.0.1:5001/${process.env.GCLOUD_PROJECT ?? 'demo-nem12'}/australia-southeast1/api`;

/** Calls the API as `who` (or signed out). */
export async function callApi(path: string, who: { token: string } | null, init: { method?: string; body?: unknown; headers?: Record<string, string>; base?: string } = {}) {
  const headers: Record<string, string> = { ...(who ? { Authorization: `Bearer ${who.token}` } : {}), ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers };
  const response = await fetch(`${init.base ?? API}${path}`, { method: init.method ?? 'GET', headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? null : JSON.parse(text) };
}

export async function query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]> {
  return (await db.query<T>(sql, params)).rows;
}

export interface Uploaded {
  statusId: string;
  name: string;
  generation: string;
}

/**
 * Puts bytes in the bucket as a user or tool would (with any custom metadata); the storage emulator
 * fires the trigger (not for HELD_BUCKET).
 */
export async function upload(bytes: Buffer, name: string, metadata?: Record<string, string>, bucketName = BUCKET): Promise<Uploaded> {
  const file = getStorage(app).bucket(bucketName).file(name);
  await file.save(bytes, { resumable: false, contentType: 'application/octet-stream', metadata: metadata ? { metadata } : undefined });
  const [stored] = await file.getMetadata();
  const generation = String(stored.generation);
  return { statusId: statusIdOf({ bucket: bucketName, name, generation }), name, generation };
}

/** Waits (onSnapshot) for the upload's status document to reach done or failed. */
export function finalStatus(statusId: string, timeoutMs = 90_000): Promise<UploadStatus> {
  return new Promise((done, fail) => {
    const timer = setTimeout(() => {
      stop();
      fail(new Error(`upload ${statusId} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = firestore
      .collection(STATUS_COLLECTION)
      .doc(statusId)
      .onSnapshot((snapshot) => {
        const status = snapshot.data() as UploadStatus | undefined;
        if (status && (status.status === 'done' || status.status === 'failed')) {
          clearTimeout(timer);
          stop();
          done(status);
        }
      }, fail);
  });
}

export async function statusOf(statusId: string): Promise<UploadStatus | undefined> {
  return (await firestore.collection(STATUS_COLLECTION).doc(statusId).get()).data() as UploadStatus | undefined;
}

/** Delivers the storage "finalized" event for an object again, as Eventarc may, straight to the trigger. */
export function redeliverFinalize(name: string, bucketName = BUCKET): Promise<void> {
  return redeliver(getStorage(app), { functions: '127.0.0.1:5001', project: PROJECT, region: REGION }, { bucket: bucketName, name });
}

/** Runs a task function once more with a given payload, the way Cloud Tasks delivers a retry. */
export async function deliverTask(functionName: string, payload: unknown): Promise<number> {
  const response = await fetch(`http://127.0.0.1:5001/${PROJECT}/${REGION}/${functionName}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-CloudTasks-QueueName': functionName.toLowerCase(),
      'X-CloudTasks-TaskName': `retry-${Date.now()}`,
      'X-CloudTasks-TaskRetryCount': '1',
      'X-CloudTasks-TaskExecutionCount': '1',
    },
    body: JSON.stringify({ data: payload }),
  });
  return response.status;
}

export async function downloadObject(name: string, bucketName = BUCKET): Promise<Buffer> {
  const [contents] = await getStorage(app).bucket(bucketName).file(name).download();
  return contents;
}

export async function objectExists(name: string, bucketName = BUCKET): Promise<boolean> {
  const [exists] = await getStorage(app).bucket(bucketName).file(name).exists();
  return exists;
}
