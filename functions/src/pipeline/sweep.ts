import { logs } from '../logs';
import { getOrganisation } from '../orgs/organisations';
import type { PipelineContext } from './context';
import { admit, statusIdOf, UPLOADS_PREFIX, type StorageObject } from './objects';

/**
 * No upload lost, whatever happened to its event. A finalized object whose event never reached
 * the trigger (Eventarc gave up after its retries, an emulator dropped it in a burst) has no
 * upload row: the sweep lists the bucket's uploads, finds those, and hands each to `process` (the
 * trigger's own handler, or a redelivery of its event), which claims it through the same
 * idempotent claim. Objects younger than `olderThanMs` are left to their event.
 */
export interface SweepOptions {
  olderThanMs: number;
  /** At most this many objects processed in one sweep (the rest wait for the next). */
  limit: number;
  process: (object: StorageObject) => Promise<void>;
  /** When to stop looking (a scheduled function's time left). */
  deadline?: number;
}

export async function sweepUploads(ctx: Pick<PipelineContext, 'db' | 'firestore' | 'storage'>, bucket: string, options: SweepOptions): Promise<{ listed: number; swept: string[] }> {
  const swept: string[] = [];
  const orgs = new Map<string, boolean>();
  let listed = 0;
  let pageToken: string | undefined;
  do {
    const [files, next] = await ctx.storage.bucket(bucket).getFiles({ prefix: UPLOADS_PREFIX, autoPaginate: false, maxResults: 1000, pageToken });
    pageToken = (next as { pageToken?: string } | null)?.pageToken;
    listed += files.length;
    const candidates: StorageObject[] = [];
    for (const file of files) {
      const created = Date.parse(String(file.metadata.timeCreated ?? ''));
      if (!(Date.now() - created >= options.olderThanMs)) continue;
      const object: StorageObject = { bucket, name: file.name, generation: String(file.metadata.generation), size: Number(file.metadata.size), metadata: null };
      const admission = admit(object);
      if (!admission.accept) continue;
      // Quietly past objects of organisations that are not (or no longer) in the registry: the trigger skipped them, and would again.
      if (!orgs.has(admission.org)) orgs.set(admission.org, (await getOrganisation(ctx, admission.org)) !== null);
      if (orgs.get(admission.org)) candidates.push(object);
    }
    const known = await ctx.db.query<{ status_id: string }>('SELECT status_id FROM uploads WHERE status_id = ANY($1)', [candidates.map(statusIdOf)]);
    const recorded = new Set(known.rows.map((row) => row.status_id));
    for (const object of candidates) {
      const statusId = statusIdOf(object);
      if (recorded.has(statusId)) continue;
      if (swept.length >= options.limit || (options.deadline !== undefined && Date.now() > options.deadline)) return { listed, swept };
      logs.uploadSwept({ statusId, name: object.name });
      await options.process(object);
      swept.push(statusId);
    }
  } while (pageToken);
  return { listed, swept };
}
