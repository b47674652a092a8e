package dev.archon.traceability.backup;

import dev.archon.traceability.db.Migrations;
import dev.archon.traceability.db.PostgresUrl;
import dev.archon.traceability.db.Tables;
import dev.archon.traceability.jobs.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Restores from a backup dump, as the runbook's recovery scenarios do by hand.
 * <ul>
 * <li><b>Full</b> (Scenario 2): in one transaction (psql --single-transaction), the dumped tables are dropped and
 * recreated with the dump's rows from pg_restore, all or nothing. It takes exclusive locks on
 * those tables, so ingest waits (and may time out) while it runs: stop producers, or expect 503s, during it.</li>
 * <li><b>One pattern</b> (Scenario 1): the dump is restored into a scratch database on the same server, that
 * pattern's nodes, the edges between nodes that exist, its events and their idempotency keys are copied into the
 * live tables with {@code ON CONFLICT DO NOTHING}, and the scratch database is dropped. No other row is touched.</li>
 * </ul>
 * A dry run checks the dump (pg_restore --list) and reports what would be restored.
 */
public final class RestoreJob implements Job {

    /**
     * lineage_patterns and the execution rollups are derived from the restored rows, so they are rebuilt, not dumped
     * (pg_restore's SQL leaves an empty search_path behind it).
     */
    private static final String REBUILD_PATTERN_SUMMARIES = """
            SET search_path = public;
            TRUNCATE lineage_patterns;
            SELECT refresh_lineage_patterns(ARRAY(SELECT DISTINCT pattern_id FROM lineage_nodes), NULL, NULL);
            SELECT rebuild_execution_rollups();
            """;

    private final DataSource dataSource;
    private final PgClient client;
    private final Path dump;
    private final UUID patternId;

    public RestoreJob(DataSource dataSource, PgClient client, Path dump, UUID patternId) {
        this.dataSource = dataSource;
        this.client = client;
        this.dump = dump;
        this.patternId = patternId;
    }

    @Override
    public String name() {
        return "restore";
    }

    @Override
    public Map<String, Object> run(boolean dryRun) throws Exception {
        if (!Files.isRegularFile(dump)) {
            throw new PgClient.ToolException("no dump file " + dump);
        }
        client.check("pg_restore", PgClient.serverMajor(dataSource));
        String listing = client.pgRestore(List.of("--list", dump.toString()));
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("dump", dump.getFileName().toString());
        report.put("mode", patternId == null ? "full" : "pattern");
        report.put("table_data_entries", listing.lines().filter(l -> l.contains(" TABLE DATA ")).count());
        if (patternId != null) {
            report.put("pattern_id", patternId);
        }
        if (dryRun) {
            report.put("dry_run", "the dump reads; nothing was restored");
            return report;
        }
        if (patternId == null) {
            // pg_restore --clean cannot drop partitioned tables' inherited constraints; dropping the parents first
            // (their partitions go with them) and replaying the dump in the same transaction does the same thing
            client.check("psql", PgClient.serverMajor(dataSource));
            // the analytics rollup is not in the dump: it is recomputed from the restored executions, in the same
            // transaction (the dump's SQL empties search_path; RESET brings back the session's own)
            // CASCADE also drops the functions typed by a dropped table (hook_executions_page): the repeatable
            // migrations make them again, in the same transaction
            client.restoreInOneTransaction(dump, "DROP TABLE IF EXISTS " + String.join(", ", dumpedTables(listing))
                    + " CASCADE;\n", "SET search_path = public;\n" + Migrations.repeatableSql(dataSource)
                    + REBUILD_PATTERN_SUMMARIES);
            report.put("restored", counts(dataSource));
        } else {
            report.putAll(restorePattern());
        }
        return report;
    }

    private Map<String, Object> restorePattern() throws Exception {
        String scratch = "phase4_recovery_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        PostgresUrl scratchUrl = client.url().withDatabase(scratch);
        execute("CREATE DATABASE " + scratch); // a generated name, never input
        try {
            client.pgRestore(List.of("--dbname=" + scratchUrl.withoutPassword(), "--no-owner", dump.toString()));
            try (Connection from = DriverManager.getConnection(scratchUrl.jdbcUrl(), scratchUrl.user(),
                    scratchUrl.password()); Connection to = dataSource.getConnection()) {
                to.setAutoCommit(false);
                try {
                    Map<String, Object> copied = copyPattern(from, to);
                    try (PreparedStatement refresh = to.prepareStatement(
                            "SELECT refresh_lineage_patterns(ARRAY[?::uuid], NULL, NULL)")) {
                        refresh.setObject(1, patternId);
                        refresh.executeQuery().close();
                    }
                    to.commit();
                    return copied;
                } catch (SQLException | RuntimeException e) {
                    to.rollback();
                    throw e;
                }
            }
        } finally {
            execute("DROP DATABASE IF EXISTS " + scratch + " WITH (FORCE)");
        }
    }

