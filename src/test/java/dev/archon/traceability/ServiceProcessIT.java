package dev.archon.traceability;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.db.EmbeddedPostgresServer;
import dev.archon.traceability.support.ServiceProcess;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar in an empty working directory (so config and routes come from the jar), on the embedded default:
 * SIGTERM stops it cleanly with no postgres left behind; after a kill -9 the next start still comes up.
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
}
