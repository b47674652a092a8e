package dev.archon.traceability.feedback;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the collect and analyze stages read: a pattern's versions, its hook_executions and feedback in a window, the
 * per-version baselines, and which patterns have enough new executions for the schedule. Every window query reads
 * hook_executions through its (pattern_id, started_at) index, so a window costs what it holds, not the table.
 */
public final class WindowQueries {

    /** A version of a pattern. */
    public record Version(UUID nodeId, UUID patternId, int version, UUID parentNodeId) {
    }

    /** Executions in the window by node (the null key: executions that name no version). */
    public record Counts(Map<UUID, Long> byNode, long total) {
    }

    private static final String NEWEST_VERSION = """
            SELECT node_id, pattern_id, version_number, parent_node_id FROM lineage_nodes
             WHERE pattern_id = ? ORDER BY version_number DESC LIMIT 1""";

    private static final String NODE = """
            SELECT node_id, pattern_id, version_number, parent_node_id FROM lineage_nodes WHERE node_id = ?""";

    private static final String NODES = """
            SELECT node_id, pattern_id, version_number, parent_node_id FROM lineage_nodes WHERE node_id = ANY (?)
             ORDER BY version_number""";

    private static final String COUNTS = """
            SELECT node_id, count(*) FROM hook_executions
             WHERE pattern_id = ? AND started_at >= ? AND started_at < ?
             GROUP BY node_id""";

    private static final String FEEDBACK = """
            SELECT count(*), avg(rating)::float8,
                   count(*) FILTER (WHERE sentiment = 'positive'),
                   count(*) FILTER (WHERE sentiment = 'neutral'),
                   count(*) FILTER (WHERE sentiment = 'negative'),
                   count(*) FILTER (WHERE sentiment = 'negative' AND feedback_type = 'performance'),
                   count(*) FILTER (WHERE sentiment = 'negative' AND feedback_type = 'quality'),
                   count(*) FILTER (WHERE sentiment = 'negative' AND feedback_type = 'usage'),
                   count(*) FILTER (WHERE sentiment = 'negative' AND feedback_type = 'general')
              FROM pattern_feedback
             WHERE pattern_id = ? AND created_at >= ? AND created_at < ?""";

    /** One sort per version serves the three percentiles (the array form of percentile_cont). */
    private static final String BASELINES = """
            SELECT node_id, count(*), count(*) FILTER (WHERE status = 'success'),
                   count(duration_ms), avg(duration_ms), var_samp(duration_ms),
                   percentile_cont(ARRAY[0.5, 0.95, 0.99]) WITHIN GROUP (ORDER BY duration_ms),
                   count(quality_score), avg(quality_score), var_samp(quality_score)
              FROM hook_executions
             WHERE pattern_id = ? AND started_at >= ? AND started_at < ? AND node_id IS NOT NULL
               AND (CAST(? AS uuid) IS NULL OR node_id = ?)
             GROUP BY node_id""";

    /**
     * Patterns of the lineage with at least {@code ?} executions in the window started after their last workflow
     * was triggered (all of the window for a pattern never looked at), most new executions first.
     */
    private static final String ELIGIBLE = """
            WITH last AS (
                SELECT pattern_id, max(created_at) AS at FROM feedback_workflows GROUP BY pattern_id
            ), fresh AS (
                SELECT e.pattern_id, count(*) AS new_executions
                  FROM hook_executions e
                  LEFT JOIN last l ON l.pattern_id = e.pattern_id
                 WHERE e.started_at >= ? AND e.started_at < ? AND (l.at IS NULL OR e.started_at > l.at)
                 GROUP BY e.pattern_id
                HAVING count(*) >= ?
            )
            SELECT f.pattern_id, f.new_executions FROM fresh f
              JOIN lineage_patterns p ON p.pattern_id = f.pattern_id
             ORDER BY f.new_executions DESC, f.pattern_id""";

    private WindowQueries() {
    }

    /** The pattern's newest version (highest version_number), or null for a pattern with no version. */
    static Version newestVersion(Connection c, UUID patternId) throws SQLException {
        return version(c, NEWEST_VERSION, patternId);
    }

    static Version node(Connection c, UUID nodeId) throws SQLException {
        return version(c, NODE, nodeId);
    }

