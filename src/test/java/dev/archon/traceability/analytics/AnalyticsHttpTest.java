package dev.archon.traceability.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Analytics over real HTTP on the real service: the computation metric before and after traffic, the cache and its
 * invalidation by new executions, histogram percentiles against exact ones on a larger random dataset, errors with
 * the envelope, the health endpoint and the OpenAPI document.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AnalyticsHttpTest {

    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        // no health-check job: a test below renames a rollup table for a moment, which would fail a run of it
        service = RunningService.onExternal(db, RunningService.props("traceability.jobs.health-check.enabled",
                "false"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    @Order(1)
    void theComputationMetricIsExportedWithZeroBeforeTrafficAndCountsEachUncachedComputation() throws Exception {
        String before = service.get("/observe/metrics").body();
        assertThat(before).contains("# TYPE analytics_computation_duration_seconds histogram");
        assertThat(metric(before, "analytics_computation_duration_seconds_count")).isEqualTo(0);
        for (String le : List.of("0.05", "0.5", "1.0")) {
            assertThat(metric(before, "analytics_computation_duration_seconds_bucket{le=\"" + le + "\"}"))
                    .isEqualTo(0);
        }

        UUID pattern = UUID.randomUUID();
        post("/api/executions", execution(pattern, Instant.now(), 12.5));
        assertThat(get("/api/analytics/pattern/" + pattern).status()).isEqualTo(200);
        assertThat(get("/api/analytics/pattern/" + pattern).status()).isEqualTo(200); // cached: not computed again
        assertThat(get("/api/analytics/trends").status()).isEqualTo(200);             // never cached

        String after = service.get("/observe/metrics").body();
        assertThat(metric(after, "analytics_computation_duration_seconds_count")).isEqualTo(2);
        assertThat(metric(after, "analytics_computation_duration_seconds_bucket{le=\"10.0\"}")).isEqualTo(2);
    }

    @Test
    @Order(2)
    void newExecutionsShowAtOnceAlthoughTheAnswerIsCached() throws Exception {
        UUID pattern = UUID.randomUUID();
        Instant now = Instant.now();
        post("/api/executions", "[" + execution(pattern, now.minusSeconds(60), 10.0) + ","
                + execution(pattern, now.minusSeconds(30), 20.0) + "]");
        JsonNode first = json(get("/api/analytics/pattern/" + pattern + "?time_window=daily"));
        assertThat(first.at("/usage_metrics/total_executions").asLong()).isEqualTo(2);
        // the same request again is the cached answer: computed at the same instant
        JsonNode cached = json(get("/api/analytics/pattern/" + pattern + "?time_window=daily"));
        assertThat(cached.get("computed_at").asText()).isEqualTo(first.get("computed_at").asText());
        JsonNode hits = json(get("/api/analytics/health")).at("/components/cache");
        assertThat(hits.get("hits").asLong()).isPositive();
        assertThat(hits.get("entries").asLong()).isPositive();

        // a new execution of the pattern commits: the next answer has it, on this instance at once
        String third = execution(pattern, now, 30.0);
        post("/api/executions", third);
        JsonNode fresh = json(get("/api/analytics/pattern/" + pattern + "?time_window=daily"));
        assertThat(fresh.at("/usage_metrics/total_executions").asLong()).isEqualTo(3);
        assertThat(fresh.at("/performance_metrics/p50_ms").asDouble()).isEqualTo(20.0);
        // and one through a pattern_applied event too
        post("/api/lineage/track", "{\"event_type\":\"pattern_applied\",\"pattern_id\":\"" + pattern
                + "\",\"execution\":{\"status\":\"failure\",\"duration_ms\":40}}");
        JsonNode applied = json(get("/api/analytics/pattern/" + pattern + "?time_window=daily"));
        assertThat(applied.at("/usage_metrics/total_executions").asLong()).isEqualTo(4);
        assertThat(applied.at("/success_metrics/failure_count").asLong()).isEqualTo(1);

        // a duplicate stores nothing, and another pattern's executions are another pattern's: the answer stays cached
        String again = applied.get("computed_at").asText();
        post("/api/executions", third);
        post("/api/executions", execution(UUID.randomUUID(), now, 1.0));
        assertThat(json(get("/api/analytics/pattern/" + pattern + "?time_window=daily")).get("computed_at").asText())
                .isEqualTo(again);
    }

    @Test
    @Order(3)
    void histogramPercentilesAreWithinOnePercentOfExactOnesOnALargerRandomDataset() throws Exception {
        // 60,000 executions over the last 29 days (daily and hourly histogram rows both read), durations log-normal
        // around 40 ms with a long tail, some under a millisecond, some without a duration; inserted by SQL and rolled
        // up the way the migration does it
        UUID pattern = UUID.randomUUID();
        TestPostgres.execute(db, "INSERT INTO hook_executions (execution_id, pattern_id, status, duration_ms,"
                + " quality_score, started_at)"
                + " SELECT gen_random_uuid(), '" + pattern + "', (ARRAY['success', 'failure', 'timeout'])[1 + i % 3],"
                + " CASE WHEN i % 50 = 0 THEN NULL WHEN i % 97 = 0 THEN random() ELSE"
                + " exp(ln(40) + 1.3 * sqrt(-2 * ln(1 - random())) * cos(2 * pi() * random())) END,"
                + " random(), now() - random() * interval '29 days'"
                + " FROM generate_series(1, 60000) i");
        // inserted around the service (the newest of them, of another pattern, a minute ahead): the health check
        // sees the rollup lag behind; the rebuild repairs it
        TestPostgres.execute(db, "INSERT INTO hook_executions (execution_id, pattern_id, status, started_at)"
                + " VALUES (gen_random_uuid(), gen_random_uuid(), 'success', now() + interval '1 minute')");
        JsonNode lagging = json(get("/api/analytics/health"));
        assertThat(lagging.get("status").asText()).isEqualTo("degraded");
        assertThat(lagging.at("/components/rollup/status").asText()).isEqualTo("degraded");
        TestPostgres.execute(db, "SELECT rebuild_execution_rollups()");
        assertThat(json(get("/api/analytics/health")).at("/components/rollup/lag_seconds").asDouble()).isZero();

        for (String window : List.of("monthly", "quarterly")) {
            JsonNode a = json(get("/api/analytics/pattern/" + pattern + "?time_window=" + window));
            JsonNode perf = a.get("performance_metrics");
            assertThat(perf.get("percentile_method").asText()).isEqualTo("histogram");
            String exact = TestPostgres.strings(db, "SELECT array_to_string(percentile_cont(ARRAY[0.5, 0.95, 0.99])"
                    + " WITHIN GROUP (ORDER BY duration_ms), ' ') || ' ' || avg(duration_ms) || ' '"
                    + " || stddev_samp(duration_ms) || ' ' || min(duration_ms) || ' ' || max(duration_ms)"
                    + " FROM hook_executions WHERE pattern_id = '" + pattern + "'").get(0);
            double[] e = java.util.Arrays.stream(exact.split(" ")).mapToDouble(Double::parseDouble).toArray();
            assertWithinOnePercent(perf.get("p50_ms").asDouble(), e[0]);
            assertWithinOnePercent(perf.get("p95_ms").asDouble(), e[1]);
            assertWithinOnePercent(perf.get("p99_ms").asDouble(), e[2]);
            // the moments come from the rollup's sums: exact to the rounding of the answer
            assertThat(perf.get("avg_ms").asDouble()).isCloseTo(e[3], org.assertj.core.data.Offset.offset(0.0006));
            assertThat(perf.get("std_dev_ms").asDouble()).isCloseTo(e[4], org.assertj.core.data.Offset.offset(0.0006));
            assertThat(perf.get("min_ms").asDouble()).isCloseTo(e[5], org.assertj.core.data.Offset.offset(0.0006));
            assertThat(perf.get("max_ms").asDouble()).isCloseTo(e[6], org.assertj.core.data.Offset.offset(0.0006));
            assertThat(a.at("/usage_metrics/total_executions").asLong()).isEqualTo(60_000);
        }
        // the same window read exactly (a threshold above its executions) gives percentile_cont to the digit
        try (RunningService exact = RunningService.onExternal(db, RunningService.props(
                "traceability.analytics.exact-percentiles-max-executions", "100000"))) {
            JsonNode perf = json(exact.get("/api/analytics/pattern/" + pattern + "?time_window=monthly"))
                    .get("performance_metrics");
            assertThat(perf.get("percentile_method").asText()).isEqualTo("exact");
            String p50 = TestPostgres.strings(db, "SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY"
                    + " duration_ms)::numeric, 3) FROM hook_executions WHERE pattern_id = '" + pattern + "'").get(0);
            assertThat(perf.get("p50_ms").asDouble()).isEqualTo(Double.parseDouble(p50));
        }
    }

    private static void assertWithinOnePercent(double fromHistogram, double exact) {
        // the answer is rounded to 0.001 ms
        assertThat(Math.abs(fromHistogram - exact)).as("%s against exact %s", fromHistogram, exact)
                .isLessThanOrEqualTo(0.01 * exact + 0.0005);
    }

    @Test
    @Order(4)
    void errorsAnswerTheEnvelopeOverHttp() throws Exception {
        Response bad = get("/api/analytics/pattern/not-a-uuid");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.contentType()).startsWith("application/json");
        JsonNode error = Json.mapper().readTree(bad.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(error.at("/details/field").asText()).isEqualTo("pattern_id");
        assertThat(error.get("correlation_id").asText()).isEqualTo(bad.header("X-Correlation-ID"));

        Response window = get("/api/analytics/pattern/" + UUID.randomUUID() + "?time_window=decade");
        assertThat(window.status()).isEqualTo(400);
        assertThat(window.body()).contains("\"field\":\"time_window\"", "hourly, daily, weekly, monthly, quarterly,"
                + " yearly, all_time");
        Response order = get("/api/analytics/pattern/" + UUID.randomUUID()
                + "?start=2026-11-02T00:00:00Z&end=2026-11-01T00:00:00Z");
        assertThat(order.status()).isEqualTo(400);
        assertThat(order.body()).contains("\"field\":\"start\"", "must be before end");
        Response date = get("/api/analytics/pattern/" + UUID.randomUUID() + "?start=2026-13-01&end=2026-11-01T00:00:00Z");
        assertThat(date.status()).isEqualTo(400);
        assertThat(date.body()).contains("\"field\":\"start\"");

        Response unknown = get("/api/analytics/pattern/" + UUID.randomUUID());
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"code\":\"INVALID_PATTERN_ID\"", "no executions and no lineage node");

        Response limit = get("/api/analytics/trends?limit=1000");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(limit.body()).contains("\"field\":\"limit\"", "from 1 to 100");
        assertThat(service.send(HttpRequest.newBuilder(service.uri("/api/analytics/trends"))
                .POST(HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(405);
    }

    @Test
    @Order(5)
    void healthReportsTheRealComponents() throws Exception {
        Response r = get("/api/analytics/health");
        assertThat(r.status()).isEqualTo(200);
        JsonNode h = Json.mapper().readTree(r.body());
        assertThat(h.get("status").asText()).isEqualTo("healthy");
        assertThat(h.get("service").asText()).isEqualTo("analytics");
        JsonNode c = h.get("components");
        assertThat(c.at("/database/status").asText()).isEqualTo("healthy");
        assertThat(c.at("/database/latency_ms").asDouble()).isPositive();
        assertThat(c.at("/schema/objects").toString()).contains("hook_executions", "execution_rollup_hourly",
                "execution_rollup_latency_daily", "execution_rollup_values_hourly",
                "execution_rollup_values_daily");
        assertThat(c.at("/rollup/status").asText()).isEqualTo("healthy");
        assertThat(c.at("/rollup/lag_seconds").asDouble()).isZero();
        assertThat(c.at("/rollup/query_ms").asDouble()).isPositive();
        assertThat(c.at("/rollup/newest_rollup_hour").asText()).endsWith(":00:00Z");
        assertThat(c.at("/cache/ttl_seconds").asLong()).isEqualTo(300);
        assertThat(c.at("/cache/hit_rate").asDouble()).isBetween(0.0, 1.0);
        assertThat(c.at("/computations/count").asLong()).isPositive();

        // a rollup table dropped by hand: unhealthy, naming it
        TestPostgres.execute(db, "ALTER TABLE execution_rollup_values_hourly RENAME TO parked_values");
        try {
            Response missing = get("/api/analytics/health");
            assertThat(missing.status()).isEqualTo(503);
            assertThat(missing.body()).contains("\"missing\":[\"execution_rollup_values_hourly\"]");
        } finally {
            TestPostgres.execute(db, "ALTER TABLE parked_values RENAME TO execution_rollup_values_hourly");
        }
        // the rest of /health is as before: the rollup is not a contract table
        assertThat(get("/health").body()).startsWith("{\"status\":\"healthy\"");
    }

    @Test
    @Order(6)
    void theOpenApiDocumentDescribesTheEndpoints() throws Exception {
        JsonNode doc = json(get("/api/openapi.json"));
        JsonNode pattern = doc.at("/paths/~1api~1analytics~1pattern~1{pattern_id}/get");
        assertThat(pattern.isMissingNode()).isFalse();
        assertThat(pattern.toString()).contains("time_window", "start", "end", "all_time", "INVALID_PATTERN_ID");
        JsonNode trends = doc.at("/paths/~1api~1analytics~1trends/get");
        assertThat(trends.toString()).contains("min_executions", "limit", "growing");
    }

    private static Response get(String path) {
        return service.get(path);
    }

    private static void post(String path, String json) {
        Response r = service.send(HttpRequest.newBuilder(service.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }

    private static JsonNode json(Response r) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private static String execution(UUID pattern, Instant started, double durationMs) {
        return "{\"execution_id\":\"" + UUID.randomUUID() + "\",\"pattern_id\":\"" + pattern
                + "\",\"status\":\"success\",\"duration_ms\":" + durationMs + ",\"started_at\":\""
                + started.truncatedTo(ChronoUnit.MILLIS) + "\"}";
    }

    /** The value of one sample line of the Prometheus text. */
    private static double metric(String text, String sample) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(sample) + " (\\S+)$").matcher(text);
        assertThat(m.find()).as(sample + " in the metrics").isTrue();
        return Double.parseDouble(m.group(1));
    }
}
