package dev.archon.traceability.feedback;

import static dev.archon.traceability.db.SqlArrays.bind;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The table pattern_feedback (migration V10): writes feedback items, each at most once (feedback_id is the
 * idempotency key), in one round trip whatever their number. Reads are the routes' SQL (routes/feedback-api.yaml)
 * and the collect stage's ({@link WindowQueries}).
 */
public final class FeedbackStore {

    private static final String INSERT = """
            INSERT INTO pattern_feedback (feedback_id, pattern_id, node_id, execution_id, feedback_type, rating,
                sentiment, comments, metadata, user_id, source, correlation_id, created_at)
            SELECT t.feedback_id, t.pattern_id, t.node_id, t.execution_id, t.feedback_type, t.rating, t.sentiment,
                   t.comments, coalesce(t.metadata::jsonb, '{}'::jsonb), t.user_id, t.source, t.correlation_id,
                   t.created_at::timestamptz
              FROM unnest(?::uuid[], ?::uuid[], ?::uuid[], ?::uuid[], ?::text[], ?::int2[], ?::text[], ?::text[],
                          ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                AS t(feedback_id, pattern_id, node_id, execution_id, feedback_type, rating, sentiment, comments,
                     metadata, user_id, source, correlation_id, created_at)
            ON CONFLICT (feedback_id) DO NOTHING
            RETURNING feedback_id""";

    private final DataSource dataSource;

    public FeedbackStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Stores the items in one transaction; returns, in input order, true for each stored now, false for a repeat. */
    public List<Boolean> write(List<Feedback> items) throws SQLException {
        if (items.isEmpty()) {
            return List.of();
        }
        Map<UUID, Feedback> firsts = new LinkedHashMap<>();
        items.forEach(f -> firsts.putIfAbsent(f.feedbackId(), f));
        List<Feedback> rows = new ArrayList<>(firsts.values());
        Set<UUID> stored = new HashSet<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(INSERT)) {
            int i = 1;
            bind(ps, i++, "uuid", rows, Feedback::feedbackId);
            bind(ps, i++, "uuid", rows, Feedback::patternId);
            bind(ps, i++, "uuid", rows, Feedback::nodeId);
            bind(ps, i++, "uuid", rows, Feedback::executionId);
            bind(ps, i++, "text", rows, Feedback::feedbackType);
            bind(ps, i++, "int2", rows, f -> f.rating() == null ? null : f.rating().shortValue());
            bind(ps, i++, "text", rows, Feedback::sentiment);
            bind(ps, i++, "text", rows, Feedback::comments);
            bind(ps, i++, "text", rows, Feedback::metadataJson);
            bind(ps, i++, "text", rows, Feedback::userId);
            bind(ps, i++, "text", rows, Feedback::source);
            bind(ps, i++, "text", rows, Feedback::correlationId);
            bind(ps, i, "text", rows, f -> f.createdAt().toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    stored.add(rs.getObject(1, UUID.class));
                }
            }
        }
        List<Boolean> result = new ArrayList<>(items.size());
        Set<UUID> answered = new HashSet<>();
        for (Feedback f : items) {
            result.add(stored.contains(f.feedbackId()) && answered.add(f.feedbackId()));
        }
        return result;
    }
}
