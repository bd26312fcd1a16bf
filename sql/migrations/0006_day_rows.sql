-- One row per organisation's stream and NEM day, as NEM12 itself is shaped (a 300 row is a stream's
-- whole day, revised as a whole). A row of 48 (or 96, 288, 144, 1440) exact decimals replaces 48 rows
-- of 11 columns: a tenth of the storage, and day totals computed once, at load time.
--
--   intervals   the values; intervals[i] ends at the day's 00:00 NEM time + i x interval_length
--               minutes; NULL = an empty interval (no reading)
--   quality     runs of intervals sharing their quality and revision, five smallints per run:
--               [last interval, flag (ASCII: A 65, E 69, F 70, S 83, N 78), method, reason code,
--               revision (0 = the winning one below, k = older[k-1])]
--   older       revisions some intervals still come from (an interval the winner left empty keeps
--               an older value): [{"updatedAt", "uploadId", "line"}]
--   readings, total, kwh, peak, peak_interval: what the day adds up to (exact, kWh for energy units)
--   fingerprint, updated_at, upload_id, line: the winning revision and what it said
CREATE TABLE days (
  channel_id      integer NOT NULL,
  day             date NOT NULL,
  interval_length smallint NOT NULL,
  uom             text NOT NULL,
  kwh_factor      numeric,
  intervals       numeric[] NOT NULL,
  quality         smallint[] NOT NULL,
  readings        smallint NOT NULL,
  total           numeric,
  kwh             numeric,
  peak            numeric,
  peak_interval   smallint,
  fingerprint     uuid NOT NULL,
  updated_at      timestamptz,
  upload_id       bigint NOT NULL,
  line            integer NOT NULL,
  older           jsonb,
  PRIMARY KEY (channel_id, day)
);

-- kWh per unit: MWh, kWh, Wh in any case; NULL for everything else (kVArh, V, ...).
CREATE FUNCTION kwh_factor(uom text) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE lower(uom) WHEN 'mwh' THEN 1000 WHEN 'kwh' THEN 1 WHEN 'wh' THEN 0.001 END;

-- A value in kWh, exactly: as written for kWh, the decimal point shifted (and trailing zeros gone)
-- for Wh and MWh, as the loader computes it.
CREATE FUNCTION kwh_of(value numeric, factor numeric) RETURNS numeric
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN CASE WHEN factor = 1 THEN value ELSE trim_scale(value * factor) END;

-- ---- the readings stored so far, into day rows -------------------------------------------------
CREATE AGGREGATE pg_temp.gcd_of(integer) (SFUNC = gcd, STYPE = integer);

-- Every stream and day that holds a reading or a recorded day.
CREATE TEMP TABLE old_days ON COMMIT DROP AS
SELECT channel_id, day, max(fingerprint::text)::uuid AS fingerprint, max(uom) AS day_uom, max(interval_length) AS day_length,
       max(updated_at) AS win_updated, max(upload_id) AS win_upload, max(line) AS win_line, bool_or(recorded) AS recorded
FROM (
  SELECT channel_id, day, fingerprint, uom, interval_length, updated_at, upload_id, line, true AS recorded FROM reading_days
  UNION ALL
  SELECT DISTINCT channel_id, nem_day(interval_end), NULL::uuid, NULL, NULL::smallint, NULL::timestamptz, NULL::bigint, NULL::integer, false FROM readings
) x GROUP BY channel_id, day;

-- The interval grid of each day: its recorded length, or whatever grid holds every reading it has
-- (data of the double-counting bug fixed in 0004 mixed 15- and 30-minute ends: all are kept).
CREATE TEMP TABLE old_grid ON COMMIT DROP AS
SELECT d.channel_id, d.day,
       coalesce(gcd(pg_temp.gcd_of(r.minutes), coalesce(d.day_length, 0)), d.day_length, 30)::smallint AS interval_length,
       count(DISTINCT r.uom) AS units, max(r.uom) AS uom
