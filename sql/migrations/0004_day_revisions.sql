-- A day's stored fingerprint is that of the revision that won the day, never of one that lost: the
-- revision key (UpdateDateTime, upload, line) of that winner is kept beside it, so the next load can
-- tell whether a file's day is newer, identical (skipped) or older, and a revision with another
-- interval length can replace the day whole.
ALTER TABLE reading_days ADD COLUMN updated_at timestamptz, ADD COLUMN line integer;

-- Days loaded before this migration: the revision key of their upload's readings of that day.
UPDATE reading_days d SET (updated_at, line) = (
  SELECT max(r.updated_at), max(r.line)
  FROM readings r
  WHERE r.channel_id = d.channel_id AND r.upload_id = d.upload_id
    AND r.interval_end > nem_instant(d.day::timestamp)
    AND r.interval_end <= nem_instant(d.day::timestamp + interval '1 day')
);
-- None of that upload's readings is left (a later revision replaced them all): any line will do.
UPDATE reading_days SET line = 0 WHERE line IS NULL;
ALTER TABLE reading_days ALTER COLUMN line SET NOT NULL;

-- The day tables of uploads still loading get the validated figures' columns (left empty: their
-- check then compares reading counts only).
DO $$
DECLARE staged record;
BEGIN
  FOR staged IN SELECT tablename FROM pg_tables WHERE schemaname = 'nem12_staging' AND tablename LIKE 'days\_%' LOOP
    EXECUTE format('ALTER TABLE nem12_staging.%I ADD COLUMN IF NOT EXISTS total numeric, ADD COLUMN IF NOT EXISTS updated_at timestamptz', staged.tablename);
  END LOOP;
END $$;
