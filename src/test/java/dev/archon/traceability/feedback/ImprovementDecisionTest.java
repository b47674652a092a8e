package dev.archon.traceability.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.archon.traceability.feedback.ImprovementDecision.Outcome;
import dev.archon.traceability.feedback.ImprovementDecision.Verdict;
import dev.archon.traceability.feedback.Significance.Comparison;
import dev.archon.traceability.feedback.Significance.Proportion;
import dev.archon.traceability.feedback.Significance.Sample;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ImprovementDecisionTest {

    /** p = 0.00405: clearly faster (the five-value samples of SignificanceTest). */
    private static final Comparison FASTER = Significance.welch(Metric.DURATION,
            new Sample(5, 13, 2.5), new Sample(5, 9.4, 1.3), 0.05);
    /** p = 0.0237: faster at confidence 0.976. */
    private static final Comparison SOMEWHAT_FASTER = Significance.welch(Metric.DURATION,
            new Sample(30, 100, 400), new Sample(30, 88, 400), 0.05);
    private static final Comparison SAME_SPEED = Significance.welch(Metric.DURATION,
            new Sample(100, 50, 100), new Sample(100, 50.5, 100), 0.05);
    /** p = 0.0143, less reliable. */
    private static final Comparison LESS_RELIABLE = Significance.twoProportions(new Proportion(55, 60),
            new Proportion(45, 60), 0.05);
    private static final Comparison MORE_RELIABLE = Significance.twoProportions(new Proportion(45, 60),
            new Proportion(55, 60), 0.05);

    private static Map<Metric, Comparison> tested(Comparison... comparisons) {
        Map<Metric, Comparison> m = new EnumMap<>(Metric.class);
        for (Comparison c : comparisons) {
            m.put(c.metric(), c);
        }
        return m;
    }

    @Test
    void significantlyBetterAtTheThresholdIsApplied() {
        Verdict v = ImprovementDecision.decide(List.of(Metric.DURATION), tested(FASTER), 0.95);
        assertThat(v.outcome()).isEqualTo(Outcome.APPLY);
        assertThat(v.ofRecord()).isSameAs(FASTER);
        assertThat(v.pValue()).isEqualTo(FASTER.pValue());
        assertThat(v.confidence()).isCloseTo(1 - 0.00405449862457706, within(1e-12));
        assertThat(v.reason()).contains("significantly better on duration", ">= auto_apply_threshold 0.95");
    }

    @Test
    void betweenTheSignificanceLevelAndTheThresholdWaitsForReview() {
        Verdict v = ImprovementDecision.decide(List.of(Metric.DURATION), tested(SOMEWHAT_FASTER), 0.99);
        assertThat(v.outcome()).isEqualTo(Outcome.REVIEW);
        assertThat(v.confidence()).isCloseTo(1 - 0.023662215835435832, within(1e-12));
        assertThat(v.reason()).contains("< auto_apply_threshold 0.99", "waits for review");
        assertThat(ImprovementDecision.validates(SOMEWHAT_FASTER)).isTrue();
    }

    @Test
    void indistinguishableVersionsAreRejected() {
        Verdict v = ImprovementDecision.decide(List.of(Metric.DURATION), tested(SAME_SPEED), 0.95);
        assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(v.ofRecord()).isSameAs(SAME_SPEED);
        assertThat(v.reason()).startsWith("not significantly better on duration");
        assertThat(ImprovementDecision.validates(SAME_SPEED)).isFalse();
    }

    @Test
    void significantlyWorseOnAnyMetricIsARegressionEvenWhenTheRequestedOneImproved() {
        Verdict v = ImprovementDecision.decide(List.of(Metric.DURATION), tested(FASTER, LESS_RELIABLE), 0.95);
        assertThat(v.outcome()).isEqualTo(Outcome.REGRESSION);
        assertThat(v.worse()).containsExactly(LESS_RELIABLE);
        assertThat(v.ofRecord()).isSameAs(FASTER);
        assertThat(v.reason()).contains("significantly worse on success_rate", "nothing applied");
    }

    @Test
    void slowerIsARegression() {
        Comparison slower = Significance.welch(Metric.DURATION, new Sample(5, 9.4, 1.3), new Sample(5, 13, 2.5), 0.05);
        Verdict v = ImprovementDecision.decide(List.of(Metric.DURATION), tested(slower), 0.95);
        assertThat(v.outcome()).isEqualTo(Outcome.REGRESSION);
        assertThat(v.worse()).containsExactly(slower);
    }

    @Test
    void allTakesTheMostSignificantImprovementWithABonferroniAdjustedPValue() {
        // two metrics tested (quality untested: too few scores): p x 2
        Verdict v = ImprovementDecision.decide(List.of(Metric.DURATION, Metric.QUALITY, Metric.SUCCESS_RATE),
                tested(FASTER, MORE_RELIABLE), 0.95);
        assertThat(v.outcome()).isEqualTo(Outcome.APPLY);
        assertThat(v.ofRecord()).isSameAs(FASTER);
        assertThat(v.pValue()).isCloseTo(2 * 0.00405449862457706, within(1e-12));
        // 0.0143 x 2 = 0.0286: confidence 0.971 < 0.99 would wait for review
        Verdict reliability = ImprovementDecision.decide(List.of(Metric.DURATION, Metric.SUCCESS_RATE),
                tested(SAME_SPEED, MORE_RELIABLE), 0.99);
        assertThat(reliability.outcome()).isEqualTo(Outcome.REVIEW);
        assertThat(reliability.ofRecord()).isSameAs(MORE_RELIABLE);
        assertThat(reliability.confidence()).isCloseTo(1 - 2 * 0.014305878435429648, within(1e-12));
    }

    @Test
    void onlyTheRequestedMetricsCanBeApplied() {
        // more reliable, but the workflow asked about performance, where nothing changed
        Verdict v = ImprovementDecision.decide(List.of(Metric.DURATION), tested(SAME_SPEED, MORE_RELIABLE), 0.95);
        assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(v.ofRecord()).isSameAs(SAME_SPEED);
    }

    @Test
    void nothingTestedIsRejectedWithoutFigures() {
        Verdict v = ImprovementDecision.decide(List.of(Metric.QUALITY), tested(FASTER), 0.95);
        assertThat(v.outcome()).isEqualTo(Outcome.REJECTED);
        assertThat(v.ofRecord()).isNull();
        assertThat(v.pValue()).isNull();
    }
}
