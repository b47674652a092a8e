package dev.archon.traceability.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.db.Tables;
import dev.archon.traceability.jobs.Job;
import dev.archon.traceability.json.Json;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPOutputStream;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runbook's backup_phase4_data.sh as a job, verified: {@code pg_dump --format=custom} of the lineage tables
 * (with their monthly partitions and the archive), hook_executions and the idempotency keys to
 * {@code phase4_lineage_<YYYYMMDD_HHMMSS>.dump}, and a gzipped schema-only {@code phase4_schema_<...>.sql.gz}, in
 * ARCHON_BACKUP_DIR. Each file is written under a temporary dot-name and renamed only when complete; the dump is
 * verified with {@code pg_restore --list} and its size and SHA-256 recorded in {@code <dump>.json}. Retention
 * deletes backups older than the retention period but never the newest verified dump. A missing pg_dump, or one
 * older than the server, fails the run with what to do, and leaves no file behind.
 */
public final class BackupJob implements Job {

    private static final Logger LOG = LoggerFactory.getLogger(BackupJob.class);


    private final DataSource dataSource;
    private final PgClient client;
    private final BackupFiles files;
    private final Path dir;
    private final Duration retention;
    private final Clock clock;
    private final AtomicLong lastSize = new AtomicLong(-1);
    private final AtomicLong lastSuccess = new AtomicLong(0);

    public BackupJob(DataSource dataSource, PgClient client, BackupFiles files, Duration retention, Clock clock,
                     MeterRegistry meters) {
        this.dataSource = dataSource;
        this.client = client;
        this.files = files;
        this.dir = files.dir();
        this.retention = retention;
        this.clock = clock;
        Gauge.builder("backup_last_size_bytes", lastSize, AtomicLong::get)
                .description("Size of the newest verified dump (-1 until one is made)").register(meters);
        Gauge.builder("backup_last_success_timestamp_seconds", lastSuccess, AtomicLong::get)
                .description("When the newest verified dump was made (Unix seconds; its age is time() minus this)")
                .register(meters);
        readNewestVerifiedDump();
    }

    /**
     * Sets the gauges from the newest verified dump in the folder (its sidecar), whoever made it: at start, so a
     * restart does not make the "no verified backup for 26 h" alert fire while a fresh dump is there, and at every
     * health check, so dumps of the command line or of ops/scripts/backup_phase4_data.sh (cron) count too.
     */
    public void readNewestVerifiedDump() {
        try {
            Optional<Path> newest = files.newestVerifiedDump();
            if (newest.isPresent()) {
                JsonNode sidecar = Json.mapper().readTree(BackupFiles.sidecarOf(newest.get()).toFile());
                lastSize.set(sidecar.path("size_bytes").asLong(-1));
                lastSuccess.set(Instant.parse(sidecar.path("created_at").asText()).getEpochSecond());
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Newest backup's sidecar is unreadable ({}); backup metrics start empty", e.getMessage());
        }
    }

    @Override
    public String name() {
        return "backup";
    }

    @Override
    public Map<String, Object> run(boolean dryRun) throws Exception {
        int serverMajor = PgClient.serverMajor(dataSource);
        String pgDump = client.check("pg_dump", serverMajor);
        String pgRestore = client.check("pg_restore", serverMajor);
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("directory", dir.toAbsolutePath().toString());
        report.put("pg_dump", pgDump);
        String stamp = BackupFiles.stamp(clock.instant());
        String dumpName = BackupFiles.dumpName(stamp);
        String schemaName = BackupFiles.schemaName(stamp);
        if (dryRun) {
            report.put("would_write", List.of(dumpName, schemaName));
            report.put("would_delete", expired());
            return report;
        }
        Files.createDirectories(dir);
        Path dump = dir.resolve(dumpName);
        Path dumpTmp = dir.resolve("." + dumpName + ".partial");
        Path schema = dir.resolve(schemaName);
        Path schemaTmp = dir.resolve("." + schemaName + ".partial");
        try {
            List<String> tables = tableArguments();
            List<String> dataArgs = new ArrayList<>(List.of("--format=custom", "--file=" + dumpTmp));
            dataArgs.addAll(tables);
            client.pgDump(dataArgs, OutputStream.nullOutputStream());
            DumpContents contents = DumpContents.of(client.pgRestore(List.of("--list", dumpTmp.toString())));
            if (!contents.complete()) {
                throw new PgClient.ToolException("verification failed: " + contents.problem(dumpName));
            }
            int tableData = contents.tablesWithData().size();
            List<String> schemaArgs = new ArrayList<>(List.of("--schema-only"));
            schemaArgs.addAll(tables);
            try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(schemaTmp))) {
                client.pgDump(schemaArgs, gz);
            }
            long size = Files.size(dumpTmp);
            String sha256 = sha256(dumpTmp);
            Files.move(schemaTmp, schema, StandardCopyOption.ATOMIC_MOVE);
            Files.move(dumpTmp, dump, StandardCopyOption.ATOMIC_MOVE);
            Map<String, Object> sidecar = new LinkedHashMap<>();
            sidecar.put("file", dumpName);
            sidecar.put("size_bytes", size);
            sidecar.put("sha256", sha256);
            sidecar.put("verified", "pg_restore --list: " + tableData + " TABLE DATA entries");
            sidecar.put("schema_file", schemaName);
            sidecar.put("tables", Tables.BACKED_UP);
            sidecar.put("pg_dump", pgDump);
            sidecar.put("pg_restore", pgRestore);
            sidecar.put("created_at", clock.instant().toString());
            Path sidecarTmp = dir.resolve("." + dumpName + ".json.partial");
            Files.write(sidecarTmp, Json.bytes(sidecar));
            Files.move(sidecarTmp, BackupFiles.sidecarOf(dump), StandardCopyOption.ATOMIC_MOVE);
            lastSize.set(size);
            lastSuccess.set(clock.instant().getEpochSecond());
            report.put("dump", sidecar);
        } finally {
            Files.deleteIfExists(dumpTmp);
            Files.deleteIfExists(schemaTmp);
        }
        report.put("deleted", deleteExpired());
        return report;
    }

    /** What is dumped: each backed-up table, and the partitions of the partitioned ones. */
    static List<String> tableArguments() {
        List<String> args = new ArrayList<>();
        Tables.BACKED_UP.forEach(t -> args.add("--table=" + t));
        Tables.PARTITIONED.forEach(t -> args.add("--table=" + t + "_*"));
        return args;
    }

    /** Backups past retention, oldest first, sparing the newest verified dump (and its schema and sidecar). */
    List<Path> expired() throws IOException {
        return files.madeBefore(clock.instant().minus(retention));
    }

    private List<String> deleteExpired() throws IOException {
        List<String> deleted = new ArrayList<>();
        for (Path f : expired()) {
            Files.deleteIfExists(f);
            deleted.add(f.getFileName().toString());
        }
        return deleted;
    }

    private static String sha256(Path file) throws IOException {
        try (DigestInputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
