package dev.archon.traceability.maintenance;

import dev.archon.traceability.db.Tables;
import dev.archon.traceability.jobs.Job;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The runbook's daily_maintenance_phase4.sh as a job: VACUUM ANALYZE of the lineage tables and hook_executions
 * (on partitioned tables PostgreSQL processes every partition), then a report of table and index sizes, dead
 * tuples, and index usage that flags the idx_lineage_* indexes never scanned since statistics were reset; table
 * sizes are exported as db_table_size_bytes{table}. It also creates the coming months' partitions and trims the
 * history tables to their retention (job_runs, finished feedback workflows: each trim is given by the table's
 * owner, and reported as {@code <name>_deleted}). A dry run only reports.
 */
public final class DailyMaintenanceJob implements Job {

    /** The runbook's index-usage query, over the partitioned indexes' partitions too. */
    private static final String INDEX_REPORT = """
            SELECT coalesce(parent.relname, s.indexrelname) AS index_name,
                   sum(s.idx_scan)::bigint, sum(s.idx_tup_read)::bigint, sum(s.idx_tup_fetch)::bigint,
                   sum(pg_relation_size(s.indexrelid))::bigint
              FROM pg_stat_user_indexes s
              LEFT JOIN pg_inherits i ON i.inhrelid = s.indexrelid
              LEFT JOIN pg_class parent ON parent.oid = i.inhparent
             WHERE coalesce(parent.relname, s.indexrelname) LIKE 'idx_lineage_%'
             GROUP BY 1
             ORDER BY 2 DESC, 1""";

    private final DataSource dataSource;
    private final Map<String, Callable<Integer>> historyTrims;
    private final Map<String, AtomicLong> tableBytes = new ConcurrentHashMap<>();
    private final MeterRegistry meters;

    private final Callable<List<String>> ensurePartitions;

    /**
     * @param historyTrims by history table ({@code job_runs}, {@code feedback_workflows}), the deletion of its rows
     *                     older than their retention, answering how many it deleted
     */
    public DailyMaintenanceJob(DataSource dataSource, Map<String, Callable<Integer>> historyTrims, MeterRegistry meters,
                               Callable<List<String>> ensurePartitions) {
        this.dataSource = dataSource;
        this.historyTrims = historyTrims;
        this.meters = meters;
        this.ensurePartitions = ensurePartitions;
    }

    @Override
    public String name() {
        return "daily-maintenance";
    }

    @Override
    public Map<String, Object> run(boolean dryRun) throws Exception {
        Map<String, Object> report = new LinkedHashMap<>();
        // next months' partitions, so a long-running service never writes into the default partition
        report.put("partitions_created", dryRun ? List.of() : ensurePartitions.call());
        List<String> vacuumed = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true); // VACUUM cannot run inside a transaction
            if (!dryRun) {
                for (String table : Tables.MAINTAINED) {
                    s.execute("VACUUM (ANALYZE) " + table); // names from the fixed list above, never from input
                    vacuumed.add(table);
                }
            }
            report.put("vacuum_analyzed", dryRun ? List.of("(dry run) would vacuum " + Tables.MAINTAINED) : vacuumed);
            List<Map<String, Object>> tables = TableStats.read(c);
            report.put("tables", tables);
            for (Map<String, Object> t : tables) {
                tableBytes.computeIfAbsent((String) t.get("table"), name -> {
                    AtomicLong bytes = new AtomicLong();
                    Gauge.builder("db_table_size_bytes", bytes, AtomicLong::get)
                            .description("Table size with indexes and partitions, as of the last daily maintenance")
                            .tag("table", name).register(meters);
                    return bytes;
                }).set((Long) t.get("total_bytes"));
            }
            for (Map.Entry<String, Callable<Integer>> trim : historyTrims.entrySet()) {
                report.put(trim.getKey() + "_deleted", dryRun ? 0 : trim.getValue().call());
            }
            List<Map<String, Object>> indexes = indexes(c);
            report.put("indexes", indexes);
            report.put("unused_indexes", indexes.stream().filter(i -> ((Long) i.get("idx_scan")) == 0)
                    .map(i -> i.get("index")).toList());
        }
        return report;
    }

    private static List<Map<String, Object>> indexes(Connection c) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(INDEX_REPORT)) {
            while (rs.next()) {
                Map<String, Object> i = new LinkedHashMap<>();
                i.put("index", rs.getString(1));
                i.put("idx_scan", rs.getLong(2));
                i.put("idx_tup_read", rs.getLong(3));
                i.put("idx_tup_fetch", rs.getLong(4));
                i.put("size_bytes", rs.getLong(5));
                out.add(i);
            }
        }
        return out;
    }
}
