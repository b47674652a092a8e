package dev.archon.traceability.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.jobs.JobRunner;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Archival with events on both sides of the cutoff: exactly the old ones move, counts reconcile, dry run moves none. */
class ArchivalTest {

    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.jobs.archival.enabled", "false", "traceability.jobs.health-check.enabled", "false",
                "traceability.archival.batch-size", "7"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void exactlyTheEventsOlderThanTheRetentionMoveAndTheCountsReconcile() throws Exception {
        // a whole old month with its own partition, the cutoff's month (partitioned, rows on both sides),
        // an old row in the default partition, and recent rows
        execute("SELECT ensure_monthly_partition('lineage_events', (CURRENT_DATE - 150)::date)");
        execute("SELECT ensure_monthly_partition('lineage_events', (CURRENT_DATE - 90)::date)");
        insert("whole-month", "CURRENT_DATE - 150", 20);
        insert("just-old", "CURRENT_DATE - 91", 10);
        insert("just-new", "CURRENT_DATE - 89", 10);
        insert("very-old", "CURRENT_DATE - 400", 5);
        insert("recent", "now()", 10);
        String wholeMonth = strings("SELECT to_char(CURRENT_DATE - 150, '\"lineage_events_\"YYYY_MM')").get(0);

        Map<String, Object> dry = runner().runNow("archival", "cli", true);
        JsonNode dryReport = Json.mapper().valueToTree(dry.get("report"));
        assertThat(dryReport.get("would_archive_rows").asLong()).isEqualTo(35);
        assertThat(dryReport.get("would_move_partitions")).extracting(JsonNode::asText).contains(wholeMonth);
        assertThat(count("SELECT count(*) FROM lineage_events_archive")).isZero();

        Map<String, Object> run = runner().runNow("archival", "cli", false);
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("succeeded");
        JsonNode report = Json.mapper().valueToTree(run.get("report"));
        assertThat(report.get("rows_archived").asLong()).isEqualTo(35);
        assertThat(report.get("rows_moved_with_partitions").asLong()).isEqualTo(20);
        assertThat(report.get("rows_moved_in_batches").asLong()).isEqualTo(15);
        assertThat(report.get("reconciled").asBoolean()).isTrue();
        assertThat(report.get("events_older_than_cutoff_after").asLong()).isZero();

        assertThat(sources("lineage_events")).containsExactly("just-new", "recent");
        assertThat(sources("lineage_events_archive")).containsExactly("just-old", "very-old", "whole-month");
        // the whole month moved as a partition of the archive, not row by row
        assertThat(strings("SELECT inhparent::regclass::text FROM pg_inherits WHERE inhrelid = '"
                + wholeMonth.replace("lineage_events_", "lineage_events_archive_") + "'::regclass"))
                .containsExactly("lineage_events_archive");
        // the runbook's queries keep working on both tables
        assertThat(count("SELECT count(*) FROM lineage_events_archive WHERE timestamp < CURRENT_DATE - INTERVAL '90 days'"))
                .isEqualTo(35);

        Map<String, Object> again = runner().runNow("archival", "cli", false);
        assertThat(Json.mapper().<JsonNode>valueToTree(again.get("report")).get("rows_archived").asLong()).isZero();
    }

    private static JobRunner runner() {
        return service.main().getCamelContext().getRegistry().findSingleByType(JobRunner.class);
    }

    private static void insert(String source, String at, int n) throws SQLException {
        execute("INSERT INTO lineage_events (event_id, event_type, \"timestamp\", source)"
                + " SELECT gen_random_uuid(), 'pattern_created', " + at + " + (i || ' seconds')::interval, '" + source
                + "' FROM generate_series(1, " + n + ") i");
    }

    private static List<String> sources(String table) throws SQLException {
        return strings("SELECT DISTINCT source FROM " + table + " ORDER BY 1");
    }

    private static long count(String sql) throws SQLException {
        return TestPostgres.count(db, sql);
    }

    private static List<String> strings(String sql) throws SQLException {
        return TestPostgres.strings(db, sql);
    }

    private static void execute(String sql) throws SQLException {
        TestPostgres.execute(db, sql);
    }
}
