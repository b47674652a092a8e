package dev.archon.traceability.analytics;

import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Percentiles read from the rollup's latency histogram. Bucket b holds durations in [0.001 * 1.02^b,
 * 0.001 * 1.02^(b+1)) ms (bucket -1: under 0.001 ms); the SQL function execution_latency_bucket
 * (R__execution_rollups.sql) assigns them, this class reads them back. Every value of a bucket is taken to be the bucket's geometric midpoint
 * 0.001 * 1.02^(b+0.5), which is within sqrt(1.02) - 1 = 0.995 % of it; a percentile is then interpolated between
 * the two closest ranks exactly as PostgreSQL's percentile_cont does on the raw values, so it too is within 1 % of
 * the exact percentile (an interpolation between two values each within 1 % is within 1 %). The result is kept
 * inside the window's exact minimum and maximum, which only brings it closer.
 */
public final class LatencyHistogram {

    /** The lower bound of bucket 0, in ms. */
    public static final double BASE_MS = 0.001;
    /** The ratio between consecutive bucket bounds. */
    public static final double RATIO = 1.02;
    /** The bucket of durations under {@link #BASE_MS} (0 included), read as 0 ms. */
    public static final int BELOW_BASE = -1;

    private final NavigableMap<Integer, Long> counts;
    private final long total;

    /** {@code counts}: executions per bucket (buckets with none may be left out). */
    public LatencyHistogram(Map<Integer, Long> counts) {
        this.counts = new TreeMap<>(counts);
        this.total = this.counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /**
     * Adds one stored histogram (the rollup keeps one per pattern and hour or day as two arrays: buckets, ascending,
     * and their counts) into {@code counts}.
     */
    public static void add(Map<Integer, Long> counts, Integer[] buckets, Long[] n) {
        for (int i = 0; i < buckets.length; i++) {
            counts.merge(buckets[i], n[i], Long::sum);
        }
    }

    public long total() {
        return total;
    }

    /** The bucket a duration falls in, as execution_latency_bucket computes it in SQL. */
    public static int bucketOf(double durationMs) {
        return durationMs < BASE_MS ? BELOW_BASE : (int) Math.floor(Math.log(durationMs / BASE_MS) / Math.log(RATIO));
    }

    /** The value every duration of the bucket is read as: its geometric midpoint (0 for {@link #BELOW_BASE}). */
    public static double midpoint(int bucket) {
        return bucket == BELOW_BASE ? 0 : BASE_MS * Math.pow(RATIO, bucket + 0.5);
    }

    /**
     * The {@code p} percentile (0..1) by linear interpolation between the closest ranks (percentile_cont), kept
     * within [min, max] when those are given; null when the histogram is empty.
     */
    public Double percentile(double p, Double min, Double max) {
        if (total == 0) {
            return null;
        }
        double h = p * (total - 1);
        long lower = (long) Math.floor(h);
        double value = valueAtRank(lower);
        if (h > lower) {
            value += (h - lower) * (valueAtRank(lower + 1) - value);
        }
        if (min != null) {
            value = Math.max(value, min);
        }
        if (max != null) {
            value = Math.min(value, max);
        }
        return value;
    }

    /** The midpoint of the bucket holding the value of 0-based rank {@code rank} in ascending order. */
    private double valueAtRank(long rank) {
        long seen = 0;
        for (Map.Entry<Integer, Long> bucket : counts.entrySet()) {
            seen += bucket.getValue();
            if (rank < seen) {
                return midpoint(bucket.getKey());
            }
        }
        return midpoint(counts.lastKey());
    }
}
