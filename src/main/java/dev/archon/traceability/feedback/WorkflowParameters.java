package dev.archon.traceability.feedback;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A workflow's parameters, as POST /api/feedback-loop/trigger takes them (and as a scheduled workflow gets them
 * from traceability.feedback.default.*): {@code feedback_type} (performance | quality | usage | all),
 * {@code time_window_days} (1 to 90), {@code auto_apply_threshold} (0 to 1), {@code min_sample_size} (at least 10),
 * {@code significance_level} (0.001 to 0.1), {@code enable_ab_testing}. A value out of range or of the wrong type is
 * a 422 VALIDATION_FAILED naming the field.
 */
public record WorkflowParameters(FeedbackType feedbackType, int timeWindowDays, double autoApplyThreshold,
                                 int minSampleSize, double significanceLevel, boolean enableAbTesting) {

    public static final int MAX_WINDOW_DAYS = 90;
    public static final int MIN_SAMPLE_SIZE = 10;
    public static final int MAX_SAMPLE_SIZE = 1_000_000;

    /** Checks the limits of the contract; a default from the settings must keep them too. */
    public WorkflowParameters {
        if (feedbackType == null) {
            throw invalid("feedback_type", "expected one of " + String.join(", ", FeedbackType.wireNames()));
        }
        if (timeWindowDays < 1 || timeWindowDays > MAX_WINDOW_DAYS) {
            throw invalid("time_window_days", "must be from 1 to " + MAX_WINDOW_DAYS + ", got " + timeWindowDays);
        }
        if (!(autoApplyThreshold >= 0 && autoApplyThreshold <= 1)) {
            throw invalid("auto_apply_threshold", "must be from 0 to 1, got " + autoApplyThreshold);
        }
        if (minSampleSize < MIN_SAMPLE_SIZE || minSampleSize > MAX_SAMPLE_SIZE) {
            throw invalid("min_sample_size", "must be from " + MIN_SAMPLE_SIZE + " to " + MAX_SAMPLE_SIZE + ", got "
                    + minSampleSize);
        }
        if (!(significanceLevel >= 0.001 && significanceLevel <= 0.1)) {
            throw invalid("significance_level", "must be from 0.001 to 0.1, got " + significanceLevel);
        }
    }

    /**
     * The parameters of a trigger's body over {@code defaults}: every field optional except what the caller checks
     * itself (pattern_id); unknown fields are ignored.
     */
    public static WorkflowParameters read(JsonNode body, WorkflowParameters defaults) {
        FeedbackType type = defaults.feedbackType();
        if (present(body, "feedback_type")) {
            JsonNode v = body.get("feedback_type");
            try {
                type = FeedbackType.fromWire(v.isTextual() ? v.textValue() : "?");
            } catch (IllegalArgumentException e) {
                throw invalid("feedback_type", "expected one of " + String.join(", ", FeedbackType.wireNames())
                        + ", got " + v);
            }
        }
        return new WorkflowParameters(type,
                present(body, "time_window_days") ? whole(body, "time_window_days") : defaults.timeWindowDays(),
                present(body, "auto_apply_threshold") ? number(body, "auto_apply_threshold")
                        : defaults.autoApplyThreshold(),
                present(body, "min_sample_size") ? whole(body, "min_sample_size") : defaults.minSampleSize(),
                present(body, "significance_level") ? number(body, "significance_level")
                        : defaults.significanceLevel(),
                present(body, "enable_ab_testing") ? bool(body, "enable_ab_testing") : defaults.enableAbTesting());
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feedback_type", feedbackType.wireName());
        m.put("time_window_days", timeWindowDays);
        m.put("auto_apply_threshold", autoApplyThreshold);
        m.put("min_sample_size", minSampleSize);
        m.put("significance_level", significanceLevel);
        m.put("enable_ab_testing", enableAbTesting);
        return m;
    }

    /** As stored in feedback_workflows.parameters. */
    public static WorkflowParameters fromStored(JsonNode stored) {
        return new WorkflowParameters(FeedbackType.fromWire(stored.get("feedback_type").asText()),
                stored.get("time_window_days").asInt(), stored.get("auto_apply_threshold").asDouble(),
                stored.get("min_sample_size").asInt(), stored.get("significance_level").asDouble(),
                stored.get("enable_ab_testing").asBoolean());
    }

    private static boolean present(JsonNode body, String field) {
        return body != null && body.hasNonNull(field);
    }

    private static int whole(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isNumber() || v.doubleValue() != Math.rint(v.doubleValue()) || Math.abs(v.doubleValue()) > 1e9) {
            throw invalid(field, "expected a whole number, got " + describe(v));
        }
        return v.intValue();
    }

    private static double number(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isNumber()) {
            throw invalid(field, "expected a number, got " + describe(v));
        }
        return v.doubleValue();
    }

    private static boolean bool(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (!v.isBoolean()) {
            throw invalid(field, "expected true or false, got " + describe(v));
        }
        return v.booleanValue();
    }

    private static String describe(JsonNode v) {
        return v.isNumber() ? v.asText() : Json.kind(v);
    }

    /** A parameter the contract does not accept: 422, as the as-built API answered its constraint violations. */
    static ProblemException invalid(String field, String reason) {
        return new ProblemException(new Problem(ErrorCode.VALIDATION_FAILED, field, reason, 422));
    }
}
