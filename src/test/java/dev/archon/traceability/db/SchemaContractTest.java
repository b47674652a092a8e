package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The schema the service creates on an external database matches the contract of SPEC §5 and the runbook. */
class SchemaContractTest {

    private static String url;
    private static RunningService service;

    @BeforeAll
    static void start() {
        url = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(url, Map.of());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void contractTablesExist() throws SQLException {
        // the runbook's deployment check: \dt lineage_* lists lineage_nodes, lineage_edges, lineage_events
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"))
                .contains("lineage_nodes", "lineage_edges", "lineage_events", "lineage_events_archive",
                        "hook_executions");
        // the runbook's health check script counts exactly these three
        assertThat(strings("SELECT COUNT(*)::text FROM information_schema.tables"
                + " WHERE table_name IN ('lineage_nodes', 'lineage_edges', 'lineage_events')")).containsExactly("3");
    }

    @Test
    void contractColumnsExist() throws SQLException {
        assertThat(strings("SELECT column_name FROM information_schema.columns WHERE table_name = 'lineage_nodes'"))
                .contains("node_id", "pattern_id", "version_number", "parent_node_id", "pattern_name", "pattern_type",
                        "template_code", "confidence_score", "performance_baseline", "quality_baseline",
                        "success_rate_baseline", "created_at", "created_by", "status", "correlation_id");
        assertThat(strings("SELECT column_name FROM information_schema.columns WHERE table_name = 'lineage_edges'"))
                .contains("edge_id", "source_node_id", "target_node_id", "edge_type", "weight", "metadata",
                        "created_at", "created_by", "correlation_id");
        List<String> events = strings("SELECT column_name FROM information_schema.columns"
                + " WHERE table_name = 'lineage_events' ORDER BY ordinal_position");
        assertThat(events).containsExactly("event_id", "event_type", "node_id", "edge_id", "event_data", "timestamp",
                "source", "correlation_id", "user_id");
        // same columns in the same order, so the runbook's INSERT INTO archive SELECT * FROM events works
        assertThat(strings("SELECT column_name FROM information_schema.columns"
                + " WHERE table_name = 'lineage_events_archive' ORDER BY ordinal_position")).isEqualTo(events);
        assertThat(strings("SELECT column_name FROM information_schema.columns WHERE table_name = 'hook_executions'"))
                .contains("execution_id", "pattern_id", "node_id", "hook_type", "hook_name", "tool_name", "status",
                        "duration_ms", "quality_score", "performance_score", "quality_gates_passed", "context_type",
                        "agent", "project", "file_path", "session_id", "correlation_id", "started_at",
                        "error_message", "metadata");
    }

    @Test
    void contractIndexesExist() throws SQLException {
        assertThat(strings("SELECT indexname FROM pg_indexes WHERE indexname LIKE 'idx_lineage_%'"))
                .contains("idx_lineage_nodes_parent", "idx_lineage_nodes_pattern_version", "idx_lineage_edges_source",
                        "idx_lineage_edges_type_created", "idx_lineage_events_correlation");
        assertThat(strings("SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_lineage_events_correlation'"))
                .singleElement().asString().contains("WHERE (correlation_id IS NOT NULL)");
    }

    @Test
    void constraintsRejectBrokenGraphs() throws SQLException {
        UUID pattern = UUID.randomUUID();
        UUID a = node(pattern, 1, null);
        assertThatThrownBy(() -> node(pattern, 1, null)).hasMessageContaining("idx_lineage_nodes_pattern_version");
        assertThatThrownBy(() -> edge(a, a, "DERIVED_FROM")).hasMessageContaining("lineage_edges_no_self_loop");
        UUID b = node(pattern, 2, a);
        edge(a, b, "DERIVED_FROM");
        assertThatThrownBy(() -> edge(a, b, "DERIVED_FROM")).hasMessageContaining("idx_lineage_edges_source");
        assertThatThrownBy(() -> edge(a, b, "COPIED_FROM")).hasMessageContaining("edge_type");
        assertThatThrownBy(() -> edge(a, UUID.randomUUID(), "DERIVED_FROM")).hasMessageContaining("foreign key");
    }

    @Test
    void getLineagePathWalksAChainRootFirst() throws SQLException {
        UUID pattern = UUID.randomUUID();
        UUID root = node(pattern, 1, null);
        UUID middle = node(pattern, 2, root);
        UUID leaf = node(pattern, 3, middle);
        node(UUID.randomUUID(), 1, null); // an unrelated pattern stays out of the path

        List<String> path = strings("SELECT position || ':' || node_id || ':' || version_number"
                + " FROM get_lineage_path('" + leaf + "')");
        assertThat(path).containsExactly("1:" + root + ":1", "2:" + middle + ":2", "3:" + leaf + ":3");
        assertThat(strings("SELECT count(*)::text FROM get_lineage_path('" + root + "')")).containsExactly("1");
        assertThat(strings("SELECT count(*)::text FROM get_lineage_path('" + UUID.randomUUID() + "')"))
                .containsExactly("0");
    }

    @Test
    void getLineagePathIsCycleSafeAndDepthCapped() throws SQLException {
        UUID pattern = UUID.randomUUID();
        UUID first = node(pattern, 1, null);
        UUID previous = first;
        for (int v = 2; v <= 150; v++) {
            previous = node(pattern, v, previous);
        }
        assertThat(strings("SELECT count(*)::text FROM get_lineage_path('" + previous + "')")).containsExactly("100");

        // a damaged graph: the root points back at the leaf; the walk must stop, not loop
        UUID other = UUID.randomUUID();
        UUID x = node(other, 1, null);
        UUID y = node(other, 2, x);
        execute("UPDATE lineage_nodes SET parent_node_id = '" + y + "' WHERE node_id = '" + x + "'");
        assertThat(strings("SELECT node_id::text FROM get_lineage_path('" + y + "')"))
                .containsExactly(x.toString(), y.toString());
    }

    @Test
    void eventTablesArePartitionedByMonthAndTheRunbookArchivalSqlStillWorks() throws SQLException {
        assertThat(strings("SELECT c.relname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid"))
                .contains("lineage_events", "lineage_events_archive", "hook_executions");
        assertThat(strings("SELECT to_char(now() AT TIME ZONE 'UTC', '\"lineage_events_\"YYYY_MM')"))
                .allSatisfy(current -> assertThat(strings("SELECT inhrelid::regclass::text FROM pg_inherits"
                        + " WHERE inhparent = 'lineage_events'::regclass")).contains(current));

        execute("INSERT INTO lineage_events (event_id, event_type, \"timestamp\", source) VALUES"
                + " (gen_random_uuid(), 'pattern_created', now() - interval '200 days', 'runbook'),"
                + " (gen_random_uuid(), 'pattern_created', now(), 'runbook')");
        // the runbook's manual archival, unchanged
        execute("INSERT INTO lineage_events_archive SELECT * FROM lineage_events"
                + " WHERE timestamp < CURRENT_DATE - INTERVAL '90 days'");
        execute("DELETE FROM lineage_events WHERE timestamp < CURRENT_DATE - INTERVAL '90 days'");
        assertThat(strings("SELECT count(*)::text FROM lineage_events_archive WHERE source = 'runbook'"))
                .containsExactly("1");
        assertThat(strings("SELECT count(*)::text FROM lineage_events WHERE source = 'runbook'")).containsExactly("1");
    }

    @Test
    void aMonthlyPartitionAdoptsRowsThatWaitedInTheDefaultPartition() throws SQLException {
        execute("INSERT INTO lineage_events (event_id, event_type, \"timestamp\")"
                + " VALUES (gen_random_uuid(), 'pattern_created', '2031-05-17T10:00:00Z')");
        assertThat(strings("SELECT count(*)::text FROM lineage_events_default")).containsExactly("1");
        assertThat(strings("SELECT ensure_monthly_partition('lineage_events', '2031-05-01')"))
                .containsExactly("lineage_events_2031_05");
        assertThat(strings("SELECT count(*)::text FROM lineage_events_default")).containsExactly("0");
        assertThat(strings("SELECT count(*)::text FROM lineage_events_2031_05")).containsExactly("1");
        assertThat(strings("SELECT coalesce(ensure_monthly_partition('lineage_events', '2031-05-09'), 'exists')"))
                .containsExactly("exists");
    }

    @Test
    void monthlyPartitionBoundsAreUtcWhateverTheSessionTimeZone() throws SQLException {
        try (Connection c = TestPostgres.connect(url); Statement s = c.createStatement()) {
            s.execute("SET TIME ZONE 'America/New_York'");
            s.execute("SELECT ensure_monthly_partition('lineage_events', '2031-08-01')");
            // 02:00 UTC on August 1st is still July 31st in New York: it belongs to August all the same
            s.execute("INSERT INTO lineage_events (event_id, event_type, \"timestamp\", source)"
                    + " VALUES (gen_random_uuid(), 'pattern_created', '2031-08-01T02:00:00Z', 'tz')");
        }
        assertThat(strings("SELECT tableoid::regclass::text FROM lineage_events WHERE source = 'tz'"))
                .containsExactly("lineage_events_2031_08");
    }

    @Test
    void quartzJobStoreTablesExist() throws SQLException {
        assertThat(strings("SELECT table_name FROM information_schema.tables WHERE table_name LIKE 'qrtz_%'"))
                .containsExactlyInAnyOrder("qrtz_job_details", "qrtz_triggers", "qrtz_simple_triggers",
                        "qrtz_cron_triggers", "qrtz_simprop_triggers", "qrtz_blob_triggers", "qrtz_calendars",
                        "qrtz_paused_trigger_grps", "qrtz_fired_triggers", "qrtz_scheduler_state", "qrtz_locks");
    }

    @Test
    void runbookHealthCheckOrphanQueryRuns() throws SQLException {
        assertThat(strings("SELECT COUNT(*)::text FROM lineage_edges e"
                + " WHERE NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.source_node_id)"
                + "    OR NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.target_node_id)"))
                .containsExactly("0");
    }

    @Test
    void aSecondStartOnAMigratedDatabaseAppliesNothing() throws SQLException {
        String history = "SELECT count(*) || '/' || max(installed_rank) || '/' || max(installed_on)"
                + " FROM flyway_schema_history";
        String tables = "SELECT string_agg(relname || '=' || oid, ',' ORDER BY relname) FROM pg_class"
                + " WHERE relkind IN ('r', 'p', 'i') AND relnamespace = 'public'::regnamespace";
        List<String> historyBefore = strings(history);
        List<String> tablesBefore = strings(tables);
        // versioned migrations, then the repeatable ones that hold the current SQL functions
        assertThat(strings("SELECT coalesce(version, 'R ' || description) FROM flyway_schema_history WHERE success"
                + " ORDER BY installed_rank"))
                .containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "14", "15",
                        "R ensure monthly partition", "R execution rollups", "R get lineage path",
                        "R hook executions page", "R hook executions summary", "R refresh lineage patterns");

        try (RunningService second = RunningService.onExternal(url, Map.of())) {
            assertThat(second.get("/health").status()).isEqualTo(200);
        }
        assertThat(strings(history)).isEqualTo(historyBefore);
        assertThat(strings(tables)).isEqualTo(tablesBefore);
    }

    private static UUID node(UUID pattern, int version, UUID parent) throws SQLException {
        UUID id = UUID.randomUUID();
        try (Connection c = TestPostgres.connect(url);
             PreparedStatement ps = c.prepareStatement("INSERT INTO lineage_nodes"
                     + " (node_id, pattern_id, version_number, parent_node_id, pattern_name) VALUES (?, ?, ?, ?, ?)")) {
            ps.setObject(1, id);
            ps.setObject(2, pattern);
            ps.setInt(3, version);
            ps.setObject(4, parent);
            ps.setString(5, "pattern-" + pattern);
            ps.executeUpdate();
        }
        return id;
    }

    private static void edge(UUID source, UUID target, String type) throws SQLException {
        try (Connection c = TestPostgres.connect(url);
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO lineage_edges (source_node_id, target_node_id, edge_type) VALUES (?, ?, ?)")) {
            ps.setObject(1, source);
            ps.setObject(2, target);
            ps.setString(3, type);
            ps.executeUpdate();
        }
    }

    static void execute(String sql) throws SQLException {
        TestPostgres.execute(url, sql);
    }

    static List<String> strings(String sql) throws SQLException {
        return TestPostgres.strings(url, sql);
    }
}
