package dev.archon.traceability.analytics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * analytics_computation_duration_seconds (contract name): a histogram of every analytics computation that was not
 * answered from the cache, with buckets around the runbook's alert (P95 above 0.5 s): 5, 10, 25, 50, 100, 250, 500 ms,
 * 1, 2.5, 5 and 10 s. Registered when the service starts, so it is exported with zero counts before any request.
 */
public final class AnalyticsMetrics {

    private final Timer computations;

    public AnalyticsMetrics(MeterRegistry registry) {
        this.computations = Timer.builder("analytics_computation_duration")
                .description("Time to compute an analytics answer that was not cached")
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                        Duration.ofSeconds(5), Duration.ofSeconds(10))
                .register(registry);
    }

    /** Records one computation that took from {@code startNanos} (System.nanoTime) until now. */
    public void computed(long startNanos) {
        computations.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    }

    public long count() {
        return computations.count();
    }

    public double meanMillis() {
        return computations.mean(TimeUnit.MILLISECONDS);
    }

    public double maxMillis() {
        return computations.max(TimeUnit.MILLISECONDS);
    }
}
