-- Which pattern summaries (lineage_patterns, V7) a commit left behind. The ingest writer adds one row per commit, in
-- the transaction that stores the events, instead of refreshing the summaries there: the refresh (two lookups per
-- pattern, the trigram index on names) cost the writer's one database backend as much as the event rows themselves.
-- The summary refresher (lineage/PatternSummaries) refreshes the row's patterns on its own connection and deletes the
-- row in one transaction, before the commit's submitters are answered, while the writer commits the next batch.
-- A row left behind (the process died between the two transactions, or the refresh failed) is taken by the sweep
-- that runs at start-up and every few seconds: refresh_pending_lineage_patterns (R__ file).
CREATE TABLE lineage_patterns_pending (
    batch_id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    patterns    uuid[] NOT NULL,
    activity    timestamptz[] NOT NULL,
    nodes       uuid[] NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
