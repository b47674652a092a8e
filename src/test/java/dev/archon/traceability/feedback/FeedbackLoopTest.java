package dev.archon.traceability.feedback;

import static dev.archon.traceability.feedback.FeedbackSeed.durations;
import static dev.archon.traceability.feedback.FeedbackSeed.executions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.feedback.FeedbackSeed.Versions;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feedback loop end to end on the real service (real HTTP, real database): seeded executions of a pattern's two
 * versions, a triggered workflow, and what it decided, applied and recorded. p-values are checked against Welch's
 * test written out in the test ({@link FeedbackSeed#welchP}) on the durations read back from the database.
 */
class FeedbackLoopTest {

    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.jobs.health-check.enabled", "false",
                "traceability.jobs.daily-maintenance.enabled", "false",
                "traceability.db.pool.max-size", "8"));
    }

    @AfterAll
    static void stop() {
        service.close();
        FeedbackSeed.drop(db);
    }

    static Response trigger(RunningService service, String body) {
        return service.send(HttpRequest.newBuilder(service.uri("/api/feedback-loop/trigger"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    static UUID started(RunningService service, String body) throws Exception {
        Response r = trigger(service, body);
        assertThat(r.status()).as(r.body()).isEqualTo(202);
        return UUID.fromString(Json.mapper().readTree(r.body()).get("workflow_id").asText());
    }

    /** The workflow once it is no longer running. */
    static JsonNode ended(RunningService service, UUID workflow) {
        JsonNode[] last = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            Response r = service.get("/api/feedback-loop/status/" + workflow);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            last[0] = Json.mapper().readTree(r.body());
            return !last[0].get("status").asText().equals("running");
        });
        return last[0];
    }

    static Response post(RunningService service, String path) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).POST(HttpRequest.BodyPublishers.noBody()));
    }

    private static JsonNode proposal(JsonNode workflow, String kind, String metric) {
        for (JsonNode p : workflow.get("proposals")) {
            if (p.get("kind").asText().equals(kind) && p.get("metric").asText().equals(metric)) {
                return p;
            }
        }
        throw new AssertionError("no " + kind + " proposal on " + metric + " in " + workflow.get("proposals"));
    }

    private static long count(String sql) throws Exception {
        return TestPostgres.count(db, sql);
    }

    @Test
    void aClearlyFasterVersionIsAppliedAsAnImprovedVersionEdgeWithItsFigures() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "faster-" + UUID.randomUUID());
        executions(db, p.pattern(), p.v1(), 60, 120, 30, 1.7, 20);
        executions(db, p.pattern(), p.v2(), 60, 80, 25, 1.3, 20);
        String before = TestPostgres.strings(db, "SELECT last_activity::text FROM lineage_patterns WHERE pattern_id = '"
                + p.pattern() + "'").get(0);

        UUID id = started(service, "{\"pattern_id\":\"" + p.pattern() + "\",\"feedback_type\":\"performance\"}");
        JsonNode w = ended(service, id);

        assertThat(w.get("status").asText()).as(w.toString()).isEqualTo("completed");
        JsonNode results = w.get("results");
        assertThat(results.get("outcome").asText()).isEqualTo("applied");
        assertThat(results.get("improvements_applied").asInt()).isEqualTo(1);
        assertThat(results.get("improvements_validated").asInt()).isEqualTo(1);
        assertThat(results.get("executions_analyzed").asInt()).isEqualTo(120);
        assertThat(results.get("statistically_significant").asBoolean()).isTrue();
        assertThat(w.get("completed_stages")).extracting(JsonNode::asText)
                .containsExactly("collect", "analyze", "generate", "validate", "apply", "track");
        for (JsonNode stage : w.get("stages")) {
            assertThat(stage.get("started_at").asText()).isNotEmpty();
            assertThat(stage.get("finished_at").asText()).isNotEmpty();
            assertThat(stage.get("figures").isObject()).isTrue();
        }

        // the p-value, against Welch's test written out on the durations as stored
        double[] v1 = durations(db, p.v1());
        double[] v2 = durations(db, p.v2());
        double expected = FeedbackSeed.welchP(v1, v2);
        assertThat(expected).isLessThan(1e-10);
        assertThat(results.get("p_value").asDouble()).isCloseTo(expected, within(expected * 1e-6));
        assertThat(results.get("confidence_score").asDouble()).isCloseTo(1 - expected, within(1e-12));
        double delta = (FeedbackSeed.mean(v1) - FeedbackSeed.mean(v2)) / FeedbackSeed.mean(v1);
        assertThat(results.get("performance_delta").asDouble()).isCloseTo(delta, within(1e-9));

        // one IMPROVED_VERSION edge v1 -> v2, with the test's figures
        List<String> edges = TestPostgres.strings(db, "SELECT metadata::text FROM lineage_edges WHERE source_node_id = '"
                + p.v1() + "' AND target_node_id = '" + p.v2() + "' AND edge_type = 'IMPROVED_VERSION'");
        assertThat(edges).hasSize(1);
        JsonNode meta = Json.mapper().readTree(edges.get(0));
        assertThat(meta.get("p_value").asDouble()).isCloseTo(expected, within(expected * 1e-6));
        assertThat(meta.get("confidence").asDouble()).isCloseTo(1 - expected, within(1e-12));
        assertThat(meta.get("performance_delta").asDouble()).isCloseTo(delta, within(1e-9));
        assertThat(meta.get("n").asInt()).isEqualTo(120);
        assertThat(meta.get("metric").asText()).isEqualTo("duration");
        assertThat(meta.get("test").asText()).isEqualTo("welch_t_test");
        assertThat(meta.get("workflow_id").asText()).isEqualTo(id.toString());
        assertThat(meta.get("applied_by").asText()).isEqualTo("auto");
        // Cohen's d with the pooled standard deviation, positive = faster
        double pooled = Math.sqrt((59 * FeedbackSeed.variance(v1) + 59 * FeedbackSeed.variance(v2)) / 118);
        assertThat(meta.get("effect_size").asDouble()).isCloseTo((FeedbackSeed.mean(v1) - FeedbackSeed.mean(v2))
                / pooled, within(1e-9));

        // the child's baselines from its executions in the window
        JsonNode baseline = Json.mapper().readTree(TestPostgres.strings(db, "SELECT performance_baseline::text FROM"
                + " lineage_nodes WHERE node_id = '" + p.v2() + "'").get(0));
        assertThat(baseline.get("avg_ms").asDouble()).isCloseTo(FeedbackSeed.mean(v2), within(1e-9));
        assertThat(baseline.get("p50_ms").asDouble()).isCloseTo(FeedbackSeed.percentile(v2, 0.5), within(1e-9));
        assertThat(baseline.get("p95_ms").asDouble()).isCloseTo(FeedbackSeed.percentile(v2, 0.95), within(1e-9));
        assertThat(baseline.get("p99_ms").asDouble()).isCloseTo(FeedbackSeed.percentile(v2, 0.99), within(1e-9));
        assertThat(Double.parseDouble(TestPostgres.strings(db, "SELECT success_rate_baseline FROM lineage_nodes"
                + " WHERE node_id = '" + p.v2() + "'").get(0))).isCloseTo(57 / 60.0, within(1e-12));

        // a lineage event for it, with the workflow id as correlation id; the pattern's last activity moved
        assertThat(TestPostgres.strings(db, "SELECT event_type || ' ' || node_id FROM lineage_events"
                + " WHERE correlation_id = '" + id + "'")).containsExactly("improvement_applied " + p.v2());
        assertThat(TestPostgres.strings(db, "SELECT (last_activity > '" + before + "')::text FROM lineage_patterns"
                + " WHERE pattern_id = '" + p.pattern() + "'")).containsExactly("true");
        assertThat(w.at("/stages/5/figures/lineage_events/0/event_type").asText()).isEqualTo("improvement_applied");
        JsonNode applied = proposal(w, "improvement", "duration");
        assertThat(applied.get("status").asText()).isEqualTo("applied");
        assertThat(applied.get("decided_by").asText()).isEqualTo("auto");

        // applying twice adds nothing: a second workflow finds the edge
        JsonNode again = ended(service, started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}"));
        assertThat(again.get("status").asText()).isEqualTo("completed");
        assertThat(again.at("/results/outcome").asText()).isEqualTo("already_applied");
        assertThat(again.at("/results/improvements_applied").asInt()).isZero();
        assertThat(count("SELECT count(*) FROM lineage_edges WHERE target_node_id = '" + p.v2()
                + "' AND edge_type = 'IMPROVED_VERSION'")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM lineage_events WHERE event_type = 'improvement_applied'"
                + " AND node_id = '" + p.v2() + "'")).isEqualTo(1);
    }

    @Test
    void indistinguishableVersionsAreRejectedAndNothingIsApplied() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "same-" + UUID.randomUUID());
        executions(db, p.pattern(), p.v1(), 60, 100, 30, 1.7, 0);
        executions(db, p.pattern(), p.v2(), 60, 100, 30, 1.3, 0);
        JsonNode w = ended(service, started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}"));
        assertThat(w.get("status").asText()).isEqualTo("completed");
        assertThat(w.at("/results/outcome").asText()).isEqualTo("rejected");
        double expected = FeedbackSeed.welchP(durations(db, p.v1()), durations(db, p.v2()));
        assertThat(expected).isGreaterThan(0.5);
        assertThat(w.at("/results/p_value").asDouble()).isCloseTo(expected, within(1e-9));
        assertThat(w.at("/results/statistically_significant").asBoolean()).isFalse();
        JsonNode duration = proposal(w, "improvement", "duration");
        assertThat(duration.get("status").asText()).isEqualTo("rejected");
        assertThat(duration.get("decision_note").asText()).startsWith("not significantly better on duration");
        assertThat(count("SELECT count(*) FROM lineage_edges WHERE target_node_id = '" + p.v2()
                + "' AND edge_type = 'IMPROVED_VERSION'")).isZero();
        assertThat(count("SELECT count(*) FROM lineage_events WHERE correlation_id = '" + w.get("workflow_id")
                .asText() + "'")).isZero();
    }

    @Test
    void aSlowerVersionIsARegressionWithARollBackProposalAndNothingApplied() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "slower-" + UUID.randomUUID());
        executions(db, p.pattern(), p.v1(), 60, 80, 25, 1.7, 0);
        executions(db, p.pattern(), p.v2(), 60, 120, 30, 1.3, 0);
        JsonNode w = ended(service, started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}"));
        assertThat(w.get("status").asText()).isEqualTo("completed");
        assertThat(w.at("/results/outcome").asText()).isEqualTo("regression");
        assertThat(w.at("/results/regression").asBoolean()).isTrue();
        assertThat(w.at("/results/performance_delta").asDouble()).isNegative();
        JsonNode rollback = proposal(w, "rollback", "duration");
        assertThat(rollback.get("status").asText()).isEqualTo("proposed");
        assertThat(rollback.get("p_value").asDouble()).isCloseTo(
                FeedbackSeed.welchP(durations(db, p.v1()), durations(db, p.v2())), within(1e-12));
        assertThat(rollback.at("/reasons/0/rule").asText()).isEqualTo("regression");
        assertThat(proposal(w, "improvement", "duration").get("status").asText()).isEqualTo("rejected");
        assertThat(count("SELECT count(*) FROM lineage_edges WHERE target_node_id = '" + p.v2()
                + "' AND edge_type = 'IMPROVED_VERSION'")).isZero();
        assertThat(TestPostgres.strings(db, "SELECT status FROM lineage_nodes WHERE node_id = '" + p.v2() + "'"))
                .containsExactly("active");

        // review: rolling back marks the newer version deprecated, with a lineage event
        Response applied = post(service, "/api/feedback-loop/proposals/" + rollback.get("proposal_id").asText()
                + "/apply");
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        assertThat(TestPostgres.strings(db, "SELECT status FROM lineage_nodes WHERE node_id = '" + p.v2() + "'"))
                .containsExactly("deprecated");
        assertThat(TestPostgres.strings(db, "SELECT event_type FROM lineage_events WHERE correlation_id = '"
                + w.get("workflow_id").asText() + "'")).containsExactly("pattern_deprecated");
    }

    @Test
    void tooFewExecutionsEndAsInsufficientDataWithTheCounts() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "few-" + UUID.randomUUID());
        executions(db, p.pattern(), p.v1(), 12, 100, 10, 1.7, 0);
        executions(db, p.pattern(), p.v2(), 40, 90, 10, 1.3, 0);
        JsonNode w = ended(service, started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}"));
        assertThat(w.get("status").asText()).isEqualTo("insufficient_data");
        assertThat(w.get("error").isNull()).isTrue();
        JsonNode results = w.get("results");
        assertThat(results.get("outcome").asText()).isEqualTo("insufficient_data");
        assertThat(results.get("reason").asText()).contains("fewer than min_sample_size (30)", "version 1 has 12",
                "version 2 has 40");
        assertThat(results.at("/counts/parent/executions").asInt()).isEqualTo(12);
        assertThat(results.at("/counts/child/executions").asInt()).isEqualTo(40);
        assertThat(w.get("stages")).extracting(s -> s.get("stage").asText() + " " + s.get("status").asText())
                .containsExactly("collect completed", "analyze completed", "generate skipped", "validate skipped",
                        "apply skipped", "track completed");
        assertThat(w.get("proposals")).isEmpty();
    }

    @Test
    void confidenceBetweenTheSignificanceLevelAndTheThresholdWaitsForReviewAndAManualApplyWorks() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "middle-" + UUID.randomUUID());
        executions(db, p.pattern(), p.v1(), 40, 100, 28, 1.7, 0);
        executions(db, p.pattern(), p.v2(), 40, 88, 28, 1.3, 0);
        double expected = FeedbackSeed.welchP(durations(db, p.v1()), durations(db, p.v2()));
        assertThat(expected).isBetween(0.01, 0.05);

        JsonNode w = ended(service, started(service, "{\"pattern_id\":\"" + p.pattern()
                + "\",\"auto_apply_threshold\":0.99}"));
        assertThat(w.get("status").asText()).isEqualTo("completed");
        assertThat(w.at("/results/outcome").asText()).isEqualTo("awaiting_review");
        assertThat(w.at("/results/p_value").asDouble()).isCloseTo(expected, within(1e-12));
        assertThat(w.at("/results/improvements_applied").asInt()).isZero();
        JsonNode waiting = proposal(w, "improvement", "duration");
        assertThat(waiting.get("status").asText()).isEqualTo("validated");
        assertThat(waiting.get("decision_note").asText()).contains("waits for review");
        assertThat(count("SELECT count(*) FROM lineage_edges WHERE target_node_id = '" + p.v2()
                + "' AND edge_type = 'IMPROVED_VERSION'")).isZero();

        // listed for review
        Response list = service.get("/api/feedback-loop/proposals?status=validated&pattern_id=" + p.pattern());
        assertThat(list.status()).as(list.body()).isEqualTo(200);
        JsonNode listed = Json.mapper().readTree(list.body());
        assertThat(listed.get("proposals")).extracting(x -> x.get("proposal_id").asText())
                .containsExactly(waiting.get("proposal_id").asText());
        assertThat(listed.at("/proposals/0/test/p_value").asDouble()).isCloseTo(expected, within(1e-12));

        // applied by review: the same edge the apply stage writes, applied_by review
        String proposalId = waiting.get("proposal_id").asText();
        Response applied = post(service, "/api/feedback-loop/proposals/" + proposalId + "/apply");
        assertThat(applied.status()).as(applied.body()).isEqualTo(200);
        JsonNode answer = Json.mapper().readTree(applied.body());
        assertThat(answer.get("already_applied").asBoolean()).isFalse();
        assertThat(answer.at("/proposal/status").asText()).isEqualTo("applied");
        assertThat(answer.at("/proposal/decided_by").asText()).isEqualTo("review");
        JsonNode meta = Json.mapper().readTree(TestPostgres.strings(db, "SELECT metadata::text FROM lineage_edges"
                + " WHERE source_node_id = '" + p.v1() + "' AND target_node_id = '" + p.v2()
                + "' AND edge_type = 'IMPROVED_VERSION'").get(0));
        assertThat(meta.get("p_value").asDouble()).isCloseTo(expected, within(1e-12));
        assertThat(meta.get("applied_by").asText()).isEqualTo("review");
        assertThat(TestPostgres.strings(db, "SELECT event_type FROM lineage_events WHERE correlation_id = '"
                + w.get("workflow_id").asText() + "'")).containsExactly("improvement_applied");

        // again: nothing more; rejecting what was applied is refused
        Response twice = post(service, "/api/feedback-loop/proposals/" + proposalId + "/apply");
        assertThat(twice.status()).isEqualTo(200);
        assertThat(Json.mapper().readTree(twice.body()).get("already_applied").asBoolean()).isTrue();
        assertThat(count("SELECT count(*) FROM lineage_edges WHERE target_node_id = '" + p.v2() + "'"
                + " AND edge_type = 'IMPROVED_VERSION'")).isEqualTo(1);
        Response reject = post(service, "/api/feedback-loop/proposals/" + proposalId + "/reject");
        assertThat(reject.status()).isEqualTo(409);
        assertThat(Json.mapper().readTree(reject.body()).at("/error/code").asText()).isEqualTo("PROPOSAL_DECIDED");
        assertThat(post(service, "/api/feedback-loop/proposals/" + UUID.randomUUID() + "/apply").status())
                .isEqualTo(404);
    }

    @Test
    void everyParameterOutOfRangeIs422NamingItAndAnUnknownPatternIs404() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "params-" + UUID.randomUUID());
        String pattern = "\"pattern_id\":\"" + p.pattern() + "\"";
        String[][] cases = {
                {"time_window_days", "0"}, {"time_window_days", "91"}, {"time_window_days", "7.5"},
                {"time_window_days", "\"7\""},
                {"auto_apply_threshold", "-0.01"}, {"auto_apply_threshold", "1.01"}, {"auto_apply_threshold", "true"},
                {"min_sample_size", "9"}, {"min_sample_size", "-30"},
                {"significance_level", "0.0009"}, {"significance_level", "0.11"}, {"significance_level", "\"x\""},
                {"feedback_type", "\"speed\""}, {"feedback_type", "1"},
                {"enable_ab_testing", "\"yes\""}};
        for (String[] c : cases) {
            Response r = trigger(service, "{" + pattern + ",\"" + c[0] + "\":" + c[1] + "}");
            assertThat(r.status()).as(c[0] + "=" + c[1] + ": " + r.body()).isEqualTo(422);
            JsonNode error = Json.mapper().readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
            assertThat(error.at("/details/field").asText()).as(c[0] + "=" + c[1]).isEqualTo(c[0]);
        }
        // the edges of each range are accepted
        Response edges = trigger(service, "{" + pattern + ",\"time_window_days\":90,\"auto_apply_threshold\":1,"
                + "\"min_sample_size\":10,\"significance_level\":0.001,\"feedback_type\":\"all\","
                + "\"enable_ab_testing\":false}");
        assertThat(edges.status()).as(edges.body()).isEqualTo(202);
        ended(service, UUID.fromString(Json.mapper().readTree(edges.body()).get("workflow_id").asText()));

        Response missing = trigger(service, "{\"time_window_days\":7}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.body()).contains("\"field\":\"pattern_id\"");
        Response badId = trigger(service, "{\"pattern_id\":\"nope\"}");
        assertThat(badId.status()).isEqualTo(422);
        assertThat(badId.body()).contains("\"field\":\"pattern_id\"");
        Response unknown = trigger(service, "{\"pattern_id\":\"" + UUID.randomUUID() + "\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(Json.mapper().readTree(unknown.body()).at("/error/code").asText()).isEqualTo("INVALID_PATTERN_ID");
        Response malformed = trigger(service, "{\"pattern_id\":");
        assertThat(malformed.status()).isEqualTo(400);
        Response notAnObject = trigger(service, "[]");
        assertThat(notAnObject.status()).isEqualTo(400);
        Response form = service.send(HttpRequest.newBuilder(service.uri("/api/feedback-loop/trigger"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("pattern_id=x")));
        assertThat(form.status()).isEqualTo(415);
        assertThat(service.get("/api/feedback-loop/status/" + UUID.randomUUID()).status()).isEqualTo(404);
        assertThat(service.get("/api/feedback-loop/status/nope").status()).isEqualTo(400);
    }

    @Test
    void theStatusListsActiveAndRecentWorkflowsAndTheHealthIsReal() throws Exception {
        Versions p = FeedbackSeed.pattern(service, "status-" + UUID.randomUUID());
        UUID id = started(service, "{\"pattern_id\":\"" + p.pattern() + "\"}");
        ended(service, id);
        JsonNode status = Json.mapper().readTree(service.get("/api/feedback-loop/status?limit=500").body());
        assertThat(status.get("active_workflows").isArray()).isTrue();
        JsonNode mine = null;
        for (JsonNode w : status.get("recent_workflows")) {
            if (w.get("workflow_id").asText().equals(id.toString())) {
                mine = w;
            }
        }
        assertThat(mine).as(status.toString()).isNotNull();
        assertThat(mine.get("status").asText()).isEqualTo("insufficient_data");
        assertThat(mine.get("outcome").asText()).isEqualTo("insufficient_data");
        assertThat(mine.get("pattern_id").asText()).isEqualTo(p.pattern().toString());
        assertThat(status.at("/workers/threads").asInt()).isEqualTo(2);

        Response health = service.get("/api/feedback-loop/health");
        assertThat(health.status()).isEqualTo(200);
        JsonNode h = Json.mapper().readTree(health.body());
        assertThat(h.get("status").asText()).isEqualTo("healthy");
        assertThat(h.at("/components/workflows/workers/threads").asInt()).isEqualTo(2);
        assertThat(h.at("/components/workflows/active_workflows").isNumber()).isTrue();
        assertThat(h.at("/components/workflows/schedule/enabled").asBoolean()).isFalse();
        assertThat(h.at("/components/schema/status").asText()).isEqualTo("healthy");
    }
}
