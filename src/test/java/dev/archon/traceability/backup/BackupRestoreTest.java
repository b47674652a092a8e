package dev.archon.traceability.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.jobs.JobRunner;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Verified backups, retention, clear failures without pg_dump, full and single-pattern restore: real pg_dump. */
class BackupRestoreTest {

    @TempDir
    Path backups;

    private String db;
    private RunningService service;

    @BeforeAll
    static void needsTheClientTools() {
        try {
            Process p = new ProcessBuilder("pg_dump", "--version").start();
            Assumptions.assumeTrue(p.waitFor() == 0, "pg_dump is not installed: backup tests skipped");
        } catch (Exception e) {
            Assumptions.abort("pg_dump is not installed: backup tests skipped");
        }
    }

    private void start(String... more) {
        db = TestPostgres.server().createDatabase();
        Map<String, String> props = RunningService.props("archon.backup.dir", backups.toString(),
                "traceability.jobs.backup.enabled", "false", "traceability.jobs.health-check.enabled", "false",
                "traceability.jobs.daily-maintenance.enabled", "false",
                "traceability.jobs.weekly-maintenance.enabled", "false");
        props.putAll(RunningService.props(more));
        service = RunningService.onExternal(db, props);
    }

    @AfterEach
    void stop() {
        if (service != null) {
            service.close();
        }
    }

    @Test
    void aBackupIsVerifiedAndAFullRestoreBringsBackIdenticalTables() throws Exception {
        start();
        UUID a = UUID.randomUUID();
        track("{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + a + "\",\"pattern_name\":\"a\"}");
        track("{\"event_type\":\"pattern_modified\",\"pattern_id\":\"" + a + "\",\"is_improvement\":true}");
        track("{\"event_type\":\"pattern_applied\",\"pattern_id\":\"" + a + "\",\"execution\":{\"status\":\"success\"}}");
        Map<String, String> before = checksums();

        Map<String, Object> run = runner().runNow("backup", "cli", false);
        assertThat(run.get("status")).as(String.valueOf(run)).isEqualTo("succeeded");
        List<String> files = files();
        assertThat(files).hasSize(3).allMatch(f -> f.matches("phase4_(lineage_\\d{8}_\\d{6}\\.dump(\\.json)?"
                + "|schema_\\d{8}_\\d{6}\\.sql\\.gz)"));
        String dumpName = files.stream().filter(f -> f.endsWith(".dump")).findFirst().orElseThrow();
        JsonNode sidecar = Json.mapper().readTree(backups.resolve(dumpName + ".json").toFile());
        assertThat(sidecar.get("sha256").asText()).isEqualTo(sha256(backups.resolve(dumpName)));
        assertThat(sidecar.get("size_bytes").asLong()).isEqualTo(Files.size(backups.resolve(dumpName)));
        assertThat(sidecar.get("verified").asText()).startsWith("pg_restore --list:");

        // an execution the dump does not hold: after the restore the analytics rollup counts the restored ones only
        track("{\"event_type\":\"pattern_applied\",\"pattern_id\":\"" + a + "\",\"execution\":{\"status\":\"failure\"}}");
        assertThat(count("SELECT sum(executions) FROM execution_rollup_hourly")).isEqualTo(2);

        // the runbook's Scenario 2: the tables are gone
        execute("DROP TABLE lineage_events, lineage_edges, lineage_nodes, hook_executions CASCADE");
        Map<String, Object> restored = runner().runOnce(
                restores().fromCommandLine(backups.resolve(dumpName).toString(), null), "cli", false);
        assertThat(restored.get("status")).as(String.valueOf(restored)).isEqualTo("succeeded");
        assertThat(checksums()).isEqualTo(before);
        assertThat(strings("SELECT sum(executions) || ' ' || sum(success_count) FROM execution_rollup_hourly"))
                .containsExactly("1 1");
        assertThat(service.get("/health").status()).isEqualTo(200);
        // the functions DROP TABLE ... CASCADE took along (hook_executions_page returns its rows) are back
        assertThat(service.get("/api/executions?limit=1").status()).isEqualTo(200);
        assertThat(service.get("/api/executions/summary?group_by=agent").status()).isEqualTo(200);
        // and ingest goes on on the restored tables
        track("{\"event_type\":\"pattern_modified\",\"pattern_id\":\"" + a + "\"}");
    }

