package dev.archon.traceability.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring kit against the real service: the alert rules pass promtool's checks and unit tests, every
 * expression of the Grafana dashboard parses, and every metric the rules and the dashboard name is exported by the
 * service, from the first scrape (at zero) and counting after traffic. promtool comes with Debian's package
 * prometheus, which .ci/run installs; without it the promtool tests are skipped, saying so.
 */
class ObservabilityTest {

    private static final Path RULES = Path.of("ops/prometheus/phase4_alerts.yml");
    private static final Path RULE_TESTS = Path.of("ops/prometheus/phase4_alerts_test.yml");
    private static final Path DASHBOARD = Path.of("ops/grafana/phase4-dashboard.json");
    /** Words of PromQL that are not metric names. */
    private static final Set<String> PROMQL = Set.of("sum", "by", "without", "rate", "increase", "deriv",
            "histogram_quantile", "time", "and", "or", "unless", "on", "ignoring", "group_left", "group_right", "avg",
            "max", "min", "count", "offset", "bool", "humanizePercentage", "humanizeDuration", "inf", "nan");

    private static RunningService service;
    private static String beforeTraffic;
    private static String observeBeforeTraffic;

    @BeforeAll
    static void start() {
        service = RunningService.onExternal(TestPostgres.server().createDatabase(), RunningService.props());
        beforeTraffic = service.get("/metrics").body();
        observeBeforeTraffic = service.get("/observe/metrics").body();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void promtoolChecksAndUnitTestsTheAlertRules() throws Exception {
        assumeTrue(promtool(), "promtool not installed (Debian package prometheus): alert rules not checked");
        assertThat(run("promtool", "check", "rules", RULES.toString())).contains("SUCCESS: 14 rules found");
        assertThat(run("promtool", "test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
    }

    @Test
    void everyDashboardExpressionParses(@TempDir Path dir) throws Exception {
        assumeTrue(promtool(), "promtool not installed (Debian package prometheus): dashboard not checked");
        StringBuilder rules = new StringBuilder("groups:\n  - name: dashboard\n    rules:\n");
        List<String> exprs = dashboardExpressions();
        for (int i = 0; i < exprs.size(); i++) {
            rules.append("      - record: dashboard:panel_expression_").append(i).append("\n        expr: '")
                    .append(exprs.get(i).replace("'", "''")).append("'\n");
        }
        Path file = dir.resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        assertThat(run("promtool", "check", "rules", file.toString()))
                .contains("SUCCESS: " + exprs.size() + " rules found");
        assertThat(exprs).hasSizeGreaterThanOrEqualTo(13);
    }

    @Test
    void everyMetricTheRulesAndTheDashboardNameIsExportedFromTheFirstScrape() throws Exception {
        Set<String> exported = exportedNames(beforeTraffic);
        Set<String> named = new TreeSet<>();
        dashboardExpressions().forEach(e -> named.addAll(metricNames(e)));
        Matcher expr = Pattern.compile("expr: (.+)").matcher(Files.readString(RULES));
        while (expr.find()) {
            named.addAll(metricNames(expr.group(1)));
        }
        named.remove("up"); // written by Prometheus itself for each scrape target
        assertThat(named).contains("lineage_insert_duration_seconds_bucket", "analytics_computation_duration_seconds_bucket",
                "feedback_loop_total", "db_pool_connections_available");
        assertThat(exported).containsAll(named);
    }

    @Test
    void noSeriesCarriesALabelPrometheusSetsItself() {
        // a scrape adds job (the scrape config's job name) and instance to every series and renames a label of the
        // same name the target exports to exported_job / exported_instance: alerts and panels would read the wrong one
        assertThat(beforeTraffic.lines().filter(l -> !l.startsWith("#"))
                .filter(l -> l.matches(".*[{,](job|instance)=\".*"))).isEmpty();
        assertThat(beforeTraffic).contains("maintenance_job_runs_total{job_name=\"backup\",outcome=\"failed\"} 0.0");
    }

    @Test
    void theRunbooksSeriesExistAtZeroThenCount() throws Exception {
        assertThat(beforeTraffic)
                .contains("lineage_insert_duration_seconds_bucket{le=\"0.05\"} 0")
                .contains("lineage_insert_duration_seconds_bucket{le=\"0.5\"} 0")
                .contains("lineage_insert_duration_seconds_bucket{le=\"1.0\"} 0")
                .contains("lineage_operations_total{operation=\"created\"} 0.0")
                .contains("analytics_computation_duration_seconds_bucket{le=\"0.5\"} 0")
                .contains("feedback_loop_total 0.0", "feedback_loop_success_total 0.0")
                .contains("maintenance_job_runs_total{job_name=\"backup\",outcome=\"failed\"} 0.0")
                .contains("routes_not_started 0.0");
        assertThat(beforeTraffic).containsPattern("db_pool_connections_available\\{service=\"phase4\"\\} [1-9]");

        Response stored = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"event_type\":\"pattern_created\",\"pattern_name\":\"observed-" + System.nanoTime()
                                + "\"}")));
        assertThat(stored.status()).isEqualTo(201);
        String after = service.get("/metrics").body();
        // at least: the other tests of this class send events too, in an order JUnit chooses
        assertThat(after).containsPattern("lineage_operations_total\\{operation=\"created\"} [1-9]")
                .containsPattern("lineage_insert_duration_seconds_count [1-9]")
                .containsPattern("ingest_items_total\\{kind=\"lineage\",outcome=\"stored\",transport=\"http\"} [1-9]");
        // the same registry at Camel's path
        assertThat(service.get("/observe/metrics").body())
                .containsPattern("lineage_operations_total\\{operation=\"created\"} [1-9]");
    }

