package dev.archon.traceability.db;

import java.util.List;
import java.util.stream.Stream;

/**
 * The tables of the contract (runbook names) and of our own bookkeeping, each list named for what it is used for.
 * Backup, restore, maintenance and health all read their lists here, so a new table is added in one place.
 */
public final class Tables {

    /** The lineage tables ingest writes (the archive is filled only by archival). */
    public static final List<String> LINEAGE_WRITTEN = List.of("lineage_nodes", "lineage_edges", "lineage_events");

    /** The runbook's lineage tables. */
    public static final List<String> LINEAGE = concat(LINEAGE_WRITTEN, List.of("lineage_events_archive"));

    public static final String EXECUTIONS = "hook_executions";

    /** The idempotency keys that stand beside the partitioned tables (migration V4). */
    public static final List<String> IDEMPOTENCY_KEYS = List.of("lineage_event_keys", "hook_execution_keys");

    /**
     * The analytics rollup of hook_executions per pattern and UTC hour (migration V8), maintained by the statement that
     * inserts executions; {@code SELECT rebuild_execution_rollups()} recomputes it from the raw rows.
     */
    public static final List<String> ROLLUPS = List.of("execution_rollup_hourly", "execution_rollup_latency_daily",
            "execution_rollup_values_hourly", "execution_rollup_values_daily");

    /** What usage analytics read: the rollup, and the raw executions for exact percentiles of small windows. */
    public static final List<String> ANALYTICS = concat(List.of(EXECUTIONS), ROLLUPS);

    /** Partitioned by month: their partitions are named {@code <table>_YYYY_MM} and {@code <table>_default}. */
    public static final List<String> PARTITIONED = List.of("lineage_events", "lineage_events_archive", EXECUTIONS);

    /**
     * The feedback loop's tables (V10): feedback from people, the workflows with their stages, and their proposals.
     * None is derived from the others (feedback is what people said; a workflow's decisions and applied proposals
     * are the record behind IMPROVED_VERSION edges), so backups dump them.
     */
    public static final List<String> FEEDBACK = List.of("pattern_feedback", "feedback_workflows",
            "feedback_workflow_stages", "feedback_proposals");

    /** One row per pattern, derived from lineage_nodes (V7): rebuilt after a restore rather than dumped. */
    public static final String PATTERN_SUMMARIES = "lineage_patterns";

    /** The commits whose pattern summaries are not refreshed yet (V14): transient, neither dumped nor restored. */
    public static final String PENDING_PATTERN_SUMMARIES = "lineage_patterns_pending";

    /** Our SQL functions: their current definitions are sql/migrations/R__*.sql (MigrationFilesTest checks it). */
    public static final List<String> FUNCTIONS = List.of("ensure_monthly_partition", "execution_histogram_add",
            "execution_latency_bucket", "get_lineage_path", "hook_executions_page", "hook_executions_summary",
            "rebuild_execution_rollups", "refresh_lineage_patterns", "refresh_pending_lineage_patterns");

    /** The SQL function of the contract, in the form {@code to_regprocedure} reads. */
    public static final String LINEAGE_PATH_FUNCTION = "get_lineage_path(uuid)";

    /** What the service needs to serve at all: missing one makes /health unhealthy. */
    public static final List<String> CONTRACT = concat(LINEAGE, List.of(EXECUTIONS));

    /**
     * What a backup dumps and a full restore replaces (partitions go with their parent; a restore replaces only the
     * tables its dump holds, so a dump made before a table existed leaves that table alone).
     */
    public static final List<String> BACKED_UP = concat(LINEAGE, List.of(EXECUTIONS), IDEMPOTENCY_KEYS, FEEDBACK);

    /** What the daily and weekly maintenance vacuum, reindex and report on (the archive only grows by archival). */
    public static final List<String> MAINTAINED = concat(LINEAGE_WRITTEN, List.of(EXECUTIONS));

    private Tables() {
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Stream.of(lists).flatMap(List::stream).toList();
    }
}
