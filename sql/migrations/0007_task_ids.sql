-- One name per id in task payloads: `statusId` is the status document's id (hex, uploads.status_id)
-- and `uploadId` the row id (uploads.id, upload_id everywhere). Chunk tasks kept in the ledger for
-- uploads still loading used `uploadId` for the first and `dbId` for the second: renamed, so that a
-- resumed upload enqueues them in the new shape.
UPDATE upload_chunks
SET task = (task - 'uploadId' - 'dbId') || jsonb_build_object('statusId', task -> 'uploadId', 'uploadId', task -> 'dbId')
WHERE task ? 'dbId';