    /**
     * Issue 11's list, name and label by name and label, on both paths: at zero before any traffic (a gauge of the
     * pool: its free connections), and counting after real traffic of each kind (an event over HTTP, an analytics
     * query, a feedback-loop workflow, a job run); Camel's per-route exchanges, failures and processing time and the
     * JVM's metrics beside them.
     */
    @Test
    void everyContractSeriesWithItsLabelsIsAtZeroBeforeTrafficAndCountsAfter() throws Exception {
        for (String scrape : List.of(beforeTraffic, observeBeforeTraffic)) {
            for (String histogram : List.of("lineage_insert_duration_seconds_bucket{",
                    "analytics_computation_duration_seconds_bucket{",
                    "feedback_loop_workflow_duration_seconds_bucket{stage=\"collect\",")) {
                for (String le : List.of("0.05", "0.5", "1.0")) {
                    assertThat(scrape).contains(histogram + "le=\"" + le + "\"} 0\n");
                }
            }
            for (String operation : List.of("created", "modified", "forked", "merged", "deprecated", "applied")) {
                assertThat(scrape).contains("lineage_operations_total{operation=\"" + operation + "\"} 0.0\n");
            }
            for (String stage : List.of("collect", "analyze", "generate", "validate", "apply", "track", "workflow")) {
                assertThat(scrape).contains("feedback_loop_workflow_duration_seconds_count{stage=\"" + stage + "\"} 0\n");
            }
            assertThat(scrape).contains("feedback_loop_total 0.0\n", "feedback_loop_success_total 0.0\n",
                    "maintenance_job_runs_total{job_name=\"feedback-loop\",outcome=\"failed\"} 0.0\n",
                    "ingest_inbox_files{inbox=\"lineage\"} 0.0\n", "routes_not_started 0.0\n", "jvm_memory_used_bytes{",
                    "jvm_gc_pause_seconds", "jvm_threads_live_threads ", "process_cpu_usage ");
            assertThat(scrape).containsPattern("db_pool_connections_available\\{service=\"phase4\"\\} [1-9]");
            assertThat(series(scrape, "camel_exchanges_total", "track-event")).isEqualTo(0.0);
            assertThat(series(scrape, "camel_exchanges_failed_total", "track-event")).isEqualTo(0.0);
        }

        Response tracked = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"event_type\":\"pattern_created\",\"pattern_name\":\"counted-" + System.nanoTime()
                                + "\"}")));
        assertThat(tracked.status()).as(tracked.body()).isEqualTo(201);
        String pattern = Json.mapper().readTree(tracked.body()).get("pattern_id").asText();
        Response forked = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"event_type\":\"pattern_forked\",\"pattern_name\":\"fork-" + System.nanoTime()
                                + "\",\"parent_pattern_ids\":[\"" + pattern + "\"]}")));
        assertThat(forked.status()).as(forked.body()).isEqualTo(201);
        assertThat(service.get("/api/analytics/pattern/" + pattern).status()).isEqualTo(200);
        Response triggered = service.send(HttpRequest.newBuilder(service.uri("/api/feedback-loop/trigger"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                        "{\"pattern_id\":\"" + pattern + "\"}")));
        assertThat(triggered.status()).as(triggered.body()).isEqualTo(202);
        Response job = service.send(HttpRequest.newBuilder(service.uri("/api/admin/jobs/health-check/run"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(job.status()).as(job.body()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String now = service.get("/metrics").body();
            return now.contains("feedback_loop_total 1.0") && now.contains(
                    "maintenance_job_runs_total{job_name=\"health-check\",outcome=\"succeeded\"} 1.0");
        });

        for (String scrape : List.of(service.get("/metrics").body(), service.get("/observe/metrics").body())) {
            assertThat(scrape).contains("lineage_operations_total{operation=\"forked\"} 1.0\n",
                    "feedback_loop_total 1.0\n", "feedback_loop_success_total 1.0\n",
                    "feedback_loop_workflow_duration_seconds_count{stage=\"collect\"} 1\n",
                    "feedback_loop_workflow_duration_seconds_count{stage=\"workflow\"} 1\n",
                    "maintenance_job_duration_seconds_count{job_name=\"health-check\"} 1\n",
                    "lineage_orphaned_edges 0.0\n");
            assertThat(scrape).containsPattern("lineage_insert_duration_seconds_bucket\\{le=\"\\+Inf\"\\} [1-9]");
            assertThat(scrape).containsPattern(
                    "analytics_computation_duration_seconds_bucket\\{le=\"\\+Inf\"\\} [1-9]");
            assertThat(series(scrape, "camel_exchanges_total", "track-event")).isGreaterThanOrEqualTo(1.0);
            assertThat(series(scrape, "camel_exchanges_failed_total", "track-event")).isEqualTo(0.0);
            assertThat(series(scrape, "camel_route_policy_seconds_count", "track-event")).isGreaterThanOrEqualTo(1.0);
            assertThat(series(scrape, "camel_route_policy_seconds_sum", "track-event")).isPositive();
            assertThat(series(scrape, "camel_exchanges_total", "analytics-pattern")).isGreaterThanOrEqualTo(1.0);
        }
    }

    /** The dashboard's and the rules' selectors, label matchers included, each match a series the service exports. */
    @Test
    void everySelectorOfTheDashboardAndTheRulesMatchesAnExportedSeries() throws Exception {
        List<String> exprs = new ArrayList<>(dashboardExpressions());
        Matcher expr = Pattern.compile("expr: (.+)").matcher(Files.readString(RULES));
        while (expr.find()) {
            exprs.add(expr.group(1));
        }
        List<String> exported = beforeTraffic.lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        Matcher selector = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\{([^}]*)}").matcher(String.join("\n", exprs));
        int checked = 0;
        while (selector.find()) {
            String name = selector.group(1);
            if (name.equals("up")) {
                continue; // Prometheus's own
            }
            List<String> matchers = List.of(selector.group(2).split("\\s*,\\s*"));
            assertThat(matchers).allMatch(m -> m.matches("[a-zA-Z_]+=\"[^\"]*\""));
            assertThat(exported).as(selector.group()).anyMatch(l -> l.startsWith(name + "{")
                    && matchers.stream().allMatch(m -> l.contains(m)));
            checked++;
        }
        assertThat(checked).isGreaterThanOrEqualTo(8);
    }

    /** The value of a Camel route series: name{camelContext=...,eventType="route",kind=...,routeId="id"}. */
    private static double series(String scrape, String name, String routeId) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{[^}]*eventType=\"route\"[^}]*routeId=\""
                + Pattern.quote(routeId) + "\"} (\\S+)$").matcher(scrape);
        assertThat(m.find()).as(name + " of route " + routeId).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private static List<String> dashboardExpressions() throws IOException {
        JsonNode dashboard = Json.mapper().readTree(DASHBOARD.toFile());
        assertThat(dashboard.at("/templating/list/0/type").asText()).isEqualTo("datasource");
        List<String> exprs = new ArrayList<>();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.at("/datasource/uid").asText()).isEqualTo("${datasource}");
            panel.get("targets").forEach(t -> exprs.add(t.get("expr").asText()));
        }
        return exprs;
    }

    /** Metric names in a PromQL expression: identifiers outside label matchers, not functions or keywords. */
    static Set<String> metricNames(String expr) {
        String bare = expr.replaceAll("\\{[^}]*}", " ").replaceAll("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\[[^]]*]", " ").replaceAll("\"[^\"]*\"", " ");
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_:]*)(\\s*\\()?").matcher(bare);
        while (m.find()) {
            String word = m.group(1);
            if (m.group(2) == null && !PROMQL.contains(word) && !word.contains(":")) {
                names.add(word);
            }
        }
        return names;
    }

    private static Set<String> exportedNames(String scrape) {
        return scrape.lines().filter(l -> !l.startsWith("#") && !l.isBlank())
                .map(l -> l.split("[{ ]")[0]).collect(Collectors.toCollection(TreeSet::new));
    }

    private static boolean promtool() {
        try {
            return new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
        return out;
    }
}
