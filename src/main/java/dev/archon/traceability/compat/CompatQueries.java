package dev.archon.traceability.compat;

import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.LineageQueries;
import dev.archon.traceability.lineage.PatternIds;
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
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The reads of the as-built API's shapes that our own read code does not answer as such: a pattern by its external
 * id, ancestry over every edge type (as built), direct descendants, a pattern's evolution, search, the integrity
 * checks, and the lineage rows an execution's correlation id joins to. Every statement is here, parameterized.
 */
final class CompatQueries {

    /** The newest node of a pattern, as the as-built lookups by pattern_id resolve "the pattern". */
    record Node(UUID nodeId, UUID patternId, int version, String externalId, String externalVersion,
                String patternName, String patternType, Instant createdAt) {
    }

    private static final String NEWEST = """
            SELECT node_id, pattern_id, version_number, external_pattern_id, external_version, pattern_name,
                   pattern_type, created_at
              FROM lineage_nodes WHERE pattern_id = ? ORDER BY version_number DESC LIMIT 1""";

    /** As built: from the node itself (depth 1) along every edge, target to source; depth 20, 1,000 rows. */
    private static final String ANCESTRY = """
            WITH RECURSIVE walk(node_id, depth, edge_id, path) AS (
                SELECT CAST(? AS uuid), 1, NULL::uuid, ARRAY[CAST(? AS uuid)]
                UNION ALL
                SELECT e.source_node_id, w.depth + 1, e.edge_id, w.path || e.source_node_id
                  FROM walk w JOIN lineage_edges e ON e.target_node_id = w.node_id
                 WHERE w.depth < 20 AND NOT e.source_node_id = ANY (w.path)
            )
            SELECT w.node_id, w.depth, n.pattern_id, n.external_pattern_id, n.version_number, n.created_at,
                   e.edge_type, e.metadata ->> 'label'
              FROM (SELECT * FROM walk LIMIT 1000) w
              JOIN lineage_nodes n ON n.node_id = w.node_id
              LEFT JOIN lineage_edges e ON e.edge_id = w.edge_id
             ORDER BY w.depth""";

    /** As built: direct children only, newest first. */
    private static final String DESCENDANTS = """
            SELECT e.target_node_id, n.pattern_id, n.external_pattern_id, e.edge_type, e.metadata ->> 'label',
                   e.metadata ->> 'transformation_type', n.created_at
              FROM lineage_edges e JOIN lineage_nodes n ON n.node_id = e.target_node_id
             WHERE e.source_node_id = ?
             ORDER BY n.created_at DESC, e.edge_id
             LIMIT 1000""";

    private static final String EVOLUTION_NODES = """
            SELECT n.node_id, n.pattern_id, n.external_pattern_id, n.pattern_name, n.pattern_type, n.external_version,
                   n.version_number, n.created_at,
                   (SELECT ev.event_data -> 'metadata' FROM lineage_events ev
                     WHERE ev.node_id = n.node_id ORDER BY ev."timestamp" LIMIT 1)::text
              FROM lineage_nodes n WHERE n.pattern_id = ?
             ORDER BY n.version_number, n.created_at""";

    private static final String EVOLUTION_EDGES = """
            SELECT e.edge_id, e.source_node_id, e.target_node_id, s.pattern_id, s.external_pattern_id,
                   t.pattern_id, t.external_pattern_id, s.external_version, s.version_number, t.external_version,
                   t.version_number, e.edge_type, e.metadata ->> 'label', e.metadata ->> 'transformation_type',
                   e.weight, e.created_at, e.metadata::text
              FROM lineage_edges e
              JOIN lineage_nodes s ON s.node_id = e.source_node_id
              JOIN lineage_nodes t ON t.node_id = e.target_node_id
             WHERE e.source_node_id = ANY (?) OR e.target_node_id = ANY (?)
             ORDER BY e.created_at, e.edge_id""";

