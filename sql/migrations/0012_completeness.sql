-- Completeness and quality across an organisation: did we get every NMI's day, whole, and how much
-- of it is actual data?
--
-- * Each day row says how many of its readings are actual (A), estimated (E), substituted (S or F),
--   and, for a day whose intervals carry more than one quality flag (a V day), all of its readings
--   as `variable` (nem12/dayCompleteness.ts computes it as the row is written).
-- * org_days adds, per day, the streams received whole (`complete`: a reading in every interval)
--   and with empty intervals (`partial`), and the readings by quality: kept by every publish, so a
--   quarter's summary reads 90 rows.
-- * Which streams were received each day, as bitmaps (org_day_streams): every published stream has
--   an ordinal in its organisation (channels.ordinal, 0, 1, 2 ... in the order they were first
--   published; org_data.streams counts them), and a day's page of 8,192 ordinals is 1 KiB: bit
--   (ordinal % 8192) of byte (ordinal % 8192) / 8, least significant first. `received`: a day row
--   exists; `partial`: it has empty intervals; `flagged`: some of its readings are estimated or
--   substituted (NULL: none). Publishes keep them (load/orgDayStreams.ts), one row per page and
--   day, never one per stream; the completeness report reads 90 days of 100,000 streams as 1.5 MB
--   and finds every gap of every stream from them (completeness/streamSweep.ts), where the day rows
--   would be 12 million index entries.
-- * nmi_register: the NMIs (streams) an organisation is responsible for, from when to when: those
--   are expected whether or not any data ever came (a register NMI never received is missing).
--   suffix '' means every stream of the NMI; open ends are -infinity and infinity.
ALTER TABLE days
  ADD COLUMN actual smallint NOT NULL DEFAULT 0,
  ADD COLUMN estimated smallint NOT NULL DEFAULT 0,
  ADD COLUMN substituted smallint NOT NULL DEFAULT 0,
  ADD COLUMN variable smallint NOT NULL DEFAULT 0;

-- The rows stored so far, from their quality runs (five smallints a run: last interval, flag, ...).
UPDATE days d SET actual = c.actual, estimated = c.estimated, substituted = c.substituted, variable = c.variable
FROM (
  SELECT x.channel_id, x.day,
         count(*) FILTER (WHERE x.flag = 65) AS actual,
         count(*) FILTER (WHERE x.flag = 69) AS estimated,
         count(*) FILTER (WHERE x.flag IN (70, 83)) AS substituted,
         CASE WHEN (SELECT count(DISTINCT x2.quality[5 * k - 3]) FROM days x2, generate_series(1, array_length(x2.quality, 1) / 5) k
                    WHERE x2.channel_id = x.channel_id AND x2.day = x.day) > 1 THEN count(*) ELSE 0 END AS variable
  FROM (
    SELECT d2.channel_id, d2.day, d2.quality[5 * r.k - 3] AS flag
    FROM days d2
    CROSS JOIN LATERAL unnest(d2.intervals) WITH ORDINALITY u(v, i)
    CROSS JOIN LATERAL (SELECT min(k) AS k FROM generate_series(1, array_length(d2.quality, 1) / 5) k WHERE d2.quality[5 * k - 4] >= u.i) r
    WHERE u.v IS NOT NULL
  ) x
  GROUP BY x.channel_id, x.day
) c
WHERE d.channel_id = c.channel_id AND d.day = c.day;

-- Uploads still loading stage rows of the new shape.
DO $$
DECLARE staged record;
BEGIN
  FOR staged IN SELECT tablename FROM pg_tables WHERE schemaname = 'nem12_staging' AND tablename LIKE 'rows\_%' LOOP
    EXECUTE format('ALTER TABLE nem12_staging.%I ADD COLUMN IF NOT EXISTS actual smallint NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS estimated smallint NOT NULL DEFAULT 0, '
                   'ADD COLUMN IF NOT EXISTS substituted smallint NOT NULL DEFAULT 0, ADD COLUMN IF NOT EXISTS variable smallint NOT NULL DEFAULT 0', staged.tablename);
  END LOOP;
