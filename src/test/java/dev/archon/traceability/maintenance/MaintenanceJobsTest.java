package dev.archon.traceability.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The daily-maintenance and health-check jobs through the admin endpoints, recorded in job_runs. */
class MaintenanceJobsTest {

    private static final int JOB_LOCK_CLASS = 0x4a4f42;
    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        // schedules off: the test triggers every run itself
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.jobs.daily-maintenance.enabled", "false",
                "traceability.jobs.health-check.enabled", "false"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void listsEveryJobWithItsSchedule() throws Exception {
        Response r = service.get("/api/admin/jobs");
        assertThat(r.status()).isEqualTo(200);
        JsonNode jobs = Json.mapper().readTree(r.body()).get("jobs");
        assertThat(jobs.findValuesAsText("name"))
                .containsExactly("daily-maintenance", "weekly-maintenance", "archival", "backup", "health-check",
                        "feedback-loop");
        assertThat(jobs.get(0).get("cron").asText()).isEqualTo("0 0 3 * * ?");
        assertThat(jobs.get(0).get("enabled").asBoolean()).isFalse();
    }

    @Test
    void dailyMaintenanceVacuumsAndReportsAndADryRunChangesNothing() throws Exception {
        Object vacuumed = lastVacuum("lineage_nodes"); // null, or an earlier test's run (tests share the database)
        JsonNode dry = runToEnd("daily-maintenance", true);
        assertThat(dry.get("status").asText()).isEqualTo("succeeded");
        assertThat(dry.get("dry_run").asBoolean()).isTrue();
        assertThat(dry.get("report").get("vacuum_analyzed").get(0).asText()).startsWith("(dry run)");
        assertThat(lastVacuum("lineage_nodes")).isEqualTo(vacuumed);

        JsonNode run = runToEnd("daily-maintenance", false);
        assertThat(run.get("status").asText()).isEqualTo("succeeded");
        JsonNode report = run.get("report");
        assertThat(report.get("vacuum_analyzed").findValuesAsText("")).isEmpty();
        assertThat(report.get("vacuum_analyzed")).extracting(JsonNode::asText)
                .containsExactly("lineage_nodes", "lineage_edges", "lineage_events", "hook_executions");
        assertThat(lastVacuum("lineage_nodes")).isNotNull().isNotEqualTo(vacuumed);
        assertThat(report.get("tables").findValuesAsText("table"))
                .containsExactlyInAnyOrder("lineage_nodes", "lineage_edges", "lineage_events", "hook_executions");
        assertThat(report.get("indexes").findValuesAsText("index"))
                .contains("idx_lineage_nodes_parent", "idx_lineage_edges_source", "idx_lineage_events_correlation");
        // nothing has looked anything up by correlation id yet: flagged as never scanned
        assertThat(report.get("unused_indexes")).extracting(JsonNode::asText).contains("idx_lineage_events_correlation");
    }

    @Test
    void dailyMaintenanceTrimsFinishedFeedbackWorkflowsButKeepsThoseAwaitingReview() throws Exception {
        // retention 90 days (config/application.properties): old and finished goes, with its stages and proposals
        workflow("a1", "completed", "now() - interval '100 days'");
        execute("INSERT INTO feedback_workflow_stages (workflow_id, stage, position, status, attempt, started_at)"
                + " VALUES ('00000000-0000-4000-8000-0000000000a1', 'collect', 1, 'completed', 1, now())");
        workflow("a2", "completed", "now() - interval '100 days'"); // its proposal awaits review: kept
        execute("INSERT INTO feedback_proposals (proposal_id, workflow_id, pattern_id, kind, metric, parent_node_id,"
                + " child_node_id, status, created_at) VALUES (gen_random_uuid(),"
                + " '00000000-0000-4000-8000-0000000000a2', gen_random_uuid(), 'improvement', 'duration',"
                + " gen_random_uuid(), gen_random_uuid(), 'validated', now() - interval '100 days')");
        workflow("a3", "failed", "now() - interval '10 days'");                   // within the retention: kept
        workflow("a4", "running", "NULL");                                        // running: never deleted

        JsonNode run = runToEnd("daily-maintenance", false);
        assertThat(run.get("report").get("feedback_workflows_deleted").asInt()).isEqualTo(1);
        assertThat(run.get("report").get("job_runs_deleted").asInt()).isZero();
        assertThat(strings("SELECT string_agg(right(workflow_id::text, 2), ',' ORDER BY workflow_id)"
                + " FROM feedback_workflows")).isEqualTo("a2,a3,a4");
        assertThat(strings("SELECT count(*)::text FROM feedback_workflow_stages")).isEqualTo("0");
        execute("DELETE FROM feedback_workflows");
    }

