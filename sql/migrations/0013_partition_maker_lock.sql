-- Loads that need the same new month at once: 0010's makers queued on an advisory lock, and the one
-- that waited then looked the month up in a catalog cache the advisory lock does not refresh, missed
-- the month just made and failed with "relation ... already exists" (found by CI: two files of the
-- same day loaded at the same moment). Makers now queue on `days` itself, in SHARE UPDATE EXCLUSIVE
-- mode, the lock ATTACH PARTITION takes anyway: taking a table lock reads the other makers' committed
-- catalog changes, and the mode conflicts with no read or write of `days`. ONLY: the parent alone,
-- not a lock on every month (nor a wait on a month's vacuum).
CREATE OR REPLACE FUNCTION ensure_day_partitions(days date[]) RETURNS integer
  LANGUAGE plpgsql AS $$
DECLARE
  month date;
  made integer := 0;
BEGIN
  FOR month IN SELECT DISTINCT date_trunc('month', d)::date FROM unnest(days) d WHERE d IS NOT NULL ORDER BY 1 LOOP
    CONTINUE WHEN to_regclass(day_partition(month)) IS NOT NULL;
    LOCK TABLE ONLY days IN SHARE UPDATE EXCLUSIVE MODE;
    CONTINUE WHEN to_regclass(day_partition(month)) IS NOT NULL;
    EXECUTE format('CREATE TABLE %I (LIKE days INCLUDING DEFAULTS)', day_partition(month));
    EXECUTE format('ALTER TABLE days ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)',
                   day_partition(month), month, (month + interval '1 month')::date);
    made := made + 1;
  END LOOP;
  RETURN made;
END $$;
