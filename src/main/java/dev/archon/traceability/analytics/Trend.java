package dev.archon.traceability.analytics;

import java.util.Arrays;
import org.apache.commons.math3.stat.regression.SimpleRegression;

/**
 * The trend of a pattern's use over a window, from its executions per bucket (oldest first; the window's buckets
 * that have ended, see {@link AnalyticsWindow#completeBuckets()}):
 * <ul>
 * <li>velocity: the least-squares slope of the counts against the bucket index (executions per bucket, per bucket);
 *     0 with fewer than 2 buckets;</li>
 * <li>acceleration: the slope over the second half of the buckets minus the slope over the first half (halves of
 *     n/2 and n - n/2 buckets, the middle one in the second half); 0 with fewer than 4 buckets;</li>
 * <li>growth percentage: executions in the last quarter of the buckets against the first quarter (max(1, n/4)
 *     buckets each), (last - first) / first * 100; null when the first quarter had none or there are fewer than 2
 *     buckets;</li>
 * <li>confidence: R² of the straight-line fit, the share of the bucket-to-bucket variation the line explains (1
 *     when every bucket holds the same count: the flat line fits exactly); 0 with fewer than 3 buckets or no
 *     executions;</li>
 * <li>type: {@link TrendType#of} the velocity and the window's executions.</li>
 * </ul>
 */
public record Trend(TrendType type, double velocity, double acceleration, Double growthPercentage,
                    double confidence, int buckets) {

    /** {@code counts}: executions per bucket, oldest first; {@code executions}: all of the window's executions. */
    public static Trend of(long[] counts, long executions) {
        int n = counts.length;
        double velocity = n >= 2 ? slope(counts) : 0;
        double acceleration = n >= 4
                ? slope(Arrays.copyOfRange(counts, n / 2, n)) - slope(Arrays.copyOfRange(counts, 0, n / 2)) : 0;
        Double growth = null;
        if (n >= 2) {
            int q = Math.max(1, n / 4);
            long first = Arrays.stream(counts, 0, q).sum();
            long last = Arrays.stream(counts, n - q, n).sum();
            growth = first == 0 ? null : (last - first) * 100.0 / first;
        }
        return new Trend(TrendType.of(velocity, executions), velocity, acceleration, growth, confidence(counts), n);
    }

    /** The least-squares slope of counts[i] against i. */
    static double slope(long[] counts) {
        return regression(counts).getSlope();
    }

    private static double confidence(long[] counts) {
        if (counts.length < 3 || Arrays.stream(counts).sum() == 0) {
            return 0;
        }
        if (Arrays.stream(counts).allMatch(c -> c == counts[0])) {
            return 1;
        }
        return regression(counts).getRSquare();
    }

    private static SimpleRegression regression(long[] counts) {
        SimpleRegression r = new SimpleRegression();
        for (int i = 0; i < counts.length; i++) {
            r.addData(i, counts[i]);
        }
        return r;
    }
}
