package dev.archon.traceability.feedback;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a workflow is asked to improve ({@code feedback_type}), and so which metrics an improvement may be applied
 * for: performance (duration), quality (quality score), usage (success rate: the share of uses that succeed), all.
 */
public enum FeedbackType {
    PERFORMANCE(List.of(Metric.DURATION)),
    QUALITY(List.of(Metric.QUALITY)),
    USAGE(List.of(Metric.SUCCESS_RATE)),
    ALL(List.of(Metric.DURATION, Metric.QUALITY, Metric.SUCCESS_RATE));

    private final List<Metric> metrics;

    FeedbackType(List<Metric> metrics) {
        this.metrics = metrics;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> wireNames() {
        return Arrays.stream(values()).map(FeedbackType::wireName).toList();
    }

    /** The type named {@code name} (case-insensitive); IllegalArgumentException for any other. */
    public static FeedbackType fromWire(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
