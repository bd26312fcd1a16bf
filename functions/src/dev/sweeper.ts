// Development only. The local stack's "no upload lost": the functions emulator drops storage events
// in a burst ("Failed to load function"), and Cloud Scheduler (the cleanup's sweep in production) is
// not emulated. So while `npm start` or exec.js runs, this process sweeps the emulated bucket every
// few seconds and hands an object with no upload row back to the trigger, as Eventarc redelivers.
import type { Storage } from 'firebase-admin/storage';
import type { Pool } from 'pg';
import type { Firestore } from 'firebase-admin/firestore';
import { sweepUploads } from '../pipeline/sweep';
import type { StorageObject } from '../pipeline/objects';

export interface Emulated {
  /** host:port of the functions emulator. */
  functions: string;
  project: string;
  region: string;
}

/** Delivers the storage "finalized" event of an object (again) straight to the trigger; the emulator answers when the function has finished. */
export async function redeliverFinalize(storage: Storage, emulated: Emulated, object: { bucket: string; name: string }): Promise<void> {
  const [metadata] = await storage.bucket(object.bucket).file(object.name).getMetadata();
  const response = await fetch(`http://${emulated.functions}/functions/projects/${emulated.project}/triggers/${emulated.region}-onUpload-0`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/cloudevents+json; charset=UTF-8' },
    body: JSON.stringify({
      specversion: '1.0',
      id: `redelivery-${Date.now()}-${Math.random().toString(36).slice(2)}`,
      type: 'google.cloud.storage.object.v1.finalized',
      source: `//storage.googleapis.com/projects/_/buckets/${object.bucket}/objects/${object.name}`,
      time: new Date().toISOString(),
      data: metadata,
    }),
  });
  if (!response.ok) throw new Error(`redelivery failed: ${response.status} ${await response.text()}`);
}

/** Sweeps every `everyMs` until stopped; an object is swept once it is `olderThanMs` old with no upload row. */
export function startSweeper(ctx: { db: Pool; firestore: Firestore; storage: Storage }, bucket: string, emulated: Emulated, log: (line: string) => void, options = { everyMs: 5_000, olderThanMs: 45_000 }) {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const round = async () => {
    try {
      // Handed over a few at a time: the emulator answers a delivery when the function has finished.
      const pending: Promise<void>[] = [];
      const { swept } = await sweepUploads(ctx, bucket, {
        olderThanMs: options.olderThanMs,
        limit: 200,
        process: async (object: StorageObject) => {
          pending.push(redeliverFinalize(ctx.storage, emulated, object).catch(() => {}));
          if (pending.length >= 4) await Promise.all(pending.splice(0));
        },
      });
      await Promise.all(pending);
      if (swept.length > 0) log(`sweeper: ${swept.length} upload(s) whose storage event never reached the trigger, handed to it again`);
    } catch {
      // The emulators are starting or stopping: the next round tries again.
    }
    if (!stopped) timer = setTimeout(round, options.everyMs);
  };
  timer = setTimeout(round, options.everyMs);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
