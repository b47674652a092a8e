package dev.archon.traceability.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.executions.HookExecution;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.support.RouteTestSupport;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route-level tests (camel-test-junit5 for Camel Main) of routes/analytics-api.yaml: the real configuration classes
 * and routes on a real database, through the routes' direct: endpoints, with the clock fixed at
 * {@value #NOW_TEXT}. Every figure of the answers is computed by hand below, from a dataset written out here and
 * stored through the group-commit writer (the statement that maintains the rollup).
 */
class AnalyticsRoutesTest extends RouteTestSupport {

    private static final String NOW_TEXT = "2026-11-18T12:00:00Z"; // a Wednesday, on the hour
    private static final Instant NOW = Instant.parse(NOW_TEXT);
    /** The hand-computed pattern's window: Monday 20:00 to Tuesday 04:00, 8 hourly buckets. */
    private static final Instant START = Instant.parse("2026-11-16T20:00:00Z");
    private static final Instant END = Instant.parse("2026-11-17T04:00:00Z");

    private static String db;
    /** The pattern whose every figure is computed by hand. */
    private static final UUID P = UUID.randomUUID();
    /** Another pattern with an execution in the same window: none of P's figures may include it. */
    private static final UUID Q = UUID.randomUUID();
    /** A pattern with executions in the last hour only (the hourly window's 5-minute buckets). */
    private static final UUID R = UUID.randomUUID();
    /** Patterns for the ranking: ramps up (1 and 2 per 6 hours per 6 hours), down, and flat. */
    private static final UUID GROWING = UUID.randomUUID();
    private static final UUID GROWING_FASTER = UUID.randomUUID();
    private static final UUID DECLINING = UUID.randomUUID();
    private static final UUID FLAT = UUID.randomUUID();
    /** A pattern known only by its lineage node. */
    private static final UUID NODE_ONLY = UUID.randomUUID();

    /**
     * A fixed clock in place of the system one. Configuration classes bind their beans in order, so this one, added
     * right after CoreConfiguration, swaps the clock before any other bean takes it.
     */
    public static final class FixedClock implements CamelConfiguration {
        @BindToRegistry
        public String fixedClock(CamelContext context) {
            context.getRegistry().unbind("clock");
            context.getRegistry().bind("clock", Clock.fixed(NOW, ZoneOffset.UTC));
            return NOW_TEXT;
        }
    }

    @BeforeAll
    static void seed() throws Exception {
        db = TestPostgres.server().createDatabase();
        try (RunningService service = RunningService.onExternal(db, RunningService.props())) {
            List<HookExecution> all = new ArrayList<>(handDataset());
            // outside P's window: just before it, at its (exclusive) end and after; and Q inside it
            all.add(execution(P, Instant.parse("2026-11-16T19:30:00Z"), "success", 1000.0, null, null, null, null,
                    null));
            all.add(execution(P, END, "success", 1000.0, null, null, null, null, null));
            all.add(execution(P, Instant.parse("2026-11-17T05:00:00Z"), "failure", 1000.0, null, null, null, null,
                    null));
            all.add(execution(Q, Instant.parse("2026-11-16T22:00:00Z"), "failure", 5.0, 0.1, false, "api", "x",
                    "y"));
            // R, in the hour before NOW, per 5 minutes: [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3]
            int[] perFiveMinutes = {0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3};
            for (int b = 0; b < perFiveMinutes.length; b++) {
                for (int k = 0; k < perFiveMinutes[b]; k++) {
                    all.add(execution(R, Instant.parse("2026-11-18T11:00:00Z").plusSeconds(300L * b + 10 + k),
                            "success", 3.0, null, null, null, null, null));
                }
            }
            // the weekly window at NOW: 2026-11-11 12:00 to 2026-11-18 12:00, 28 buckets of 6 hours
            Instant weekStart = Instant.parse("2026-11-11T12:00:00Z");
            for (int i = 0; i < 28; i++) {
                Instant bucket = weekStart.plus(Duration.ofHours(6L * i)).plusSeconds(60);
                for (int k = 0; k < i; k++) {
                    all.add(execution(GROWING, bucket.plusSeconds(k), "success", 1.0, null, null, null, null, null));
                }
                for (int k = 0; k < 2 * i; k++) {
                    all.add(execution(GROWING_FASTER, bucket.plusSeconds(k), "success", 1.0, null, null, null, null,
                            null));
                }
                for (int k = 0; k < 27 - i; k++) {
                    all.add(execution(DECLINING, bucket.plusSeconds(k), "success", 1.0, null, null, null, null,
                            null));
                }
                for (int k = 0; k < 2; k++) {
                    all.add(execution(FLAT, bucket.plusSeconds(k), "success", 1.0, null, null, null, null, null));
                }
            }
            GroupCommitWriter writer = service.main().getCamelContext().getRegistry()
                    .findSingleByType(GroupCommitWriter.class);
            for (int i = 0; i < all.size(); i += 1000) {
                writer.submit(List.of(), all.subList(i, Math.min(all.size(), i + 1000))).get(60, TimeUnit.SECONDS);
            }
            TestPostgres.execute(db, "INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_name)"
                    + " VALUES (gen_random_uuid(), '" + NODE_ONLY + "', 1, 'node-only'),"
                    + " (gen_random_uuid(), '" + GROWING + "', 1, 'ramp-v1'),"
                    + " (gen_random_uuid(), '" + GROWING + "', 2, 'ramp')");
        }
    }

    /**
     * P's 24 executions in its window, written out: per hourly bucket [1, 1, 2, 2, 3, 3, 6, 6] (20:00 ... 03:00);
     * durations 10, 20, ..., 200 ms for the first 20 (none for the last 4); quality 0.5 and 1.0 alternately for the
     * first 20; failures at 1, 5, 10, 15 and timeouts at 7, 20; quality gates failed at 2, 9, 17; context api for
     * 0-11, cli for 12-19, none for 20-23; agents coder, reviewer, tester in turn; project archon for 0-19, atlas
     * for 20-23.
     */
    static List<HookExecution> handDataset() {
        int[] bucketOf = {0, 1, 2, 2, 3, 3, 4, 4, 4, 5, 5, 5, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7};
        List<Integer> failures = List.of(1, 5, 10, 15);
        List<Integer> timeouts = List.of(7, 20);
        List<Integer> gateFailures = List.of(2, 9, 17);
        String[] agents = {"coder", "reviewer", "tester"};
        List<HookExecution> out = new ArrayList<>();
        int[] inBucket = new int[8];
        for (int i = 0; i < 24; i++) {
            int b = bucketOf[i];
            // the k-th execution of bucket b at b hours + 5 (k + 1) minutes: the newest is 03:30
            Instant started = START.plus(Duration.ofHours(b)).plus(Duration.ofMinutes(5L * ++inBucket[b]));
            String status = failures.contains(i) ? "failure" : timeouts.contains(i) ? "timeout" : "success";
            out.add(execution(P, started, status, i < 20 ? 10.0 * (i + 1) : null, i < 20 ? (i % 2 == 0 ? 0.5 : 1.0)
                    : null, !gateFailures.contains(i), i < 12 ? "api" : i < 20 ? "cli" : null, agents[i % 3],
                    i < 20 ? "archon" : "atlas"));
        }
        return out;
    }

    private static HookExecution execution(UUID pattern, Instant started, String status, Double durationMs,
                                           Double quality, Boolean gatesPassed, String context, String agent,
                                           String project) {
        return new HookExecution(UUID.randomUUID(), pattern, null, "post_tool_use", "quality-gate", "Edit", status,
                durationMs, quality, null, gatesPassed, context, agent, project, null, null, null, started, null,
                null);
    }

    @Override
    protected String routeFiles() {
        return "file:routes/analytics-api.yaml,file:routes/http.yaml";
    }

    @Override
    protected String database() {
        return db;
    }

    @Override
    protected List<CamelConfiguration> configurations() {
        List<CamelConfiguration> configurations = new ArrayList<>(super.configurations());
        configurations.add(1, new FixedClock());
        return configurations;
    }

    private Exchange pattern(String patternId, Map<String, String> query) {
        return template.request("direct:analytics-pattern", e -> {
            e.getMessage().setHeader("pattern_id", patternId);
            query.forEach(e.getMessage()::setHeader);
        });
    }

    private Exchange trends(Map<String, String> query) {
        return template.request("direct:analytics-trends", e -> query.forEach(e.getMessage()::setHeader));
    }

    @Test
    void everyFigureOfAnExplicitWindowAsComputedByHand() throws Exception {
        JsonNode a = json(pattern(P.toString(), Map.of("start", "2026-11-16T20:00:00Z",
                "end", "2026-11-17T04:00:00Z")));
        assertThat(a.get("pattern_id").asText()).isEqualTo(P.toString());
        JsonNode w = a.get("time_window");
        assertThat(w.get("type").asText()).isEqualTo("custom");
        assertThat(w.get("start").asText()).isEqualTo("2026-11-16T20:00:00Z");
        assertThat(w.get("end").asText()).isEqualTo("2026-11-17T04:00:00Z");
        assertThat(w.get("hours").asLong()).isEqualTo(8);
        assertThat(w.get("aligned_to").asText()).isEqualTo("whole UTC hours");
        assertThat(a.get("total_data_points").asLong()).isEqualTo(24);

        JsonNode usage = a.get("usage_metrics");
        assertThat(usage.get("total_executions").asLong()).isEqualTo(24);
        assertThat(usage.get("executions_per_day").asDouble()).isEqualTo(72.0);    // 24 / (8 / 24 days)
        assertThat(usage.get("executions_per_week").asDouble()).isEqualTo(504.0);  // 24 / (8 / 168 weeks)
        assertThat(usage.get("unique_contexts").asInt()).isEqualTo(2);             // api, cli
        assertThat(usage.get("unique_users").asInt()).isEqualTo(3);                // coder, reviewer, tester
        // Monday 20:00-24:00 holds 1 + 1 + 2 + 2 = 6, Tuesday 00:00-04:00 3 + 3 + 6 + 6 = 18
        assertThat(usage.get("peak_daily_usage").asLong()).isEqualTo(18);
        // the newest execution before the window's end is Tuesday 03:30; now is Wednesday 12:00: 32.5 hours
        assertThat(usage.get("time_since_last_use_hours").asDouble()).isEqualTo(32.5);
        assertThat(usage.get("last_used_at").asText()).isEqualTo("2026-11-17T03:30:00Z");

        JsonNode success = a.get("success_metrics");
        assertThat(success.get("success_count").asLong()).isEqualTo(18);           // 24 - 4 failures - 2 timeouts
        assertThat(success.get("failure_count").asLong()).isEqualTo(4);
        assertThat(success.get("timeout_count").asLong()).isEqualTo(2);
        assertThat(success.get("success_rate").asDouble()).isEqualTo(0.75);        // 18 / 24
        assertThat(success.get("error_rate").asDouble()).isEqualTo(0.25);          // (4 + 2) / 24
        assertThat(success.get("quality_gate_failures").asLong()).isEqualTo(3);
        assertThat(success.get("avg_quality_score").asDouble()).isEqualTo(0.75);   // (10 * 0.5 + 10 * 1.0) / 20

        JsonNode perf = a.get("performance_metrics");
        assertThat(perf.get("percentile_method").asText()).isEqualTo("exact");
        assertThat(perf.get("executions_with_duration").asLong()).isEqualTo(20);
        assertThat(perf.get("avg_ms").asDouble()).isEqualTo(105.0);                // 10 * (1 + ... + 20) / 20
        // 20 sorted values v[0..19] = 10, 20, ..., 200; rank p * 19, interpolated between the closest ranks
        assertThat(perf.get("p50_ms").asDouble()).isEqualTo(105.0);                // 9.5: 100 + 0.5 * 10
        assertThat(perf.get("p95_ms").asDouble()).isEqualTo(190.5);                // 18.05: 190 + 0.05 * 10
        assertThat(perf.get("p99_ms").asDouble()).isEqualTo(198.1);                // 18.81: 190 + 0.81 * 10
        assertThat(perf.get("min_ms").asDouble()).isEqualTo(10.0);
        assertThat(perf.get("max_ms").asDouble()).isEqualTo(200.0);
        // sample variance of 1..n is n(n + 1) / 12 = 35: 10 * sqrt(35) = 59.16079...
        assertThat(perf.get("std_dev_ms").asDouble()).isEqualTo(59.161);

        // per hourly bucket [1, 1, 2, 2, 3, 3, 6, 6]: x̄ = 3.5, ȳ = 3, Sxx = 42, Sxy = 7 + 5 + 1.5 + 0.5 + 0 + 0 +
        // 7.5 + 10.5 = 32: velocity 32 / 42 = 0.7619; halves: slope of [3, 3, 6, 6] (1.2) minus that of [1, 1, 2, 2]
        // (0.4) = 0.8; quarters: (6 + 6 - 1 - 1) / (1 + 1) = 500 %; R² = 32² / (42 * 28) = 0.8707; 24 executions
        // and velocity >= 0.5: GROWING
        JsonNode trend = a.get("trend_analysis");
        assertThat(trend.get("trend_type").asText()).isEqualTo("GROWING");
        assertThat(trend.get("velocity").asDouble()).isEqualTo(0.7619);
        assertThat(trend.get("acceleration").asDouble()).isEqualTo(0.8);
        assertThat(trend.get("growth_percentage").asDouble()).isEqualTo(500.0);
        assertThat(trend.get("confidence_score").asDouble()).isEqualTo(0.8707);
        assertThat(trend.get("bucket_seconds").asLong()).isEqualTo(3600);
        assertThat(trend.get("buckets").asInt()).isEqualTo(8);

        JsonNode dist = a.get("context_distribution");
        assertThat(dist.get("by_context_type").toString()).isEqualTo("{\"api\":12,\"cli\":8}");
        assertThat(dist.get("by_agent").toString()).isEqualTo("{\"coder\":8,\"reviewer\":8,\"tester\":8}");
        assertThat(dist.get("by_project").toString()).isEqualTo("{\"archon\":20,\"atlas\":4}");
        assertThat(dist.get("by_hour").toString()).isEqualTo("{\"0\":3,\"1\":3,\"2\":6,\"3\":6,\"4\":0,\"5\":0,"
                + "\"6\":0,\"7\":0,\"8\":0,\"9\":0,\"10\":0,\"11\":0,\"12\":0,\"13\":0,\"14\":0,\"15\":0,\"16\":0,"
                + "\"17\":0,\"18\":0,\"19\":0,\"20\":1,\"21\":1,\"22\":2,\"23\":2}");
        assertThat(dist.get("by_weekday").toString()).isEqualTo("{\"monday\":6,\"tuesday\":18,\"wednesday\":0,"
                + "\"thursday\":0,\"friday\":0,\"saturday\":0,\"sunday\":0}");
        assertThat(a.get("computed_at").asText()).isEqualTo(NOW_TEXT);
    }

    @Test
    void theHourlyWindowsTrendComesFromFiveMinuteBuckets() throws Exception {
        JsonNode a = json(pattern(R.toString(), Map.of("time_window", "hourly")));
        assertThat(a.at("/time_window/start").asText()).isEqualTo("2026-11-18T11:00:00Z");
        assertThat(a.at("/time_window/end").asText()).isEqualTo(NOW_TEXT);
        assertThat(a.at("/usage_metrics/total_executions").asLong()).isEqualTo(12);
        assertThat(a.at("/usage_metrics/executions_per_day").asDouble()).isEqualTo(288.0); // 12 / (1 / 24)
        // [0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 3, 3]: x̄ = 5.5, Sxx = 143, Σxy = 6 + 7 + 16 + 18 + 30 + 33 = 110,
        // Sxy = 110 - 5.5 * 12 = 44: velocity 44 / 143 = 0.3077, STABLE; second half [1, 1, 2, 2, 3, 3]:
        // Sxy = 2.5 + 1.5 + 0 + 0 + 1.5 + 2.5 = 8, Sxx = 17.5: 0.4571, first half flat: acceleration 0.4571;
        // first quarter empty: no growth; Syy = 28 - 144 / 12 = 16, R² = 44² / (143 * 16) = 0.8462
        JsonNode trend = a.get("trend_analysis");
        assertThat(trend.get("trend_type").asText()).isEqualTo("STABLE");
        assertThat(trend.get("velocity").asDouble()).isEqualTo(0.3077);
        assertThat(trend.get("acceleration").asDouble()).isEqualTo(0.4571);
        assertThat(trend.get("growth_percentage").isNull()).isTrue();
        assertThat(trend.get("confidence_score").asDouble()).isEqualTo(0.8462);
        assertThat(trend.get("bucket_seconds").asLong()).isEqualTo(300);
        assertThat(trend.get("buckets").asInt()).isEqualTo(12);
        assertThat(a.at("/usage_metrics/time_since_last_use_hours").asDouble()).isEqualTo(0.08); // 11:55:12 -> 12:00
        assertThat(a.at("/performance_metrics/p99_ms").asDouble()).isEqualTo(3.0);
    }

    @Test
    void aPatternKnownOnlyByItsLineageAnswersZerosAndAnUnknownOne404() throws Exception {
        JsonNode a = json(pattern(NODE_ONLY.toString(), Map.of("time_window", "monthly")));
        assertThat(a.at("/usage_metrics/total_executions").asLong()).isZero();
        assertThat(a.at("/usage_metrics/time_since_last_use_hours").isNull()).isTrue();
        assertThat(a.at("/success_metrics/success_rate").isNull()).isTrue();
        assertThat(a.at("/performance_metrics/p50_ms").isNull()).isTrue();
        assertThat(a.at("/performance_metrics/percentile_method").isNull()).isTrue();
        assertThat(a.at("/trend_analysis/trend_type").asText()).isEqualTo("EMERGING");
        assertThat(a.at("/time_window/type").asText()).isEqualTo("monthly");
        assertThat(a.at("/time_window/start").asText()).isEqualTo("2026-10-19T12:00:00Z");

        Exchange unknown = pattern(UUID.randomUUID().toString(), Map.of());
        assertThat(unknown.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
        assertThat(json(unknown).at("/error/code").asText()).isEqualTo("INVALID_PATTERN_ID");
        assertThat(json(unknown).at("/error/details/field").asText()).isEqualTo("pattern_id");
    }

    @Test
    void theDefaultWindowIsWeeklyAndAllTimeStartsAtTheFirstExecution() throws Exception {
        JsonNode weekly = json(pattern(P.toString(), Map.of()));
        assertThat(weekly.at("/time_window/type").asText()).isEqualTo("weekly");
        assertThat(weekly.at("/time_window/start").asText()).isEqualTo("2026-11-11T12:00:00Z");
        // P's 24 + the three around its explicit window
        assertThat(weekly.at("/usage_metrics/total_executions").asLong()).isEqualTo(27);
        // read from the daily rows (Monday and Tuesday are whole days of the window): the three others have no
        // context, agent or project; they ran at 19:30, 04:00 and 05:00
        JsonNode dist = weekly.get("context_distribution");
        assertThat(dist.get("by_context_type").toString()).isEqualTo("{\"api\":12,\"cli\":8}");
        assertThat(dist.get("by_agent").toString()).isEqualTo("{\"coder\":8,\"reviewer\":8,\"tester\":8}");
        assertThat(dist.get("by_project").toString()).isEqualTo("{\"archon\":20,\"atlas\":4}");
        assertThat(dist.at("/by_hour/19").asLong()).isEqualTo(1);
        assertThat(dist.at("/by_hour/4").asLong()).isEqualTo(1);
        assertThat(dist.at("/by_weekday/monday").asLong()).isEqualTo(7);
        assertThat(dist.at("/by_weekday/tuesday").asLong()).isEqualTo(20);
        assertThat(weekly.at("/usage_metrics/peak_daily_usage").asLong()).isEqualTo(20);
        // the 10 ms ... 200 ms and three of 1000 ms: 23 durations, p50 at rank 11: 120 ms
        assertThat(weekly.at("/performance_metrics/p50_ms").asDouble()).isEqualTo(120.0);
        assertThat(weekly.at("/performance_metrics/max_ms").asDouble()).isEqualTo(1000.0);

        JsonNode all = json(pattern(P.toString(), Map.of("time_window", "all_time")));
        // first execution 2026-11-16 19:30: 19:00 -> 12:00 on the 18th, 41 hours, buckets of 2 hours, 21 of them
        assertThat(all.at("/time_window/start").asText()).isEqualTo("2026-11-16T18:00:00Z");
        assertThat(all.at("/time_window/end").asText()).isEqualTo(NOW_TEXT);
        assertThat(all.at("/trend_analysis/bucket_seconds").asLong()).isEqualTo(7200);
        assertThat(all.at("/usage_metrics/total_executions").asLong()).isEqualTo(27);
    }

    @Test
    void badParametersAnswer400NamingTheParameterAndWhatItAccepts() throws Exception {
        assertBad(pattern("nope", Map.of()), "pattern_id", "not a UUID");
        assertBad(pattern(P.toString(), Map.of("time_window", "fortnightly")), "time_window",
                "expected one of hourly, daily, weekly, monthly, quarterly, yearly, all_time");
        assertBad(pattern(P.toString(), Map.of("start", "yesterday", "end", "2026-11-17T00:00:00Z")), "start",
                "ISO-8601");
        assertBad(pattern(P.toString(), Map.of("start", "2026-11-16T00:00:00Z", "end", "2026-11-17")), "end",
                "ISO-8601");
        assertBad(pattern(P.toString(), Map.of("start", "2026-11-16T00:00:00Z")), "end", "is required with start");
        assertBad(pattern(P.toString(), Map.of("end", "2026-11-16T00:00:00Z")), "start", "is required with end");
        assertBad(pattern(P.toString(), Map.of("start", "2026-11-17T00:00:00Z", "end", "2026-11-17T00:00:00Z")),
                "start", "must be before end");
        assertBad(pattern(P.toString(), Map.of("start", "2026-11-16T00:00:00Z", "end", "2026-11-17T00:00:00Z",
                "time_window", "daily")), "time_window", "not both");
        assertBad(pattern(P.toString(), Map.of("start", "1969-12-31T00:00:00Z", "end", "2026-11-17T00:00:00Z")),
                "start", "between 1970");
        assertBad(trends(Map.of("time_window", "hourly")), "time_window",
                "expected one of daily, weekly, monthly, quarterly, yearly");
        assertBad(trends(Map.of("limit", "0")), "limit", "from 1 to 100");
        assertBad(trends(Map.of("limit", "ten")), "limit", "whole number");
        assertBad(trends(Map.of("min_executions", "-1")), "min_executions", "from 1");
    }

    private static void assertBad(Exchange e, String field, String reason) throws Exception {
        assertThat(e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        JsonNode error = json(e).get("error");
        assertThat(error.get("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(error.at("/details/field").asText()).isEqualTo(field);
        assertThat(error.get("message").asText()).contains(reason);
    }

    @Test
    void trendsRankGrowingAndDecliningPatternsFromTheRollup() throws Exception {
        JsonNode t = json(trends(Map.of()));
        assertThat(t.at("/time_window/type").asText()).isEqualTo("weekly");
        assertThat(t.at("/time_window/start").asText()).isEqualTo("2026-11-11T12:00:00Z");
        assertThat(t.at("/time_window/bucket_seconds").asLong()).isEqualTo(21600);
        assertThat(t.at("/time_window/buckets").asInt()).isEqualTo(28);
        // at least 10 executions this week: P (27), R (12), the two ramps up, the ramp down and the flat one
        assertThat(t.get("patterns_considered").asInt()).isEqualTo(6);

        // 2i per bucket: slope 2; i per bucket: slope 1, R² 1, quarters of 7 buckets: 0 + ... + 6 = 21 against
        // 21 + ... + 27 = 168: (168 - 21) / 21 = 700 %
        JsonNode growing = t.get("growing");
        assertThat(growing).hasSize(2);
        assertThat(growing.get(0).get("pattern_id").asText()).isEqualTo(GROWING_FASTER.toString());
        assertThat(growing.get(0).get("velocity").asDouble()).isEqualTo(2.0);
        assertThat(growing.get(0).get("total_executions").asLong()).isEqualTo(756); // 2 * (0 + ... + 27)
        assertThat(growing.get(1).get("pattern_id").asText()).isEqualTo(GROWING.toString());
        assertThat(growing.get(1).get("pattern_name").asText()).isEqualTo("ramp");  // the newest version's name
        assertThat(growing.get(1).get("trend_type").asText()).isEqualTo("GROWING");
        assertThat(growing.get(1).get("velocity").asDouble()).isEqualTo(1.0);
        assertThat(growing.get(1).get("acceleration").asDouble()).isEqualTo(0.0);
        assertThat(growing.get(1).get("growth_percentage").asDouble()).isEqualTo(700.0);
        assertThat(growing.get(1).get("confidence_score").asDouble()).isEqualTo(1.0);
        assertThat(growing.get(1).get("total_executions").asLong()).isEqualTo(378);

        // 27 - i per bucket: slope -1, quarters 168 against 21: -87.5 %
        JsonNode declining = t.get("declining");
        assertThat(declining).hasSize(1);
        assertThat(declining.get(0).get("pattern_id").asText()).isEqualTo(DECLINING.toString());
        assertThat(declining.get(0).get("trend_type").asText()).isEqualTo("DECLINING");
        assertThat(declining.get(0).get("velocity").asDouble()).isEqualTo(-1.0);
        assertThat(declining.get(0).get("growth_percentage").asDouble()).isEqualTo(-87.5);

        // the same trend as the pattern's own analytics over the same window
        JsonNode own = json(pattern(GROWING_FASTER.toString(), Map.of("time_window", "weekly")));
        assertThat(own.at("/trend_analysis/velocity").asDouble()).isEqualTo(2.0);

        JsonNode limited = json(trends(Map.of("limit", "1", "min_executions", "400")));
        assertThat(limited.get("patterns_considered").asInt()).isEqualTo(1);
        assertThat(limited.get("growing")).hasSize(1);
        assertThat(limited.at("/growing/0/pattern_id").asText()).isEqualTo(GROWING_FASTER.toString());
        assertThat(limited.get("declining")).isEmpty();
    }
}
