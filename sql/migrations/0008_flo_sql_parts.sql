-- The Flo SQL file is written in parts, one per chunk, in parallel, and composed in Storage when the
-- last part is in. The ledger says which parts are written and what each holds (the file's closing
-- comment totals them), so a retried or re-driven part task knows what is left.
ALTER TABLE upload_chunks
  ADD COLUMN sql_written_at timestamptz,
  ADD COLUMN sql_days integer,
  ADD COLUMN sql_readings bigint;
