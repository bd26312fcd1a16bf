-- The readings API: who may see which data stream, what each stream is, and a version per stream
-- that every load bumps, so cached query results go stale the moment new readings land.

-- Which uploads brought which streams. A user sees the streams of their own uploads (uploads.owner).
-- Written in the transaction that publishes an upload's readings, so a row means "published".
CREATE TABLE upload_channels (
  upload_id  bigint NOT NULL REFERENCES uploads (id) ON DELETE CASCADE,
  channel_id integer NOT NULL REFERENCES channels (id),
  PRIMARY KEY (upload_id, channel_id)
);
CREATE INDEX upload_channels_channel ON upload_channels (channel_id);
CREATE INDEX uploads_owner ON uploads (owner);

-- Bumped (from one sequence) for every stream a load touches: the API's cache keys include it.
CREATE SEQUENCE channel_data_version;
ALTER TABLE channels ADD COLUMN data_version bigint NOT NULL DEFAULT 0;

-- A day's unit and interval length as loaded: the latest day of a stream says what it is now
-- (a meter exchange can turn 30-minute data into 5-minute data).
ALTER TABLE reading_days ADD COLUMN uom text, ADD COLUMN interval_length smallint;

-- The day tables of uploads still loading get the same two columns (their days carry none: the
-- stream's unit and length then come from its other days).
DO $$
DECLARE staged record;
BEGIN
  FOR staged IN SELECT tablename FROM pg_tables WHERE schemaname = 'nem12_staging' AND tablename LIKE 'days\_%' LOOP
    EXECUTE format('ALTER TABLE nem12_staging.%I ADD COLUMN IF NOT EXISTS uom text, ADD COLUMN IF NOT EXISTS interval_length smallint', staged.tablename);
  END LOOP;
END $$;

-- The instant of a NEM wall-clock time (UTC+10, no DST): the inverse of nem_time().
CREATE FUNCTION nem_instant(nem timestamp) RETURNS timestamptz
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (nem - interval '10 hours') AT TIME ZONE 'UTC';

-- An instant as ISO 8601 in NEM time, e.g. 2024-01-01T00:30:00+10:00: what the API returns.
CREATE FUNCTION nem_iso(instant timestamptz) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN to_char(nem_time(instant), 'YYYY-MM-DD"T"HH24:MI:SS"+10:00"');

-- The NEM date an interval belongs to, from its END: the reading ending at midnight is the last of
-- the previous day.
CREATE FUNCTION nem_day(interval_end timestamptz) RETURNS date
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (nem_time(interval_end) - interval '1 microsecond')::date;

-- Backfill what earlier loads did not record. Owners: from the uploads whose days are stored.
INSERT INTO upload_channels (upload_id, channel_id)
SELECT DISTINCT upload_id, channel_id FROM reading_days
ON CONFLICT DO NOTHING;

-- Units and interval lengths: from the first two readings of each stored day.
UPDATE reading_days d SET (uom, interval_length) = (
  SELECT min(f.uom), CASE WHEN count(*) = 2 THEN (extract(epoch FROM max(f.interval_end) - min(f.interval_end)) / 60)::smallint END
  FROM (SELECT r.uom, r.interval_end FROM readings r
        WHERE r.channel_id = d.channel_id
          AND r.interval_end > nem_instant(d.day::timestamp)
          AND r.interval_end <= nem_instant(d.day::timestamp + interval '1 day')
        ORDER BY r.interval_end LIMIT 2) f
);
