package dev.archon.traceability.feedback;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The table feedback_proposals (migration V10), and the only code that writes it: what workflows propose, how the
 * validate stage judged it, and who applied or rejected it. Every method runs in the caller's transaction.
 */
public final class Proposals {

    public static final String PROPOSED = "proposed";
    public static final String VALIDATED = "validated";
    public static final String REJECTED = "rejected";
    public static final String APPLIED = "applied";

    /** One proposal. {@code test} is the comparison of its metric and the child's baseline (JSON). */
    public record Proposal(UUID id, UUID workflowId, UUID patternId, String kind, Metric metric, UUID parentNodeId,
                           UUID childNodeId, JsonNode reasons, String status, JsonNode test, Double pValue,
                           Double confidence, UUID edgeId, String decidedBy, String note, Instant createdAt,
                           Instant decidedAt) {

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("proposal_id", id);
            m.put("workflow_id", workflowId);
            m.put("pattern_id", patternId);
            m.put("kind", kind);
            m.put("metric", metric.wireName());
            m.put("parent_node_id", parentNodeId);
            m.put("child_node_id", childNodeId);
            m.put("status", status);
            m.put("reasons", reasons);
            m.put("p_value", pValue);
            m.put("confidence", confidence);
            m.put("test", test);
            m.put("edge_id", edgeId);
            m.put("decided_by", decidedBy);
            m.put("decision_note", note);
            m.put("created_at", createdAt == null ? null : createdAt.toString());
            m.put("decided_at", decidedAt == null ? null : decidedAt.toString());
            return m;
        }
    }

    private static final String COLUMNS = "proposal_id, workflow_id, pattern_id, kind, metric, parent_node_id,"
            + " child_node_id, reasons::text, status, test::text, p_value, confidence, edge_id, decided_by,"
            + " decision_note, created_at, decided_at";

    private Proposals() {
    }

    static void insert(Connection c, UUID id, UUID workflowId, UUID patternId, String kind, Metric metric,
                       UUID parent, UUID child, Object reasons, String status, Object test, Double pValue,
                       Double confidence, String decidedBy, String note, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO feedback_proposals (proposal_id, workflow_id, pattern_id, kind, metric, parent_node_id,
                    child_node_id, reasons, status, test, p_value, confidence, decided_by, decision_note, created_at,
                    decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?::jsonb, ?, ?, ?, ?, ?, ?)""")) {
            ps.setObject(1, id);
            ps.setObject(2, workflowId);
            ps.setObject(3, patternId);
            ps.setString(4, kind);
            ps.setString(5, metric.wireName());
            ps.setObject(6, parent);
            ps.setObject(7, child);
            ps.setString(8, Json.write(reasons));
            ps.setString(9, status);
            ps.setString(10, test == null ? null : Json.write(test));
            ps.setObject(11, pValue);
            ps.setObject(12, confidence);
            ps.setString(13, decidedBy);
            ps.setString(14, note);
            ps.setObject(15, WindowQueries.at(at));
            ps.setObject(16, decidedBy == null ? null : WindowQueries.at(at));
            ps.executeUpdate();
        }
    }

    /** The validate stage's judgement of a proposal still proposed. */
    static void judge(Connection c, UUID id, String status, Object test, Double pValue, Double confidence,
                      String note, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE feedback_proposals SET status = ?, test = ?::jsonb, p_value = ?, confidence = ?,
                       decided_by = 'validate', decision_note = ?, decided_at = ?
                 WHERE proposal_id = ? AND status = 'proposed'""")) {
            ps.setString(1, status);
            ps.setString(2, test == null ? null : Json.write(test));
            ps.setObject(3, pValue);
            ps.setObject(4, confidence);
            ps.setString(5, note);
            ps.setObject(6, WindowQueries.at(at));
            ps.setObject(7, id);
            ps.executeUpdate();
        }
    }

    /** A note on a validated proposal that stays open (waits for review), without deciding it. */
    static void note(Connection c, UUID id, String note) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "UPDATE feedback_proposals SET decision_note = ? WHERE proposal_id = ?")) {
            ps.setString(1, note);
            ps.setObject(2, id);
            ps.executeUpdate();
        }
    }

    /** Applied (by the apply stage: {@code auto}, or {@code review}), as the edge {@code edgeId} when there is one. */
    static void applied(Connection c, UUID id, UUID edgeId, String by, String note, Instant at) throws SQLException {
        decide(c, id, APPLIED, edgeId, by, note, at);
    }

    /** Rejected by review. */
    static void rejected(Connection c, UUID id, String note, Instant at) throws SQLException {
        decide(c, id, REJECTED, null, "review", note, at);
    }

    private static void decide(Connection c, UUID id, String status, UUID edgeId, String by, String note, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE feedback_proposals SET status = ?, edge_id = coalesce(?, edge_id), decided_by = ?,
                       decision_note = coalesce(?, decision_note), decided_at = ?
                 WHERE proposal_id = ?""")) {
            ps.setString(1, status);
            ps.setObject(2, edgeId);
            ps.setString(3, by);
            ps.setString(4, note);
            ps.setObject(5, WindowQueries.at(at));
            ps.setObject(6, id);
            ps.executeUpdate();
        }
    }

    /** The workflow's proposals, oldest first. */
    static List<Proposal> ofWorkflow(Connection c, UUID workflowId) throws SQLException {
        return select(c, "workflow_id = ? ORDER BY created_at, kind DESC, metric", workflowId);
    }

    /** One proposal, locked for the rest of the caller's transaction (review), or null. */
    static Proposal lock(Connection c, UUID id) throws SQLException {
        List<Proposal> rows = select(c, "proposal_id = ? FOR UPDATE", id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    private static List<Proposal> select(Connection c, String where, Object arg) throws SQLException {
        List<Proposal> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM feedback_proposals WHERE "
                + where)) {
            ps.setObject(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Proposal(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getObject(3, UUID.class), rs.getString(4), Metric.fromWire(rs.getString(5)),
                            rs.getObject(6, UUID.class), rs.getObject(7, UUID.class), json(rs.getString(8)),
                            rs.getString(9), json(rs.getString(10)), (Double) rs.getObject(11),
                            (Double) rs.getObject(12), rs.getObject(13, UUID.class), rs.getString(14),
                            rs.getString(15), instant(rs.getObject(16, OffsetDateTime.class)),
                            instant(rs.getObject(17, OffsetDateTime.class))));
                }
            }
        }
        return out;
    }

    static JsonNode json(String text) throws SQLException {
        try {
            return text == null ? null : Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable JSON in feedback_proposals: " + e.getOriginalMessage(), e);
        }
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }
}
