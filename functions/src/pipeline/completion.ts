import { complete, type UploadIds } from '../lifecycle';
import type { PipelineContext } from './context';
import { tmpPrefixOf } from './objects';
import { deletePrefix } from './storageObjects';

/** An upload by its ids, and the bucket its objects are in. */
export type UploadRef = UploadIds & { bucket: string };

/**
 * The upload is done once its readings are published and its Flo SQL file is settled: whichever
 * task ends last gets here (both try). Its temporary objects go before the document says done.
 */
export function completeUpload(ctx: PipelineContext, upload: UploadRef): Promise<boolean> {
  return complete(ctx, upload, () => deletePrefix(ctx.storage, upload.bucket, tmpPrefixOf(upload.statusId)));
}
