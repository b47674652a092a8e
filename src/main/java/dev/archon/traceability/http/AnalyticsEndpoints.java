package dev.archon.traceability.http;

import dev.archon.traceability.analytics.AnalyticsMetrics;
import dev.archon.traceability.analytics.AnalyticsRequest;
import dev.archon.traceability.analytics.AnalyticsWindow;
import dev.archon.traceability.analytics.TrendRanking;
import dev.archon.traceability.analytics.UsageAnalytics;
import dev.archon.traceability.analytics.WindowType;
import dev.archon.traceability.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Message;
import org.apache.camel.Processor;

/**
 * The steps of the analytics routes (routes/analytics-api.yaml) that are not SQL: reading the request's parameters
 * (400 naming the parameter and what it accepts), the cached pattern analytics, and shaping the trends query's rows
 * into the ranking.
 */
public final class AnalyticsEndpoints {

    /** What a client gets without time_window, on both endpoints (the as-built API's default too). */
    static final String DEFAULT_WINDOW = "weekly";
    private static final String REQUEST = "traceability.analytics.request";
    private static final String TRENDS = "traceability.analytics.trends";
    /** Times the API takes: PostgreSQL's timestamptz and Java's Instant both hold these. */
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private record TrendsRequest(AnalyticsWindow window, long minExecutions, int limit, long startNanos,
                                 Instant now) {
    }

    private final UsageAnalytics analytics;
    private final AnalyticsMetrics metrics;
    private final Clock clock;

    public AnalyticsEndpoints(UsageAnalytics analytics, AnalyticsMetrics metrics, Clock clock) {
        this.analytics = analytics;
        this.metrics = metrics;
        this.clock = clock;
    }

    /**
     * pattern_id (a UUID), and either time_window (hourly ... all_time, default weekly) or start and end (ISO-8601
     * with offset, start before end).
     */
    public Processor patternRequest() {
        return exchange -> {
            Message in = exchange.getMessage();
            UUID pattern = Params.uuid(in, "pattern_id");
            Instant start = time(in, "start");
            Instant end = time(in, "end");
            AnalyticsRequest request;
            if (start != null || end != null) {
                if (start == null) {
                    throw Params.invalid("start", "is required with end: an ISO-8601 time with offset such as"
                            + " 2026-11-27T00:00:00Z");
                }
                if (end == null) {
                    throw Params.invalid("end", "is required with start: an ISO-8601 time with offset such as"
                            + " 2026-11-28T00:00:00Z");
                }
                if (Params.string(in, "time_window") != null) {
                    throw Params.invalid("time_window", "give either time_window (one of "
                            + String.join(", ", WindowType.requestable()) + ") or start and end, not both");
                }
                if (!start.isBefore(end)) {
                    throw Params.invalid("start", "must be before end, got start " + start + " and end " + end);
                }
                request = AnalyticsRequest.custom(pattern, start, end);
            } else {
                request = AnalyticsRequest.named(pattern, WindowType.ofKey(Params.oneOf(in, "time_window",
                        DEFAULT_WINDOW, WindowType.requestable())));
            }
            exchange.setProperty(REQUEST, request);
        };
    }

    /** The pattern's analytics: cached, or computed from the rollup. */
    public Processor patternAnswer() {
        return exchange -> exchange.getMessage().setBody(
                analytics.pattern(exchange.getProperty(REQUEST, AnalyticsRequest.class)));
    }

    /**
     * time_window (daily ... yearly, default weekly), min_executions (default 10) and limit (default 10, at most
     * 100); sets the headers the trends query reads: window_start, window_end, bucket_seconds, min_executions.
     */
    public Processor trendsQuery() {
        return exchange -> {
            long startNanos = System.nanoTime();
            Message in = exchange.getMessage();
            WindowType type = WindowType.ofKey(Params.oneOf(in, "time_window", DEFAULT_WINDOW,
                    TrendRanking.WINDOWS.stream().map(WindowType::key).toList()));
            int minExecutions = Params.integer(in, "min_executions", 10, 1, 1_000_000_000);
            int limit = Params.integer(in, "limit", 10, 1, 100);
            Instant now = clock.instant();
            AnalyticsWindow window = AnalyticsWindow.named(type, now);
            in.setHeader("window_start", window.start().toString());
            in.setHeader("window_end", window.end().toString());
            in.setHeader("bucket_seconds", window.bucket().toSeconds());
            in.setHeader("min_executions", minExecutions);
            exchange.setProperty(TRENDS, new TrendsRequest(window, minExecutions, limit, startNanos, now));
        };
    }

    /** The query's rows (pattern_id, pattern_name, executions, series) ranked into growing and declining. */
    public Processor trendsAnswer() {
        return exchange -> {
            TrendsRequest r = exchange.getProperty(TRENDS, TrendsRequest.class);
            try {
                List<TrendRanking.PatternSeries> patterns = new ArrayList<>();
                for (Object o : exchange.getMessage().getBody(List.class)) {
                    Map<?, ?> row = (Map<?, ?>) o;
                    Map<Integer, Long> perBucket = new HashMap<>();
                    Json.mapper().readTree(String.valueOf(row.get("series"))).fields()
                            .forEachRemaining(e -> perBucket.put(Integer.valueOf(e.getKey()), e.getValue().asLong()));
                    patterns.add(new TrendRanking.PatternSeries((UUID) row.get("pattern_id"),
                            (String) row.get("pattern_name"), ((Number) row.get("executions")).longValue(),
                            perBucket));
                }
                exchange.getMessage().setBody(TrendRanking.rank(r.window(), r.minExecutions(), r.limit(), patterns,
                        r.now()));
            } finally {
                metrics.computed(r.startNanos());
            }
        };
    }

    /** An optional ISO-8601 time with offset, between 1970 and 9999. */
    private static Instant time(Message in, String name) {
        Instant t = Params.instant(in, name);
        if (t != null && (t.isBefore(EARLIEST) || t.isAfter(LATEST))) {
            throw Params.invalid(name, "must be between 1970-01-01T00:00:00Z and 9999-12-31T00:00:00Z, got " + t);
        }
        return t;
    }
}
