package dev.archon.traceability.analytics;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The answer of GET /api/analytics/pattern/{pattern_id}, computed from one window's {@link WindowFigures}: plain
 * arithmetic, no database, so every figure is checked against hand-computed values. Figures that cannot be computed
 * (a rate over no executions, a percentile over no durations) are null. Rounded: milliseconds to 3 decimals, rates,
 * scores, velocity and acceleration to 4, per-day and per-week rates, growth percentage and hours to 2.
 */
public final class PatternReport {

    /** The percentiles reported, in this order. */
    static final double[] PERCENTILES = {0.5, 0.95, 0.99};

    private PatternReport() {
    }

    public static Map<String, Object> of(AnalyticsRequest request, AnalyticsWindow window, WindowFigures f,
                                         Instant now) {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("pattern_id", request.patternId());
        answer.put("time_window", timeWindow(request, window));
        answer.put("total_data_points", f.executions());
        answer.put("usage_metrics", usage(window, f, now));
        answer.put("success_metrics", success(f));
        answer.put("performance_metrics", performance(f));
        answer.put("trend_analysis", trend(window, f));
        answer.put("context_distribution", distribution(f));
        answer.put("computed_at", now.toString());
        return answer;
    }

    private static Map<String, Object> timeWindow(AnalyticsRequest request, AnalyticsWindow w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", w.type().key());
        m.put("start", w.start().toString());
        m.put("end", w.end().toString());
        m.put("hours", w.hours());
        m.put("aligned_to", "whole UTC hours");
        if (request.from() != null) {
            m.put("requested_start", request.from().toString());
            m.put("requested_end", request.to().toString());
        }
        return m;
    }

    private static Map<String, Object> usage(AnalyticsWindow w, WindowFigures f, Instant now) {
        double days = w.hours() / 24.0;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("total_executions", f.executions());
        m.put("executions_per_day", round(f.executions() / days, 2));
        m.put("executions_per_week", round(f.executions() / (days / 7), 2));
        m.put("unique_contexts", f.values().getOrDefault("context_type", Map.of()).size());
        m.put("unique_users", f.values().getOrDefault("agent", Map.of()).size());
        m.put("peak_daily_usage", f.perDay().values().stream().mapToLong(Long::longValue).max().orElse(0));
        m.put("time_since_last_use_hours", f.lastStartedAt() == null ? null
                : round(Math.max(0, Duration.between(f.lastStartedAt(), now).toMillis()) / 3_600_000.0, 2));
        m.put("last_used_at", f.lastStartedAt() == null ? null : f.lastStartedAt().toString());
        return m;
    }

    private static Map<String, Object> success(WindowFigures f) {
        long n = f.executions();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success_count", f.successes());
        m.put("failure_count", f.failures());
        m.put("timeout_count", f.timeouts());
        m.put("success_rate", n == 0 ? null : round((double) f.successes() / n, 4));
        m.put("error_rate", n == 0 ? null : round((double) (f.failures() + f.timeouts()) / n, 4));
        m.put("quality_gate_failures", f.qualityGateFailures());
        m.put("avg_quality_score", f.qualityCount() == 0 ? null : round(f.qualitySum() / f.qualityCount(), 4));
        return m;
    }

    private static Map<String, Object> performance(WindowFigures f) {
        long n = f.durationCount();
        Double[] p = new Double[PERCENTILES.length];
        String method = null;
        if (f.exactPercentiles() != null) {
            method = "exact";
            for (int i = 0; i < p.length; i++) {
                p[i] = f.exactPercentiles()[i];
            }
        } else if (f.histogram() != null && f.histogram().total() > 0) {
            method = "histogram";
            for (int i = 0; i < p.length; i++) {
                p[i] = f.histogram().percentile(PERCENTILES[i], f.durationMin(), f.durationMax());
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("avg_ms", n == 0 ? null : round(f.durationSum() / n, 3));
        m.put("p50_ms", round(p[0], 3));
        m.put("p95_ms", round(p[1], 3));
        m.put("p99_ms", round(p[2], 3));
        m.put("min_ms", round(f.durationMin(), 3));
        m.put("max_ms", round(f.durationMax(), 3));
        m.put("std_dev_ms", round(sampleStandardDeviation(n, f.durationSum(), f.durationSumOfSquares()), 3));
        m.put("executions_with_duration", n);
        m.put("percentile_method", method);
        return m;
    }

    /** From the count, sum and sum of squares: sqrt((Σx² - (Σx)²/n) / (n - 1)); null under 2 values. */
    static Double sampleStandardDeviation(long n, double sum, double sumOfSquares) {
        if (n < 2) {
            return null;
        }
        return Math.sqrt(Math.max(0, (sumOfSquares - sum * sum / n) / (n - 1)));
    }

    private static Map<String, Object> trend(AnalyticsWindow w, WindowFigures f) {
        Trend t = Trend.of(Arrays.copyOf(f.trendSeries(), w.completeBuckets()), f.executions());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trend_type", t.type().name());
        m.put("velocity", round(t.velocity(), 4));
        m.put("acceleration", round(t.acceleration(), 4));
        m.put("growth_percentage", round(t.growthPercentage(), 2));
        m.put("confidence_score", round(t.confidence(), 4));
        m.put("bucket_seconds", w.bucket().toSeconds());
        m.put("buckets", t.buckets());
        return m;
    }

    private static Map<String, Object> distribution(WindowFigures f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("by_context_type", f.values().getOrDefault("context_type", Map.of()));
        m.put("by_agent", f.values().getOrDefault("agent", Map.of()));
        m.put("by_project", f.values().getOrDefault("project", Map.of()));
        Map<String, Long> byHour = new LinkedHashMap<>();
        for (int h = 0; h < 24; h++) {
            byHour.put(String.valueOf(h), f.perHourOfDay()[h]);
        }
        m.put("by_hour", byHour);
        Map<String, Long> byWeekday = new LinkedHashMap<>();
        for (DayOfWeek d : DayOfWeek.values()) {
            byWeekday.put(d.name().toLowerCase(Locale.ROOT), f.perWeekday()[d.ordinal()]);
        }
        m.put("by_weekday", byWeekday);
        return m;
    }

    static Double round(Double v, int places) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            return null;
        }
        double scale = Math.pow(10, places);
        return Math.round(v * scale) / scale;
    }

    /** The dimensions of the value counts, as the rollup names them. */
    static final List<String> DIMENSIONS = List.of("context_type", "agent", "project");
}