FROM old_days d
LEFT JOIN LATERAL (
  SELECT (extract(epoch FROM r.interval_end - nem_instant(d.day::timestamp)) / 60)::integer AS minutes, r.uom
  FROM readings r
  WHERE r.channel_id = d.channel_id AND r.interval_end > nem_instant(d.day::timestamp) AND r.interval_end <= nem_instant(d.day::timestamp + interval '1 day')
) r ON true
GROUP BY d.channel_id, d.day, d.day_length;

DO $$
DECLARE mixed record;
BEGIN
  SELECT c.nmi, c.suffix, g.day INTO mixed FROM old_grid g JOIN channels c ON c.id = g.channel_id WHERE g.units > 1 LIMIT 1;
  IF FOUND THEN
    RAISE EXCEPTION 'Stream % % holds readings of more than one unit on %: a day row has one unit. Fix the stream (keep one unit) and migrate again.', mixed.nmi, mixed.suffix, mixed.day;
  END IF;
END $$;

-- One cell per interval of every day: its reading (if any) and where it came from.
CREATE TEMP TABLE old_cells ON COMMIT DROP AS
SELECT g.channel_id, g.day, g.interval_length, i.i, r.value, r.quality, r.method, r.reason_code, r.updated_at, r.upload_id, r.line
FROM old_grid g
CROSS JOIN LATERAL generate_series(1, 1440 / g.interval_length) i(i)
LEFT JOIN readings r ON r.channel_id = g.channel_id AND r.interval_end = nem_instant(g.day::timestamp) + make_interval(mins => i.i * g.interval_length);

-- The winner of each day: its recorded revision, else the newest of its readings.
CREATE TEMP TABLE old_winner ON COMMIT DROP AS
SELECT d.channel_id, d.day,
       CASE WHEN d.win_upload IS NOT NULL THEN d.win_updated ELSE n.updated_at END AS updated_at,
       coalesce(d.win_upload, n.upload_id) AS upload_id,
       coalesce(d.win_line, n.line) AS line,
       coalesce(d.fingerprint, md5(d.channel_id || ':' || d.day)::uuid) AS fingerprint
FROM old_days d
LEFT JOIN LATERAL (
  SELECT c.updated_at, c.upload_id, c.line FROM old_cells c
  WHERE c.channel_id = d.channel_id AND c.day = d.day AND c.value IS NOT NULL
  ORDER BY coalesce(c.updated_at, '-infinity') DESC, c.upload_id DESC, c.line DESC LIMIT 1
) n ON true;

-- Each cell's revision number: 0 for the winner, 1.. for the others in the order they first appear.
-- An empty cell takes the quality and revision of the reading before it (or the first one after).
CREATE TEMP TABLE old_revisions ON COMMIT DROP AS
SELECT channel_id, day, updated_at, upload_id, line, row_number() OVER (PARTITION BY channel_id, day ORDER BY first) AS revision
FROM (
  SELECT c.channel_id, c.day, c.updated_at, c.upload_id, c.line, min(c.i) AS first
  FROM old_cells c JOIN old_winner w ON w.channel_id = c.channel_id AND w.day = c.day
  WHERE c.value IS NOT NULL AND (c.updated_at IS DISTINCT FROM w.updated_at OR c.upload_id <> w.upload_id OR c.line <> w.line)
  GROUP BY 1, 2, 3, 4, 5
) x;

CREATE TEMP TABLE old_filled ON COMMIT DROP AS
SELECT c.channel_id, c.day, c.interval_length, c.i, c.value,
       coalesce(c.quality, first_value(c.quality) OVER later, first_value(c.quality) OVER ahead) AS quality,
       CASE WHEN c.value IS NOT NULL THEN c.method WHEN count(c.value) OVER before > 0 THEN first_value(c.method) OVER later ELSE first_value(c.method) OVER ahead END AS method,
       CASE WHEN c.value IS NOT NULL THEN c.reason_code WHEN count(c.value) OVER before > 0 THEN first_value(c.reason_code) OVER later ELSE first_value(c.reason_code) OVER ahead END AS reason_code,
       coalesce(o.revision, 0) AS revision
