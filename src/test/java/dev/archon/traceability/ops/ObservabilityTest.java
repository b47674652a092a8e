package dev.archon.traceability.ops;

import static org.assertj.core.api.Assertions.assertThat;
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

    @BeforeAll
    static void start() {
        service = RunningService.onExternal(TestPostgres.server().createDatabase(), RunningService.props());
        beforeTraffic = service.get("/metrics").body();
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
        assertThat(after).contains("lineage_operations_total{operation=\"created\"} 1.0")
                .contains("lineage_insert_duration_seconds_count 1")
                .contains("ingest_items_total{kind=\"lineage\",outcome=\"stored\",transport=\"http\"} 1.0");
        // the same registry at Camel's path
        assertThat(service.get("/observe/metrics").body()).contains("lineage_operations_total{operation=\"created\"} 1.0");
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
