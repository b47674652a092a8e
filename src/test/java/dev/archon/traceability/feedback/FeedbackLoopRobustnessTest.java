package dev.archon.traceability.feedback;

import static dev.archon.traceability.feedback.FeedbackLoopTest.ended;
import static dev.archon.traceability.feedback.FeedbackLoopTest.started;
import static dev.archon.traceability.feedback.FeedbackLoopTest.trigger;
import static dev.archon.traceability.feedback.FeedbackSeed.executions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.feedback.FeedbackSeed.Versions;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What must hold when things go wrong: one running workflow per pattern (a second trigger is 409 naming the first),
 * a stuck workflow ends as workflow_timeout at its deadline, and a workflow in flight when the service stops is
 * resumed after the next start (or failed, with the reason, once it was interrupted too often). A workflow is made
 * to hang the way a real one would: the test holds an ACCESS EXCLUSIVE lock on hook_executions (as a VACUUM FULL or
 * a restore would), so the collect stage waits for it.
 */
class FeedbackLoopRobustnessTest {

    private static final Map<String, String> QUIET = Map.of(
            "traceability.jobs.health-check.enabled", "false",
            "traceability.jobs.daily-maintenance.enabled", "false",
            "traceability.db.pool.max-size", "8",
            "traceability.feedback.sweep-interval", "1s");

    private String db;

    @AfterEach
    void drop() {
        if (db != null) {
            FeedbackSeed.drop(db);
        }
    }

