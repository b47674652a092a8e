package dev.archon.traceability.backup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.jobs.JobRunner;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runbook's backup_phase4_data.sh, run exactly as the runbook prints it, loses the events of the partitioned
 * lineage_events and exits 0: the service notices (health-check job, /health degraded naming the file and the fix,
 * backup_newest_dump_complete 0). ops/scripts/backup_phase4_data.sh, the drop-in, dumps everything: restored into a
 * scratch database it gives the same counts as the live tables, and the service calls it complete.
 */
class RunbookBackupScriptTest {

    private static final Path RUNBOOK = Path.of("../shared/seed/PATTERN_TRACEABILITY_OPERATIONS.md");

    @TempDir
    static Path backups;
    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() throws Exception {
        Process p = new ProcessBuilder("pg_dump", "--version").start();
        Assumptions.assumeTrue(p.waitFor() == 0, "pg_dump is not installed: backup script tests skipped");
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props("archon.backup.dir", backups.toString(),
                "traceability.jobs.health-check.enabled", "false", "traceability.jobs.backup.enabled", "false"));
        UUID a = UUID.randomUUID();
        post("/api/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + a
                + "\",\"pattern_name\":\"script-" + a + "\"}");
        post("/api/lineage/track", "{\"event_type\":\"pattern_modified\",\"pattern_id\":\"" + a + "\"}");
        post("/api/lineage/track", "{\"event_type\":\"pattern_applied\",\"pattern_id\":\"" + a
                + "\",\"execution\":{\"status\":\"success\",\"duration_ms\":12}}");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void theRunbooksScriptLosesTheEventsAndTheServiceSaysSoOursKeepsEverything() throws Exception {
        Assumptions.assumeTrue(Files.isRegularFile(RUNBOOK), "the runbook (../shared/seed) is not beside the checkout");
        Path runbookScript = backups.resolveSibling("runbook_backup_phase4_data.sh");
        Files.writeString(runbookScript, runbookBackupScript());

        assertThat(run(runbookScript).exit()).as("the runbook's script exits 0 although it lost the events").isZero();
        String runbookDump = newestDump();
        assertThat(restoredCounts(runbookDump)).containsEntry("lineage_events", 0L); // the loss, reproduced

        JsonNode report = healthCheck();
        assertThat(report.at("/newest_backup/newest_dump").asText()).isEqualTo(runbookDump);
        assertThat(report.at("/newest_backup/complete").asBoolean()).isFalse();
        String health = service.get("/health").body();
        assertThat(health).startsWith("{\"status\":\"degraded\"").contains("\"backup\":{\"status\":\"degraded\"")
                .contains(runbookDump + " has no data for lineage_events (its partitions)")
                .contains("ops/scripts/backup_phase4_data.sh");
        assertThat(service.get("/metrics").body()).contains("backup_newest_dump_complete 0.0");

        Thread.sleep(1100); // a new second: a new dump name
        ScriptRun ours = run(Path.of("ops/scripts/backup_phase4_data.sh"));
        assertThat(ours.exit()).as(ours.output()).isZero();
        String ourDump = newestDump();
        assertThat(ourDump).isNotEqualTo(runbookDump);
        assertThat(Files.exists(backups.resolve(ourDump + ".json"))).as("verified: sidecar written").isTrue();
        Map<String, Long> live = counts(db);
        assertThat(live.get("lineage_events")).isEqualTo(3);
        assertThat(restoredCounts(ourDump)).isEqualTo(live);

        assertThat(healthCheck().at("/newest_backup/complete").asBoolean()).isTrue();
        assertThat(service.get("/health").body()).startsWith("{\"status\":\"healthy\"")
                .contains("\"backup\":{\"status\":\"healthy\"");
        assertThat(service.get("/metrics").body()).contains("backup_newest_dump_complete 1.0")
                .as("the script's verified dump counts for the stale-backup alert too")
                .doesNotContain("backup_last_success_timestamp_seconds 0.0");
    }

    /** The bash block of the runbook that starts with "# backup_phase4_data.sh", as printed. */
    private static String runbookBackupScript() throws Exception {
        String text = Files.readString(RUNBOOK);
        int start = text.indexOf("#!/bin/bash\n# backup_phase4_data.sh");
        assertThat(start).as("the runbook's backup script").isPositive();
        return text.substring(start, text.indexOf("```", start));
    }

    private record ScriptRun(int exit, String output) {
    }

    private static ScriptRun run(Path script) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString()).redirectErrorStream(true);
        pb.environment().put("TRACEABILITY_DB_URL_EXTERNAL", db);
        pb.environment().put("ARCHON_BACKUP_DIR", backups.toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new ScriptRun(p.waitFor(), out);
    }

    private static String newestDump() throws Exception {
        try (Stream<Path> files = Files.list(backups)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("phase4_lineage_.*\\.dump"))
                    .max(String::compareTo).orElseThrow();
        }
    }

    private static JsonNode healthCheck() {
        JobRunner runner = service.main().getCamelContext().getRegistry().findSingleByType(JobRunner.class);
        try {
            Map<String, Object> run = runner.runNow("health-check", "cli", false);
            assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("succeeded");
            return Json.mapper().valueToTree(run.get("report"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The dump restored into a scratch database (as the runbook's recovery does), counted there. */
    private static Map<String, Long> restoredCounts(String dump) throws Exception {
        String scratch = TestPostgres.server().createDatabase();
        Process p = new ProcessBuilder("pg_restore", "--no-owner", "--dbname=" + scratch,
                backups.resolve(dump).toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return counts(scratch);
    }

    private static Map<String, Long> counts(String url) throws Exception {
        Map<String, Long> counts = new java.util.LinkedHashMap<>();
        for (String table : List.of("lineage_nodes", "lineage_edges", "lineage_events", "hook_executions")) {
            List<String> exists = TestPostgres.strings(url, "SELECT to_regclass('" + table + "')::text");
            counts.put(table, exists.get(0) == null ? 0 : TestPostgres.count(url, "SELECT count(*) FROM " + table));
        }
        return counts;
    }

    private static void post(String path, String json) {
        var r = service.send(HttpRequest.newBuilder(service.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
        assertThat(r.status()).as(r.body()).isIn(200, 201);
    }
}
