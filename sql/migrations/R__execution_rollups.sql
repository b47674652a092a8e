-- Repeatable migration: the current definitions of the analytics rollup's functions. To change one, edit this file:
-- Flyway applies it again whenever its checksum changes, after the versioned migrations (V8 created the first
-- versions, with the rollup tables, and rolled up the rows already there; applied versioned migrations never change).
-- A change of a function's arguments or result type needs a DROP FUNCTION IF EXISTS first: CREATE OR REPLACE cannot
-- change them. execution_latency_bucket and execution_histogram_add are called by HookExecutionStore's insert.

-- The latency histogram's bucket of a duration: geometric buckets of ratio 1.02 from 0.001 ms, bucket b holding
-- [0.001 * 1.02^b, 0.001 * 1.02^(b+1)) ms. Its geometric midpoint 0.001 * 1.02^(b+0.5) is within 1 % of any value in
-- it (sqrt(1.02) - 1 = 0.995 %), so a percentile read from the histogram is within 1 % of the exact one. Durations
-- under 0.001 ms (0 included) fall in bucket -1, read as 0. analytics/LatencyHistogram reads the buckets back: the
-- two must agree, and never change once rows are counted (a changed formula needs a rebuild).
CREATE OR REPLACE FUNCTION execution_latency_bucket(duration_ms double precision)
RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN duration_ms IS NULL THEN NULL
                WHEN duration_ms < 0.001 THEN -1
                ELSE floor(ln(duration_ms / 0.001) / ln(1.02))::integer END
$$;

-- A histogram is kept as two arrays of the same length: the buckets that hold executions, ascending, and their
-- counts. Adding two of them (an upsert meeting the row already there) adds the counts of equal buckets.
CREATE OR REPLACE FUNCTION execution_histogram_add(a_buckets integer[], a_counts bigint[], b_buckets integer[],
                                        b_counts bigint[], OUT buckets integer[], OUT counts bigint[])
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT array_agg(bucket ORDER BY bucket), array_agg(n ORDER BY bucket)
      FROM (SELECT bucket, sum(n)::bigint AS n
              FROM (SELECT * FROM unnest(a_buckets, a_counts)
                    UNION ALL
                    SELECT * FROM unnest(b_buckets, b_counts)) AS both_sides(bucket, n)
             GROUP BY bucket) AS added
$$;

-- Recomputes the rollup from hook_executions, the same grouping the ingest statement applies to the rows it inserts;
-- returns the number of executions rolled up. Inserts wait while it runs (SHARE lock); reads of hook_executions go on.
CREATE OR REPLACE FUNCTION rebuild_execution_rollups()
RETURNS bigint
LANGUAGE plpgsql AS $$
BEGIN
    LOCK TABLE hook_executions IN SHARE MODE;
    TRUNCATE execution_rollup_hourly, execution_rollup_latency_daily, execution_rollup_values_hourly,
             execution_rollup_values_daily;

    INSERT INTO execution_rollup_hourly (pattern_id, hour, executions, success_count, failure_count, timeout_count,
        quality_gate_failures, duration_count, duration_sum, duration_sum_sq, duration_min, duration_max,
        quality_count, quality_sum, quality_sum_sq, quality_min, quality_max, last_started_at, latency_buckets,
        latency_counts)
    SELECT a.*, h.latency_buckets, h.latency_counts
      FROM (SELECT pattern_id, date_trunc('hour', started_at, 'UTC') AS hour,
                   count(*),
                   count(*) FILTER (WHERE status = 'success'),
                   count(*) FILTER (WHERE status = 'failure'),
                   count(*) FILTER (WHERE status = 'timeout'),
                   count(*) FILTER (WHERE quality_gates_passed = false),
                   count(duration_ms), coalesce(sum(duration_ms), 0), coalesce(sum(duration_ms * duration_ms), 0),
                   min(duration_ms), max(duration_ms),
                   count(quality_score), coalesce(sum(quality_score), 0),
                   coalesce(sum(quality_score * quality_score), 0), min(quality_score), max(quality_score),
                   max(started_at)
              FROM hook_executions
             GROUP BY 1, 2) a
      LEFT JOIN (SELECT pattern_id, hour, array_agg(bucket ORDER BY bucket) AS latency_buckets,
                        array_agg(n ORDER BY bucket) AS latency_counts
                   FROM (SELECT pattern_id, date_trunc('hour', started_at, 'UTC') AS hour,
                                execution_latency_bucket(duration_ms) AS bucket, count(*) AS n
                           FROM hook_executions
                          WHERE duration_ms IS NOT NULL
                          GROUP BY 1, 2, 3) cells
                  GROUP BY 1, 2) h USING (pattern_id, hour);

    INSERT INTO execution_rollup_latency_daily (pattern_id, day, latency_buckets, latency_counts)
    SELECT pattern_id, day, array_agg(bucket ORDER BY bucket), array_agg(n ORDER BY bucket)
      FROM (SELECT r.pattern_id, date_trunc('day', r.hour, 'UTC') AS day, c.bucket, sum(c.n)::bigint AS n
              FROM execution_rollup_hourly r, unnest(r.latency_buckets, r.latency_counts) AS c(bucket, n)
             GROUP BY 1, 2, 3) cells
     GROUP BY 1, 2;

    INSERT INTO execution_rollup_values_hourly (pattern_id, hour, dimension, value, executions)
    SELECT e.pattern_id, date_trunc('hour', e.started_at, 'UTC'), d.dimension, d.value, count(*)
      FROM hook_executions e
     CROSS JOIN LATERAL (VALUES ('context_type', left(e.context_type, 200)), ('agent', left(e.agent, 200)),
                                ('project', left(e.project, 200))) AS d(dimension, value)
     WHERE d.value IS NOT NULL
     GROUP BY 1, 2, 3, 4;

    INSERT INTO execution_rollup_values_daily (pattern_id, day, dimension, value, executions)
    SELECT pattern_id, date_trunc('day', hour, 'UTC'), dimension, value, sum(executions)
      FROM execution_rollup_values_hourly
     GROUP BY 1, 2, 3, 4;

    RETURN (SELECT coalesce(sum(executions), 0) FROM execution_rollup_hourly);
END
$$;
