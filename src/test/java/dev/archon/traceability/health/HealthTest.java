package dev.archon.traceability.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TcpProxy;
import dev.archon.traceability.support.TestPostgres;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /health and the per-service health endpoints over real HTTP, with the database reached through a proxy the
 * test can cut: unhealthy (503, naming the database) while it is gone, healthy again by itself when it is back.
 */
class HealthTest {

    private static TcpProxy proxy;
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        TestPostgres pg = TestPostgres.server();
        String url = pg.createDatabase();
        URI direct = URI.create(url);
        proxy = new TcpProxy(direct.getHost(), direct.getPort());
        String proxied = url.replace(":" + direct.getPort() + "/", ":" + proxy.port() + "/");
        service = RunningService.onExternal(proxied, RunningService.props(
                "traceability.jobs.daily-maintenance.enabled", "false",
                "traceability.health.timeout", "1s",
                "traceability.db.pool.connection-timeout", "2s"));
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        proxy.close();
    }

    @Test
    void healthReportsEveryComponent() {
        Response r = service.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.body()).startsWith("{\"status\":\"healthy\"")
                .contains("\"database\":{\"status\":\"healthy\",\"mode\":\"external\",\"latency_ms\":")
                .contains("\"connection_pool\":{\"status\":\"healthy\",\"active\":")
                .contains("\"idle\":", "\"available\":", "\"max\":5")
                .contains("\"camel\":{\"status\":\"healthy\",\"context\":\"Started\"", "\"routes_started\":")
                .contains("\"schema\":{\"status\":\"healthy\"")
                .doesNotContain("\n", ": ");
    }

    @Test
    void eachServiceReportsItsOwnComponents() {
        Response lineage = service.get("/api/lineage/health");
        assertThat(lineage.status()).isEqualTo(200);
        assertThat(lineage.body()).startsWith("{\"status\":\"healthy\",\"service\":\"lineage\"")
                .contains("lineage_nodes", "lineage_events_archive", "get_lineage_path(uuid)");
        Response analytics = service.get("/api/analytics/health");
        assertThat(analytics.status()).isEqualTo(200);
        assertThat(analytics.body()).startsWith("{\"status\":\"healthy\",\"service\":\"analytics\"")
                .contains("execution_rollup_hourly", "\"rollup\":{\"status\":\"healthy\"", "\"cache\":{");
        // not built yet: it says so instead of claiming health, still 200 so the runbook's probes run
        Response loop = service.get("/api/feedback-loop/health");
        assertThat(loop.status()).isEqualTo(200);
        assertThat(loop.body()).startsWith("{\"status\":\"healthy\",\"service\":\"feedback-loop\"")
                .contains("pattern_feedback", "feedback_workflows", "\"active_workflows\":0");
    }

    @Test
    void aRouteStoppedByHandDegradesHealthButAJobSwitchedOffDoesNot() throws Exception {
        var routes = service.main().getCamelContext().getRouteController();
        routes.stopRoute("track-event");
        try {
            Response degraded = service.get("/health");
            assertThat(degraded.status()).isEqualTo(200);
            assertThat(degraded.body()).startsWith("{\"status\":\"degraded\"")
                    .contains("\"failing_components\":[\"camel\"]", "\"routes_not_started\":[\"track-event (Stopped)\"]");
        } finally {
            routes.startRoute("track-event");
        }
        assertThat(service.get("/health").body()).startsWith("{\"status\":\"healthy\"")
                .contains("\"routes_disabled\":[\"job-daily-maintenance\",\"job-feedback-loop\"]");
    }

    @Test
    void camelObserveEndpointsAreServedOnTheSamePort() {
        Response health = service.get("/observe/health");
        assertThat(health.status()).isEqualTo(200);
        // our database check is one of Camel's readiness checks, so both endpoints tell the same story
        assertThat(health.body()).startsWith("{\"status\":\"UP\"")
                .contains("{\"name\":\"database\",\"status\":\"UP\"}", "{\"name\":\"route:health\",\"status\":\"UP\"}");
        Response ready = service.get("/observe/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        Response metrics = service.get("/observe/metrics");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");
    }

    @Test
    void unreachableDatabaseMakesHealth503NamingTheDatabaseThenRecovers() throws Exception {
        assertThat(service.get("/health").status()).isEqualTo(200);
        proxy.cut();
        try {
            AtomicReference<Response> down = new AtomicReference<>();
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
                down.set(service.get("/health"));
                return down.get().status() == 503;
            });
            assertThat(down.get().body()).startsWith("{\"status\":\"unhealthy\"")
                    .contains("\"failing_components\":[\"database\"")
                    .contains("\"database\":{\"status\":\"unhealthy\",\"mode\":\"external\",\"error\":\"database unreachable");
            Response lineage = service.get("/api/lineage/health");
            assertThat(lineage.status()).isEqualTo(503);
            assertThat(lineage.body()).startsWith("{\"status\":\"unhealthy\"").contains("database unreachable");
            assertThat(service.get("/observe/health/ready").status()).isEqualTo(503);
        } finally {
            proxy.restore();
        }
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250))
                .until(() -> service.get("/health").status() == 200);
        assertThat(service.get("/health").body()).startsWith("{\"status\":\"healthy\"");
    }
}
