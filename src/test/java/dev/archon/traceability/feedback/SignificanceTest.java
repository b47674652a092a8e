package dev.archon.traceability.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.archon.traceability.feedback.Significance.Comparison;
import dev.archon.traceability.feedback.Significance.Direction;
import dev.archon.traceability.feedback.Significance.Proportion;
import dev.archon.traceability.feedback.Significance.Sample;
import org.junit.jupiter.api.Test;

/**
 * The tests against values worked out by hand (means, variances, t, degrees of freedom, z, effect sizes) and p-values
 * from an independent implementation: scipy 1.17 ({@code scipy.stats.ttest_ind(a, b, equal_var=False)},
 * {@code ttest_ind_from_stats(..., equal_var=False)} and {@code 2 * norm.sf(|z|)}).
 */
class SignificanceTest {

    /** mean and sample variance of a handful of values, written out. */
    private static Sample sample(double... values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        double mean = sum / values.length;
        double squares = 0;
        for (double v : values) {
            squares += (v - mean) * (v - mean);
        }
        return new Sample(values.length, mean, squares / (values.length - 1));
    }

    @Test
    void welchOnFiveDurationsEachMatchesTheHandComputationAndScipy() {
        // parent 12 15 11 14 13: mean 13, squared deviations 1 4 4 1 0, variance 10/4 = 2.5
        // child   9 10  8 11  9: mean 9.4, squared deviations .16 .36 1.96 2.56 .16, variance 5.2/4 = 1.3
        Sample parent = sample(12, 15, 11, 14, 13);
        Sample child = sample(9, 10, 8, 11, 9);
        assertThat(parent.variance()).isCloseTo(2.5, within(1e-12));
        assertThat(child.variance()).isCloseTo(1.3, within(1e-12));
        Comparison c = Significance.welch(Metric.DURATION, parent, child, 0.05);
        // se = sqrt(2.5/5 + 1.3/5) = sqrt(0.76); t = (9.4 - 13) / sqrt(0.76)
        assertThat(c.statistic()).isCloseTo(-3.6 / Math.sqrt(0.76), within(1e-12));
        // df = 0.76^2 / (0.5^2/4 + 0.26^2/4) = 0.5776 / 0.0794
        assertThat(c.degreesOfFreedom()).isCloseTo(0.5776 / 0.0794, within(1e-9));
        assertThat(c.pValue()).isCloseTo(0.00405449862457706, within(1e-12)); // scipy
        assertThat(c.confidence()).isCloseTo(1 - 0.00405449862457706, within(1e-12));
        assertThat(c.direction()).isEqualTo(Direction.BETTER); // faster
        assertThat(c.significant()).isTrue();
        assertThat(c.better()).isTrue();
        assertThat(c.worse()).isFalse();
        // Cohen's d: 3.6 / sqrt((4 * 2.5 + 4 * 1.3) / 8), positive = better
        assertThat(c.effectSize()).isCloseTo(2.611714500396042, within(1e-12));
        assertThat(c.effectSizeKind()).isEqualTo("cohens_d");
        assertThat(c.relativeDelta()).isCloseTo(3.6 / 13, within(1e-12)); // 27.7 % faster
        assertThat(c.nParent()).isEqualTo(5);
        assertThat(c.parentValue()).isEqualTo(13.0);
        assertThat(c.childValue()).isCloseTo(9.4, within(1e-12));
    }

    @Test
    void theSameSamplesTheOtherWayRoundAreWorseWithTheSamePValue() {
        Comparison c = Significance.welch(Metric.DURATION, sample(9, 10, 8, 11, 9), sample(12, 15, 11, 14, 13), 0.05);
        assertThat(c.pValue()).isCloseTo(0.00405449862457706, within(1e-12));
        assertThat(c.direction()).isEqualTo(Direction.WORSE);
        assertThat(c.worse()).isTrue();
        assertThat(c.effectSize()).isCloseTo(-2.611714500396042, within(1e-12));
    }

    @Test
    void higherIsBetterForQuality() {
        Comparison c = Significance.welch(Metric.QUALITY, sample(0.6, 0.7, 0.65, 0.55, 0.6),
                sample(0.8, 0.85, 0.9, 0.75, 0.8), 0.05);
        assertThat(c.direction()).isEqualTo(Direction.BETTER);
        assertThat(c.statistic()).isPositive();
        assertThat(c.effectSize()).isPositive();
    }

