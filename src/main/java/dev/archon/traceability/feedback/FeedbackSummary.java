package dev.archon.traceability.feedback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The feedback on a pattern in a workflow's window (the collect stage): how many items, their average rating, how
 * many of each sentiment, and the negative ones by feedback_type (performance, quality, usage, general).
 */
public record FeedbackSummary(long items, Double averageRating, long positive, long neutral, long negative,
                              Map<String, Long> negativeByType) {

    public static final FeedbackSummary NONE = new FeedbackSummary(0, null, 0, 0, 0, Map.of());

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("average_rating", averageRating);
        m.put("positive", positive);
        m.put("neutral", neutral);
        m.put("negative", negative);
        m.put("negative_by_type", negativeByType);
        return m;
    }
}