    /** The versions among {@code nodeIds} (ids that are no node are left out), oldest first. */
    static List<Version> nodes(Connection c, List<UUID> nodeIds) throws SQLException {
        List<Version> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(NODES)) {
            ps.setArray(1, c.createArrayOf("uuid", nodeIds.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Version(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getInt(3),
                            rs.getObject(4, UUID.class)));
                }
            }
        }
        return out;
    }

    private static Version version(Connection c, String sql, UUID id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setObject(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Version(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getInt(3), rs.getObject(4, UUID.class)) : null;
            }
        }
    }

    static Counts counts(Connection c, UUID patternId, Instant from, Instant to) throws SQLException {
        Map<UUID, Long> byNode = new LinkedHashMap<>();
        long total = 0;
        try (PreparedStatement ps = c.prepareStatement(COUNTS)) {
            window(ps, patternId, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    byNode.put(rs.getObject(1, UUID.class), rs.getLong(2));
                    total += rs.getLong(2);
                }
            }
        }
        return new Counts(byNode, total);
    }

    static FeedbackSummary feedback(Connection c, UUID patternId, Instant from, Instant to) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(FEEDBACK)) {
            window(ps, patternId, from, to);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Map<String, Long> negative = new LinkedHashMap<>();
                negative.put("performance", rs.getLong(6));
                negative.put("quality", rs.getLong(7));
                negative.put("usage", rs.getLong(8));
                negative.put("general", rs.getLong(9));
                return new FeedbackSummary(rs.getLong(1), (Double) rs.getObject(2), rs.getLong(3), rs.getLong(4),
                        rs.getLong(5), negative);
            }
        }
    }

    /**
     * The baselines of the pattern's versions in the window (of {@code onlyNode} alone when given), by node; executions
     * naming a node that is no version are left out.
     */
    static Map<UUID, Baseline> baselines(Connection c, UUID patternId, Instant from, Instant to, UUID onlyNode)
            throws SQLException {
        record Row(UUID node, long n, long successes, long durationN, Double mean, Double variance, Double[] pct,
                   long qualityN, Double qualityMean, Double qualityVariance) {
        }
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(BASELINES)) {
            window(ps, patternId, from, to);
            ps.setObject(4, onlyNode);
            ps.setObject(5, onlyNode);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Double[] pct = rs.getArray(7) == null ? new Double[3] : (Double[]) rs.getArray(7).getArray();
                    rows.add(new Row(rs.getObject(1, UUID.class), rs.getLong(2), rs.getLong(3), rs.getLong(4),
                            (Double) rs.getObject(5), (Double) rs.getObject(6), pct, rs.getLong(8),
                            (Double) rs.getObject(9), (Double) rs.getObject(10)));
                }
            }
        }
        Map<UUID, Integer> versions = new LinkedHashMap<>();
        for (Version v : nodes(c, rows.stream().map(Row::node).toList())) {
            versions.put(v.nodeId(), v.version());
        }
        Map<UUID, Baseline> out = new LinkedHashMap<>();
        for (Row r : rows) {
            Integer version = versions.get(r.node());
            if (version != null) {
                out.put(r.node(), new Baseline(r.node(), patternId, version, r.n(), r.successes(), r.durationN(),
                        r.mean(), r.variance(), r.pct()[0], r.pct()[1], r.pct()[2], r.qualityN(), r.qualityMean(),
                        r.qualityVariance()));
            }
        }
        return out;
    }

    /** Patterns due for a scheduled workflow, with their number of new executions. */
    public static Map<UUID, Long> eligible(Connection c, Instant from, Instant to, int minNewExecutions)
            throws SQLException {
        Map<UUID, Long> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(ELIGIBLE)) {
            ps.setObject(1, at(from));
            ps.setObject(2, at(to));
            ps.setInt(3, minNewExecutions);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getObject(1, UUID.class), rs.getLong(2));
                }
            }
        }
        return out;
    }

    private static void window(PreparedStatement ps, UUID patternId, Instant from, Instant to) throws SQLException {
        ps.setObject(1, patternId);
        ps.setObject(2, at(from));
        ps.setObject(3, at(to));
    }

    static OffsetDateTime at(Instant instant) {
        return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
    }
}