    @Test
    void welchFromSummariesMatchesScipy() {
        // ttest_ind_from_stats(100, 20, 30, 88, 20, 30, equal_var=False): between significance and 0.99 confidence
        Comparison middle = Significance.welch(Metric.DURATION, new Sample(30, 100, 400), new Sample(30, 88, 400),
                0.05);
        assertThat(middle.statistic()).isCloseTo(-2.32379000772445, within(1e-12));
        assertThat(middle.degreesOfFreedom()).isCloseTo(58.0, within(1e-9)); // equal n and variance: n1 + n2 - 2
        assertThat(middle.pValue()).isCloseTo(0.023662215835435832, within(1e-12));
        // unequal sizes and variances: ttest_ind_from_stats(250, 50, 40, 200, 30, 50, equal_var=False)
        Comparison unequal = Significance.welch(Metric.DURATION, new Sample(40, 250, 2500), new Sample(50, 200, 900),
                0.05);
        assertThat(unequal.statistic()).isCloseTo(-5.572782125753528, within(1e-9));
        assertThat(unequal.pValue()).isCloseTo(6.0971871394824e-07, within(1e-15));
    }

    @Test
    void indistinguishableVersionsAreNotSignificant() {
        Comparison c = Significance.welch(Metric.DURATION, new Sample(100, 50, 100), new Sample(100, 50.5, 100), 0.05);
        assertThat(c.pValue()).isGreaterThan(0.7);
        assertThat(c.significant()).isFalse();
        assertThat(c.better()).isFalse();
        assertThat(c.worse()).isFalse();
    }

    @Test
    void noVarianceAtAllIsDecidedWithoutTheTDistribution() {
        Comparison same = Significance.welch(Metric.DURATION, new Sample(10, 5, 0), new Sample(10, 5, 0), 0.05);
        assertThat(same.pValue()).isEqualTo(1.0);
        assertThat(same.direction()).isEqualTo(Direction.NONE);
        assertThat(same.effectSize()).isEqualTo(0.0);
        Comparison apart = Significance.welch(Metric.DURATION, new Sample(10, 5, 0), new Sample(10, 4, 0), 0.05);
        assertThat(apart.pValue()).isEqualTo(0.0);
        assertThat(apart.statistic()).isNull();
        assertThat(apart.effectSize()).isNull();
        assertThat(apart.better()).isTrue();
    }

    @Test
    void welchNeedsTwoValuesPerVersion() {
        assertThatThrownBy(() -> Significance.welch(Metric.DURATION, new Sample(1, 5, 0), new Sample(10, 4, 1), 0.05))
                .hasMessageContaining("at least 2 values");
    }

    @Test
    void twoProportionsMatchesTheHandComputationAndScipy() {
        // 45/60 = 0.75 against 55/60 = 0.9167; pooled 100/120; se = sqrt(p(1-p)(1/60 + 1/60))
        Comparison c = Significance.twoProportions(new Proportion(45, 60), new Proportion(55, 60), 0.05);
        double pooled = 100.0 / 120;
        double se = Math.sqrt(pooled * (1 - pooled) * (2.0 / 60));
        assertThat(c.statistic()).isCloseTo((55.0 / 60 - 45.0 / 60) / se, within(1e-12));
        assertThat(c.statistic()).isCloseTo(2.449489742783178, within(1e-12));
        assertThat(c.pValue()).isCloseTo(0.014305878435429648, within(1e-12)); // scipy: 2 * norm.sf(z)
        assertThat(c.degreesOfFreedom()).isNull();
        // Cohen's h = 2 asin(sqrt(p2)) - 2 asin(sqrt(p1))
        assertThat(c.effectSize()).isCloseTo(0.4615120077394468, within(1e-12));
        assertThat(c.effectSizeKind()).isEqualTo("cohens_h");
        assertThat(c.relativeDelta()).isCloseTo((55.0 / 60 - 0.75) / 0.75, within(1e-12));
        assertThat(c.metric()).isEqualTo(Metric.SUCCESS_RATE);
        assertThat(c.better()).isTrue();
    }

    @Test
    void equalRatesOfAllOrNothingAreNotSignificant() {
        Comparison all = Significance.twoProportions(new Proportion(30, 30), new Proportion(40, 40), 0.05);
        assertThat(all.pValue()).isEqualTo(1.0);
        assertThat(all.direction()).isEqualTo(Direction.NONE);
        Comparison none = Significance.twoProportions(new Proportion(0, 30), new Proportion(0, 40), 0.05);
        assertThat(none.pValue()).isEqualTo(1.0);
        assertThat(none.relativeDelta()).isNull(); // no change relative to 0
    }

    @Test
    void aLessReliableChildIsWorse() {
        Comparison c = Significance.twoProportions(new Proportion(55, 60), new Proportion(45, 60), 0.05);
        assertThat(c.pValue()).isCloseTo(0.014305878435429648, within(1e-12));
        assertThat(c.worse()).isTrue();
        assertThat(c.effectSize()).isNegative();
    }
}
