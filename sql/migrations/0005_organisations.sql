-- Organisations: data belongs to the organisation that uploaded it. Every upload and every data
-- stream carries its organisation; two organisations that load the same NMI keep two streams, two
-- histories, two sets of day fingerprints. The registry of organisations and their members lives in
-- Firebase (Firestore `organisations/{id}`, Auth custom claims `org` and `role`); here an
-- organisation is its id.
--
-- Existing data moves into one organisation per current owner: `u-<owner uid>` (the id a personal
-- organisation gets on the emulators, see README "Organisations"), and `local` for uploads without an
-- owner (`nem12 load`).

ALTER TABLE uploads ADD COLUMN org_id text;
UPDATE uploads SET org_id = CASE WHEN owner IS NULL OR owner = '' THEN 'local' ELSE 'u-' || owner END;
ALTER TABLE uploads ALTER COLUMN org_id SET NOT NULL;
-- A delivery is one per organisation: the same file loaded by two organisations is two uploads.
ALTER TABLE uploads DROP CONSTRAINT uploads_source_key_key;
ALTER TABLE uploads ADD CONSTRAINT uploads_org_source_key UNIQUE (org_id, source_key);
DROP INDEX uploads_owner;
CREATE INDEX uploads_org_created ON uploads (org_id, created_at DESC);

-- Which organisations each stream's data came from: its uploads, the readings and days they left.
CREATE TEMP TABLE stream_orgs ON COMMIT DROP AS
SELECT DISTINCT x.channel_id, u.org_id
FROM (
  SELECT channel_id, upload_id FROM upload_channels
  UNION SELECT channel_id, upload_id FROM reading_days
  UNION SELECT DISTINCT channel_id, upload_id FROM readings
) x JOIN uploads u ON u.id = x.upload_id;

-- The first organisation of a stream keeps its id; every other one gets a stream of its own.
CREATE TEMP TABLE stream_split ON COMMIT DROP AS
SELECT s.channel_id, s.org_id, row_number() OVER (PARTITION BY s.channel_id ORDER BY s.org_id) AS rank, NULL::integer AS new_id
FROM stream_orgs s;
UPDATE stream_split SET new_id = CASE WHEN rank = 1 THEN channel_id ELSE nextval('channels_id_seq') END;

ALTER TABLE channels ADD COLUMN org_id text;
ALTER TABLE channels DROP CONSTRAINT channels_nmi_suffix_key;
UPDATE channels c SET org_id = s.org_id FROM stream_split s WHERE s.channel_id = c.id AND s.rank = 1;
INSERT INTO channels (id, nmi, suffix, data_version, org_id)
SELECT s.new_id, c.nmi, c.suffix, nextval('channel_data_version'), s.org_id
FROM stream_split s JOIN channels c ON c.id = s.channel_id WHERE s.rank > 1;
-- A stream no upload stands behind (left by an upload that failed): nobody's data, never shown.
UPDATE channels SET org_id = 'local', data_version = 0 WHERE org_id IS NULL;
ALTER TABLE channels ALTER COLUMN org_id SET NOT NULL;
ALTER TABLE channels ADD CONSTRAINT channels_org_nmi_suffix UNIQUE (org_id, nmi, suffix);

-- Readings, days and upload links follow their upload's organisation.
UPDATE readings r SET channel_id = s.new_id
FROM uploads u, stream_split s
WHERE u.id = r.upload_id AND s.channel_id = r.channel_id AND s.org_id = u.org_id AND s.rank > 1;
UPDATE reading_days d SET channel_id = s.new_id
FROM uploads u, stream_split s
WHERE u.id = d.upload_id AND s.channel_id = d.channel_id AND s.org_id = u.org_id AND s.rank > 1;
UPDATE upload_channels l SET channel_id = s.new_id
FROM uploads u, stream_split s
WHERE u.id = l.upload_id AND s.channel_id = l.channel_id AND s.org_id = u.org_id AND s.rank > 1;
-- Every stream that carries data has moved: its version moves too (cached answers go stale).
UPDATE channels SET data_version = nextval('channel_data_version') WHERE id IN (SELECT channel_id FROM stream_split) AND data_version > 0;

-- Views by organisation. meter_readings keeps the Flo columns (nmi, "timestamp", consumption), with
-- the organisation first: for one organisation it is the Flo table as before.
DROP VIEW meter_readings;
DROP VIEW channel_readings;
CREATE VIEW channel_readings AS
SELECT c.org_id, c.nmi, c.suffix, r.interval_end, nem_time(r.interval_end) AS nem_interval_end,
       r.value, r.uom, r.kwh, r.quality, r.method, r.reason_code, r.updated_at, r.upload_id, r.line
FROM readings r
JOIN channels c ON c.id = r.channel_id;
CREATE VIEW meter_readings AS
SELECT c.org_id, c.nmi, nem_time(r.interval_end) AS "timestamp", sum(r.kwh) AS consumption
FROM readings r
JOIN channels c ON c.id = r.channel_id
WHERE c.suffix LIKE 'E%' AND r.kwh IS NOT NULL
GROUP BY c.org_id, c.nmi, r.interval_end;
