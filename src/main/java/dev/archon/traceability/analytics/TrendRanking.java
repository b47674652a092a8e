package dev.archon.traceability.analytics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * GET /api/analytics/trends: every pattern with at least {@code min_executions} executions in the window, its
 * {@link Trend} over the window's ended buckets (the same definitions as a pattern's own analytics), and two rankings:
 * growing (type GROWING, fastest velocity first) and declining (DECLINING or ABANDONED, fastest decline first), each
 * cut at {@code limit}. Ties go to the larger pattern, then to the smaller id.
 */
public final class TrendRanking {

    /** The windows the ranking accepts: the hour is too short for a trend of hourly buckets, all_time too uneven. */
    public static final List<WindowType> WINDOWS = List.of(WindowType.DAILY, WindowType.WEEKLY, WindowType.MONTHLY,
            WindowType.QUARTERLY, WindowType.YEARLY);

    /** One pattern's executions in the window: in all, and per trend bucket (bucket index to count, sparse). */
    public record PatternSeries(UUID patternId, String patternName, long executions, Map<Integer, Long> perBucket) {
    }

    private record Ranked(PatternSeries pattern, Trend trend) {
    }

    private TrendRanking() {
    }

    public static Map<String, Object> rank(AnalyticsWindow window, long minExecutions, int limit,
                                           List<PatternSeries> patterns, Instant now) {
        List<Ranked> growing = new ArrayList<>();
        List<Ranked> declining = new ArrayList<>();
        for (PatternSeries p : patterns) {
            long[] counts = new long[window.completeBuckets()];
            p.perBucket().forEach((bucket, n) -> {
                if (bucket >= 0 && bucket < counts.length) {
                    counts[bucket] += n;
                }
            });
            Trend t = Trend.of(counts, p.executions());
            if (t.type() == TrendType.GROWING) {
                growing.add(new Ranked(p, t));
            } else if (t.type() == TrendType.DECLINING || t.type() == TrendType.ABANDONED) {
                declining.add(new Ranked(p, t));
            }
        }
        Comparator<Ranked> tie = Comparator.<Ranked>comparingLong(r -> -r.pattern().executions())
                .thenComparing(r -> r.pattern().patternId());
        growing.sort(Comparator.<Ranked>comparingDouble(r -> -r.trend().velocity()).thenComparing(tie));
        declining.sort(Comparator.<Ranked>comparingDouble(r -> r.trend().velocity()).thenComparing(tie));

        Map<String, Object> timeWindow = new LinkedHashMap<>();
        timeWindow.put("type", window.type().key());
        timeWindow.put("start", window.start().toString());
        timeWindow.put("end", window.end().toString());
        timeWindow.put("hours", window.hours());
        timeWindow.put("aligned_to", "whole UTC hours");
        timeWindow.put("bucket_seconds", window.bucket().toSeconds());
        timeWindow.put("buckets", window.completeBuckets());
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("time_window", timeWindow);
        answer.put("min_executions", minExecutions);
        answer.put("limit", limit);
        answer.put("patterns_considered", patterns.size());
        answer.put("growing", entries(growing, limit));
        answer.put("declining", entries(declining, limit));
        answer.put("computed_at", now.toString());
        return answer;
    }

    private static List<Map<String, Object>> entries(List<Ranked> ranked, int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Ranked r : ranked.subList(0, Math.min(limit, ranked.size()))) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("pattern_id", r.pattern().patternId());
            m.put("pattern_name", r.pattern().patternName());
            m.put("total_executions", r.pattern().executions());
            m.put("trend_type", r.trend().type().name());
            m.put("velocity", PatternReport.round(r.trend().velocity(), 4));
            m.put("acceleration", PatternReport.round(r.trend().acceleration(), 4));
            m.put("growth_percentage", PatternReport.round(r.trend().growthPercentage(), 2));
            m.put("confidence_score", PatternReport.round(r.trend().confidence(), 4));
            out.add(m);
        }
        return out;
    }
}
