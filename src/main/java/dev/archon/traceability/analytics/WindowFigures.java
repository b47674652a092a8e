package dev.archon.traceability.analytics;

import java.time.Instant;
import java.util.Map;

/**
 * What the database says about one pattern over one window, before any statistics: sums from the rollup, the
 * executions per trend bucket, per UTC day, hour of day and weekday, the counts per context type, agent and project,
 * and either exact percentiles (from the raw rows) or the latency histogram.
 *
 * @param trendSeries executions per trend bucket, oldest first, all of the window's buckets
 * @param perDay executions per UTC day (the part of the day inside the window)
 * @param perHourOfDay executions per UTC hour of day, index 0 to 23
 * @param perWeekday executions per UTC weekday, index 0 (Monday) to 6 (Sunday)
 * @param values per dimension (context_type, agent, project), executions per value
 * @param exactPercentiles p50, p95 and p99 from the raw rows, or null when the histogram was read instead
 * @param histogram the latency histogram, empty when the percentiles are exact
 * @param lastStartedAt the pattern's newest execution before the window's end (in the window or not), or null
 */
public record WindowFigures(
        long executions, long successes, long failures, long timeouts, long qualityGateFailures,
        long durationCount, double durationSum, double durationSumOfSquares, Double durationMin, Double durationMax,
        long qualityCount, double qualitySum,
        Instant lastStartedAt,
        long[] trendSeries, Map<Instant, Long> perDay, long[] perHourOfDay, long[] perWeekday,
        Map<String, Map<String, Long>> values,
        double[] exactPercentiles, LatencyHistogram histogram) {
}
