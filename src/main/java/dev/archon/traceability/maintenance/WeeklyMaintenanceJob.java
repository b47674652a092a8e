package dev.archon.traceability.maintenance;

import java.sql.Connection;
import java.sql.ResultSet;
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
public final class WeeklyMaintenanceJob implements MaintenanceJob {

    /** Per table: sizes, the share that is table (the runbook's table_pct), and dead tuples. */
    private static final String BLOAT_REPORT = """
            SELECT p.relname,
                   sum(pg_total_relation_size(c.oid))::bigint AS total_bytes,
                   round(100.0 * sum(pg_relation_size(c.oid)) / nullif(sum(pg_total_relation_size(c.oid)), 0), 2)
                       AS table_pct,
                   sum(coalesce(s.n_dead_tup, 0))::bigint AS dead_tuples,
                   round(100.0 * sum(coalesce(s.n_dead_tup, 0))
                         / nullif(sum(coalesce(s.n_live_tup, 0) + coalesce(s.n_dead_tup, 0)), 0), 2) AS dead_pct
              FROM pg_class p
              JOIN pg_class c ON c.oid = p.oid
                              OR c.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = p.oid)
              LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid
             WHERE p.relname = ANY (?) AND p.relnamespace = 'public'::regnamespace
             GROUP BY p.relname
             ORDER BY total_bytes DESC""";

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
            report.put("bloat_before", bloat(c));
            List<Map<String, Object>> reindexed = new ArrayList<>();
            if (!dryRun) {
                for (String table : DailyMaintenanceJob.TABLES) {
                    long t0 = System.nanoTime();
                    s.execute("REINDEX TABLE CONCURRENTLY " + table); // names from a fixed list, never from input
                    s.execute("ANALYZE " + table);
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("table", table);
                    r.put("reindex_and_analyze_ms", (System.nanoTime() - t0) / 1_000_000);
                    reindexed.add(r);
                }
                report.put("bloat_after", bloat(c));
            }
            report.put("reindexed_concurrently", dryRun ? List.of("(dry run) would reindex "
                    + DailyMaintenanceJob.TABLES) : reindexed);
        }
        return report;
    }

    private static List<Map<String, Object>> bloat(Connection c) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (var ps = c.prepareStatement(BLOAT_REPORT)) {
            ps.setArray(1, c.createArrayOf("text", DailyMaintenanceJob.TABLES.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("table", rs.getString(1));
                    t.put("total_bytes", rs.getLong(2));
                    t.put("table_pct", rs.getObject(3));
                    t.put("dead_tuples", rs.getLong(4));
                    t.put("dead_pct", rs.getObject(5));
                    out.add(t);
                }
            }
        }
        return out;
    }
}