    /** Copies the pattern's rows that the live tables lack; returns how many of each were restored or skipped. */
    private Map<String, Object> copyPattern(Connection from, Connection to) throws SQLException {
        Map<String, Object> result = new LinkedHashMap<>();
        List<UUID> nodes = new ArrayList<>();
        int restoredNodes = 0;
        List<String> skipped = new ArrayList<>();
        try (PreparedStatement select = from.prepareStatement("SELECT node_id, pattern_id, version_number,"
                + " parent_node_id, pattern_name, pattern_type, template_code, confidence_score,"
                + " performance_baseline::text, quality_baseline, success_rate_baseline, created_at, created_by,"
                + " status, correlation_id,"
                // read through to_jsonb: a dump taken before V11 has no such columns
                + " to_jsonb(n) ->> 'external_pattern_id', to_jsonb(n) ->> 'external_version'"
                + " FROM lineage_nodes n WHERE pattern_id = ? ORDER BY version_number");
             PreparedStatement liveNode = to.prepareStatement(
                     "SELECT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = ?)");
             PreparedStatement insert = to.prepareStatement("INSERT INTO lineage_nodes (node_id, pattern_id,"
                     + " version_number, parent_node_id, pattern_name, pattern_type, template_code,"
                     + " confidence_score, performance_baseline, quality_baseline, success_rate_baseline,"
                     + " created_at, created_by, status, correlation_id, external_pattern_id, external_version)"
                     + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            select.setObject(1, patternId);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    UUID node = rs.getObject(1, UUID.class);
                    UUID parent = rs.getObject(4, UUID.class);
                    if (parent != null && !exists(liveNode, parent)) {
                        skipped.add(node + " (its parent " + parent + " is in neither table)");
                        continue;
                    }
                    for (int i = 1; i <= 17; i++) {
                        insert.setObject(i, rs.getObject(i));
                    }
                    if (insert.executeUpdate() == 1) {
                        restoredNodes++;
                        nodes.add(node);
                    } else if (exists(liveNode, node)) {
                        nodes.add(node); // already there: its edges and events may still be missing
                    } else {
                        skipped.add(node + " (its version number is taken by another node of the pattern)");
                    }
                }
            }
        }
        result.put("nodes_restored", restoredNodes);
        result.put("nodes_in_dump", nodes.size() + skipped.size());
        if (!skipped.isEmpty()) {
            result.put("nodes_skipped", skipped);
        }
        if (nodes.isEmpty()) {
            result.put("edges_restored", 0);
            result.put("events_restored", 0);
            return result;
        }
        UUID[] ids = nodes.toArray(new UUID[0]);
        result.put("edges_restored", copy(from, to, ids,
                "SELECT edge_id, source_node_id, target_node_id, edge_type, weight, metadata::text, created_at,"
                        + " created_by, correlation_id FROM lineage_edges"
                        + " WHERE source_node_id = ANY (?) OR target_node_id = ANY (?)",
                "INSERT INTO lineage_edges (edge_id, source_node_id, target_node_id, edge_type, weight, metadata,"
                        + " created_at, created_by, correlation_id) SELECT ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?"
                        + " WHERE EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = ?::uuid)"
                        + " AND EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = ?::uuid) ON CONFLICT DO NOTHING",
                9, new int[] {2, 3}));
        result.put("events_restored", copy(from, to, ids,
                "SELECT event_id, event_type, node_id, edge_id, event_data::text, \"timestamp\", source,"
                        + " correlation_id, user_id FROM lineage_events WHERE node_id = ANY (?) OR node_id = ANY (?)",
                "INSERT INTO lineage_events (event_id, event_type, node_id, edge_id, event_data, \"timestamp\","
                        + " source, correlation_id, user_id) VALUES (?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)"
                        + " ON CONFLICT DO NOTHING",
                9, new int[0]));
        result.put("event_keys_restored", copy(from, to, ids,
                "SELECT event_id, node_id, pattern_id, version_number, recorded_at FROM lineage_event_keys"
                        + " WHERE node_id = ANY (?) OR node_id = ANY (?)",
                "INSERT INTO lineage_event_keys (event_id, node_id, pattern_id, version_number, recorded_at)"
                        + " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                5, new int[0]));
        return result;
    }

    /** Whether the live table has the node ({@code check}: SELECT EXISTS ... WHERE node_id = ?). */
    private static boolean exists(PreparedStatement check, UUID node) throws SQLException {
        check.setObject(1, node);
        try (ResultSet rs = check.executeQuery()) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    /** Copies the rows {@code select} finds (its two array parameters: the nodes) with {@code insert}. */
    private static int copy(Connection from, Connection to, UUID[] nodes, String select, String insert, int columns,
                            int[] repeatAtEnd) throws SQLException {
        int copied = 0;
        try (PreparedStatement s = from.prepareStatement(select); PreparedStatement i = to.prepareStatement(insert)) {
            s.setArray(1, from.createArrayOf("uuid", nodes));
            s.setArray(2, from.createArrayOf("uuid", nodes));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    for (int c = 1; c <= columns; c++) {
                        i.setObject(c, rs.getObject(c));
                    }
                    for (int k = 0; k < repeatAtEnd.length; k++) {
                        i.setObject(columns + 1 + k, rs.getObject(repeatAtEnd[k]));
                    }
                    copied += i.executeUpdate();
                }
            }
        }
        return copied;
    }

    /**
     * The backed-up tables that the dump holds, from its {@code pg_restore --list} listing: a full restore drops and
     * recreates these only, so a dump made before a table existed (the feedback tables of V10, say) does not drop
     * that table without bringing it back.
     */
    static List<String> dumpedTables(String listing) {
        return Tables.BACKED_UP.stream()
                .filter(t -> listing.lines().anyMatch(l -> l.contains(" TABLE public " + t + " ")))
                .toList();
    }

    static Map<String, Long> counts(DataSource dataSource) throws SQLException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            for (String table : Tables.CONTRACT) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        }
        return counts;
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute(sql);
        }
    }
}
