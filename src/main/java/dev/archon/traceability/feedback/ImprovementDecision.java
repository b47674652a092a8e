package dev.archon.traceability.feedback;

import dev.archon.traceability.feedback.Significance.Comparison;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the apply stage does with the validate stage's comparisons of the newer version (child) against its parent:
 * <ul>
 *   <li>{@code REGRESSION}: the child is significantly worse on any tested metric: nothing is applied, a roll-back
 *       is proposed;</li>
 *   <li>{@code APPLY}: significantly better on a metric of the feedback_type, at confidence at least the
 *       auto-apply threshold, and significantly worse on none: recorded as an IMPROVED_VERSION edge;</li>
 *   <li>{@code REVIEW}: significantly better, but at a confidence below the threshold: waits for review;</li>
 *   <li>{@code REJECTED}: not significantly better on a metric of the feedback_type.</li>
 * </ul>
 * Significant means p below the significance level; confidence is 1 − p. With several metrics in the feedback_type
 * ({@code all}) the best one is the test of record and its p-value is Bonferroni-adjusted (times the number of
 * metrics tested), so that asking about three metrics does not triple the chance of applying a chance difference.
 */
public final class ImprovementDecision {

    private ImprovementDecision() {
    }

    public enum Outcome {
        APPLY, REVIEW, REJECTED, REGRESSION;

        public String wireName() {
            return name().toLowerCase();
        }
    }

    /**
     * The decision. {@code ofRecord} is the comparison on a requested metric it rests on (the most significant
     * one; null when none was tested), {@code pValue} its p-value after adjustment and {@code confidence} = 1 −
     * that; {@code worse} lists the comparisons where the child is significantly worse.
     */
    public record Verdict(Outcome outcome, Comparison ofRecord, Double pValue, Double confidence,
                          List<Comparison> worse, String reason) {
    }

    /** The validate stage's judgement of one proposal: validated when the child is significantly better. */
    public static boolean validates(Comparison c) {
        return c != null && c.better();
    }

    public static Verdict decide(List<Metric> requested, Map<Metric, Comparison> comparisons,
                                 double autoApplyThreshold) {
        List<Comparison> tested = requested.stream().map(comparisons::get).filter(Objects::nonNull).toList();
        List<Comparison> worse = comparisons.values().stream().filter(Comparison::worse)
                .sorted(Comparator.comparingDouble(Comparison::pValue)).toList();
        List<Comparison> better = tested.stream().filter(Comparison::better)
                .sorted(Comparator.comparingDouble(Comparison::pValue)).toList();
        Comparison ofRecord = !better.isEmpty() ? better.get(0)
                : tested.stream().min(Comparator.comparingDouble(Comparison::pValue)).orElse(null);
        Double p = ofRecord == null ? null : Math.min(1, ofRecord.pValue() * Math.max(1, tested.size()));
        Double confidence = p == null ? null : 1 - p;
        if (!worse.isEmpty()) {
            Comparison w = worse.get(0);
            return new Verdict(Outcome.REGRESSION, ofRecord, p, confidence, worse, "the newer version is"
                    + " significantly worse on " + w.metric().wireName() + " (p = " + fmtP(w.pValue()) + " < "
                    + w.significanceLevel() + "): nothing applied, roll-back proposed");
        }
        if (ofRecord == null) {
            return new Verdict(Outcome.REJECTED, null, null, null, worse, "no metric of the feedback_type could be"
                    + " tested");
        }
        if (better.isEmpty()) {
            return new Verdict(Outcome.REJECTED, ofRecord, p, confidence, worse, "not significantly better on "
                    + ofRecord.metric().wireName() + " (p = " + fmtP(ofRecord.pValue()) + ", significance level "
                    + ofRecord.significanceLevel() + ")");
        }
        if (confidence >= autoApplyThreshold) {
            return new Verdict(Outcome.APPLY, ofRecord, p, confidence, worse, "significantly better on "
                    + ofRecord.metric().wireName() + " at confidence " + fmtP(confidence) + " >= auto_apply_threshold "
                    + autoApplyThreshold);
        }
        return new Verdict(Outcome.REVIEW, ofRecord, p, confidence, worse, "significantly better on "
                + ofRecord.metric().wireName() + " but confidence " + fmtP(confidence) + " < auto_apply_threshold "
                + autoApplyThreshold + ": waits for review");
    }

    static String fmtP(double p) {
        return p != 0 && Math.abs(p) < 1e-4 ? String.format(java.util.Locale.ROOT, "%.3g", p)
                : String.format(java.util.Locale.ROOT, "%.4f", p);
    }
}
