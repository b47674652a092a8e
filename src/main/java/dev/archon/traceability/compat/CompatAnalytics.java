package dev.archon.traceability.compat;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Our pattern analytics ({@code GET /api/analytics/pattern/{id}}'s answer) in the shape the as-built
 * {@code POST /analytics/compute} promised: flat, with the as-built metric names. Figures our analytics leave null
 * (a rate of no executions) are 0 here, as the as-built answer for no data was all zeros: its clients do arithmetic
 * on them. Our own figures stay beside the as-built ones in each group.
 */
final class CompatAnalytics {

    private CompatAnalytics() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> answer(String patternId, String windowType, Map<String, Object> report,
                                      boolean performance, boolean trends, boolean distribution, long startNanos) {
        Map<String, Object> window = (Map<String, Object>) report.get("time_window");
        Map<String, Object> usage = new LinkedHashMap<>((Map<String, Object>) report.get("usage_metrics"));
        Map<String, Object> success = new LinkedHashMap<>((Map<String, Object>) report.get("success_metrics"));
        zero(success, "success_rate");
        zero(success, "error_rate");
        zero(success, "avg_quality_score");
        long total = ((Number) usage.get("total_executions")).longValue();

        Map<String, Object> m = new LinkedHashMap<>();
        m.put("success", true);
        m.put("pattern_id", patternId);
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("start", window.get("start"));
        w.put("end", window.get("end"));
        w.put("type", windowType);
        m.put("time_window", w);
        m.put("usage_metrics", usage);
        m.put("success_metrics", success);
        if (performance) {
            Map<String, Object> ours = (Map<String, Object>) report.get("performance_metrics");
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("avg_execution_time_ms", orZero(ours.get("avg_ms")));
            p.put("p95_execution_time_ms", orZero(ours.get("p95_ms")));
            p.put("p99_execution_time_ms", orZero(ours.get("p99_ms")));
            p.putAll(ours);
            m.put("performance_metrics", p);
        } else {
            m.put("performance_metrics", null);
        }
        if (trends) {
            Map<String, Object> ours = (Map<String, Object>) report.get("trend_analysis");
            Map<String, Object> t = new LinkedHashMap<>(ours);
            t.put("trend_type", String.valueOf(ours.get("trend_type")).toLowerCase(Locale.ROOT));
            zero(t, "growth_percentage");
            m.put("trend_analysis", t);
        } else {
            m.put("trend_analysis", null);
        }
        if (distribution) {
            m.put("context_distribution", report.get("context_distribution"));
        }
        // how much the figures can be trusted: 1 from 30 executions on (the feedback loop's default sample size)
        m.put("analytics_quality_score", Math.min(1.0, Math.round(total / 30.0 * 10_000) / 10_000.0));
        m.put("total_data_points", total);
        double ms = CompatTime.millisSince(startNanos);
        m.put("computation_time_ms", ms);
        m.put("processing_time_ms", ms);
        m.put("computed_at", report.get("computed_at"));
        return m;
    }

    private static void zero(Map<String, Object> m, String key) {
        m.put(key, orZero(m.get(key)));
    }

    private static Object orZero(Object v) {
        return v == null ? 0.0 : v;
    }
}