    @Test
    void weeklyMaintenanceReindexesConcurrentlyAndReportsBloat() throws Exception {
        String indexOid = "SELECT 'idx_lineage_nodes_parent'::regclass::oid::text";
        String before = strings(indexOid);
        JsonNode dry = runToEnd("weekly-maintenance", true);
        assertThat(dry.get("report").get("reindexed_concurrently").get(0).asText()).startsWith("(dry run)");
        assertThat(strings(indexOid)).isEqualTo(before);

        JsonNode run = runToEnd("weekly-maintenance", false);
        assertThat(run.get("status").asText()).as(run.toString()).isEqualTo("succeeded");
        assertThat(run.get("report").get("reindexed_concurrently").findValuesAsText("table"))
                .containsExactly("lineage_nodes", "lineage_edges", "lineage_events", "hook_executions");
        assertThat(run.get("report").get("bloat_after").findValuesAsText("table")).hasSize(4);
        // REINDEX CONCURRENTLY builds a new index and swaps it in
        assertThat(strings(indexOid)).isNotEqualTo(before);
    }

    @Test
    void healthCheckCountsOrphanedEdges() throws Exception {
        JsonNode clean = runToEnd("health-check", false);
        assertThat(clean.get("status").asText()).isEqualTo("succeeded");
        assertThat(clean.get("report").get("orphaned_edges").asLong()).isZero();
        assertThat(clean.get("report").get("service_status").asText()).isEqualTo("healthy");

        // the foreign keys prevent orphans; a restore done by hand without them is how they appear
        execute("ALTER TABLE lineage_edges DROP CONSTRAINT lineage_edges_target_node_id_fkey");
        execute("INSERT INTO lineage_nodes (node_id, pattern_id, version_number) VALUES"
                + " ('00000000-0000-4000-8000-000000000001', gen_random_uuid(), 1)");
        execute("INSERT INTO lineage_edges (source_node_id, target_node_id, edge_type) VALUES"
                + " ('00000000-0000-4000-8000-000000000001', gen_random_uuid(), 'DERIVED_FROM')");
        JsonNode orphan = runToEnd("health-check", false);
        assertThat(orphan.get("status").asText()).isEqualTo("succeeded");
        assertThat(orphan.get("report").get("orphaned_edges").asLong()).isEqualTo(1);
        assertThat(service.get("/observe/metrics").body()).contains("lineage_orphaned_edges 1.0",
                "maintenance_job_runs_total{job_name=\"health-check\",outcome=\"succeeded\"}");
        execute("DELETE FROM lineage_edges");
    }

    @Test
    void aJobThatIsRunningAnswers409AndUnknownJobs404() throws Exception {
        try (Connection holder = TestPostgres.connect(db);
             PreparedStatement lock = holder.prepareStatement("SELECT pg_advisory_lock(?, ?)")) {
            // another instance running the job holds its lock
            lock.setInt(1, JOB_LOCK_CLASS);
            lock.setInt(2, "daily-maintenance".hashCode());
            lock.executeQuery().close();
            Response busy = post("/api/admin/jobs/daily-maintenance/run", null);
            assertThat(busy.status()).isEqualTo(409);
            assertThat(busy.body()).contains("\"code\":\"JOB_RUNNING\"", "is running");
        }
        Response unknown = post("/api/admin/jobs/defragment/run", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("no job 'defragment'", "daily-maintenance");
        Response badLimit = service.get("/api/admin/jobs/health-check/runs?limit=lots");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.body()).contains("\"field\":\"limit\"");
    }

