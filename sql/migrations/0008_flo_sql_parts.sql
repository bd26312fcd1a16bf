-- The Flo SQL file is written in parts, each a run of chunks (`sql_part`, planned at the split), by
-- parallel tasks, and composed in Storage when the last part is in. The ledger says which parts are
-- written and what each holds (on its first chunk's row; the file's closing comment totals them), so
-- a retried or re-driven part task knows what is left. Uploads split before this: a part per chunk.
ALTER TABLE upload_chunks
  ADD COLUMN sql_part integer,
  ADD COLUMN sql_written_at timestamptz,
  ADD COLUMN sql_days integer,
  ADD COLUMN sql_readings bigint;
UPDATE upload_chunks SET sql_part = chunk;
ALTER TABLE upload_chunks ALTER COLUMN sql_part SET NOT NULL;
