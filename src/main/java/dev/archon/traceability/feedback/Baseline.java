package dev.archon.traceability.feedback;

import dev.archon.traceability.feedback.Significance.Proportion;
import dev.archon.traceability.feedback.Significance.Sample;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * One version's executions in a workflow's window, summarised (the analyze stage): how many, how many succeeded,
 * and count, mean, sample variance and percentiles of duration_ms and of quality_score (executions without a value
 * are not counted for that metric). Means and percentiles are null when there is no value.
 */
public record Baseline(UUID nodeId, UUID patternId, int version, long executions, long successes, long durationN,
                       Double durationMean, Double durationVariance, Double durationP50, Double durationP95,
                       Double durationP99, long qualityN, Double qualityMean, Double qualityVariance) {

    public Sample duration() {
        return new Sample(durationN, orZero(durationMean), orZero(durationVariance));
    }

    public Sample quality() {
        return new Sample(qualityN, orZero(qualityMean), orZero(qualityVariance));
    }

    public Proportion success() {
        return new Proportion(successes, executions);
    }

    public Double successRate() {
        return executions == 0 ? null : (double) successes / executions;
    }

    /** How many values of the metric this version has: what min_sample_size is checked against. */
    public long n(Metric metric) {
        return switch (metric) {
            case DURATION -> durationN;
            case QUALITY -> qualityN;
            case SUCCESS_RATE -> executions;
        };
    }

    /** The version's value of the metric: mean duration, mean quality or success rate (null without values). */
    public Double value(Metric metric) {
        return switch (metric) {
            case DURATION -> durationMean;
            case QUALITY -> qualityMean;
            case SUCCESS_RATE -> successRate();
        };
    }

    /** As shown in a workflow's status and stored as figures. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node_id", nodeId);
        m.put("version_number", version);
        m.put("executions", executions);
        m.put("success_rate", successRate());
        m.put("duration_n", durationN);
        m.put("mean_duration_ms", durationMean);
        m.put("median_duration_ms", durationP50);
        m.put("p95_duration_ms", durationP95);
        m.put("p99_duration_ms", durationP99);
        m.put("duration_std_dev_ms", durationVariance == null ? null : Math.sqrt(durationVariance));
        m.put("quality_n", qualityN);
        m.put("mean_quality", qualityMean);
        return m;
    }

    private static double orZero(Double v) {
        return v == null ? 0 : v;
    }
}
