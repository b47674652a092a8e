package dev.archon.traceability.lineage;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.json.Json;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Reads of the lineage graph that need logic around their SQL (walks with bounds, paging); reads that are one
 * query are routes (routes/lineage-api.yaml). Every walk is depth-capped and bounded in the rows it visits, and says
 * so ({@code truncated}, and the limit that cut it) instead of cutting silently; it is cycle-safe because a node is
 * visited once per depth and the depth is capped.
 */
public final class LineageQueries {

    /** The edge types that carry lineage (DEPRECATED_BY and RELATED_TO relate patterns, they do not derive them). */
    static final List<String> LINEAGE_EDGE_TYPES = List.of("DERIVED_FROM", "IMPROVED_VERSION", "FORKED_FROM",
            "MERGED_INTO");

    /** Which way a walk follows the edges. */
    public enum Direction {
        ANCESTORS("target_node_id", "source_node_id"), DESCENDANTS("source_node_id", "target_node_id");

        private final String from;
        private final String to;

        Direction(String from, String to) {
            this.from = from;
            this.to = to;
        }
    }

    /** How far a walk may go: at most {@code maxDepth} edges away, at most {@code maxRows} (node, edge) steps. */
    public record Bounds(int maxDepth, int maxRows) {
    }

    /**
     * A walk's answer: the nodes reached (with their distance), the edges followed, whether a bound cut it, and the
     * pattern of the node it started from (null when there is no such node).
     */
    public record Walk(List<Map<String, Object>> nodes, List<Map<String, Object>> edges, String truncatedBy,
                       UUID startPattern) {
    }

    /** One page of patterns and the (activity, id) of its last row, when there may be more. */
    public record PatternPage(List<Map<String, Object>> patterns, Instant lastActivity, UUID lastId) {
    }

    private static final String NODE_COLUMNS = "n.node_id, n.pattern_id, n.version_number, n.parent_node_id,"
            + " n.pattern_name, n.pattern_type, n.status, n.created_at, n.created_by, n.confidence_score,"
            + " n.performance_baseline::text, n.quality_baseline, n.success_rate_baseline, n.external_pattern_id,"
            + " n.external_version";

    private final DataSource dataSource;

