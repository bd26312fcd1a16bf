-- Daily files of 100,000 streams. What a publish writes per stream must be cheap and must not grow
-- with what is stored, and nothing may hold one entry per stream in a shared, bounded place.
--
-- * Streams are locked for a publish by row locks on their channels rows (load/publish.ts), no
--   longer by one advisory lock each in PostgreSQL's shared lock table.
-- * A publish writes nothing per stream it has published before: no data version per stream (the
--   API's cache keys take the organisation's data version, org_data), and no row per upload and
--   stream (upload_channels: as many rows a year as `days`, with two foreign key checks each). What
--   upload_channels answered ("the latest uploads' NMIs") is the first NMIs each upload keeps.
-- * An organisation's figures per day (org_days) and its data version (org_data) are kept by each
--   publish, so the overview and the cache keys read a few rows, not every stream; and the plan
--   knows without a look that a file's days after the organisation's latest are new.
-- * NMI search by any part (ILIKE '%...%') on a trigram index within the organisation.

-- published: set by a stream's first publish (the pipeline makes a stream's row at the split, before).
ALTER TABLE channels ADD COLUMN published boolean NOT NULL DEFAULT false;
UPDATE channels c SET published = data_version > 0 OR EXISTS (SELECT 1 FROM days d WHERE d.channel_id = c.id);

ALTER TABLE uploads ADD COLUMN first_nmis text[];
UPDATE uploads u SET first_nmis = (
  SELECT array_agg(nmi ORDER BY length(nmi), nmi) FROM (
    SELECT c.nmi FROM upload_channels l JOIN channels c ON c.id = l.channel_id WHERE l.upload_id = u.id
    GROUP BY c.nmi ORDER BY length(c.nmi), c.nmi LIMIT 100) n)
WHERE EXISTS (SELECT 1 FROM upload_channels l WHERE l.upload_id = u.id);
UPDATE uploads SET published_at = coalesce(finished_at, created_at) WHERE first_nmis IS NOT NULL AND published_at IS NULL;
CREATE INDEX uploads_recent ON uploads (org_id, published_at DESC) WHERE first_nmis IS NOT NULL;
DROP TABLE upload_channels;
ALTER SEQUENCE channel_data_version RENAME TO data_version;

CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;
-- Not partial on `published`: a stream's first publish would then insert into them (no update in place).
CREATE INDEX channels_nmi_search ON channels USING gin (org_id, nmi gin_trgm_ops);
-- /nmis lists in natural order: shorter first, then by text (NMI2 before NMI10).
CREATE INDEX channels_natural ON channels (org_id, length(nmi), nmi);

-- One row per organisation and NEM day with stored data: streams with a day row, and readings.
CREATE TABLE org_days (
  org_id   text NOT NULL,
  day      date NOT NULL,
  streams  integer NOT NULL,
  readings bigint NOT NULL,
  PRIMARY KEY (org_id, day)
);
INSERT INTO org_days (org_id, day, streams, readings)
SELECT c.org_id, d.day, count(*), sum(d.readings)
FROM days d JOIN channels c ON c.id = d.channel_id
GROUP BY c.org_id, d.day;

-- Moves (last, just before commit) with every publish of the organisation: its API caches' key.
CREATE TABLE org_data (
  org_id  text PRIMARY KEY,
  version bigint NOT NULL
);
INSERT INTO org_data (org_id, version)
SELECT org_id, nextval('data_version') FROM channels WHERE published GROUP BY org_id;
ALTER TABLE channels DROP COLUMN data_version;