FROM (SELECT c.*, count(c.value) OVER (PARTITION BY c.channel_id, c.day ORDER BY c.i) AS seen FROM old_cells c) c
LEFT JOIN old_revisions o ON o.channel_id = c.channel_id AND o.day = c.day AND c.value IS NOT NULL
  AND o.updated_at IS NOT DISTINCT FROM c.updated_at AND o.upload_id = c.upload_id AND o.line = c.line
WINDOW before AS (PARTITION BY c.channel_id, c.day ORDER BY c.i),
       later AS (PARTITION BY c.channel_id, c.day, c.seen ORDER BY c.i),
       ahead AS (PARTITION BY c.channel_id, c.day ORDER BY c.value IS NULL, c.i);

-- Empty cells after a reading share its revision too, so a run is not split by them.
UPDATE old_filled f SET revision = p.revision
FROM (SELECT channel_id, day, i, first_value(revision) OVER (PARTITION BY channel_id, day, seen ORDER BY i) AS revision
      FROM (SELECT f.*, count(f.value) OVER (PARTITION BY f.channel_id, f.day ORDER BY f.i) AS seen FROM old_filled f) s) p
WHERE f.value IS NULL AND p.channel_id = f.channel_id AND p.day = f.day AND p.i = f.i;

-- Runs: consecutive cells with the same quality, method, reason code and revision.
CREATE TEMP TABLE old_runs ON COMMIT DROP AS
SELECT channel_id, day, max(i) AS last, quality, method, reason_code, revision
FROM (
  SELECT f.*, f.i - row_number() OVER (PARTITION BY f.channel_id, f.day, f.quality, f.method, f.reason_code, f.revision ORDER BY f.i) AS island
  FROM old_filled f
) x
GROUP BY channel_id, day, quality, method, reason_code, revision, island;

INSERT INTO days (channel_id, day, interval_length, uom, kwh_factor, intervals, quality, readings, total, kwh, peak, peak_interval,
                  fingerprint, updated_at, upload_id, line, older)
SELECT g.channel_id, g.day, g.interval_length, coalesce(g.uom, ''), kwh_factor(g.uom), v.intervals, q.quality,
       v.readings, v.total, kwh_of(v.total, kwh_factor(g.uom)), p.value, p.i,
       w.fingerprint, w.updated_at, w.upload_id, w.line, o.older
FROM old_grid g
JOIN old_winner w ON w.channel_id = g.channel_id AND w.day = g.day
CROSS JOIN LATERAL (
  SELECT array_agg(c.value ORDER BY c.i) AS intervals, count(c.value)::smallint AS readings, sum(c.value) AS total
  FROM old_filled c WHERE c.channel_id = g.channel_id AND c.day = g.day
) v
CROSS JOIN LATERAL (
  SELECT array_agg(x ORDER BY r.last, k) AS quality
  FROM old_runs r, LATERAL unnest(ARRAY[r.last, coalesce(ascii(r.quality::text), 65), r.method, r.reason_code, r.revision]::smallint[]) WITH ORDINALITY u(x, k)
  WHERE r.channel_id = g.channel_id AND r.day = g.day
) q
LEFT JOIN LATERAL (
  SELECT c.value, c.i::smallint AS i FROM old_filled c
  WHERE c.channel_id = g.channel_id AND c.day = g.day AND c.value IS NOT NULL ORDER BY c.value DESC, c.i LIMIT 1
) p ON true
LEFT JOIN LATERAL (
  SELECT jsonb_agg(jsonb_build_object('updatedAt', to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), 'uploadId', r.upload_id, 'line', r.line) ORDER BY r.revision) AS older
  FROM old_revisions r WHERE r.channel_id = g.channel_id AND r.day = g.day
) o ON true
WHERE v.readings > 0 OR w.upload_id IS NOT NULL;

