-- Execution records of hooks applying a pattern version: what analytics and the feedback loop read.
-- A hook may report before the lineage event for its pattern arrives, so there are no foreign keys to the
-- lineage tables; queries join loosely. Partitioned by month on started_at, like lineage_events.
CREATE TABLE hook_executions (
    execution_id         uuid NOT NULL,
    pattern_id           uuid NOT NULL,
    node_id              uuid,
    hook_type            text,
    hook_name            text,
    tool_name            text,
    status               text NOT NULL CHECK (status IN ('success', 'failure', 'timeout')),
    duration_ms          double precision CHECK (duration_ms >= 0),
    quality_score        double precision CHECK (quality_score BETWEEN 0 AND 1),
    performance_score    double precision CHECK (performance_score BETWEEN 0 AND 1),
    quality_gates_passed boolean,
    context_type         text,
    agent                text,
    project              text,
    file_path            text,
    session_id           text,
    correlation_id       text,
    started_at           timestamptz NOT NULL DEFAULT now(),
    error_message        text,
    metadata             jsonb NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (execution_id, started_at)
) PARTITION BY RANGE (started_at);

CREATE TABLE hook_executions_default PARTITION OF hook_executions DEFAULT;

CREATE INDEX idx_hook_executions_pattern_started ON hook_executions (pattern_id, started_at DESC);
CREATE INDEX idx_hook_executions_node ON hook_executions (node_id) WHERE node_id IS NOT NULL;
CREATE INDEX idx_hook_executions_correlation ON hook_executions (correlation_id) WHERE correlation_id IS NOT NULL;
CREATE INDEX idx_hook_executions_started ON hook_executions (started_at);
