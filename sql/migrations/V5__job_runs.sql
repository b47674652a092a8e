-- History of maintenance job runs, whatever started them (schedule, admin HTTP, command line), kept for
-- traceability.jobs.history-retention (90 days by default).
CREATE TABLE job_runs (
    run_id      uuid PRIMARY KEY,
    job         text NOT NULL,
    instance    text NOT NULL,
    trigger     text NOT NULL CHECK (trigger IN ('schedule', 'http', 'cli')),
    dry_run     boolean NOT NULL DEFAULT false,
    started_at  timestamptz NOT NULL,
    finished_at timestamptz,
    status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'skipped', 'interrupted')),
    report      jsonb,
    error       text
);

CREATE INDEX idx_job_runs_job_started ON job_runs (job, started_at DESC);
