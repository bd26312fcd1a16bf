-- Interval readings, stored per data stream (NMI + suffix) and interval end.
--
-- Time convention: interval_end is a timestamptz, the END of the interval as an instant. NEM12 times
-- are NEM time (UTC+10, no daylight saving); nem_time() turns an instant back into that wall clock.

CREATE TABLE uploads (
  id            bigserial PRIMARY KEY,
  -- What identifies a delivery: gs://bucket/object#generation for the pipeline, the file's sha256 for
  -- the CLI. A redelivered event or a repeated CLI run finds its upload again instead of adding one.
  source_key    text NOT NULL UNIQUE,
  file_name     text NOT NULL,
  owner         text,
  bytes         bigint,
  status        text NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'splitting', 'loading', 'done', 'failed')),
  readings      bigint,
  readings_new  bigint,
  readings_updated bigint,
  readings_unchanged bigint,
  warnings      integer,
  errors        integer,
  -- First issues found (code, line, message), at most a hundred of each kind.
  issues        jsonb,
  summary       jsonb,
  created_at    timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

-- A data stream. Readings refer to it by a 4-byte id: a compact primary key keeps loads fast.
CREATE TABLE channels (
  id      serial PRIMARY KEY,
  nmi     varchar(10) NOT NULL,
  suffix  varchar(2) NOT NULL,
  UNIQUE (nmi, suffix)
);

-- No foreign keys here: a lookup per row would dominate COPY. The loader writes only channel and
-- upload ids it has just resolved, in the same transaction.
CREATE TABLE readings (
  channel_id   integer NOT NULL,
  interval_end timestamptz NOT NULL,
  value        numeric NOT NULL,          -- exact, in uom
  uom          text NOT NULL,             -- as written in the file (kWh, KWH, Wh, kVArh ...)
  kwh          numeric,                   -- value in kWh for energy units, else null
  quality      "char" NOT NULL,           -- A, E, F, S, N: effective per interval (400 ranges applied)
  method       smallint,                  -- quality method number (F14 -> 14)
  reason_code  smallint,
  updated_at   timestamptz,               -- the 300 row's UpdateDateTime: newer revisions win
  upload_id    bigint NOT NULL,
  line         integer NOT NULL,          -- line of the 300 row in that upload's file
  PRIMARY KEY (channel_id, interval_end)  -- also the index for "one stream over a time range"
);

-- One row per stream and day that has been loaded, with a fingerprint of the 300 (+400) rows it came
-- from: a re-sent day with the same fingerprint is skipped without touching its readings.
CREATE TABLE reading_days (
  channel_id   integer NOT NULL,
  day          date NOT NULL,
  fingerprint  uuid NOT NULL,
  upload_id    bigint NOT NULL,
  PRIMARY KEY (channel_id, day)
);

-- NEM wall-clock time (UTC+10, no DST) of an instant, as a timestamp without time zone.
CREATE FUNCTION nem_time(instant timestamptz) RETURNS timestamp
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN (instant AT TIME ZONE 'UTC') + interval '10 hours';

-- Readings with their NMI and suffix, for people and reports.
CREATE VIEW channel_readings AS
SELECT c.nmi, c.suffix, r.interval_end, nem_time(r.interval_end) AS nem_interval_end,
       r.value, r.uom, r.kwh, r.quality, r.method, r.reason_code, r.updated_at, r.upload_id, r.line
FROM readings r
JOIN channels c ON c.id = r.channel_id;

-- The Flo Energy shape: one row per NMI and interval end (NEM time, timestamp without time zone);
-- consumption = the sum of the NMI's consumption channels (suffix E...) in kWh.
CREATE VIEW meter_readings AS
SELECT c.nmi, nem_time(r.interval_end) AS "timestamp", sum(r.kwh) AS consumption
FROM readings r
JOIN channels c ON c.id = r.channel_id
WHERE c.suffix LIKE 'E%' AND r.kwh IS NOT NULL
GROUP BY c.nmi, r.interval_end;
