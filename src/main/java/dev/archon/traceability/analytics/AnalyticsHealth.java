package dev.archon.traceability.analytics;

import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The analytics' own health components for GET /api/analytics/health: whether the rollup holds the newest
 * execution (it is written in the same statement, so a lag means rows were inserted around it, by hand or by an
 * instance of an older version: {@code SELECT rebuild_execution_rollups()} repairs it) and how long reading it took;
 * the cache's size and hit rate; and the computations timed so far.
 */
public final class AnalyticsHealth {

    /**
     * The newest execution (by started_at, through the started_at index of each partition), its pattern-hour's row in
     * the rollup, and the rollup's newest hour.
     */
    private static final String ROLLUP = """
            SELECT n.started_at, r.last_started_at, (SELECT max(hour) FROM execution_rollup_hourly)
              FROM (SELECT 1) AS one
              LEFT JOIN LATERAL (SELECT pattern_id, started_at FROM hook_executions
                                  ORDER BY started_at DESC LIMIT 1) n ON true
              LEFT JOIN execution_rollup_hourly r
                ON r.pattern_id = n.pattern_id AND r.hour = date_trunc('hour', n.started_at, 'UTC')""";

    private final DataSource dataSource;
    private final AnalyticsCache cache;
    private final AnalyticsMetrics metrics;
    private final Duration timeout;

    public AnalyticsHealth(DataSource dataSource, AnalyticsCache cache, AnalyticsMetrics metrics, Duration timeout) {
        this.dataSource = dataSource;
        this.cache = cache;
        this.metrics = metrics;
        this.timeout = timeout;
    }

    /** healthy when the newest execution is rolled up; degraded when not; unhealthy when the rollup is unreadable. */
    public Map<String, Object> rollup() {
        Map<String, Object> c = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        try (Connection conn = dataSource.getConnection(); PreparedStatement ps = conn.prepareStatement(ROLLUP)) {
            ps.setQueryTimeout((int) Math.max(1, timeout.toSeconds()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                Instant newest = instant(rs.getTimestamp(1));
                Instant rolledUp = instant(rs.getTimestamp(2));
                Instant newestHour = instant(rs.getTimestamp(3));
                double ms = (System.nanoTime() - t0) / 1_000_000.0;
                boolean inSync = newest == null || rolledUp != null && !rolledUp.isBefore(newest);
                c.put("status", inSync ? "healthy" : "degraded");
                c.put("newest_execution_at", newest == null ? null : newest.toString());
                c.put("newest_rollup_hour", newestHour == null ? null : newestHour.toString());
                Double lag = null;
                if (newest == null) {
                    lag = 0.0;
                } else if (rolledUp != null) {
                    lag = Math.max(0, Duration.between(rolledUp, newest).toMillis()) / 1000.0;
                }
                c.put("lag_seconds", lag);
                if (!inSync) {
                    c.put("advice", "the newest execution is not in the rollup (rows inserted around the service?):"
                            + " SELECT rebuild_execution_rollups()");
                }
                c.put("query_ms", Math.round(ms * 100) / 100.0);
            }
        } catch (SQLException e) {
            c.put("status", "unhealthy");
            c.put("error", "rollup unreadable: " + e.getMessage());
        }
        return c;
    }

    public Map<String, Object> cache() {
        CacheStats stats = cache.stats();
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", "healthy");
        c.put("entries", cache.size());
        c.put("hit_rate", stats.requestCount() == 0 ? null : Math.round(stats.hitRate() * 10_000) / 10_000.0);
        c.put("hits", stats.hitCount());
        c.put("misses", stats.missCount());
        c.put("evictions", stats.evictionCount());
        c.put("ttl_seconds", cache.ttl().toSeconds());
        return c;
    }

    /** The computations not answered from the cache (analytics_computation_duration_seconds). */
    public Map<String, Object> computations() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("status", "healthy");
        c.put("count", metrics.count());
        c.put("mean_ms", Math.round(metrics.meanMillis() * 100) / 100.0);
        c.put("max_ms", Math.round(metrics.maxMillis() * 100) / 100.0);
        return c;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