    public LineageQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The ancestors or descendants of a node along lineage edges, across patterns (a fork's ancestors include its
     * source pattern's versions; a version's descendants include forks of it and merges it went into).
     */
    public Walk walk(UUID nodeId, Direction direction, Bounds bounds) throws SQLException {
        String sql = """
                WITH RECURSIVE walk(node_id, depth, edge_id, source_node_id, target_node_id, edge_type) AS (
                    SELECT CAST(? AS uuid), 0, NULL::uuid, NULL::uuid, NULL::uuid, NULL::text
                    UNION
                    SELECT e.%2$s, w.depth + 1, e.edge_id, e.source_node_id, e.target_node_id, e.edge_type
                      FROM walk w
                      JOIN lineage_edges e ON e.%1$s = w.node_id
                     WHERE w.depth < ? AND e.edge_type = ANY (?)
                ), bounded AS (
                    SELECT * FROM walk LIMIT ?
                )
                SELECT b.depth, b.edge_id, b.source_node_id, b.target_node_id, b.edge_type,
                       (SELECT count(*) FROM bounded) AS steps,
                       EXISTS (SELECT 1 FROM bounded x JOIN lineage_edges e ON e.%1$s = x.node_id
                                WHERE x.depth = ? AND e.edge_type = ANY (?)) AS beyond_depth,
                       %3$s
                  FROM bounded b JOIN lineage_nodes n ON n.node_id = b.node_id
                 ORDER BY b.depth, n.pattern_id, n.version_number""".formatted(direction.from, direction.to,
                NODE_COLUMNS);
        Map<UUID, Map<String, Object>> nodes = new LinkedHashMap<>();
        Map<UUID, Map<String, Object>> edges = new LinkedHashMap<>();
        long steps = 0;
        boolean beyondDepth = false;
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            Array types = c.createArrayOf("text", LINEAGE_EDGE_TYPES.toArray());
            ps.setObject(1, nodeId);
            ps.setInt(2, bounds.maxDepth());
            ps.setArray(3, types);
            ps.setInt(4, bounds.maxRows() + 1);
            ps.setInt(5, bounds.maxDepth());
            ps.setArray(6, types);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    steps = rs.getLong("steps");
                    beyondDepth = rs.getBoolean("beyond_depth");
                    UUID node = rs.getObject("node_id", UUID.class);
                    int depth = rs.getInt("depth");
                    if (!nodes.containsKey(node)) { // rows come nearest first: a node keeps its shortest distance
                        Map<String, Object> m = node(rs);
                        m.put("depth", depth);
                        nodes.put(node, m);
                    }
                    UUID edge = rs.getObject("edge_id", UUID.class);
                    if (edge != null && !edges.containsKey(edge)) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("edge_id", edge);
                        m.put("source_node_id", rs.getObject("source_node_id", UUID.class));
                        m.put("target_node_id", rs.getObject("target_node_id", UUID.class));
                        m.put("edge_type", rs.getString("edge_type"));
                        edges.put(edge, m);
                    }
                }
            }
        }
        Map<String, Object> start = nodes.remove(nodeId); // the request, not an ancestor of itself
        String truncatedBy = steps > bounds.maxRows() ? "max_nodes" : beyondDepth ? "depth" : null;
        return new Walk(new ArrayList<>(nodes.values()), new ArrayList<>(edges.values()), truncatedBy,
                start == null ? null : (UUID) start.get("pattern_id"));
    }

    /**
     * Every version of a pattern up to {@code maxDepth} versions from its root (depth 1), with, when asked, every
     * edge touching them (so forks from and merges into other patterns show). 404 for an unknown pattern.
     */
    public Map<String, Object> pattern(UUID patternId, boolean includeEdges, Bounds bounds) throws SQLException {
        List<Map<String, Object>> nodes = new ArrayList<>();
        List<Map<String, Object>> edges = new ArrayList<>();
        boolean cut;
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    WITH RECURSIVE versions(node_id, depth) AS (
                        SELECT node_id, 1 FROM lineage_nodes r
                         WHERE r.pattern_id = ? AND (r.parent_node_id IS NULL OR NOT EXISTS (
                               SELECT 1 FROM lineage_nodes p
                                WHERE p.node_id = r.parent_node_id AND p.pattern_id = r.pattern_id))
                        UNION
                        SELECT n.node_id, v.depth + 1
                          FROM versions v JOIN lineage_nodes n ON n.parent_node_id = v.node_id
                         WHERE v.depth < ? AND n.pattern_id = ?
                    ), bounded AS (
                        SELECT node_id, min(depth) AS depth FROM (SELECT * FROM versions LIMIT ?) x GROUP BY node_id
                    )
                    SELECT b.depth, %s
                      FROM bounded b JOIN lineage_nodes n ON n.node_id = b.node_id
                     ORDER BY n.version_number""".formatted(NODE_COLUMNS))) {
                ps.setObject(1, patternId);
                ps.setInt(2, bounds.maxDepth());
                ps.setObject(3, patternId);
                ps.setInt(4, bounds.maxRows() + 1);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> m = node(rs);
                        m.put("depth", rs.getInt("depth"));
                        nodes.add(m);
                    }
                }
            }
            cut = nodes.size() > bounds.maxRows();
            if (cut) {
                nodes = nodes.subList(0, bounds.maxRows());
            }
            long total = versionCount(c, patternId);
            if (total == 0) {
                throw unknownPattern(patternId);
            }
            if (includeEdges && !nodes.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("""
                        SELECT edge_id, source_node_id, target_node_id, edge_type, weight, metadata::text,
                               created_at
                          FROM lineage_edges
                         WHERE source_node_id = ANY (?) OR target_node_id = ANY (?)
                         ORDER BY created_at, edge_id""")) {
                    Array ids = c.createArrayOf("uuid", nodes.stream().map(n -> n.get("node_id")).toArray());
                    ps.setArray(1, ids);
                    ps.setArray(2, ids);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("edge_id", rs.getObject(1, UUID.class));
                            m.put("source_node_id", rs.getObject(2, UUID.class));
                            m.put("target_node_id", rs.getObject(3, UUID.class));
                            m.put("edge_type", rs.getString(4));
                            m.put("weight", rs.getDouble(5));
                            m.put("metadata", Json.stored(rs.getString(6)));
                            m.put("created_at", instant(rs.getTimestamp(7)));
                            edges.add(m);
                        }
                    }
                }
            }
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("pattern_id", patternId);
            answer.put("version_count", total);
            answer.put("nodes", nodes);
            if (includeEdges) {
                answer.put("edges", edges);
            }
            boolean deeper = !cut && nodes.size() < total;
            answer.put("truncated", cut || deeper);
            answer.put("truncated_by", cut ? "max_nodes" : deeper ? "max_depth" : null);
            answer.put("max_depth", bounds.maxDepth());
            answer.put("max_nodes", bounds.maxRows());
            return answer;
        }
    }

    private static long versionCount(Connection c, UUID patternId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM lineage_nodes WHERE pattern_id = ?")) {
            ps.setObject(1, patternId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Pattern search: {@link #patterns}, its parameters bound by {@link #bindPatternSearch}. */
    static final String PATTERN_SEARCH = """
            SELECT pattern_id, pattern_name, pattern_type, status, newest_node_id, newest_version,
                   version_count, created_at, last_activity,
                   CASE WHEN external_pattern_id = ? THEN 'external_pattern_id'
                        WHEN lower(pattern_name) LIKE ? || '%' THEN 'prefix' ELSE 'substring' END,
                   external_pattern_id
              FROM lineage_patterns
             WHERE (CAST(? AS text) IS NULL OR lower(pattern_name) LIKE '%' || ? || '%'
                    OR external_pattern_id = ?)
               AND (CAST(? AS text) IS NULL OR pattern_type = ?)
               AND (CAST(? AS text) IS NULL OR status = ?)
               AND (CAST(? AS timestamptz) IS NULL OR (last_activity, pattern_id) < (?, ?))
             ORDER BY last_activity DESC, pattern_id DESC
             LIMIT ?""";

    /**
     * Patterns by name (prefix or substring, case-insensitive) or external pattern id (exactly), type and status, most recent activity first, one
     * page of {@code limit} after the keyset ({@code afterActivity}, {@code afterId}).
     */
    public PatternPage patterns(String q, String type, String status, int limit, Instant afterActivity, UUID afterId)
            throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(PATTERN_SEARCH)) {
            bindPatternSearch(ps, q, type, status, limit + 1, afterActivity, afterId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pattern_id", rs.getObject(1, UUID.class));
                    m.put("pattern_name", rs.getString(2));
                    m.put("pattern_type", rs.getString(3));
                    m.put("status", rs.getString(4));
                    m.put("newest_node_id", rs.getObject(5, UUID.class));
                    m.put("newest_version", rs.getInt(6));
                    m.put("version_count", rs.getInt(7));
                    m.put("created_at", instant(rs.getTimestamp(8)));
                    m.put("last_activity", instant(rs.getTimestamp(9)));
                    if (q != null) {
                        m.put("match", rs.getString(10));
                    }
                    if (rs.getString(11) != null) {
                        m.put("external_pattern_id", rs.getString(11));
                    }
                    rows.add(m);
                }
            }
        }
        if (rows.size() <= limit) {
            return new PatternPage(rows, null, null);
        }
        List<Map<String, Object>> page = rows.subList(0, limit);
        Map<String, Object> last = page.get(limit - 1);
        return new PatternPage(page, Instant.parse((String) last.get("last_activity")),
                (UUID) last.get("pattern_id"));
    }

    /** Binds {@link #PATTERN_SEARCH}: at most {@code rows} rows. */
    static void bindPatternSearch(PreparedStatement ps, String q, String type, String status, int rows,
                                  Instant afterActivity, UUID afterId) throws SQLException {
        String like = q == null ? null : escapeLike(q.toLowerCase());
        ps.setString(1, q);
        ps.setString(2, like == null ? "" : like);
        ps.setString(3, like);
        ps.setString(4, like);
        ps.setString(5, q); // an external pattern id is matched exactly: it is case-sensitive
        ps.setString(6, type);
        ps.setString(7, type);
        ps.setString(8, status);
        ps.setString(9, status);
        Timestamp after = afterActivity == null ? null : Timestamp.from(afterActivity);
        ps.setTimestamp(10, after);
        ps.setTimestamp(11, after);
        ps.setObject(12, afterId);
        ps.setInt(13, rows);
    }

    /**
     * What /api/lineage/health shows of the graph: its size (the planner's estimates: free to read at any size), how
     * long the path of the most recently active pattern takes to read, end to end through the pool, and the pattern
     * summaries waiting for their refresh (lineage_patterns_pending: how many commits, the oldest one's age).
     */
    public Map<String, Object> probe() throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'lineage_nodes'::regclass),
                            (SELECT greatest(reltuples, 0)::bigint FROM pg_class WHERE oid = 'lineage_edges'::regclass),
                            (SELECT greatest(reltuples, 0)::bigint FROM pg_class
                              WHERE oid = 'lineage_patterns'::regclass),
                            (SELECT count(*) FROM get_lineage_path((SELECT newest_node_id FROM lineage_patterns
                                                                     ORDER BY last_activity DESC LIMIT 1))),
                            count(*), coalesce(extract(epoch FROM now() - min(recorded_at)), 0)
                       FROM lineage_patterns_pending""")) {
            ps.setQueryTimeout(2);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                m.put("nodes_estimate", rs.getLong(1));
                m.put("edges_estimate", rs.getLong(2));
                m.put("patterns_estimate", rs.getLong(3));
                m.put("sample_path_length", rs.getLong(4));
                m.put("summaries_pending", rs.getLong(5));
                m.put("summaries_pending_oldest_seconds", Math.round(rs.getDouble(6) * 10) / 10.0);
            }
        }
        m.put("query_latency_ms", Math.round((System.nanoTime() - t0) / 10_000.0) / 100.0);
        return m;
    }

    /** A LIKE pattern matching {@code text} literally ({@code %}, {@code _} and the escape are not wildcards). */
    public static String escapeLike(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static Map<String, Object> node(ResultSet rs) throws SQLException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", rs.getObject("node_id", UUID.class));
        m.put("pattern_id", rs.getObject("pattern_id", UUID.class));
        m.put("version_number", rs.getInt("version_number"));
        m.put("parent_node_id", rs.getObject("parent_node_id", UUID.class));
        m.put("pattern_name", rs.getString("pattern_name"));
        m.put("pattern_type", rs.getString("pattern_type"));
        m.put("status", rs.getString("status"));
        m.put("created_at", instant(rs.getTimestamp("created_at")));
        m.put("created_by", rs.getString("created_by"));
        m.put("confidence_score", rs.getObject("confidence_score"));
        m.put("performance_baseline", Json.stored(rs.getString("performance_baseline")));
        m.put("quality_baseline", rs.getObject("quality_baseline"));
        m.put("success_rate_baseline", rs.getObject("success_rate_baseline"));
        externalId(m, rs.getString("external_pattern_id"), rs.getString("external_version"));
        return m;
    }

    /** A node's external pattern id and version (V11), shown only where a producer gave them. */
    private static void externalId(Map<String, Object> m, String externalPatternId, String externalVersion) {
        if (externalPatternId != null) {
            m.put("external_pattern_id", externalPatternId);
            m.put("external_version", externalVersion);
        }
    }

    private static String instant(Timestamp t) {
        return t == null ? null : t.toInstant().toString();
    }

    /**
     * Checks that the pattern exists and that the node is one of its versions: 404 INVALID_PATTERN_ID for an
     * unknown pattern, 404 INVALID_NODE_ID for an unknown node or a node of another pattern (saying which).
     */
    public void requireNodeOfPattern(UUID patternId, UUID nodeId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     SELECT EXISTS (SELECT 1 FROM lineage_nodes WHERE pattern_id = ?),
                            (SELECT pattern_id FROM lineage_nodes WHERE node_id = ?)""")) {
            ps.setObject(1, patternId);
            ps.setObject(2, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    throw unknownPattern(patternId);
                }
                UUID owner = rs.getObject(2, UUID.class);
                if (owner == null) {
                    throw new ProblemException(Problem.notFound(ErrorCode.INVALID_NODE_ID, "node_id",
                            "no node " + nodeId));
                }
                if (!owner.equals(patternId)) {
                    throw new ProblemException(Problem.notFound(ErrorCode.INVALID_NODE_ID, "node_id", "node "
                            + nodeId + " is a version of pattern " + owner + ", not of " + patternId));
                }
            }
        }
    }

    static ProblemException unknownPattern(UUID patternId) {
        return new ProblemException(Problem.notFound(ErrorCode.INVALID_PATTERN_ID, "pattern_id",
                "no pattern " + patternId));
    }
}
