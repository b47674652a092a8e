package dev.archon.traceability.maintenance;

import dev.archon.traceability.jobs.Job;
import dev.archon.traceability.backup.BackupAudit;
import dev.archon.traceability.health.DatabaseProbe;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.json.Json;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The runbook's health_check_phase4.sh as a job: database reachable, contract tables present, service health, the
 * newest dump in the backup folder (whoever wrote it: see BackupAudit), and
 * the orphaned-edges count (exported as lineage_orphaned_edges). A run fails when the database, the tables or the
 * service are not healthy; orphaned edges are reported, as in the script, not a failure.
 */
public final class HealthCheckJob implements Job {

    private static final String ORPHANED_EDGES = """
            SELECT COUNT(*) FROM lineage_edges e
             WHERE NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.source_node_id)
                OR NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.target_node_id)""";

    private final DatabaseProbe probe;
    private final HealthService health;
    private final BackupAudit backups;
    private final DataSource dataSource;
    private final Runnable readBackupMetrics;
    private final AtomicLong orphanedEdges = new AtomicLong(-1);

    /** {@code readBackupMetrics} sets the backup gauges from the folder's newest verified dump, whoever made it. */
    public HealthCheckJob(DatabaseProbe probe, HealthService health, BackupAudit backups, Runnable readBackupMetrics,
                          DataSource dataSource, MeterRegistry meters) {
        this.probe = probe;
        this.health = health;
        this.backups = backups;
        this.readBackupMetrics = readBackupMetrics;
        this.dataSource = dataSource;
        Gauge.builder("lineage_orphaned_edges", orphanedEdges, AtomicLong::get)
                .description("Edges whose source or target node is missing (-1 until the first health check)")
                .register(meters);
    }

    @Override
    public String name() {
        return "health-check";
    }

    @Override
    public Map<String, Object> run(boolean dryRun) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        DatabaseProbe.Result db = probe.probe();
        report.put("database_reachable", db.up());
        if (!db.up()) {
            throw new IllegalStateException("database unreachable: " + db.error());
        }
        report.put("database_latency_ms", db.latencyMs());
        report.put("tables_present", db.objects());
        if (db.objects().containsValue(false)) {
            throw new IllegalStateException("contract objects missing: " + db.objects());
        }
        // the newest dump in the backup folder, whoever wrote it: one that lost the event partitions degrades /health
        backups.check().ifPresent(finding -> report.put("newest_backup", finding.asMap()));
        readBackupMetrics.run();
        HealthService.Report service = health.overall();
        report.put("service_status", service.status().name().toLowerCase());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(ORPHANED_EDGES)) {
            rs.next();
            orphanedEdges.set(rs.getLong(1));
        }
        report.put("orphaned_edges", orphanedEdges.get());
        if (service.status() == HealthService.Status.UNHEALTHY) {
            throw new IllegalStateException("service unhealthy: " + Json.write(service.body()));
        }
        return report;
    }
}
