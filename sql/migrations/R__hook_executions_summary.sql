-- Repeatable migration: the current definition of hook_executions_summary. To change the function, edit this file:
-- Flyway applies it again whenever its checksum changes, after the versioned migrations.
--
-- The execution summary (GET /api/executions/summary, routes/executions-api.yaml): per agent, pattern (key: the
-- pattern_id as text), hook_type or project, the executions started in [since, until): count, counts by status,
-- average duration and quality (missing values left out; NULL when a group has none) and the last start. The
-- largest groups first (then by key, the group of rows without a value last), at most max_groups of them;
-- total_groups is the number of groups before that cut. Operators can call it too:
--   SELECT * FROM hook_executions_summary('agent', now() - interval '1 day', now(), 100);
--
-- EXECUTE, as in hook_executions_page: planned with the values at hand, the CASE folds to the one column grouped
-- by and the planner sizes the window (a parallel scan for a wide one). A prepared statement's generic plan, which
-- pgjdbc and PostgreSQL settle on after a few runs on a connection, evaluated the CASE on every row in one process:
-- 2.3 times slower on a month of 1,000,000 executions (BENCHMARKS.md, "Execution log").
CREATE OR REPLACE FUNCTION hook_executions_summary(
    group_by   text,
    since      timestamptz,
    until      timestamptz,
    max_groups integer DEFAULT 1000)
RETURNS TABLE (key text, count bigint, success_count bigint, failure_count bigint, timeout_count bigint,
               avg_duration_ms double precision, avg_quality_score double precision,
               last_execution_at timestamptz, total_groups bigint)
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    IF group_by IS NULL OR group_by NOT IN ('agent', 'pattern', 'hook_type', 'project') THEN
        RAISE EXCEPTION 'hook_executions_summary: group_by is one of agent, pattern, hook_type, project; got %',
            group_by;
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT g.*, count(*) OVER ()
          FROM (SELECT CASE $1 WHEN 'agent' THEN e.agent
                               WHEN 'pattern' THEN e.pattern_id::text
                               WHEN 'hook_type' THEN e.hook_type
                               WHEN 'project' THEN e.project END AS key,
                       count(*) AS count,
                       count(*) FILTER (WHERE e.status = 'success') AS success_count,
                       count(*) FILTER (WHERE e.status = 'failure') AS failure_count,
                       count(*) FILTER (WHERE e.status = 'timeout') AS timeout_count,
                       avg(e.duration_ms) AS avg_duration_ms,
                       avg(e.quality_score) AS avg_quality_score,
                       max(e.started_at) AS last_execution_at
                  FROM hook_executions e
                 WHERE e.started_at >= $2 AND e.started_at < $3
                 GROUP BY 1) g
         ORDER BY g.count DESC, g.key
         LIMIT $4$q$
    USING group_by, since, until, max_groups;
END
$fn$;