-- Uploads still loading staged rows of the old shape: they stop here (nothing of them was published;
-- the hourly cleanup marks their status documents failed). Upload those files again.
UPDATE uploads SET status = 'failed', errors = 1, finished_at = now(),
  issues = jsonb_build_object('warnings', '[]'::jsonb, 'errors', jsonb_build_array(jsonb_build_object(
    'code', 'SCHEMA_CHANGED', 'line', 0, 'message', 'The database changed to day rows while this upload was loading; nothing of it was published. Upload the file again.')))
WHERE status IN ('pending', 'splitting', 'loading') AND published_at IS NULL;
DO $$
DECLARE staged record;
BEGIN
  FOR staged IN SELECT tablename FROM pg_tables WHERE schemaname = 'nem12_staging' LOOP
    EXECUTE format('DROP TABLE nem12_staging.%I', staged.tablename);
  END LOOP;
END $$;

-- A staged chunk's digest (load/rowDigest.ts: its row count and the XOR of one MD5 per day row):
-- publishing checks the staged rows against the digests of all chunks before it writes.
ALTER TABLE upload_chunks ADD COLUMN digest jsonb;

DROP VIEW meter_readings;
DROP VIEW channel_readings;
DROP TABLE readings;
DROP TABLE reading_days;

-- ---- the readings as rows, for people, reports and the Flo shape ---------------------------------
-- One row per stored reading, exactly the columns of the former readings table.
CREATE VIEW readings AS
SELECT d.channel_id,
       nem_instant(d.day::timestamp) + make_interval(mins => (u.i * d.interval_length)::integer) AS interval_end,
       u.v AS value, d.uom, kwh_of(u.v, d.kwh_factor) AS kwh,
       chr(d.quality[5 * r.k - 3])::"char" AS quality, d.quality[5 * r.k - 2] AS method, d.quality[5 * r.k - 1] AS reason_code,
       CASE WHEN d.quality[5 * r.k] = 0 THEN d.updated_at ELSE (d.older -> (d.quality[5 * r.k] - 1) ->> 'updatedAt')::timestamptz END AS updated_at,
       CASE WHEN d.quality[5 * r.k] = 0 THEN d.upload_id ELSE (d.older -> (d.quality[5 * r.k] - 1) ->> 'uploadId')::bigint END AS upload_id,
       CASE WHEN d.quality[5 * r.k] = 0 THEN d.line ELSE (d.older -> (d.quality[5 * r.k] - 1) ->> 'line')::integer END AS line
FROM days d
CROSS JOIN LATERAL unnest(d.intervals) WITH ORDINALITY u(v, i)
CROSS JOIN LATERAL (SELECT min(k) AS k FROM generate_series(1, array_length(d.quality, 1) / 5) k WHERE d.quality[5 * k - 4] >= u.i) r
WHERE u.v IS NOT NULL;

CREATE VIEW channel_readings AS
SELECT c.org_id, c.nmi, c.suffix, r.interval_end, nem_time(r.interval_end) AS nem_interval_end,
       r.value, r.uom, r.kwh, r.quality, r.method, r.reason_code, r.updated_at, r.upload_id, r.line
FROM readings r
JOIN channels c ON c.id = r.channel_id;

-- The Flo Energy shape per organisation: one row per NMI and interval end (NEM time), the sum of its
-- consumption channels (suffix E...) in kWh.
CREATE VIEW meter_readings AS
SELECT c.org_id, c.nmi, nem_time(nem_instant(d.day::timestamp) + make_interval(mins => (u.i * d.interval_length)::integer)) AS "timestamp",
       sum(kwh_of(u.v, d.kwh_factor)) AS consumption
FROM days d
JOIN channels c ON c.id = d.channel_id
CROSS JOIN LATERAL unnest(d.intervals) WITH ORDINALITY u(v, i)
WHERE c.suffix LIKE 'E%' AND d.kwh_factor IS NOT NULL AND u.v IS NOT NULL
GROUP BY c.org_id, c.nmi, 3;