    @Test
    void aScheduleFiresTheJobThroughItsRoute() throws Exception {
        String own = TestPostgres.server().createDatabase();
        try (RunningService scheduled = RunningService.onExternal(own, RunningService.props(
                "traceability.jobs.health-check.cron", "* * * * * ?"))) {
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
                try (Connection c = TestPostgres.connect(own); Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT count(*) FROM job_runs WHERE job = 'health-check'"
                             + " AND trigger = 'schedule' AND status = 'succeeded'")) {
                    rs.next();
                    return rs.getInt(1) >= 2;
                }
            });
            assertThat(scheduled.get("/health").body()).contains("\"last_runs\":{\"health-check\":\"succeeded\"}");
        }
    }

    @Test
    void withATokenAdminNeedsTheBearer() throws Exception {
        try (RunningService guarded = RunningService.onExternal(db, RunningService.props(
                "traceability.admin.token", "t0ken",
                "traceability.jobs.daily-maintenance.enabled", "false",
                "traceability.jobs.health-check.enabled", "false"))) {
            Response none = guarded.get("/api/admin/jobs");
            assertThat(none.status()).isEqualTo(401);
            assertThat(none.body()).contains("\"code\":\"UNAUTHORIZED\"");
            Response wrong = guarded.send(HttpRequest.newBuilder(guarded.uri("/api/admin/jobs/health-check/run"))
                    .header("Authorization", "Bearer nope").POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(wrong.status()).isEqualTo(401);
            Response right = guarded.send(HttpRequest.newBuilder(guarded.uri("/api/admin/jobs/health-check/run"))
                    .header("Authorization", "Bearer t0ken").POST(HttpRequest.BodyPublishers.noBody()));
            assertThat(right.status()).as(right.body()).isEqualTo(202);
        }
    }

    /** Starts a run over HTTP (202) and waits for it to finish; returns the recorded run. */
    private static JsonNode runToEnd(String job, boolean dryRun) throws Exception {
        Response started = post("/api/admin/jobs/" + job + "/run" + (dryRun ? "?dry_run=true" : ""), null);
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String runId = Json.mapper().readTree(started.body()).get("run_id").asText();
        JsonNode[] run = new JsonNode[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (JsonNode r : Json.mapper().readTree(service.get("/api/admin/jobs/" + job + "/runs").body())
                    .get("runs")) {
                if (r.get("run_id").asText().equals(runId) && !r.get("status").asText().equals("running")) {
                    run[0] = r;
                    return true;
                }
            }
            return false;
        });
        assertThat(run[0].get("trigger").asText()).isEqualTo("http");
        return run[0];
    }

    private static Response post(String path, Map<String, String> headers) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static Object lastVacuum(String table) throws SQLException {
        try (Connection c = TestPostgres.connect(db); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = '"
                     + table + "'")) {
            rs.next();
            return rs.getObject(1);
        }
    }

    private static String strings(String sql) throws SQLException {
        return TestPostgres.strings(db, sql).get(0);
    }

    /** A feedback workflow triggered 100 days ago, id ending in {@code suffix}, finished at {@code finishedAt}. */
    private static void workflow(String suffix, String status, String finishedAt) throws SQLException {
        execute("INSERT INTO feedback_workflows (workflow_id, pattern_id, status, trigger, parameters, created_at,"
                + " finished_at) VALUES ('00000000-0000-4000-8000-0000000000" + suffix + "', gen_random_uuid(), '"
                + status + "', 'schedule', '{}', now() - interval '100 days', " + finishedAt + ")");
    }

    private static void execute(String sql) throws SQLException {
        TestPostgres.execute(db, sql);
    }
}
