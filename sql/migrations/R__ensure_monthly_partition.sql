-- Repeatable migration: the current definition of ensure_monthly_partition. To change the function, edit this file:
-- Flyway applies it again whenever its checksum changes, after the versioned migrations (V1 and V6 hold earlier
-- versions; applied versioned migrations never change).
--
-- Creates the monthly partition of a range-partitioned table that holds month_start, if missing, and returns its
-- name (NULL when it existed). Month bounds are UTC whatever the session's time zone. Rows for that month already
-- sitting in the default partition are moved into it, so an early or late event never blocks a later partition.
-- Concurrent callers (two instances starting in a new month, or the daily maintenance) take turns instead of one
-- failing on "relation already exists".
CREATE OR REPLACE FUNCTION ensure_monthly_partition(parent regclass, month_start date)
RETURNS text
LANGUAGE plpgsql AS $$
DECLARE
    parent_name text := (SELECT c.relname FROM pg_class c WHERE c.oid = parent);
    part_col    text;
    lo_date     date := date_trunc('month', month_start)::date;
    lo          timestamptz := lo_date::timestamp AT TIME ZONE 'UTC';
    hi          timestamptz := (lo_date + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    part_name   text := parent_name || '_' || to_char(lo_date, 'YYYY_MM');
    default_rel text := parent_name || '_default';
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('ensure_monthly_partition'));
    IF to_regclass(quote_ident(part_name)) IS NOT NULL THEN
        RETURN NULL;
    END IF;
    SELECT a.attname INTO part_col
      FROM pg_partitioned_table pt
      JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
     WHERE pt.partrelid = parent;
    EXECUTE format('CREATE TABLE %I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', part_name, parent);
    IF to_regclass(quote_ident(default_rel)) IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM %I WHERE %I >= %L AND %I < %L RETURNING *) '
                       'INSERT INTO %I SELECT * FROM moved',
                       default_rel, part_col, lo, part_col, hi, part_name);
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', parent, part_name, lo, hi);
    RETURN part_name;
END
$$;
