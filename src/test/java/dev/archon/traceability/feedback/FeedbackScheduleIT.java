package dev.archon.traceability.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.ServiceProcess;
import dev.archon.traceability.support.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The feedback loop's schedule with two instances (packaged jars) on one database, firing every second: each firing
 * runs once, on one instance (firing accounting as in ClusteredSchedulingIT, one run per second once both run, none
 * skipped because the other instance had it), and a pattern gets one workflow per batch of new executions, not one
 * per instance or per firing.
 */
class FeedbackScheduleIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    private ServiceProcess start(String name, String db, List<ServiceProcess> processes) throws Exception {
        Path dir = Files.createDirectories(workDir.resolve(name));
        ServiceProcess p = ServiceProcess.start(dir, dir.resolve("data/postgres"), name + ".log", Map.of(
                "TRACEABILITY_DB_URL_EXTERNAL", db,
                "TRACEABILITY_INSTANCE_NAME", name,
                "TRACEABILITY_JOBS_FEEDBACK_LOOP_ENABLED", "true",
                "TRACEABILITY_JOBS_FEEDBACK_LOOP_CRON", "* * * * * ?",
                "TRACEABILITY_JOBS_HEALTH_CHECK_ENABLED", "false",
                "TRACEABILITY_JOBS_DAILY_MAINTENANCE_ENABLED", "false",
                "TRACEABILITY_JOBS_WEEKLY_MAINTENANCE_ENABLED", "false",
                "TRACEABILITY_JOBS_ARCHIVAL_ENABLED", "false",
                "TRACEABILITY_JOBS_BACKUP_ENABLED", "false",
                "TRACEABILITY_JOBS_CLUSTER_CHECKIN_INTERVAL", "1s"));
        processes.add(p);
        return p;
    }

    private static UUID node(ServiceProcess service, String event) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return UUID.fromString(Json.mapper().readTree(r.body()).get("node_id").asText());
    }

    @Test
    void eachFiringRunsOnOneInstanceAndAPatternGetsOneWorkflowPerBatchOfNewExecutions() throws Exception {
        String db = TestPostgres.server().createDatabase();
        List<ServiceProcess> processes = new ArrayList<>();
        try {
            ServiceProcess a = start("node-a", db, processes);
            a.awaitHealthy(Duration.ofSeconds(120));
            ServiceProcess b = start("node-b", db, processes);
            b.awaitHealthy(Duration.ofSeconds(120));
            Instant bothUp = Instant.now();

            String name = "scheduled-" + UUID.randomUUID();
            UUID v1 = node(a, "{\"event_type\":\"pattern_created\",\"pattern_name\":\"" + name + "\"}");
            UUID v2 = node(a, "{\"event_type\":\"pattern_modified\",\"pattern_name\":\"" + name + "\"}");
            UUID pattern = UUID.fromString(TestPostgres.strings(db, "SELECT pattern_id::text FROM lineage_nodes"
                    + " WHERE node_id = '" + v1 + "'").get(0));
            FeedbackSeed.executions(db, pattern, v1, 40, 120, 30, 1.7, 0);
            FeedbackSeed.executions(db, pattern, v2, 40, 80, 25, 1.3, 0);

            // firings find the pattern due once: one workflow, which runs to its end
            awaitWorkflows(db, pattern, 1);
            Thread.sleep(5000); // five more firings: nothing new to look at
            assertThat(workflows(db, pattern)).hasSize(1);

            // a new batch of executions, started after that workflow: one more workflow, not two
            TestPostgres.execute(db, "INSERT INTO hook_executions (execution_id, pattern_id, node_id, status,"
                    + " duration_ms, started_at) SELECT gen_random_uuid(), '" + pattern + "', '" + v2 + "', 'success',"
                    + " 70 + i, now() FROM generate_series(1, 30) i");
            awaitWorkflows(db, pattern, 2);
            Thread.sleep(4000);
            List<String> all = workflows(db, pattern);
            assertThat(all).as("workflows of the pattern").hasSize(2)
                    .allSatisfy(w -> assertThat(w).startsWith("schedule ").doesNotContain("running"));

            // each firing ran once: the k-th scheduled run starts no earlier than the k-th firing of the cron (a firing
            // run twice puts every later run ahead of its count), and once both instances run, one run per second.
            // (Quartz runs firings missed while nobody held the schedule late, back to back, within its misfire
            // threshold: the first seconds after the first start can see two runs in one second, each once.)
            Instant firstFiring = Instant.ofEpochMilli(TestPostgres.count(db, "SELECT start_time FROM qrtz_triggers"
                    + " WHERE trigger_group = 'maintenance' AND trigger_name = 'feedback-loop'"))
                    .truncatedTo(ChronoUnit.SECONDS);
            List<Instant> runs = runStarts(db);
            assertThat(runs).hasSizeGreaterThanOrEqualTo(10);
            for (int k = 0; k < runs.size(); k++) {
                assertThat(runs.get(k)).as("run #%d against firing #%d (first firing %s): %s", k + 1, k + 1,
                        firstFiring, runs).isAfterOrEqualTo(firstFiring.plusSeconds(k).minusMillis(100));
            }
            Instant steady = bothUp.plusSeconds(3);
            List<String> perSecond = TestPostgres.strings(db, "SELECT date_trunc('second', started_at) || ' '"
                    + " || count(*) FROM job_runs WHERE job = 'feedback-loop' AND trigger = 'schedule'"
                    + " AND started_at >= '" + steady + "'"
                    + " GROUP BY date_trunc('second', started_at) ORDER BY date_trunc('second', started_at)");
            assertThat(perSecond).as("scheduled runs per second with both instances up").hasSizeGreaterThanOrEqualTo(5)
                    .allSatisfy(line -> assertThat(line).endsWith(" 1"));
            assertThat(TestPostgres.strings(db, "SELECT DISTINCT status FROM job_runs WHERE job = 'feedback-loop'"))
                    .containsExactly("succeeded");
            long started = TestPostgres.count(db, "SELECT coalesce(sum(jsonb_array_length(report->'started')), 0)"
                    + " FROM job_runs WHERE job = 'feedback-loop'");
            assertThat(started).as("workflows started by all runs together").isEqualTo(2);

            HttpResponse<String> jobs = HTTP.send(HttpRequest.newBuilder(URI.create(a.uri("/api/admin/jobs")
                    .toString())).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode listed = Json.mapper().readTree(jobs.body()).get("jobs");
            JsonNode loop = null;
            for (JsonNode j : listed) {
                if (j.get("name").asText().equals("feedback-loop")) {
                    loop = j;
                }
            }
            assertThat(loop).isNotNull();
            assertThat(loop.get("enabled").asBoolean()).isTrue();
            assertThat(loop.get("next_fire").asText()).isNotEmpty();
        } finally {
            for (ServiceProcess p : processes) {
                p.process().destroy();
                if (!p.process().waitFor(30, TimeUnit.SECONDS)) {
                    p.process().destroyForcibly();
                }
            }
            FeedbackSeed.drop(db);
        }
    }

    /** When each scheduled feedback-loop run started, oldest first. */
    private static List<Instant> runStarts(String db) throws Exception {
        List<Instant> out = new ArrayList<>();
        try (Connection c = TestPostgres.connect(db);
             PreparedStatement ps = c.prepareStatement("SELECT started_at FROM job_runs WHERE job = 'feedback-loop'"
                     + " AND trigger = 'schedule' ORDER BY started_at");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getObject(1, OffsetDateTime.class).toInstant());
            }
        }
        return out;
    }

    private static List<String> workflows(String db, UUID pattern) throws Exception {
        return TestPostgres.strings(db, "SELECT trigger || ' ' || status || ' ' || coalesce(instance, '-')"
                + " FROM feedback_workflows WHERE pattern_id = '" + pattern + "' ORDER BY created_at");
    }

    private static void awaitWorkflows(String db, UUID pattern, int n) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<String> w = workflows(db, pattern);
            if (w.size() >= n && w.stream().noneMatch(x -> x.contains(" running "))) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("expected " + n + " finished workflows, got " + workflows(db, pattern));
    }
}
