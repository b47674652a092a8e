-- Repeatable migration: the current definition of hook_executions_page. To change the function, edit this file:
-- Flyway applies it again whenever its checksum changes, after the versioned migrations.
--
-- One page of the execution log (GET /api/executions, routes/executions-api.yaml): the rows of hook_executions
-- matching every filter given (a NULL filter is no filter), newest first (started_at DESC, execution_id DESC),
-- strictly after the keyset cursor (after_started_at, after_execution_id) when one is given, at most page_rows rows.
-- since is inclusive, until exclusive. Operators can call it too:
--   SELECT * FROM hook_executions_page(agent => 'coder', status => 'failure', page_rows => 20);
--
-- Why a function and EXECUTE: the query is one fixed text whose optional filters read "$n IS NULL OR column = $n".
-- EXECUTE plans it for each call with the values at hand, so the filters not given fold away and the planner picks
-- the index of the filters that are (idx_hook_executions_*: V2, V9) and prunes the months outside the window or
-- behind the cursor. A prepared statement would, after a few runs, be given one generic plan for every
-- combination of filters, and a generic plan cannot choose its index by which filters are present. Values are
-- bound (USING), never spliced into the text. Planning costs well under a millisecond here (BENCHMARKS.md).
CREATE OR REPLACE FUNCTION hook_executions_page(
    pattern_id         uuid DEFAULT NULL,
    node_id            uuid DEFAULT NULL,
    session_id         text DEFAULT NULL,
    correlation_id     text DEFAULT NULL,
    agent              text DEFAULT NULL,
    status             text DEFAULT NULL,
    since              timestamptz DEFAULT NULL,
    until              timestamptz DEFAULT NULL,
    after_started_at   timestamptz DEFAULT NULL,
    after_execution_id uuid DEFAULT NULL,
    page_rows          integer DEFAULT 100)
RETURNS SETOF hook_executions
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
    IF (after_started_at IS NULL) <> (after_execution_id IS NULL) THEN
        RAISE EXCEPTION 'hook_executions_page: after_started_at and after_execution_id go together';
    END IF;
    RETURN QUERY EXECUTE $q$
        SELECT *
          FROM hook_executions e
         WHERE ($1 IS NULL OR e.pattern_id = $1)
           AND ($2 IS NULL OR e.node_id = $2)
           AND ($3 IS NULL OR e.session_id = $3)
           AND ($4 IS NULL OR e.correlation_id = $4)
           AND ($5 IS NULL OR e.agent = $5)
           AND ($6 IS NULL OR e.status = $6)
           AND ($7 IS NULL OR e.started_at >= $7)
           AND ($8 IS NULL OR e.started_at < $8)
           -- the cursor: the row comparison is the exact keyset condition; the plain bound prunes the newer months
           AND ($9 IS NULL OR e.started_at <= $9)
           AND ($9 IS NULL OR (e.started_at, e.execution_id) < ($9, $10))
         ORDER BY e.started_at DESC, e.execution_id DESC
         LIMIT $11$q$
    USING pattern_id, node_id, session_id, correlation_id, agent, status, since, until, after_started_at,
          after_execution_id, page_rows;
END
$fn$;
