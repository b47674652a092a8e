package dev.archon.traceability.analytics;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Usage analytics of one pattern: the cached answer, or one computed from the rollup (and timed). The group-commit
 * writer calls {@link #executionsCommitted} after each commit, before answering its clients, so a client that stored
 * executions and reads its analytics next sees them.
 */
public final class UsageAnalytics {

    private final AnalyticsQueries queries;
    private final AnalyticsCache cache;
    private final AnalyticsMetrics metrics;
    private final Clock clock;

    public UsageAnalytics(AnalyticsQueries queries, AnalyticsCache cache, AnalyticsMetrics metrics, Clock clock) {
        this.queries = queries;
        this.cache = cache;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** GET /api/analytics/pattern/{pattern_id}. */
    public Map<String, Object> pattern(AnalyticsRequest request) throws SQLException {
        Instant now = clock.instant();
        return cache.get(request.patternId(), request.cacheKey(now), () -> {
            long start = System.nanoTime();
            try {
                AnalyticsQueries.Read read = queries.read(request, now);
                return PatternReport.of(request, read.window(), read.figures(), now);
            } finally {
                metrics.computed(start);
            }
        });
    }

    /** Executions of these patterns were committed: their cached answers are out of date. */
    public void executionsCommitted(Set<UUID> patterns) {
        cache.invalidate(patterns);
    }
}
