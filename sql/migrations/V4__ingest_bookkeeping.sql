-- Idempotency keys. lineage_events and hook_executions are partitioned by time, so their primary keys include the
-- time column and cannot enforce uniqueness of event_id / execution_id alone; these small tables do. A key row is
-- written in the same transaction as the rows it stands for. For lineage events the key keeps what was stored, so
-- a repeated event is acknowledged with the same node and version.
CREATE TABLE lineage_event_keys (
    event_id       uuid PRIMARY KEY,
    node_id        uuid,
    pattern_id     uuid,
    version_number integer,
    recorded_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE hook_execution_keys (
    execution_id uuid PRIMARY KEY,
    recorded_at  timestamptz NOT NULL DEFAULT now()
);

-- One row per inbox file content (sha256), written when the file is done: a file dropped again is recognised and
-- stores nothing twice. (A file interrupted by a crash is simply read again: its lines carry ids derived from the
-- content hash and line number, so what was committed before the crash is acknowledged as duplicate.)
CREATE TABLE ingest_files (
    sha256          text PRIMARY KEY,
    inbox           text NOT NULL,
    file_name       text NOT NULL,
    lines           bigint NOT NULL DEFAULT 0,
    stored          bigint NOT NULL DEFAULT 0,
    duplicates      bigint NOT NULL DEFAULT 0,
    rejected        bigint NOT NULL DEFAULT 0,
    completed_at    timestamptz NOT NULL DEFAULT now()
);
