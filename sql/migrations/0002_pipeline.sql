-- The pipeline loads a file in chunks, in parallel, then publishes it at once.
--
-- While an upload loads, its days and readings wait in tables of their own in the schema
-- nem12_staging (days_<id>, readings_<id>), created when the file is split and dropped when it is
-- published or fails: nothing there is visible in `readings`. They are UNLOGGED (fast to fill, and
-- emptied by a database crash): publishing checks their row count against the ledger first. upload_chunks is the plan and the
-- ledger: the split writes one row per chunk with its task; a chunk's row is marked staged in the
-- same transaction as its staged readings, so a retried task never stages twice.
CREATE SCHEMA nem12_staging;

CREATE TABLE upload_chunks (
  upload_id  bigint NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
  chunk      integer NOT NULL,
  task       jsonb NOT NULL,     -- the chunk task's payload: object version, byte range, context
  readings   bigint,
  staged_at  timestamptz,        -- null until the chunk's readings are staged
  PRIMARY KEY (upload_id, chunk)
);

ALTER TABLE uploads
  -- The Firestore status document of a pipeline upload (uploads/{status_id}).
  ADD COLUMN status_id  text UNIQUE,
  ADD COLUMN chunks     integer,
  -- The object the chunks read: the upload itself, or its decompressed copy under tmp/.
  ADD COLUMN data_object text,
  ADD COLUMN sql_path   text,
  -- Set when the Flo SQL file could not be written (the upload still completes, without it).
  ADD COLUMN sql_error  text,
  ADD COLUMN started_at timestamptz,
  -- When the readings were published; the upload is done once they are and the SQL file is in.
  ADD COLUMN published_at timestamptz;
