package dev.archon.traceability.analytics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The analytics cache: per pattern and window, dropped per pattern, never storing an answer older than a drop. */
class AnalyticsCacheTest {

    private final AnalyticsCache cache = new AnalyticsCache(Duration.ofMinutes(5), 100);
    private final AtomicInteger computations = new AtomicInteger();

    private Map<String, Object> answer() {
        return Map.of("n", computations.incrementAndGet());
    }

    @Test
    void answersAreKeptPerPatternAndWindowAndDroppedPerPattern() throws Exception {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        assertThat(cache.get(a, "daily", this::answer)).isEqualTo(Map.of("n", 1));
        assertThat(cache.get(a, "daily", this::answer)).isEqualTo(Map.of("n", 1));
        assertThat(cache.get(a, "weekly", this::answer)).isEqualTo(Map.of("n", 2));
        assertThat(cache.get(b, "daily", this::answer)).isEqualTo(Map.of("n", 3));
        cache.invalidate(List.of(a));
        assertThat(cache.get(a, "daily", this::answer)).isEqualTo(Map.of("n", 4));
        assertThat(cache.get(a, "weekly", this::answer)).isEqualTo(Map.of("n", 5));
        assertThat(cache.get(b, "daily", this::answer)).isEqualTo(Map.of("n", 3));
        assertThat(cache.stats().hitCount()).isEqualTo(2);
    }

    @Test
    void anAnswerComputedAcrossACommitIsNeverServedAfterIt() throws Exception {
        UUID a = UUID.randomUUID();
        // the computation read the database before the commit; the commit's invalidation lands while it runs
        assertThat(cache.get(a, "daily", () -> {
            cache.invalidate(List.of(a));
            return Map.of("n", "stale");
        })).isEqualTo(Map.of("n", "stale"));
        assertThat(cache.get(a, "daily", this::answer)).isEqualTo(Map.of("n", 1));
    }

    @Test
    void aFailedComputationIsNotKeptAndItsDatabaseErrorComesThrough() {
        UUID a = UUID.randomUUID();
        assertThatThrownBy(() -> cache.get(a, "daily", () -> {
            throw new SQLException("down", "08006");
        })).isInstanceOf(SQLException.class).hasMessage("down");
        assertThat(cache.size()).isZero();
    }
}
