package dev.archon.traceability.feedback;

import java.util.Arrays;

/**
 * What the feedback loop compares between a version and its parent, with the test that compares it and which way is
 * better: duration (Welch's t-test on duration_ms, lower is better), quality (Welch's t-test on quality_score, higher
 * is better) and success rate (two-proportion z-test on status = success, higher is better).
 */
public enum Metric {
    DURATION("duration", "welch_t_test", true),
    QUALITY("quality", "welch_t_test", false),
    SUCCESS_RATE("success_rate", "two_proportion_z_test", false);

    private final String wireName;
    private final String test;
    private final boolean lowerIsBetter;

    Metric(String wireName, String test, boolean lowerIsBetter) {
        this.wireName = wireName;
        this.test = test;
        this.lowerIsBetter = lowerIsBetter;
    }

    public String wireName() {
        return wireName;
    }

    /** The name of the test that compares this metric, as recorded with its results. */
    public String test() {
        return test;
    }

    public boolean lowerIsBetter() {
        return lowerIsBetter;
    }

    public static Metric fromWire(String name) {
        return Arrays.stream(values()).filter(m -> m.wireName.equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric " + name));
    }
}
