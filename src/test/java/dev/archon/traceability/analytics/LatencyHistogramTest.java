package dev.archon.traceability.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Percentiles from the latency histogram, against hand-computed values and against exact percentiles. */
class LatencyHistogramTest {

    @Test
    void bucketsAreGeometricFromOneMicrosecond() {
        // ln(1 / 0.001) / ln(1.02) = 348.83..., ln(50 / 0.001) / ln(1.02) = 546.38...
        assertThat(LatencyHistogram.bucketOf(1.0)).isEqualTo(348);
        assertThat(LatencyHistogram.bucketOf(50.0)).isEqualTo(546);
        assertThat(LatencyHistogram.bucketOf(0.001)).isEqualTo(0);
        assertThat(LatencyHistogram.bucketOf(0.0009)).isEqualTo(-1);
        assertThat(LatencyHistogram.bucketOf(0)).isEqualTo(-1);
        // the midpoint of bucket 0: 0.001 * sqrt(1.02)
        assertThat(LatencyHistogram.midpoint(0)).isCloseTo(0.001009950493836208, within(1e-18));
        assertThat(LatencyHistogram.midpoint(-1)).isZero();
    }

    @Test
    void percentilesInterpolateBetweenTheClosestRanksLikePercentileCont() {
        // 4 durations: one in bucket 100, two in 200, one in 300; midpoints 0.001 * 1.02^(b + 0.5):
        // m100 = 0.007316733924797525, m200 = 0.05300714802656966, m300 = 0.38401802919031547
        LatencyHistogram h = new LatencyHistogram(Map.of(100, 1L, 200, 2L, 300, 1L));
        // p50: rank 0.5 * 3 = 1.5, between ranks 1 and 2, both in bucket 200
        assertThat(h.percentile(0.5, null, null)).isCloseTo(0.05300714802656966, within(1e-15));
        // p95: rank 2.85: m200 + 0.85 * (m300 - m200) = 0.3343663970157536
        assertThat(h.percentile(0.95, null, null)).isCloseTo(0.3343663970157536, within(1e-15));
        // p0 is the lowest rank's midpoint, p100 the highest's
        assertThat(h.percentile(0, null, null)).isCloseTo(0.007316733924797525, within(1e-15));
        assertThat(h.percentile(1, null, null)).isCloseTo(0.38401802919031547, within(1e-15));
        // kept inside the window's exact extremes
        assertThat(h.percentile(1, null, 0.38)).isEqualTo(0.38);
        assertThat(h.percentile(0, 0.0073, null)).isCloseTo(0.007316733924797525, within(1e-15));
        assertThat(h.percentile(0, 0.0075, null)).isEqualTo(0.0075);
        assertThat(new LatencyHistogram(Map.of()).percentile(0.5, null, null)).isNull();
    }

    @Test
    void everyPercentileIsWithinOnePercentOfTheExactOne() {
        Random random = new Random(7);
        for (int round = 0; round < 200; round++) {
            int n = 1 + random.nextInt(2000);
            double[] values = new double[n];
            Map<Integer, Long> counts = new HashMap<>();
            for (int i = 0; i < n; i++) {
                // log-normal around 50 ms with a long tail, and a few sub-millisecond ones
                values[i] = Math.exp(Math.log(50) + 1.5 * random.nextGaussian()) * (random.nextInt(50) == 0 ? 1e-3 : 1);
                counts.merge(LatencyHistogram.bucketOf(values[i]), 1L, Long::sum);
            }
            Arrays.sort(values);
            LatencyHistogram h = new LatencyHistogram(counts);
            for (double p : new double[] {0, 0.01, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 1}) {
                double exact = percentileCont(values, p);
                double fromHistogram = h.percentile(p, values[0], values[n - 1]);
                assertThat(Math.abs(fromHistogram - exact) / exact).as("p%s of %d values", p, n)
                        .isLessThanOrEqualTo(0.01);
            }
        }
    }

    /** PostgreSQL's percentile_cont on sorted values. */
    static double percentileCont(double[] sorted, double p) {
        double h = p * (sorted.length - 1);
        int lower = (int) Math.floor(h);
        return lower + 1 < sorted.length ? sorted[lower] + (h - lower) * (sorted[lower + 1] - sorted[lower])
                : sorted[lower];
    }
}
