-- The feedback loop: feedback from people on patterns, versions and executions; the persisted workflows that find,
-- validate and apply improvements from real executions, with each stage's record; and the proposals they make.
-- No foreign keys to the lineage tables or hook_executions: feedback may arrive before its pattern's lineage event
-- (as execution records may), and a full restore drops and recreates the lineage tables.

-- POST /api/feedback. feedback_id is the idempotency key: a repeated id is acknowledged, not stored twice.
CREATE TABLE pattern_feedback (
    feedback_id    uuid PRIMARY KEY,
    pattern_id     uuid NOT NULL,
    node_id        uuid,
    execution_id   uuid,
    feedback_type  text NOT NULL DEFAULT 'general'
                   CHECK (feedback_type IN ('performance', 'quality', 'usage', 'general')),
    rating         smallint CHECK (rating BETWEEN 1 AND 5),
    sentiment      text CHECK (sentiment IN ('positive', 'neutral', 'negative')),
    comments       text,
    metadata       jsonb NOT NULL DEFAULT '{}'::jsonb,
    user_id        text,
    source         text,
    correlation_id text,
    created_at     timestamptz NOT NULL,              -- the item's own timestamp, or its arrival
    received_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT pattern_feedback_says_something
        CHECK (rating IS NOT NULL OR sentiment IS NOT NULL OR comments IS NOT NULL)
);

-- A pattern's feedback newest first, keyset-paginated on (created_at, feedback_id); also the collect stage's window.
CREATE INDEX idx_pattern_feedback_pattern_created ON pattern_feedback (pattern_id, created_at DESC, feedback_id DESC);

-- One row per workflow: its parameters, where it is, what the finished stages found (state, so that a workflow
-- interrupted by a stop or a crash resumes after its last finished stage), its results and outcome.
CREATE TABLE feedback_workflows (
    workflow_id uuid PRIMARY KEY,
    pattern_id  uuid NOT NULL,
    status      text NOT NULL
                CHECK (status IN ('running', 'completed', 'insufficient_data', 'workflow_timeout', 'failed')),
    stage       text NOT NULL DEFAULT 'queued'
                CHECK (stage IN ('queued', 'collect', 'analyze', 'generate', 'validate', 'apply', 'track')),
    trigger     text NOT NULL CHECK (trigger IN ('http', 'schedule')),
    parameters  jsonb NOT NULL,
    state       jsonb NOT NULL DEFAULT '{}'::jsonb,
    results     jsonb,
    error       text,
    instance    text,                                 -- the instance that ran it last
    attempts    integer NOT NULL DEFAULT 0,           -- starts by a worker: more than 1 means it was resumed
    created_at  timestamptz NOT NULL,                 -- triggered
    started_at  timestamptz,                          -- first taken by a worker
    deadline    timestamptz,                          -- this attempt ends as workflow_timeout after it
    finished_at timestamptz
);

-- One active workflow per pattern, across every instance on the database: a second trigger is refused (409).
CREATE UNIQUE INDEX idx_feedback_workflows_one_running ON feedback_workflows (pattern_id) WHERE status = 'running';
CREATE INDEX idx_feedback_workflows_pattern_created ON feedback_workflows (pattern_id, created_at DESC);
CREATE INDEX idx_feedback_workflows_created ON feedback_workflows (created_at DESC);

-- Each stage of each workflow: start, end, outcome and figures. A stage's effects and its 'completed' row commit in
-- one transaction, so a resumed workflow never runs a finished stage twice.
CREATE TABLE feedback_workflow_stages (
    workflow_id uuid NOT NULL REFERENCES feedback_workflows (workflow_id) ON DELETE CASCADE,
    stage       text NOT NULL CHECK (stage IN ('collect', 'analyze', 'generate', 'validate', 'apply', 'track')),
    position    smallint NOT NULL,
    status      text NOT NULL
                CHECK (status IN ('running', 'completed', 'skipped', 'failed', 'timed_out', 'interrupted')),
    attempt     integer NOT NULL,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    figures     jsonb,
    PRIMARY KEY (workflow_id, stage)
);

-- What a workflow proposes: an improvement (the newer version is better than its parent on a metric) or a roll-back
-- (it is significantly worse). proposed -> validated | rejected (validate stage) -> applied (apply stage or review).
CREATE TABLE feedback_proposals (
    proposal_id    uuid PRIMARY KEY,
    workflow_id    uuid NOT NULL REFERENCES feedback_workflows (workflow_id) ON DELETE CASCADE,
    pattern_id     uuid NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('improvement', 'rollback')),
    metric         text NOT NULL CHECK (metric IN ('duration', 'quality', 'success_rate')),
    parent_node_id uuid NOT NULL,
    child_node_id  uuid NOT NULL,
    reasons        jsonb NOT NULL DEFAULT '[]'::jsonb,
    status         text NOT NULL CHECK (status IN ('proposed', 'validated', 'rejected', 'applied')),
    test           jsonb,                             -- the comparison of its metric, and the child's baseline
    p_value        double precision,
    confidence     double precision,
    edge_id        uuid,                              -- the IMPROVED_VERSION edge it was applied as
    decided_by     text,                              -- validate | auto | review
    decision_note  text,
    created_at     timestamptz NOT NULL,
    decided_at     timestamptz
);

CREATE INDEX idx_feedback_proposals_pattern ON feedback_proposals (pattern_id, created_at DESC, proposal_id DESC);
CREATE INDEX idx_feedback_proposals_status ON feedback_proposals (status, created_at DESC, proposal_id DESC);
CREATE INDEX idx_feedback_proposals_workflow ON feedback_proposals (workflow_id);