END $$;

ALTER TABLE org_days
  ADD COLUMN complete integer NOT NULL DEFAULT 0,
  ADD COLUMN partial integer NOT NULL DEFAULT 0,
  ADD COLUMN actual bigint NOT NULL DEFAULT 0,
  ADD COLUMN estimated bigint NOT NULL DEFAULT 0,
  ADD COLUMN substituted bigint NOT NULL DEFAULT 0,
  ADD COLUMN variable bigint NOT NULL DEFAULT 0;
UPDATE org_days o SET complete = a.complete, partial = a.partial, actual = a.actual, estimated = a.estimated, substituted = a.substituted, variable = a.variable
FROM (
  SELECT c.org_id, d.day,
         count(*) FILTER (WHERE d.readings = 1440 / d.interval_length) AS complete,
         count(*) FILTER (WHERE d.readings < 1440 / d.interval_length) AS partial,
         sum(d.actual) AS actual, sum(d.estimated) AS estimated, sum(d.substituted) AS substituted, sum(d.variable) AS variable
  FROM days d JOIN channels c ON c.id = d.channel_id GROUP BY c.org_id, d.day
) a
WHERE o.org_id = a.org_id AND o.day = a.day;

CREATE TABLE nmi_register (
  org_id   text NOT NULL,
  nmi      text NOT NULL,
  suffix   text NOT NULL,
  from_day date NOT NULL,
  to_day   date NOT NULL,
  line     integer NOT NULL,   -- of the register file it came from
  PRIMARY KEY (org_id, nmi, suffix, from_day)
);

ALTER TABLE channels ADD COLUMN ordinal integer;
ALTER TABLE org_data ADD COLUMN streams integer NOT NULL DEFAULT 0;
UPDATE channels c SET ordinal = n.ordinal
FROM (SELECT id, row_number() OVER (PARTITION BY org_id ORDER BY id) - 1 AS ordinal FROM channels WHERE published) n
WHERE c.id = n.id;
INSERT INTO org_data (org_id, version, streams)
SELECT org_id, nextval('data_version'), count(*) FROM channels WHERE published GROUP BY org_id
ON CONFLICT (org_id) DO UPDATE SET streams = EXCLUDED.streams, version = EXCLUDED.version;
CREATE UNIQUE INDEX channels_ordinal ON channels (org_id, ordinal);

CREATE TABLE org_day_streams (
  org_id   text NOT NULL,
  day      date NOT NULL,
  page     integer NOT NULL,
  received bytea NOT NULL,
  partial  bytea,
  flagged  bytea,
  PRIMARY KEY (org_id, day, page)
);

-- The page (1 KiB) of a set of ordinals of one page: for this backfill, and data sets built in SQL
-- (the benchmark's); publishes build pages in JavaScript (load/orgDayStreams.ts).
CREATE FUNCTION stream_page(ordinals integer[]) RETURNS bytea LANGUAGE sql IMMUTABLE AS $$
  SELECT decode(string_agg(lpad(to_hex(coalesce(x.bits, 0)), 2, '0'), '' ORDER BY b.byte), 'hex')
  FROM generate_series(0, 1023) b(byte)
  LEFT JOIN (SELECT (o % 8192) / 8 AS byte, bit_or(1 << (o % 8)) AS bits FROM unnest(ordinals) o GROUP BY 1) x ON x.byte = b.byte
$$;
INSERT INTO org_day_streams (org_id, day, page, received, partial, flagged)
SELECT c.org_id, d.day, c.ordinal / 8192,
       stream_page(array_agg(c.ordinal)),
       CASE WHEN bool_or(d.readings < 1440 / d.interval_length) THEN stream_page(array_agg(c.ordinal) FILTER (WHERE d.readings < 1440 / d.interval_length)) END,
       CASE WHEN bool_or(d.estimated + d.substituted > 0) THEN stream_page(array_agg(c.ordinal) FILTER (WHERE d.estimated + d.substituted > 0)) END
FROM days d JOIN channels c ON c.id = d.channel_id
GROUP BY c.org_id, d.day, c.ordinal / 8192;
