package dev.archon.traceability.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.feedback.Proposals.Proposal;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.LineageStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Applies a proposal to the lineage, in the caller's transaction, the same way for the apply stage and for review:
 * <ul>
 *   <li>an improvement: the IMPROVED_VERSION edge parent → child carrying the test's figures in its metadata
 *       (performance_delta, p_value, confidence, effect_size, n, ...), the child's baselines (performance_baseline
 *       p50/p95/p99/avg ms, quality_baseline, success_rate_baseline) from its executions in the window, an
 *       {@code improvement_applied} lineage event whose correlation_id is the workflow id, and the pattern's summary
 *       (its last activity);</li>
 *   <li>a roll-back: the child marked deprecated, with a {@code pattern_deprecated} event.</li>
 * </ul>
 * Idempotent: the edge is unique on (source, target, type), so a second application finds it and writes nothing,
 * not a second edge or event (an edge recorded by ingest, without figures, gets them). The pattern's lineage lock is
 * taken first, as ingest takes it, so both write a pattern's lineage in turn.
 */
final class ImprovementApplier {

    /** What an application did: the edge (null for a roll-back), the event written (null when nothing was). */
    record Applied(UUID edgeId, UUID eventId, boolean alreadyApplied) {
    }

    private static final String EDGE = """
            INSERT INTO lineage_edges AS e (edge_id, source_node_id, target_node_id, edge_type, weight, metadata,
                created_at, created_by, correlation_id)
            VALUES (?, ?, ?, 'IMPROVED_VERSION', ?, ?::jsonb, ?, 'feedback-loop', ?)
            ON CONFLICT (source_node_id, target_node_id, edge_type) DO UPDATE
               SET metadata = e.metadata || excluded.metadata, weight = excluded.weight
             WHERE e.metadata -> 'p_value' IS NULL
            RETURNING edge_id""";

    private static final String EXISTING_EDGE = """
            SELECT edge_id FROM lineage_edges
             WHERE source_node_id = ? AND target_node_id = ? AND edge_type = 'IMPROVED_VERSION'""";

    private static final String NODE = """
            SELECT pattern_id, version_number, status FROM lineage_nodes WHERE node_id = ?""";

    private static final String BASELINES = """
            UPDATE lineage_nodes SET performance_baseline = coalesce(?::jsonb, performance_baseline),
                   quality_baseline = coalesce(?, quality_baseline),
                   success_rate_baseline = coalesce(?, success_rate_baseline)
             WHERE node_id = ?""";

    private static final String DEPRECATE = """
            UPDATE lineage_nodes SET status = 'deprecated' WHERE node_id = ? AND status = 'active'""";

    private static final String EVENT = """
            INSERT INTO lineage_events (event_id, event_type, node_id, edge_id, event_data, "timestamp", source,
                correlation_id, user_id)
            VALUES (?, ?, ?, ?, ?::jsonb, ?, 'feedback-loop', ?, ?)""";

    private static final String EVENT_KEY = """
            INSERT INTO lineage_event_keys (event_id, node_id, pattern_id, version_number) VALUES (?, ?, ?, ?)""";

    private static final String REFRESH = """
            SELECT refresh_lineage_patterns(ARRAY[?::uuid], ARRAY[?::timestamptz], ?::uuid[])""";

    private ImprovementApplier() {
    }

    /** Applies {@code p}; {@code by} is {@code auto} (the apply stage) or {@code review}. */
    static Applied apply(Connection c, Proposal p, String by, Instant now) throws SQLException {
        LineageStore.lockPattern(c, p.patternId());
        NodeRow child = node(c, p.childNodeId());
        NodeRow parent = node(c, p.parentNodeId());
        if (child == null || parent == null) {
            throw new IllegalStateException("version " + (child == null ? p.childNodeId() : p.parentNodeId())
                    + " is no longer in lineage_nodes (restored from an older backup?): nothing applied");
        }
        return "rollback".equals(p.kind()) ? rollBack(c, p, child, by, now) : improve(c, p, child, by, now);
    }

