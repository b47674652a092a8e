package dev.archon.traceability.feedback;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One pattern_feedback row: what a person said about a pattern, one of its versions ({@code nodeId}) or one
 * execution ({@code executionId}): a rating from 1 to 5, a sentiment (given, or read from the rating), comments and
 * metadata, and which aspect it is about ({@code feedbackType}: performance, quality, usage or general).
 */
public record Feedback(
        UUID feedbackId,
        UUID patternId,
        UUID nodeId,
        UUID executionId,
        String feedbackType,
        Integer rating,
        String sentiment,
        String comments,
        String metadataJson,
        String userId,
        String source,
        String correlationId,
        Instant createdAt) {

    public static final List<String> TYPES = List.of("performance", "quality", "usage",
            "general");
    public static final List<String> SENTIMENTS = List.of("positive", "neutral", "negative");

    /** The sentiment a rating stands for when none is given: 1-2 negative, 3 neutral, 4-5 positive. */
    public static String sentimentOf(int rating) {
        return rating <= 2 ? "negative" : rating == 3 ? "neutral" : "positive";
    }
}