    /** Patterns by name (substring) or external id (exactly), with their executions' figures over the window. */
    private static final String SEARCH = """
            SELECT p.pattern_id, p.external_pattern_id, p.pattern_name, p.pattern_type, x.quality, x.uses, x.last_used
              FROM (SELECT * FROM lineage_patterns
                     WHERE (lower(pattern_name) LIKE '%' || ? || '%' OR external_pattern_id = ?)
                       AND (CAST(? AS text[]) IS NULL OR pattern_type = ANY (CAST(? AS text[])))
                     ORDER BY last_activity DESC LIMIT 1000) p
              LEFT JOIN LATERAL (
                  SELECT avg(h.quality_score) AS quality, count(*) AS uses, max(h.started_at) AS last_used
                    FROM hook_executions h
                   WHERE h.pattern_id = p.pattern_id
                     AND (CAST(? AS timestamptz) IS NULL OR h.started_at >= CAST(? AS timestamptz))) x ON true
             WHERE CAST(? AS float8) IS NULL OR x.quality >= CAST(? AS float8)
             ORDER BY p.last_activity DESC""";

    private static final String ORPHANED_EDGES = """
            SELECT count(*) FROM lineage_edges e
             WHERE (CAST(? AS uuid) IS NULL OR e.source_node_id IN (SELECT node_id FROM lineage_nodes
                                                                    WHERE pattern_id = CAST(? AS uuid))
                                          OR e.target_node_id IN (SELECT node_id FROM lineage_nodes
                                                                    WHERE pattern_id = CAST(? AS uuid)))
               AND (NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.source_node_id)
                    OR NOT EXISTS (SELECT 1 FROM lineage_nodes WHERE node_id = e.target_node_id))""";

    /** Versions whose parent is missing, or whose version numbers have a gap (a version lost). */
    private static final String LINEAGE_ISSUES = """
            SELECT (SELECT count(*) FROM lineage_nodes n
                     WHERE (CAST(? AS uuid) IS NULL OR n.pattern_id = CAST(? AS uuid))
                       AND n.parent_node_id IS NOT NULL
                       AND NOT EXISTS (SELECT 1 FROM lineage_nodes p WHERE p.node_id = n.parent_node_id)),
                   (SELECT count(*) FROM (SELECT pattern_id, max(version_number) AS top, count(*) AS versions
                                            FROM lineage_nodes
                                           WHERE CAST(? AS uuid) IS NULL OR pattern_id = CAST(? AS uuid)
                                           GROUP BY pattern_id) v WHERE v.top <> v.versions),
                   (SELECT count(*) FROM lineage_patterns WHERE CAST(? AS uuid) IS NULL OR pattern_id = CAST(? AS uuid))""";

    /** Executions whose pattern has no version in the lineage (reported early, or of a pattern never tracked). */
    private static final String UNTRACKED_EXECUTIONS = """
            SELECT count(*) FROM hook_executions h
             WHERE (CAST(? AS uuid) IS NULL OR h.pattern_id = CAST(? AS uuid))
               AND NOT EXISTS (SELECT 1 FROM lineage_patterns p WHERE p.pattern_id = h.pattern_id)""";

    private static final String PATTERNS_OF_CORRELATIONS = """
            SELECT DISTINCT correlation_id, coalesce(external_pattern_id, pattern_id::text), pattern_name,
                   pattern_type, created_at
              FROM lineage_nodes WHERE correlation_id = ANY (?)
             ORDER BY created_at""";

    private static final String EVENTS_OF_CORRELATIONS = """
            SELECT DISTINCT ev.correlation_id, ev.event_type, coalesce(n.external_pattern_id, n.pattern_id::text),
                   ev."timestamp"
              FROM lineage_events ev LEFT JOIN lineage_nodes n ON n.node_id = ev.node_id
             WHERE ev.correlation_id = ANY (?)
             ORDER BY ev."timestamp\"""";

    private final DataSource dataSource;