    /** Holds hook_executions locked (ACCESS EXCLUSIVE) until closed. */
    private static Connection lockExecutions(String db) throws Exception {
        Connection c = TestPostgres.connect(db);
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            s.execute("LOCK TABLE hook_executions IN ACCESS EXCLUSIVE MODE");
        }
        return c;
    }

    private static JsonNode status(RunningService service, UUID workflow) throws Exception {
        Response r = service.get("/api/feedback-loop/status/" + workflow);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private static void awaitStage(RunningService service, UUID workflow, String stage) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(service, workflow).get("current_stage").asText().equals(stage));
    }

    private static double metric(RunningService service, String line) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(line) + " (\\S+)$").matcher(
                service.get("/observe/metrics").body());
        return m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
    }

    private static Map<String, String> props(Map<String, String> base, String... more) {
        Map<String, String> m = RunningService.props(more);
        base.forEach(m::putIfAbsent);
        return m;
    }

    @Test
    void aSecondTriggerForARunningPatternIs409NamingTheRunningWorkflowAndAStuckOneTimesOut() throws Exception {
        db = TestPostgres.server().createDatabase();
        try (RunningService service = RunningService.onExternal(db, props(QUIET,
                "traceability.feedback.workflow-timeout", "3s"))) {
            // registered at start: the contract's metrics read 0 before the first workflow
            assertThat(metric(service, "feedback_loop_total")).isEqualTo(0.0);
            assertThat(metric(service, "feedback_loop_success_total")).isEqualTo(0.0);
            assertThat(metric(service, "feedback_loop_workflow_duration_seconds_count{stage=\"collect\"}"))
                    .isEqualTo(0.0);

            Versions p = FeedbackSeed.pattern(service, "stuck-" + UUID.randomUUID());
            executions(db, p.pattern(), p.v1(), 40, 100, 10, 1.7, 0);
            executions(db, p.pattern(), p.v2(), 40, 90, 10, 1.3, 0);
            UUID first;
            try (Connection lock = lockExecutions(db)) {
                first = started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}");
                awaitStage(service, first, "collect");

                Response second = trigger(service, "{\"pattern_id\":\"" + p.pattern() + "\"}");
                assertThat(second.status()).as(second.body()).isEqualTo(409);
                JsonNode error = Json.mapper().readTree(second.body()).get("error");
                assertThat(error.get("code").asText()).isEqualTo("WORKFLOW_RUNNING");
                assertThat(error.get("message").asText()).contains(first.toString());
                assertThat(error.at("/details/field").asText()).isEqualTo("pattern_id");
                assertThat(TestPostgres.count(db, "SELECT count(*) FROM feedback_workflows WHERE pattern_id = '"
                        + p.pattern() + "'")).isEqualTo(1);

                // still holding the lock: the deadline passes in collect
                JsonNode w = ended(service, first);
                assertThat(w.get("status").asText()).isEqualTo("workflow_timeout");
                assertThat(w.get("error").asText()).startsWith("WORKFLOW_TIMEOUT: stage collect did not finish"
                        + " within the workflow timeout of 3 s");
                assertThat(w.at("/results/outcome").asText()).isEqualTo("workflow_timeout");
                assertThat(w.get("stages")).extracting(s -> s.get("stage").asText() + " " + s.get("status").asText())
                        .containsExactly("collect timed_out");
                assertThat(w.get("duration_ms").asLong()).isBetween(2_500L, 20_000L);
            }
            assertThat(metric(service, "feedback_loop_total")).isEqualTo(1.0);
            assertThat(metric(service, "feedback_loop_success_total")).isEqualTo(0.0);
            Response health = service.get("/api/feedback-loop/health");
            assertThat(health.body()).contains("\"last_failure\":{\"workflow_id\":\"" + first + "\"",
                    "\"status\":\"workflow_timeout\"");

            // the lock is gone: the pattern takes a new workflow, which completes
            JsonNode next = ended(service, started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}"));
            assertThat(next.get("status").asText()).isEqualTo("completed");
            assertThat(metric(service, "feedback_loop_total")).isEqualTo(2.0);
            assertThat(metric(service, "feedback_loop_success_total")).isEqualTo(1.0);
            assertThat(metric(service, "feedback_loop_workflow_duration_seconds_count{stage=\"track\"}"))
                    .isEqualTo(1.0);
        }
    }

    @Test
    void aWorkflowInFlightWhenTheServiceStopsIsResumedAfterTheNextStartOrFailedWithTheReason() throws Exception {
        db = TestPostgres.server().createDatabase();
        Versions resumed;
        Versions interrupted;
        UUID w1;
        UUID w2;
        try (RunningService before = RunningService.onExternal(db, props(QUIET))) {
            resumed = FeedbackSeed.pattern(before, "resumed-" + UUID.randomUUID());
            interrupted = FeedbackSeed.pattern(before, "interrupted-" + UUID.randomUUID());
            for (Versions v : new Versions[] {resumed, interrupted}) {
                executions(db, v.pattern(), v.v1(), 60, 120, 30, 1.7, 0);
                executions(db, v.pattern(), v.v2(), 60, 80, 25, 1.3, 0);
            }
            try (Connection lock = lockExecutions(db)) {
                w1 = started(before, "{\"pattern_id\":\"" + resumed.pattern() + "\"}");
                w2 = started(before, "{\"pattern_id\":\"" + interrupted.pattern() + "\"}");
                awaitStage(before, w1, "collect");
                awaitStage(before, w2, "collect");
                long t0 = System.nanoTime();
                before.close(); // SIGTERM-like stop with both workflows waiting in collect
                assertThat((System.nanoTime() - t0) / 1_000_000).as("stop does not wait for the stuck workflows")
                        .isLessThan(8_000);
            }
        }
        // left running, for whoever starts next: not failed, not forgotten
        assertThat(TestPostgres.strings(db, "SELECT status || ' ' || stage FROM feedback_workflows ORDER BY created_at"))
                .containsExactly("running collect", "running collect");
        // the second one has been interrupted as often as it may be
        TestPostgres.execute(db, "UPDATE feedback_workflows SET attempts = 3 WHERE workflow_id = '" + w2 + "'");

        try (RunningService after = RunningService.onExternal(db, props(QUIET))) {
            JsonNode w = ended(after, w1);
            assertThat(w.get("status").asText()).as(w.toString()).isEqualTo("completed");
            assertThat(w.get("attempts").asInt()).isEqualTo(2);
            assertThat(w.at("/results/outcome").asText()).isEqualTo("applied");
            assertThat(w.at("/stages/0/stage").asText()).isEqualTo("collect");
            assertThat(w.at("/stages/0/attempt").asInt()).isEqualTo(2);
            assertThat(TestPostgres.count(db, "SELECT count(*) FROM lineage_edges WHERE target_node_id = '"
                    + resumed.v2() + "' AND edge_type = 'IMPROVED_VERSION'")).isEqualTo(1);

            JsonNode failed = ended(after, w2);
            assertThat(failed.get("status").asText()).isEqualTo("failed");
            assertThat(failed.get("error").asText()).isEqualTo("interrupted 3 times (last in stage collect): not"
                    + " resumed again (traceability.feedback.max-attempts = 3)");
            assertThat(TestPostgres.count(db, "SELECT count(*) FROM feedback_workflows WHERE status = 'running'"))
                    .isZero();
        }
    }
}
