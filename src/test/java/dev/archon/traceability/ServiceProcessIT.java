package dev.archon.traceability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.db.EmbeddedPostgresServer;
import dev.archon.traceability.support.ServiceProcess;
import dev.archon.traceability.support.TestPostgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in an empty working directory (so config and routes come from the jar), on the embedded default:
 * SIGTERM stops it cleanly with no postgres left behind, also under load; after a kill -9 the next start still comes
 * up.
 */
class ServiceProcessIT {

    private static final Duration START = Duration.ofSeconds(90);

    @TempDir
    Path workDir;

    @Test
    void sigtermShutsDownCleanlyAndAKilledJvmDoesNotBlockTheNextStart() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");

        ServiceProcess first = ServiceProcess.start(workDir, dataDir, "run1.log", Map.of());
        first.awaitHealthy(START);
        ProcessHandle postgres = EmbeddedPostgresServer.runningPostmaster(dataDir).orElseThrow();

        first.process().destroy(); // SIGTERM
        assertThat(first.process().waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(postgres.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(EmbeddedPostgresServer.runningPostmaster(dataDir)).isEmpty();
        assertThat(first.log()).contains("Connection pool closed", "Embedded PostgreSQL stopped");

        ServiceProcess second = ServiceProcess.start(workDir, dataDir, "run2.log", Map.of());
        second.awaitHealthy(START);
        ProcessHandle orphan = EmbeddedPostgresServer.runningPostmaster(dataDir).orElseThrow();
        second.process().destroyForcibly(); // kill -9: the JVM gets no chance to stop its postgres
        second.process().waitFor(30, TimeUnit.SECONDS);
        assertThat(orphan.isAlive()).as("kill -9 leaves postgres running").isTrue();

        ServiceProcess third = ServiceProcess.start(workDir, dataDir, "run3.log", Map.of());
        third.awaitHealthy(START);
        assertThat(orphan.isAlive()).isFalse();
        assertThat(third.log()).contains("from a previous run that did not stop cleanly");
        ProcessHandle current = EmbeddedPostgresServer.runningPostmaster(dataDir).orElseThrow();
        third.process().destroy();
        assertThat(third.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(current.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    @Test
    void theJarServesTheConsoleFromAnyWorkingDirectory() throws Exception {
        ServiceProcess service = ServiceProcess.start(workDir, workDir.resolve("data/postgres"), "console.log",
                Map.of());
        try {
            service.awaitHealthy(START);
            HttpClient http = HttpClient.newHttpClient();
            // Hawtio's web application comes out of the jar (no hawtio-webapp/ in this working directory)
            HttpResponse<String> page = http.send(HttpRequest.newBuilder(service.consoleUri("/hawtio/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).isEqualTo(200);
            assertThat(page.body()).contains("<title>Hawtio");
            HttpResponse<String> plugins = http.send(HttpRequest.newBuilder(service.consoleUri("/hawtio/plugin"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(plugins.body()).isEqualTo("[]");
            HttpResponse<String> state = http.send(HttpRequest.newBuilder(service.consoleUri("/hawtio/jolokia"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"read\",\"mbean\":"
                            + "\"org.apache.camel:context=pattern-traceability,type=routes,name=\\\"track-event\\\"\","
                            + "\"attribute\":\"State\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(state.body()).contains("\"value\":\"Started\"", "\"status\":200");
            HttpResponse<String> gc = http.send(HttpRequest.newBuilder(service.consoleUri("/hawtio/jolokia"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"exec\",\"mbean\":"
                            + "\"java.lang:type=Memory\",\"operation\":\"gc\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(gc.body()).contains("\"status\":403"); // jolokia-access.xml is in the jar too
            assertThat(service.log()).contains("Hawtio console on http://127.0.0.1:");
        } finally {
            service.process().destroy();
            service.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermUnderLoadAnswersWhatIsInFlightAndLosesNothingAcknowledged() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        ServiceProcess service = ServiceProcess.start(workDir, dataDir, "load.log", Map.of());
        service.awaitHealthy(START);

        HttpClient http = HttpClient.newHttpClient();
        Set<UUID> acknowledged = ConcurrentHashMap.newKeySet();
        Queue<String> refusals = new ConcurrentLinkedQueue<>();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService producers = Executors.newFixedThreadPool(16);
        for (int i = 0; i < 16; i++) {
            producers.submit(() -> {
                while (!stop.get()) {
                    UUID id = UUID.randomUUID();
                    String event = "{\"event_type\":\"pattern_created\",\"event_id\":\"" + id
                            + "\",\"pattern_id\":\"" + id + "\"}";
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(event)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            acknowledged.add(id);
                        } else if (r.statusCode() >= 500) {
                            refusals.add(r.statusCode() + " " + r.body());
                        }
                    } catch (IOException closed) {
                        // the server went away: what it did not answer, it did not acknowledge
                    }
                }
                return null;
            });
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acknowledged.size() < 1000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        // hold the commits for a moment, so that requests are certainly in flight when SIGTERM arrives
        try (Connection lock = TestPostgres.connect(service.databaseUrl())) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE lineage_event_keys IN EXCLUSIVE MODE");
            }
            while (TestPostgres.count(service.databaseUrl(), "SELECT count(*) FROM pg_locks WHERE NOT granted") == 0) {
                Thread.sleep(10);
            }
            service.process().destroy(); // SIGTERM with 16 producers waiting for their commit
            Thread.sleep(1000);
            lock.rollback();
        } catch (SQLException stoppedUnderUs) {
            refusals.add("the database stopped while requests were in flight: " + stoppedUnderUs.getMessage());
        }
        assertThat(service.process().waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        stop.set(true);
        producers.shutdown();
        assertThat(producers.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        assertThat(acknowledged).hasSizeGreaterThanOrEqualTo(1000);
        // the requests in flight at SIGTERM were committed and answered: the database was not stopped under them
        // (a route being stopped may answer 503 SERVICE_UNAVAILABLE; that stores nothing)
        assertThat(refusals).allMatch(r -> r.contains("SERVICE_UNAVAILABLE"));

        ServiceProcess again = ServiceProcess.start(workDir, dataDir, "load-restart.log", Map.of());
        again.awaitHealthy(START);
        List<String> stored;
        try {
            stored = TestPostgres.strings(again.databaseUrl(), "SELECT event_id::text FROM lineage_events");
        } finally {
            again.process().destroy();
            again.process().waitFor(30, TimeUnit.SECONDS);
        }
        assertThat(stored).containsAll(acknowledged.stream().map(UUID::toString).toList());
    }
}
