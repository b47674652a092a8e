package dev.archon.traceability.maintenance;

import dev.archon.traceability.db.Tables;
import dev.archon.traceability.jobs.Job;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The runbook's weekly_maintenance_phase4.sh without its long exclusive locks: indexes are rebuilt with
 * {@code REINDEX TABLE CONCURRENTLY} (ingest keeps writing meanwhile; on a partitioned table every partition's
 * indexes), statistics refreshed with ANALYZE, and a bloat report written. No {@code VACUUM FULL}: it rewrites the
 * table under an exclusive lock, and with monthly partitions old events leave by dropping whole partitions instead.
 * A dry run only reports.
 */
public final class WeeklyMaintenanceJob implements Job {

    private final DataSource dataSource;

    public WeeklyMaintenanceJob(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public String name() {
        return "weekly-maintenance";
    }

    @Override
    public Map<String, Object> run(boolean dryRun) throws SQLException {
        Map<String, Object> report = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true); // REINDEX CONCURRENTLY cannot run inside a transaction
            report.put("bloat_before", TableStats.read(c));
            List<Map<String, Object>> reindexed = new ArrayList<>();
            if (!dryRun) {
                for (String table : Tables.MAINTAINED) {
                    long t0 = System.nanoTime();
                    s.execute("REINDEX TABLE CONCURRENTLY " + table); // names from a fixed list, never from input
                    s.execute("ANALYZE " + table);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("table", table);
                    r.put("reindex_and_analyze_ms", (System.nanoTime() - t0) / 1_000_000);
                    reindexed.add(r);
                }
                report.put("bloat_after", TableStats.read(c));
            }
            report.put("reindexed_concurrently", dryRun ? List.of("(dry run) would reindex "
                    + Tables.MAINTAINED) : reindexed);
        }
        return report;
    }
}
