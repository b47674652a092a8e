package dev.archon.traceability.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Trend figures against values computed by hand (x is the bucket index 0..n-1, y the executions in it). */
class TrendTest {

    private static final org.assertj.core.data.Offset<Double> EXACT = within(1e-12);

    @Test
    void aCleanRampIsGrowingWithFullConfidence() {
        // x̄ = 1.5, ȳ = 5, Sxx = 2.25 + 0.25 + 0.25 + 2.25 = 5, Sxy = 4.5 + 0.5 + 0.5 + 4.5 = 10: slope 10 / 5 = 2
        // halves [2, 4] and [6, 8] both have slope 2: acceleration 0; quarters (1 bucket): (8 - 2) / 2 = 300 %
        Trend t = Trend.of(new long[] {2, 4, 6, 8}, 20);
        assertThat(t.velocity()).isCloseTo(2, EXACT);
        assertThat(t.acceleration()).isCloseTo(0, EXACT);
        assertThat(t.growthPercentage()).isCloseTo(300, EXACT);
        assertThat(t.confidence()).isCloseTo(1, EXACT);
        assertThat(t.type()).isEqualTo(TrendType.GROWING);
        assertThat(t.buckets()).isEqualTo(4);
    }

    @Test
    void anAcceleratingSeries() {
        // y = [1, 1, 2, 2, 3, 3, 6, 6]: x̄ = 3.5, ȳ = 3, Sxx = 42,
        // Sxy = (-3.5)(-2) + (-2.5)(-2) + (-1.5)(-1) + (-0.5)(-1) + 0 + 0 + (2.5)(3) + (3.5)(3) = 32: slope 32 / 42
        // first half [1, 1, 2, 2]: Sxy = 0.75 + 0.25 + 0.25 + 0.75 = 2, Sxx = 5: 0.4;
        // second half [3, 3, 6, 6]: Sxy = 2.25 + 0.75 + 0.75 + 2.25 = 6: 1.2; acceleration 1.2 - 0.4 = 0.8
        // quarters of 2 buckets: first 1 + 1 = 2, last 6 + 6 = 12: (12 - 2) / 2 = 500 %
        // R² = Sxy² / (Sxx * Syy) with Syy = 4 + 4 + 1 + 1 + 0 + 0 + 9 + 9 = 28: 1024 / 1176
        Trend t = Trend.of(new long[] {1, 1, 2, 2, 3, 3, 6, 6}, 24);
        assertThat(t.velocity()).isCloseTo(32.0 / 42, EXACT);
        assertThat(t.acceleration()).isCloseTo(0.8, EXACT);
        assertThat(t.growthPercentage()).isCloseTo(500, EXACT);
        assertThat(t.confidence()).isCloseTo(1024.0 / 1176, EXACT);
        assertThat(t.type()).isEqualTo(TrendType.GROWING);
    }

    @Test
    void aSteadySeriesIsStable() {
        // every bucket the same: slope 0, growth 0 %, and the flat line fits exactly
        Trend t = Trend.of(new long[] {5, 5, 5, 5, 5}, 25);
        assertThat(t.velocity()).isCloseTo(0, EXACT);
        assertThat(t.growthPercentage()).isCloseTo(0, EXACT);
        assertThat(t.confidence()).isEqualTo(1);
        assertThat(t.type()).isEqualTo(TrendType.STABLE);
    }

    @Test
    void aFallingSeriesIsDeclining() {
        // y = 9 - 2x exactly: slope -2, R² 1; halves (2 and 3 buckets) [9, 7] and [5, 3, 1]: -2 and -2
        // quarters of max(1, 5 / 4) = 1 bucket: (1 - 9) / 9 = -88.888... %
        Trend t = Trend.of(new long[] {9, 7, 5, 3, 1}, 25);
        assertThat(t.velocity()).isCloseTo(-2, EXACT);
        assertThat(t.acceleration()).isCloseTo(0, EXACT);
        assertThat(t.growthPercentage()).isCloseTo(-800.0 / 9, EXACT);
        assertThat(t.confidence()).isCloseTo(1, EXACT);
        assertThat(t.type()).isEqualTo(TrendType.DECLINING);
    }

    @Test
    void fewExecutionsThatStoppedAreAbandonedAndFewThatStartedAreEmerging() {
        // [4, 0]: slope -4 with 4 executions; two buckets: no confidence, no acceleration
        Trend abandoned = Trend.of(new long[] {4, 0}, 4);
        assertThat(abandoned.velocity()).isCloseTo(-4, EXACT);
        assertThat(abandoned.growthPercentage()).isCloseTo(-100, EXACT);
        assertThat(abandoned.confidence()).isZero();
        assertThat(abandoned.acceleration()).isZero();
        assertThat(abandoned.type()).isEqualTo(TrendType.ABANDONED);

        // [0, 0, 3, 6]: x̄ = 1.5, ȳ = 2.25, Sxy = 3.375 + 1.125 + 0.375 + 5.625 = 10.5, Sxx = 5: slope 2.1,
        // but 9 executions: emerging; the first quarter had none: no growth percentage
        Trend emerging = Trend.of(new long[] {0, 0, 3, 6}, 9);
        assertThat(emerging.velocity()).isCloseTo(2.1, EXACT);
        assertThat(emerging.growthPercentage()).isNull();
        assertThat(emerging.type()).isEqualTo(TrendType.EMERGING);
    }

    @Test
    void tooFewBucketsGiveNoTrend() {
        Trend none = Trend.of(new long[0], 0);
        assertThat(none.velocity()).isZero();
        assertThat(none.growthPercentage()).isNull();
        assertThat(none.confidence()).isZero();
        assertThat(none.type()).isEqualTo(TrendType.EMERGING);
        Trend one = Trend.of(new long[] {40}, 40);
        assertThat(one.velocity()).isZero();
        assertThat(one.type()).isEqualTo(TrendType.STABLE);
    }

    @Test
    void theFirstMatchingRuleWins() {
        assertThat(TrendType.of(-2, 4)).isEqualTo(TrendType.ABANDONED);
        assertThat(TrendType.of(-1.99, 4)).isEqualTo(TrendType.EMERGING);
        assertThat(TrendType.of(-2, 5)).isEqualTo(TrendType.EMERGING);
        assertThat(TrendType.of(10, 9)).isEqualTo(TrendType.EMERGING);
        assertThat(TrendType.of(0.49, 10)).isEqualTo(TrendType.STABLE);
        assertThat(TrendType.of(-0.49, 10)).isEqualTo(TrendType.STABLE);
        assertThat(TrendType.of(0.5, 10)).isEqualTo(TrendType.GROWING);
        assertThat(TrendType.of(-0.5, 10)).isEqualTo(TrendType.DECLINING);
    }
}