    private static Applied improve(Connection c, Proposal p, NodeRow child, String by, Instant now)
            throws SQLException {
        Map<String, Object> metadata = edgeMetadata(p, by);
        UUID edgeId = null;
        try (PreparedStatement ps = c.prepareStatement(EDGE)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setObject(2, p.parentNodeId());
            ps.setObject(3, p.childNodeId());
            ps.setDouble(4, p.confidence() == null ? 1.0 : Math.max(0, Math.min(1, p.confidence())));
            ps.setString(5, Json.write(metadata));
            ps.setObject(6, WindowQueries.at(now));
            ps.setString(7, p.workflowId().toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    edgeId = rs.getObject(1, UUID.class);
                }
            }
        }
        if (edgeId == null) {
            return new Applied(existingEdge(c, p), null, true);
        }
        JsonNode baseline = p.test() == null ? null : p.test().get("child_baseline");
        Map<String, Object> performance = null;
        Double quality = null;
        Double successRate = null;
        if (baseline != null) {
            if (baseline.hasNonNull("mean_duration_ms")) {
                performance = new LinkedHashMap<>();
                performance.put("p50_ms", number(baseline, "median_duration_ms"));
                performance.put("p95_ms", number(baseline, "p95_duration_ms"));
                performance.put("p99_ms", number(baseline, "p99_duration_ms"));
                performance.put("avg_ms", number(baseline, "mean_duration_ms"));
            }
            quality = number(baseline, "mean_quality");
            successRate = number(baseline, "success_rate");
        }
        try (PreparedStatement ps = c.prepareStatement(BASELINES)) {
            ps.setString(1, performance == null ? null : Json.write(performance));
            ps.setObject(2, quality);
            ps.setObject(3, successRate);
            ps.setObject(4, p.childNodeId());
            ps.executeUpdate();
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("workflow_id", p.workflowId());
        data.put("proposal_id", p.id());
        data.put("parent_node_id", p.parentNodeId());
        data.put("child_node_id", p.childNodeId());
        data.put("edge_id", edgeId);
        data.put("edge_type", "IMPROVED_VERSION");
        data.put("applied_by", by);
        data.put("improvement", metadata);
        data.put("baselines", Map.of("performance_baseline", performance == null ? Map.of() : performance,
                "quality_baseline", quality == null ? "unchanged" : quality,
                "success_rate_baseline", successRate == null ? "unchanged" : successRate));
        UUID eventId = event(c, "improvement_applied", p, child, edgeId, data, by, now, false);
        return new Applied(edgeId, eventId, false);
    }

    private static Applied rollBack(Connection c, Proposal p, NodeRow child, String by, Instant now)
            throws SQLException {
        int changed;
        try (PreparedStatement ps = c.prepareStatement(DEPRECATE)) {
            ps.setObject(1, p.childNodeId());
            changed = ps.executeUpdate();
        }
        if (changed == 0) {
            return new Applied(null, null, true); // deprecated (or otherwise retired) already
        }
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("workflow_id", p.workflowId());
        data.put("proposal_id", p.id());
        data.put("reason", "regression found by the feedback loop: the version is significantly worse than its"
                + " parent on " + p.metric().wireName());
        data.put("rolled_back_to", p.parentNodeId());
        data.put("test", p.test());
        data.put("applied_by", by);
        UUID eventId = event(c, "pattern_deprecated", p, child, null, data, by, now, true);
        return new Applied(null, eventId, false);
    }

    private static UUID event(Connection c, String type, Proposal p, NodeRow node, UUID edgeId,
                              Map<String, Object> data, String by, Instant now, boolean statusChanged)
            throws SQLException {
        UUID eventId = UUID.randomUUID();
        try (PreparedStatement ps = c.prepareStatement(EVENT)) {
            ps.setObject(1, eventId);
            ps.setString(2, type);
            ps.setObject(3, p.childNodeId());
            ps.setObject(4, edgeId);
            ps.setString(5, Json.write(data));
            ps.setObject(6, WindowQueries.at(now));
            ps.setString(7, p.workflowId().toString());
            ps.setString(8, "feedback-loop:" + by);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(EVENT_KEY)) {
            ps.setObject(1, eventId);
            ps.setObject(2, p.childNodeId());
            ps.setObject(3, node.patternId());
            ps.setInt(4, node.version());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement(REFRESH)) {
            ps.setObject(1, node.patternId());
            ps.setObject(2, WindowQueries.at(now));
            ps.setArray(3, c.createArrayOf("uuid", statusChanged ? new Object[] {p.childNodeId()} : new Object[0]));
            ps.executeQuery().close();
        }
        return eventId;
    }

    /** The edge's metadata: the test's figures under the names the runbook's queries use, and where they came from. */
    static Map<String, Object> edgeMetadata(Proposal p, String by) {
        Map<String, Object> m = new LinkedHashMap<>();
        JsonNode test = p.test();
        if (test != null) {
            m.put("performance_delta", value(test.get("relative_delta")));
            m.put("p_value", value(test.get("p_value")));
            m.put("confidence", value(test.get("confidence")));
            m.put("effect_size", value(test.get("effect_size")));
            m.put("n", test.path("n_parent").asLong() + test.path("n_child").asLong());
            for (Iterator<Map.Entry<String, JsonNode>> it = test.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> f = it.next();
                if (!f.getKey().equals("child_baseline") && !m.containsKey(f.getKey())) {
                    m.put(f.getKey(), f.getValue());
                }
            }
        } else {
            // applied by review without a test (enable_ab_testing was false): said, not hidden
            m.put("p_value", null);
            m.put("tested", false);
        }
        m.put("metric", p.metric().wireName());
        m.put("workflow_id", p.workflowId());
        m.put("proposal_id", p.id());
        m.put("applied_by", by);
        return m;
    }

    private static Object value(JsonNode v) {
        return v == null || v.isNull() ? null : v.isNumber() ? v.numberValue() : v.asText();
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asDouble();
    }

    private static UUID existingEdge(Connection c, Proposal p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(EXISTING_EDGE)) {
            ps.setObject(1, p.parentNodeId());
            ps.setObject(2, p.childNodeId());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    private record NodeRow(UUID patternId, int version, String status) {
    }

    private static NodeRow node(Connection c, UUID nodeId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(NODE)) {
            ps.setObject(1, nodeId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new NodeRow(rs.getObject(1, UUID.class), rs.getInt(2), rs.getString(3)) : null;
            }
        }
    }
}
