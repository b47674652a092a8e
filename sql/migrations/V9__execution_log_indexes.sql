-- Indexes of the execution log (GET /api/executions, sql function hook_executions_page): for every filter of the
-- log, an index that leads with the filter's column and continues in the log's order (started_at DESC), so a page of
-- the newest rows matching one filter is a Merge Append of one index range per monthly partition that stops after
-- the page, whatever the filter's selectivity (an agent that last ran months ago, a rare status). Ties on
-- started_at are put in execution_id order by an Incremental Sort over the few rows that share a time.
-- Already there (V2): (pattern_id, started_at DESC), (started_at), (correlation_id) (a correlation is a handful of
-- rows: sorting them is cheaper than a wider index).
--
-- An index on the partitioned table is created on every partition, and on each partition created later
-- (ensure_monthly_partition attaches new months). CREATE INDEX on a partitioned table cannot be CONCURRENTLY: on a
-- large table this migration holds off writes while it builds (measured: BENCHMARKS.md, "Execution log"). IF NOT
-- EXISTS lets an operator build them ahead, partition by partition without blocking ingest (README.md, "Execution
-- logs"), before upgrading.

CREATE INDEX IF NOT EXISTS idx_hook_executions_session_started ON hook_executions (session_id, started_at DESC)
    WHERE session_id IS NOT NULL;

CREATE INDEX IF NOT EXISTS idx_hook_executions_agent_started ON hook_executions (agent, started_at DESC)
    WHERE agent IS NOT NULL;

CREATE INDEX IF NOT EXISTS idx_hook_executions_status_started ON hook_executions (status, started_at DESC);

-- replaces (node_id): a version applied many times would otherwise have all its rows sorted for one page; the new
-- index serves every query the old one did
CREATE INDEX IF NOT EXISTS idx_hook_executions_node_started ON hook_executions (node_id, started_at DESC)
    WHERE node_id IS NOT NULL;
DROP INDEX IF EXISTS idx_hook_executions_node;
