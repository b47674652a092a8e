package dev.archon.traceability.maintenance;

import dev.archon.traceability.db.Tables;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Size and bloat figures of the maintained tables, partitions counted with their parent: total and index bytes, the
 * share that is table (the runbook's table_pct), live and dead tuples. The daily and weekly reports both use it.
 */
final class TableStats {

    private static final String QUERY = """
            SELECT p.relname,
                   sum(pg_total_relation_size(c.oid))::bigint AS total_bytes,
                   sum(pg_indexes_size(c.oid))::bigint AS index_bytes,
                   round(100.0 * sum(pg_relation_size(c.oid)) / nullif(sum(pg_total_relation_size(c.oid)), 0), 2)
                       AS table_pct,
                   sum(coalesce(s.n_live_tup, 0))::bigint AS live_tuples,
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

    private TableStats() {
    }

    static List<Map<String, Object>> read(Connection c) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(QUERY)) {
            ps.setArray(1, c.createArrayOf("text", Tables.MAINTAINED.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> t = new LinkedHashMap<>();
                    t.put("table", rs.getString(1));
                    t.put("total_bytes", rs.getLong(2));
                    t.put("index_bytes", rs.getLong(3));
                    t.put("table_pct", rs.getObject(4));
                    t.put("live_tuples", rs.getLong(5));
                    t.put("dead_tuples", rs.getLong(6));
                    t.put("dead_pct", rs.getObject(7));
                    out.add(t);
                }
            }
        }
        return out;
    }
}
