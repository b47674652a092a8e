package dev.archon.traceability.feedback;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The generate stage's rules: which metrics the newer version should be tested for improving, and why. They read the
 * parent version's figures (the version the newer one replaces) and the pattern's feedback:
 * <ul>
 *   <li>{@code slow}: mean duration above a threshold; {@code high_variance}: coefficient of variation (standard
 *       deviation / mean) of durations above a threshold; both propose duration;</li>
 *   <li>{@code low_quality}: mean quality score below a threshold (quality);</li>
 *   <li>{@code unreliable}: success rate below a threshold (success rate);</li>
 *   <li>{@code negative_feedback}: at least a share of the feedback items negative, among enough items; proposes
 *       the metric of each feedback_type with negative items (general: the requested ones);</li>
 *   <li>{@code requested}: the metrics of the workflow's feedback_type are always proposed.</li>
 * </ul>
 * One proposal per metric, with every reason that led to it; the requested metrics first.
 */
public final class ImprovementRules {

    private ImprovementRules() {
    }

    /** The rules' thresholds (traceability.feedback.rules.*). */
    public record Thresholds(double slowMeanMs, double highVarianceCv, double lowQuality,
                             double unreliableSuccessRate, double negativeFeedbackShare, int negativeFeedbackMinItems) {
    }

    /** Why a metric is proposed: the rule, and what it saw against what threshold. */
    public record Reason(String rule, String detail) {

        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("rule", rule);
            m.put("detail", detail);
            return m;
        }
    }

    /** A proposed improvement: test whether the newer version is better on {@code metric}, for these reasons. */
    public record Proposal(Metric metric, List<Reason> reasons) {
    }

    public static List<Proposal> generate(Thresholds t, Baseline parent, FeedbackSummary feedback,
                                          List<Metric> requested) {
        Map<Metric, List<Reason>> reasons = new LinkedHashMap<>();
        for (Metric m : requested) {
            add(reasons, m, "requested", "the workflow's feedback_type asks for " + m.wireName());
        }
        Double mean = parent.durationMean();
        if (mean != null && parent.durationN() > 0 && mean > t.slowMeanMs()) {
            add(reasons, Metric.DURATION, "slow", "mean duration " + fmt(mean) + " ms of version "
                    + parent.version() + " is above " + fmt(t.slowMeanMs()) + " ms");
        }
        if (mean != null && mean > 0 && parent.durationVariance() != null && parent.durationN() > 1) {
            double cv = Math.sqrt(parent.durationVariance()) / mean;
            if (cv > t.highVarianceCv()) {
                add(reasons, Metric.DURATION, "high_variance", "durations of version " + parent.version()
                        + " vary with a coefficient of variation of " + fmt(cv) + ", above " + fmt(t.highVarianceCv()));
            }
        }
        if (parent.qualityMean() != null && parent.qualityN() > 0 && parent.qualityMean() < t.lowQuality()) {
            add(reasons, Metric.QUALITY, "low_quality", "mean quality score " + fmt(parent.qualityMean())
                    + " of version " + parent.version() + " is below " + fmt(t.lowQuality()));
        }
        Double rate = parent.successRate();
        if (rate != null && rate < t.unreliableSuccessRate()) {
            add(reasons, Metric.SUCCESS_RATE, "unreliable", "success rate " + fmt(rate) + " of version "
                    + parent.version() + " is below " + fmt(t.unreliableSuccessRate()));
        }
        if (feedback.items() >= t.negativeFeedbackMinItems() && feedback.items() > 0
                && (double) feedback.negative() / feedback.items() >= t.negativeFeedbackShare()) {
            String detail = feedback.negative() + " of " + feedback.items() + " feedback items are negative (at least "
                    + fmt(t.negativeFeedbackShare() * 100) + " % of at least " + t.negativeFeedbackMinItems()
                    + " items)";
            for (Map.Entry<String, Long> e : feedback.negativeByType().entrySet()) {
                if (e.getValue() == 0) {
                    continue;
                }
                List<Metric> metrics = switch (e.getKey()) {
                    case "performance" -> List.of(Metric.DURATION);
                    case "quality" -> List.of(Metric.QUALITY);
                    case "usage" -> List.of(Metric.SUCCESS_RATE);
                    default -> requested;
                };
                for (Metric m : metrics) {
                    add(reasons, m, "negative_feedback", detail);
                }
            }
        }
        List<Proposal> proposals = new ArrayList<>();
        reasons.forEach((metric, why) -> proposals.add(new Proposal(metric, List.copyOf(why))));
        return proposals;
    }

    private static void add(Map<Metric, List<Reason>> reasons, Metric metric, String rule, String detail) {
        List<Reason> list = reasons.computeIfAbsent(metric, m -> new ArrayList<>());
        if (list.stream().noneMatch(r -> r.rule().equals(rule))) {
            list.add(new Reason(rule, detail));
        }
    }

    static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf((long) v)
                : String.format(Locale.ROOT, "%.3f", v).replaceAll("0+$", "");
    }
}
