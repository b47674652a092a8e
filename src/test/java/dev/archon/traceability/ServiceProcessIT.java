package dev.archon.traceability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.db.EmbeddedPostgresServer;
import dev.archon.traceability.support.RunningService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar as operators run it: java -jar in an empty working directory (so config and routes come from the
 * jar), on the embedded default, configured only through environment variables. SIGTERM stops it cleanly with no
 * postgres left behind; after a kill -9 the next start still comes up.
 */
class ServiceProcessIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path workDir;

    @Test
    void sigtermShutsDownCleanlyAndAKilledJvmDoesNotBlockTheNextStart() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");

        Process first = start(dataDir);
        awaitHealthy(first);
        ProcessHandle postgres = EmbeddedPostgresServer.runningPostmaster(dataDir).orElseThrow();

        first.destroy(); // SIGTERM
        assertThat(first.waitFor(30, TimeUnit.SECONDS)).as("exited after SIGTERM").isTrue();
        assertThat(postgres.onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
        assertThat(EmbeddedPostgresServer.runningPostmaster(dataDir)).isEmpty();
        assertThat(log(first)).contains("Connection pool closed", "Embedded PostgreSQL stopped");

        Process second = start(dataDir);
        awaitHealthy(second);
        ProcessHandle orphan = EmbeddedPostgresServer.runningPostmaster(dataDir).orElseThrow();
        second.destroyForcibly(); // kill -9: the JVM gets no chance to stop its postgres
        second.waitFor(30, TimeUnit.SECONDS);
        assertThat(orphan.isAlive()).as("kill -9 leaves postgres running").isTrue();

        Process third = start(dataDir);
        awaitHealthy(third);
        assertThat(orphan.isAlive()).isFalse();
        assertThat(log(third)).contains("from a previous run that did not stop cleanly");
        Optional<ProcessHandle> current = EmbeddedPostgresServer.runningPostmaster(dataDir);
        third.destroy();
        assertThat(third.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(current.orElseThrow().onExit().get(10, TimeUnit.SECONDS).isAlive()).isFalse();
    }

    private int port;
    private int run;

    private Process start(Path dataDir) throws IOException {
        port = RunningService.freePort();
        String jar = System.getProperty("traceability.it.jar");
        ProcessBuilder pb = new ProcessBuilder(javaBin(), "-Xmx256m", "-jar", jar)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(workDir.resolve("run" + (++run) + ".log").toFile());
        pb.environment().remove("TRACEABILITY_DB_URL_EXTERNAL");
        pb.environment().put("TRACEABILITY_HTTP_PORT", String.valueOf(port));
        pb.environment().put("TRACEABILITY_HTTP_HOST", "127.0.0.1");
        pb.environment().put("TRACEABILITY_DB_EMBEDDED_PORT", String.valueOf(RunningService.freePort()));
        pb.environment().put("TRACEABILITY_DB_EMBEDDED_DATA_DIR", dataDir.toString());
        return pb.start();
    }

    private String log(Process p) throws IOException { // the log of the newest run
        return Files.readString(workDir.resolve("run" + run + ".log"));
    }

    private void awaitHealthy(Process p) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("service exited: %s", log(p)).isTrue();
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                        + "/health")).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().startsWith("{\"status\":\"healthy\"")) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("not healthy within 90 s: " + log(p));
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