    CompatQueries(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * The newest node of the pattern an as-built pattern_id names; a pattern of our own API is also found by its
     * UUID (written as text), so both APIs see one pattern. Empty when there is none.
     */
    Optional<Node> newest(String patternId) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(NEWEST)) {
            Optional<Node> n = newest(ps, PatternIds.fromExternalId(patternId));
            if (n.isEmpty() && patternId.length() == 36) {
                try {
                    n = newest(ps, UUID.fromString(patternId));
                } catch (IllegalArgumentException notAUuid) {
                    // only an external id
                }
            }
            return n;
        }
    }

    private static Optional<Node> newest(PreparedStatement ps, UUID pattern) throws SQLException {
        ps.setObject(1, pattern);
        try (ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return Optional.empty();
            }
            UUID patternId = rs.getObject(2, UUID.class);
            String external = rs.getString(4);
            return Optional.of(new Node(rs.getObject(1, UUID.class), patternId, rs.getInt(3),
                    external != null ? external : patternId.toString(), rs.getString(5), rs.getString(6),
                    rs.getString(7), instant(rs.getTimestamp(8))));
        }
    }

    /** The as-built ancestry rows: the node itself first (edge_type null), then every ancestor by depth. */
    List<Map<String, Object>> ancestry(UUID nodeId) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(ANCESTRY)) {
            ps.setObject(1, nodeId);
            ps.setObject(2, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("ancestor_id", rs.getObject(1, UUID.class));
                    m.put("ancestor_pattern_id", external(rs.getString(4), rs.getObject(3, UUID.class)));
                    m.put("generation", rs.getInt(5));
                    m.put("edge_type", label(rs.getString(8), rs.getString(7)));
                    m.put("created_at", CompatTime.iso(instant(rs.getTimestamp(6))));
                    m.put("depth", rs.getInt(2));
                    rows.add(m);
                }
            }
        }
        return rows;
    }

    List<Map<String, Object>> descendants(UUID nodeId) throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DESCENDANTS)) {
            ps.setObject(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("descendant_id", rs.getObject(1, UUID.class));
                    m.put("descendant_pattern_id", external(rs.getString(3), rs.getObject(2, UUID.class)));
                    m.put("edge_type", label(rs.getString(5), rs.getString(4)));
                    m.put("transformation_type", rs.getString(6));
                    m.put("created_at", CompatTime.iso(instant(rs.getTimestamp(7))));
                    rows.add(m);
                }
            }
        }
        return rows;
    }

    /** Every version of the pattern and every edge touching one of them, in the as-built evolution shape. */
    Map<String, Object> evolution(UUID patternId) throws SQLException {
        List<Map<String, Object>> nodes = new ArrayList<>();
        List<Map<String, Object>> edges = new ArrayList<>();
        List<UUID> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement(EVOLUTION_NODES)) {
                ps.setObject(1, patternId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        UUID id = rs.getObject(1, UUID.class);
                        ids.add(id);
                        m.put("node_id", id);
                        m.put("pattern_id", external(rs.getString(3), rs.getObject(2, UUID.class)));
                        m.put("pattern_name", rs.getString(4));
                        m.put("pattern_type", rs.getString(5));
                        m.put("version", rs.getString(6));
                        m.put("generation", rs.getInt(7));
                        m.put("created_at", CompatTime.iso(instant(rs.getTimestamp(8))));
                        m.put("metadata", Json.stored(rs.getString(9)));
                        nodes.add(m);
                    }
                }
            }
            if (!ids.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(EVOLUTION_EDGES)) {
                    Array array = c.createArrayOf("uuid", ids.toArray());
                    ps.setArray(1, array);
                    ps.setArray(2, array);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("edge_id", rs.getObject(1, UUID.class));
                            m.put("source_node_id", rs.getObject(2, UUID.class));
                            m.put("target_node_id", rs.getObject(3, UUID.class));
                            m.put("source_pattern_id", external(rs.getString(5), rs.getObject(4, UUID.class)));
                            m.put("target_pattern_id", external(rs.getString(7), rs.getObject(6, UUID.class)));
                            m.put("source_version", version(rs.getString(8), rs.getInt(9)));
                            m.put("target_version", version(rs.getString(10), rs.getInt(11)));
                            m.put("edge_type", label(rs.getString(13), rs.getString(12)));
                            m.put("transformation_type", rs.getString(14));
                            double weight = rs.getDouble(15);
                            m.put("edge_weight", weight == 0 ? 1.0 : weight);
                            m.put("created_at", CompatTime.iso(instant(rs.getTimestamp(16))));
                            m.put("metadata", Json.stored(rs.getString(17)));
                            edges.add(m);
                        }
                    }
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodes", nodes);
        m.put("edges", edges);
        return m;
    }

    /** Patterns matching the query, newest activity first, with their executions' figures since {@code since}. */
    List<Map<String, Object>> search(String query, List<String> types, Double minQuality, Instant since)
            throws SQLException {
        List<Map<String, Object>> rows = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(SEARCH)) {
            ps.setString(1, LineageQueries.escapeLike(query.toLowerCase()));
            ps.setString(2, query);
            Array typeArray = types == null ? null : c.createArrayOf("text", types.toArray());
            ps.setArray(3, typeArray);
            ps.setArray(4, typeArray);
            Timestamp from = since == null ? null : Timestamp.from(since);
            ps.setTimestamp(5, from);
            ps.setTimestamp(6, from);
            ps.setObject(7, minQuality);
            ps.setObject(8, minQuality);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("pattern_id", external(rs.getString(2), rs.getObject(1, UUID.class)));
                    m.put("pattern_name", rs.getString(3));
                    m.put("pattern_type", rs.getString(4));
                    double quality = rs.getDouble(5);
                    m.put("quality_score", rs.wasNull() ? null : Math.round(quality * 10_000) / 10_000.0);
                    m.put("usage_count", rs.getLong(6));
                    m.put("last_used", CompatTime.iso(instant(rs.getTimestamp(7))));
                    rows.add(m);
                }
            }
        }
        return rows;
    }

    /** The figures of the integrity checks, over one pattern or (null) all of them. */
    record Integrity(long orphanedEdges, long missingParents, long versionGaps, long patterns,
                     long untrackedExecutions) {
    }

    Integrity integrity(UUID pattern) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            long orphaned = count(c, ORPHANED_EDGES, pattern, 3);
            long untracked = count(c, UNTRACKED_EXECUTIONS, pattern, 2);
            try (PreparedStatement ps = c.prepareStatement(LINEAGE_ISSUES)) {
                for (int i = 1; i <= 6; i++) {
                    ps.setObject(i, pattern);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return new Integrity(orphaned, rs.getLong(1), rs.getLong(2), rs.getLong(3), untracked);
                }
            }
        }
    }

    private static long count(Connection c, String sql, UUID pattern, int params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 1; i <= params; i++) {
                ps.setObject(i, pattern);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** The lineage rows of these correlation ids: distinct patterns and events, per correlation id. */
    record Joined(Map<String, List<Map<String, Object>>> patterns, Map<String, List<Map<String, Object>>> events) {
    }

    Joined joined(List<String> correlationIds) throws SQLException {
        Map<String, List<Map<String, Object>>> patterns = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> events = new LinkedHashMap<>();
        if (correlationIds.isEmpty()) {
            return new Joined(patterns, events);
        }
        try (Connection c = dataSource.getConnection()) {
            Array ids = c.createArrayOf("text", correlationIds.toArray());
            try (PreparedStatement ps = c.prepareStatement(PATTERNS_OF_CORRELATIONS)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("pattern_id", rs.getString(2));
                        m.put("pattern_name", rs.getString(3));
                        m.put("pattern_type", rs.getString(4));
                        m.put("created_at", CompatTime.iso(instant(rs.getTimestamp(5))));
                        patterns.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(m);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(EVENTS_OF_CORRELATIONS)) {
                ps.setArray(1, ids);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("event_type", rs.getString(2));
                        m.put("pattern_id", rs.getString(3));
                        m.put("success", true); // an event is stored only when it succeeded
                        m.put("timestamp", CompatTime.iso(instant(rs.getTimestamp(4))));
                        events.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(m);
                    }
                }
            }
        }
        return new Joined(patterns, events);
    }

    /** The external id of a node, or our UUID for a pattern of our own API. */
    private static String external(String externalId, UUID patternId) {
        return externalId != null ? externalId : patternId.toString();
    }

    private static String version(String externalVersion, int versionNumber) {
        return externalVersion != null ? externalVersion : String.valueOf(versionNumber);
    }

    /** An edge's type as the as-built API named it: the label a client gave, else ours in lower case. */
    private static String label(String label, String ourType) {
        return label != null ? label : ourType == null ? null : ourType.toLowerCase();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