    @Test
    void onePatternIsRestoredWithoutTouchingTheOthers() throws Exception {
        start();
        UUID lost = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        track("{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + lost + "\"}");
        track("{\"event_type\":\"pattern_modified\",\"pattern_id\":\"" + lost + "\"}");
        track("{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + other + "\"}");
        Map<String, String> lostBefore = checksums("pattern_id = '" + lost + "'");
        assertThat(runner().runNow("backup", "cli", false).get("status")).isEqualTo("succeeded");

        // after the backup: the other pattern moves on, the lost one is deleted by mistake
        track("{\"event_type\":\"pattern_modified\",\"pattern_id\":\"" + other + "\"}");
        Map<String, String> otherNow = checksums("pattern_id = '" + other + "'");
        execute("DELETE FROM lineage_events WHERE node_id IN (SELECT node_id FROM lineage_nodes WHERE pattern_id = '"
                + lost + "')");
        execute("DELETE FROM lineage_event_keys WHERE pattern_id = '" + lost + "'");
        execute("DELETE FROM lineage_edges WHERE target_node_id IN (SELECT node_id FROM lineage_nodes"
                + " WHERE pattern_id = '" + lost + "')");
        execute("DELETE FROM lineage_nodes WHERE pattern_id = '" + lost + "' AND version_number = 2");
        execute("DELETE FROM lineage_nodes WHERE pattern_id = '" + lost + "'");

        Response started = service.send(HttpRequest.newBuilder(service.uri("/api/admin/restore"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"dump\":\"latest\",\"pattern_id\":\"" + lost + "\"}")));
        assertThat(started.status()).as(started.body()).isEqualTo(202);
        String runId = Json.mapper().readTree(started.body()).get("run_id").asText();
        JsonNode[] run = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            for (JsonNode r : Json.mapper().readTree(service.get("/api/admin/jobs/restore/runs").body()).get("runs")) {
                if (r.get("run_id").asText().equals(runId) && !r.get("status").asText().equals("running")) {
                    run[0] = r;
                    return true;
                }
            }
            return false;
        });
        assertThat(run[0].get("status").asText()).as(run[0].toString()).isEqualTo("succeeded");
        assertThat(run[0].get("report").get("nodes_restored").asInt()).isEqualTo(2);
        assertThat(checksums("pattern_id = '" + lost + "'")).isEqualTo(lostBefore);
        assertThat(checksums("pattern_id = '" + other + "'")).isEqualTo(otherNow);
        assertThat(strings("SELECT datname FROM pg_database WHERE datname LIKE 'phase4_recovery_%'")).isEmpty();
        // the restored events' keys are back: sending the same event again is a duplicate
        assertThat(count("SELECT count(*) FROM lineage_event_keys WHERE pattern_id = '" + lost + "'")).isEqualTo(2);
    }

    @Test
    void retentionDeletesOldBackupsButNeverTheNewestVerifiedDump() throws Exception {
        start();
        String old = stamp(50);
        String older = stamp(60);
        String recent = stamp(10);
        for (String s : List.of(old, older, recent)) {
            Files.writeString(backups.resolve("phase4_lineage_" + s + ".dump"), "x");
            Files.writeString(backups.resolve("phase4_schema_" + s + ".sql.gz"), "x");
        }
        Files.writeString(backups.resolve("phase4_lineage_" + old + ".dump.json"), "{}");
        Files.writeString(backups.resolve("notes.txt"), "not a backup");

        // only old backups besides: the newest verified one (50 days) stays even though it is past retention
        Map<String, Object> dry = runner().runNow("backup", "cli", true);
        List<String> wouldDelete = new ArrayList<>();
        Json.mapper().valueToTree(dry.get("report")).get("would_delete").forEach(n -> wouldDelete.add(
                Path.of(n.asText()).getFileName().toString()));
        assertThat(wouldDelete).containsExactlyInAnyOrder("phase4_lineage_" + older + ".dump",
                "phase4_schema_" + older + ".sql.gz");

        Map<String, Object> run = runner().runNow("backup", "cli", false);
        assertThat(run.get("status")).isEqualTo("succeeded");
        List<String> left = files();
        // a new verified dump exists now, so everything past 30 days goes; the recent ones and other files stay
        assertThat(left).contains("phase4_lineage_" + recent + ".dump", "phase4_schema_" + recent + ".sql.gz",
                "notes.txt").noneMatch(f -> f.contains(old) || f.contains(older));
        assertThat(left.stream().filter(f -> f.endsWith(".dump"))).hasSize(2);
    }

    @Test
    void aMissingOrTooOldPgDumpFailsTheRunClearlyAndLeavesNoFile() throws Exception {
        Path fake = backups.resolveSibling(backups.getFileName() + "-bin");
        Files.createDirectories(fake);
        Path old = fake.resolve("pg_dump14");
        Files.writeString(old, "#!/bin/sh\necho 'pg_dump (PostgreSQL) 14.9'\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rwxr-xr-x"));
        start("traceability.backup.pg-dump", fake.resolve("no-such-pg_dump").toString());
        Map<String, Object> missing = runner().runNow("backup", "cli", false);
        assertThat(missing.get("status")).isEqualTo("failed");
        assertThat((String) missing.get("error")).contains("pg_dump not found", "apt-get install postgresql-client-",
                "traceability.backup.pg-dump");
        assertThat(files()).isEmpty();
        service.close();

        start("traceability.backup.pg-dump", old.toString());
        Map<String, Object> tooOld = runner().runNow("backup", "cli", false);
        assertThat(tooOld.get("status")).isEqualTo("failed");
        assertThat((String) tooOld.get("error")).contains("pg_dump 14 cannot handle this PostgreSQL 15 server");
        // a failed job shows in /health: still serving (200), degraded, naming the job
        Response health = service.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).startsWith("{\"status\":\"degraded\"").contains("\"failed_jobs\":[\"backup\"]");
        assertThat(files()).isEmpty();
        assertThat(service.get("/observe/metrics").body())
                .contains("maintenance_job_runs_total{job_name=\"backup\",outcome=\"failed\"}");
    }

    private JobRunner runner() {
        return service.main().getCamelContext().getRegistry().findSingleByType(JobRunner.class);
    }

    private Restores restores() {
        return service.main().getCamelContext().getRegistry().findSingleByType(Restores.class);
    }

    private void track(String event) {
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(event)));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    private List<String> files() throws Exception {
        try (Stream<Path> s = Files.list(backups)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static String stamp(int daysAgo) {
        return BackupFiles.stamp(Instant.now().minus(Duration.ofDays(daysAgo)));
    }

    /** An md5 of each table's rows in a fixed order, optionally limited to one pattern's rows. */
    private Map<String, String> checksums(String nodeFilter) throws SQLException {
        String nodes = "SELECT node_id FROM lineage_nodes WHERE " + nodeFilter;
        return Map.of(
                "nodes", strings("SELECT md5(string_agg(t::text, ',' ORDER BY node_id)) FROM lineage_nodes t WHERE "
                        + nodeFilter).get(0) + "",
                "edges", strings("SELECT md5(string_agg(t::text, ',' ORDER BY edge_id)) FROM lineage_edges t"
                        + " WHERE target_node_id IN (" + nodes + ")").get(0) + "",
                "events", strings("SELECT md5(string_agg(t::text, ',' ORDER BY event_id)) FROM lineage_events t"
                        + " WHERE node_id IN (" + nodes + ")").get(0) + "");
    }

    private Map<String, String> checksums() throws SQLException {
        Map<String, String> sums = new java.util.TreeMap<>();
        for (String table : List.of("lineage_nodes", "lineage_edges", "lineage_events", "hook_executions",
                "lineage_event_keys")) {
            sums.put(table, strings("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, ',' ORDER BY t::text)), '')"
                    + " FROM " + table + " t").get(0));
        }
        return sums;
    }

    private long count(String sql) throws SQLException {
        return TestPostgres.count(db, sql);
    }

    private List<String> strings(String sql) throws SQLException {
        return TestPostgres.strings(db, sql);
    }

    private void execute(String sql) throws SQLException {
        TestPostgres.execute(db, sql);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
