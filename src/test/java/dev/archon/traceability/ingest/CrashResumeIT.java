package dev.archon.traceability.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.support.ServiceProcess;
import dev.archon.traceability.support.TestPostgres;
import java.io.BufferedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The process is killed (kill -9) in the middle of an inbox file; after a restart the file is finished and the
 * tables hold every record exactly once.
 */
class CrashResumeIT {

    private static final int LINES = 150_000;

    @TempDir
    Path workDir;

    @Test
    void aFileInterruptedByKillMinus9IsFinishedAfterRestartWithoutLossOrDuplicates() throws Exception {
        Path dataDir = workDir.resolve("data/postgres");
        Path inbox = workDir.resolve("inbox");
        Map<String, String> env = Map.of("TRACEABILITY_INBOX_DIR", inbox.toString(),
                "TRACEABILITY_INBOX_SLICE_RECORDS", "1000");
        ServiceProcess first = ServiceProcess.start(workDir, dataDir, "run1.log", env);
        first.awaitHealthy(Duration.ofSeconds(90));

        Path lineage = Files.createDirectories(inbox.resolve("lineage"));
        Path tmp = lineage.resolve(".big.ndjson.tmp");
        try (BufferedWriter w = Files.newBufferedWriter(tmp)) {
            for (int i = 0; i < LINES; i++) {
                // half the records carry their own id, half get one derived from the file
                String id = i % 2 == 0 ? ",\"event_id\":\"" + UUID.randomUUID() + "\"" : "";
                w.write("{\"event_type\":\"pattern_created\",\"pattern_name\":\"crash-" + i + "\"" + id + "}\n");
            }
        }
        Files.move(tmp, lineage.resolve("big.ndjson"), StandardCopyOption.ATOMIC_MOVE);

        String db = first.databaseUrl();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        long committed = 0;
        while (committed < 10_000 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            committed = TestPostgres.count(db, "SELECT count(*) FROM lineage_nodes");
        }
        first.process().destroyForcibly();
        first.process().waitFor(30, TimeUnit.SECONDS);
        long atKill = committed;
        assertThat(atKill).as("killed in the middle of the file: %s", first.log()).isGreaterThan(0).isLessThan(LINES);
        assertThat(lineage.resolve("big.ndjson")).exists();

        ServiceProcess second = ServiceProcess.start(workDir, dataDir, "run2.log", env);
        second.awaitHealthy(Duration.ofSeconds(90));
        Path done = lineage.resolve(".done/big.ndjson");
        long finish = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!Files.exists(done) && System.nanoTime() < finish) {
            Thread.sleep(100);
        }
        assertThat(done).as(second.log()).exists();
        db = second.databaseUrl(); // the embedded server's port is chosen anew at each start
        assertThat(TestPostgres.count(db, "SELECT count(*) FROM lineage_nodes")).isEqualTo(LINES);
        for (String table : new String[] {"lineage_events", "lineage_event_keys"}) {
            assertThat(TestPostgres.count(db, "SELECT count(*) FROM " + table)).as(table).isEqualTo(LINES);
        }
        assertThat(TestPostgres.count(db, "SELECT count(DISTINCT pattern_name) FROM lineage_nodes")).isEqualTo(LINES);
        assertThat(lineage.resolve(".error")).doesNotExist();
        assertThat(second.log()).contains("big.ndjson: " + LINES + " records");

        second.process().destroy();
        assertThat(second.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

}
