package dev.archon.traceability.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.support.ServiceProcess;
import dev.archon.traceability.support.TestPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's kit against the packaged jar, installed as ops/RUNBOOK.md installs it (the jar as
 * pattern-traceability.jar and ops/ in the working directory) and running on its embedded database:
 * health_check.sh and smoke_test.sh pass; every block of the runbook fenced as {@code ```bash runnable} works as
 * written, in order, with the runbook's variables set as its "How to read" section says (TRACEABILITY_DB_URL_EXTERNAL
 * the embedded URL, so its sed on omninode_bridge works), including both recovery scenarios on data this test
 * deletes and drops first; and once the service is stopped both scripts fail, saying what failed.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpsRunbookIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** What each block printed, for reading after a run. */
    private static final Path TRANSCRIPT = Path.of("target/runbook-transcript.txt");

    @TempDir
    static Path work;
    private static ServiceProcess service;
    private static Map<String, String> env;

    private record Run(int exit, String output) {
    }

    @BeforeAll
    static void install() throws Exception {
        for (String tool : List.of("psql", "pg_dump", "pg_restore", "createdb", "dropdb", "jq", "curl")) {
            Assumptions.assumeTrue(new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0,
                    tool + " is not installed: the runbook's commands cannot run");
        }
        Files.createSymbolicLink(work.resolve("pattern-traceability.jar"),
                Path.of(System.getProperty("traceability.it.jar")).toAbsolutePath());
        Files.createSymbolicLink(work.resolve("ops"), Path.of("ops").toAbsolutePath());
        Path psqlrc = work.resolve("psqlrc");
        // stricter than an operator's psql: any SQL error fails the block, even one psql would continue past
        Files.writeString(psqlrc, "\\set ON_ERROR_STOP on\n");
        service = ServiceProcess.start(work, work.resolve("data/postgres"), "service.log", Map.of());
        service.awaitHealthy(Duration.ofSeconds(180));
        env = new HashMap<>(Map.of(
                "ARCHON_SERVICE_URL", service.baseUrl(),
                "TRACEABILITY_DB_URL_EXTERNAL", service.databaseUrl(),
                "ARCHON_BACKUP_DIR", work.resolve("data/backups").toAbsolutePath().toString(),
                "PSQLRC", psqlrc.toString(),
                "PGCONNECT_TIMEOUT", "10"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null && service.process().isAlive()) {
            service.process().destroy();
            service.process().waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    @Order(1)
    void healthCheckAndSmokeTestPassAgainstTheStartedInstance() throws Exception {
        Run health = bash("ops/scripts/health_check.sh");
        assertThat(health.exit()).as(health.output()).isZero();
        assertThat(health.output()).contains("✅ Database: Connected", "✅ Tables: All present",
                "✅ Service: Healthy", "Phase 4 health check completed").doesNotContain("❌");
        Run phase4 = bash("ops/scripts/health_check_phase4.sh"); // the runbook's name for the same script
        assertThat(phase4.exit()).as(phase4.output()).isZero();

        Run smoke = bash("ops/scripts/smoke_test.sh");
        assertThat(smoke.exit()).as(smoke.output()).isZero();
        assertThat(smoke.output()).contains("✅ Track pattern_created", "✅ Read lineage", "✅ Analytics",
                "Smoke test passed").doesNotContain("❌");
    }

    @Test
    @Order(2)
    void everyRunnableCommandOfTheRunbookWorksAsWritten() throws Exception {
        UUID pattern = UUID.randomUUID();
        post("/api/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + pattern
                + "\",\"pattern_name\":\"runbook-" + pattern + "\"}");
        post("/api/lineage/track", "{\"event_type\":\"pattern_modified\",\"pattern_id\":\"" + pattern + "\"}");
        post("/api/lineage/track", "{\"event_type\":\"pattern_applied\",\"pattern_id\":\"" + pattern
                + "\",\"execution\":{\"status\":\"success\",\"duration_ms\":12}}");
        post("/api/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_name\":\"bystander-" + pattern
                + "\"}");
        env.put("PATTERN_ID", pattern.toString());
        String db = service.databaseUrl();
        String nodesOfPattern = "SELECT node_id::text FROM lineage_nodes WHERE pattern_id = '" + pattern
                + "' ORDER BY version_number";

        List<RunbookFile.Block> blocks = RunbookFile.read().runnableBlocks();
        Files.deleteIfExists(TRANSCRIPT);
        List<String> patternNodes = null;
        List<String> nodesBeforeDrop = null;
        List<String> eventsBeforeDrop = null;
        for (RunbookFile.Block block : blocks) {
            if (block.heading().startsWith("Scenario 1")) {
                // the incident: this pattern's lineage is deleted (after the backup section made its dumps)
                patternNodes = TestPostgres.strings(db, nodesOfPattern);
                assertThat(patternNodes).hasSize(2);
                TestPostgres.execute(db, "DELETE FROM lineage_edges WHERE source_node_id IN (" + ids(patternNodes)
                        + ") OR target_node_id IN (" + ids(patternNodes) + ")");
                TestPostgres.execute(db, "DELETE FROM lineage_events WHERE node_id IN (" + ids(patternNodes) + ")");
                TestPostgres.execute(db, "DELETE FROM lineage_nodes WHERE pattern_id = '" + pattern + "'");
            }
            if (block.heading().startsWith("Scenario 2")) {
                // the incident: the lineage tables are gone
                nodesBeforeDrop = TestPostgres.strings(db, "SELECT node_id::text FROM lineage_nodes");
                eventsBeforeDrop = TestPostgres.strings(db, "SELECT event_id::text FROM lineage_events");
                assertThat(eventsBeforeDrop).isNotEmpty();
                TestPostgres.execute(db, "DROP TABLE lineage_events, lineage_edges, lineage_nodes CASCADE");
            }

            Run run = bash(block.code());
            Files.writeString(TRANSCRIPT, "=== " + block + ", exit " + run.exit() + "\n" + block.code() + "---\n"
                    + run.output() + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            assertThat(run.exit()).as(block + " failed:\n" + block.code() + "\n---\n" + run.output()).isZero();

            if (block.heading().startsWith("Scenario 1")) {
                assertThat(TestPostgres.strings(db, nodesOfPattern)).as("the pattern is back")
                        .isEqualTo(patternNodes);
                assertThat(TestPostgres.count(db, "SELECT count(*) FROM lineage_events WHERE node_id IN ("
                        + ids(patternNodes) + ")")).as("with its events").isEqualTo(3);
            }
            if (block.heading().startsWith("Scenario 2")) {
                assertThat(TestPostgres.strings(db, "SELECT node_id::text FROM lineage_nodes"))
                        .as("every node is back").containsAll(nodesBeforeDrop);
                assertThat(TestPostgres.strings(db, "SELECT event_id::text FROM lineage_events"))
                        .as("every event is back").containsAll(eventsBeforeDrop);
            }
        }
        assertThat(patternNodes).as("Scenario 1 ran").isNotNull();
        assertThat(nodesBeforeDrop).as("Scenario 2 ran").isNotNull();
        assertThat(get("/health")).startsWith("{\"status\":\"healthy\"");
    }

    @Test
    @Order(3)
    void healthCheckAndSmokeTestFailAgainstAStoppedInstanceSayingWhat() throws Exception {
        service.process().destroy();
        assertThat(service.process().waitFor(60, TimeUnit.SECONDS)).as("service stopped").isTrue();

        Run health = bash("ops/scripts/health_check.sh");
        assertThat(health.exit()).as(health.output()).isEqualTo(1);
        assertThat(health.output()).contains("❌ Database: Connection failed", "❌ Service: No answer from",
                "Phase 4 health check FAILED");

        Run smoke = bash("ops/scripts/smoke_test.sh");
        assertThat(smoke.exit()).as(smoke.output()).isEqualTo(1);
        assertThat(smoke.output()).contains("❌ Health: no answer from " + service.baseUrl() + "/health",
                "Smoke test FAILED");
    }

    /** Runs {@code code} as an operator's shell in the working directory would, but stopping at the first failure. */
    private static Run bash(String code) throws Exception {
        Path script = Files.createTempFile(work, "block", ".sh");
        Files.writeString(script, code);
        ProcessBuilder pb = new ProcessBuilder("bash", "-e", "-o", "pipefail", script.toString())
                .directory(work.toFile()).redirectErrorStream(true);
        pb.environment().remove("TRACEABILITY_ADMIN_TOKEN");
        pb.environment().putAll(env);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            return new Run(-1, "timed out after 5 minutes: " + out.getNow(""));
        }
        return new Run(p.exitValue(), out.get());
    }

    private static String ids(List<String> uuids) {
        return String.join(", ", uuids.stream().map(u -> "'" + u + "'").toList());
    }

    private static void post(String path, String json) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isIn(200, 201);
    }

    private static String get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(service.baseUrl() + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }
}
