package dev.archon.traceability.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.http.EventLoopHttpConsumer;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TcpProxy;
import dev.archon.traceability.support.TestPostgres;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The statuses clients rely on when things go wrong, against a database behind a proxy the test cuts: 503 while the
 * database is gone (the prefix's health still answers 200, degraded, as built; the root /health answers 503 so the
 * live hook skips tracking), 504 when a commit takes longer than traceability.compat.track-timeout.
 */
class CompatFailuresTest {

    private static TcpProxy proxy;
    private static RunningService service;
    private static CompatClient client;

    @BeforeAll
    static void start() throws Exception {
        String url = TestPostgres.server().createDatabase();
        URI direct = URI.create(url);
        proxy = new TcpProxy(direct.getHost(), direct.getPort());
        String proxied = url.replace(":" + direct.getPort() + "/", ":" + proxy.port() + "/");
        service = RunningService.onExternal(proxied, RunningService.props(
                "traceability.jobs.daily-maintenance.enabled", "false",
                "traceability.health.timeout", "1s",
                "traceability.db.pool.connection-timeout", "1s"));
        client = new CompatClient(service);
    }

    @AfterAll
    static void stop() throws Exception {
        service.close();
        proxy.close();
    }

    @Test
    void theDatabaseGoneIs503AndThePrefixHealthStays200() throws Exception {
        client.ok("/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":\"before\","
                + "\"pattern_data\":{\"code\":\"x\"}}");
        proxy.cut();
        try {
            JsonNode track = client.fails("/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":"
                    + "\"during\",\"pattern_data\":{\"code\":\"x\"}}", 503);
            assertThat(track.asText()).startsWith("Database connection not available");
            assertThat(client.get(CompatClient.PREFIX + "/lineage/before").status()).isEqualTo(503);
            JsonNode health = client.okGet("/health");
            assertThat(health.get("status").asText()).isEqualTo("degraded");
            assertThat(health.at("/components/lineage_tracker").asText()).isEqualTo("database_unavailable");
            assertThat(client.get("/health").status()).isEqualTo(503);
        } finally {
            proxy.restore();
        }
        // back by itself once the database is
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> client.post(
                CompatClient.PREFIX + "/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":"
                        + "\"after\",\"pattern_data\":{\"code\":\"x\"}}").status() == 200);
    }

    @Test
    void aCommitSlowerThanTheTrackTimeoutIs504() throws Exception {
        String db = TestPostgres.server().createDatabase();
        try (RunningService slow = RunningService.onExternal(db, RunningService.props(
                "traceability.compat.track-timeout", "1ms"))) {
            JsonNode detail = new CompatClient(slow).fails("/lineage/track", "{\"event_type\":\"pattern_created\","
                    + "\"pattern_id\":\"slow\",\"pattern_data\":{\"code\":\"" + "x".repeat(200_000) + "\"}}", 504);
            assertThat(detail.asText()).isEqualTo("Tracking operation timed out");
        }
    }

    @Test
    void theTrackEndpointsAreServedOnTheEventLoop() {
        List<String> served = service.main().getCamelContext().getRoutes().stream()
                .map(Route::getConsumer)
                .filter(c -> c instanceof PlatformHttpConsumerAware a
                        && a.getPlatformHttpConsumer() instanceof EventLoopHttpConsumer)
                .map(c -> ((PlatformHttpEndpoint) c.getEndpoint()).getPath())
                .filter(p -> p.startsWith(CompatClient.PREFIX)).toList();
        assertThat(served).containsExactlyInAnyOrderElementsOf(CompatTrackEndpoints.EVENT_LOOP_PATHS);
    }
}
