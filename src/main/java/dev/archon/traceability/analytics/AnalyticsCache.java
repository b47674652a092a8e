package dev.archon.traceability.analytics;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.stats.CacheStats;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletionException;

/**
 * The runbook's analytics cache: answers kept {@code ttl} (5 minutes) per pattern and window, and dropped as soon as
 * executions of that pattern commit on this instance (other instances' commits show after the TTL at most).
 * <p>
 * Dropping a pattern's answers must not scan the cache, and must not let an answer computed from data read before
 * the commit be stored after it. So every answer is keyed with its pattern's current generation, a token read
 * before the computation starts; a commit replaces the token. Answers under an old token are never found again and
 * leave with their TTL or the size bound. Losing a token (expired, evicted) only loses answers, never serves a stale
 * one.
 */
public final class AnalyticsCache {

    /** A computation that may fail with the database's error. */
    public interface Computation {
        Map<String, Object> compute() throws SQLException;
    }

    private record Key(UUID pattern, String window, Object generation) {
    }

    private final Duration ttl;
    private final Cache<UUID, Object> generations;
    private final Cache<Key, Map<String, Object>> answers;

    public AnalyticsCache(Duration ttl, long maxEntries) {
        this.ttl = ttl;
        this.generations = Caffeine.newBuilder().expireAfterAccess(ttl).maximumSize(maxEntries).build();
        this.answers = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(maxEntries).recordStats().build();
    }

    /**
     * The cached answer for the pattern and window, or the computed one (stored unless it failed). Concurrent
     * requests for the same answer share one computation.
     */
    public Map<String, Object> get(UUID pattern, String window, Computation computation) throws SQLException {
        Object generation = generations.get(pattern, p -> new Object());
        try {
            return answers.get(new Key(pattern, window, generation), k -> {
                try {
                    return computation.compute();
                } catch (SQLException e) {
                    throw new CompletionException(e);
                }
            });
        } catch (CompletionException e) {
            if (e.getCause() instanceof SQLException s) {
                throw s;
            }
            throw e;
        }
    }

    /** Drops every answer of these patterns. */
    public void invalidate(Collection<UUID> patterns) {
        generations.invalidateAll(patterns);
    }

    public Duration ttl() {
        return ttl;
    }

    public long size() {
        answers.cleanUp();
        return answers.estimatedSize();
    }

    public CacheStats stats() {
        return answers.stats();
    }
}
