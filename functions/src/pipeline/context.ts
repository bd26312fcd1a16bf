import type { Auth } from 'firebase-admin/auth';
import type { Firestore } from 'firebase-admin/firestore';
import type { Functions } from 'firebase-admin/functions';
import type { Storage } from 'firebase-admin/storage';
import type { Pool } from 'pg';
import { pool, type FunctionName } from '../config';
import { auth, firestore, storage, taskQueues } from '../firebase';

/**
 * What the pipeline's handlers work with: the function's pool, Auth (members), Firestore (status documents), Storage
 * (the objects) and the task queues. Handed in, never reached through module globals, so a test can
 * run a handler with its own (a queue that records instead of dispatching, a pool of its own).
 */
export interface PipelineContext {
  db: Pool;
  /** Who may upload (the trigger checks the uploader's membership when it loads a file). */
  auth: Auth;
  firestore: Firestore;
  storage: Storage;
  queues: Functions;
}

/** A deployed function's context: its pool (checked against the schema) and the Admin SDK's services. */
export async function contextOf(name: FunctionName): Promise<PipelineContext> {
  return { db: await pool(name), auth: auth(), firestore: firestore(), storage: storage(), queues: taskQueues() };
}
