package dev.archon.traceability.http;

import dev.archon.traceability.analytics.AnalyticsHealth;
import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.health.HealthService;
import java.util.List;
import java.util.function.Supplier;
import org.apache.camel.Processor;

/**
 * GET /health and the per-service health endpoints: the reports of {@link HealthService}, 200 when healthy or
 * degraded, 503 when unhealthy.
 */
public final class HealthEndpoints {

    private final HealthService health;
    private final FeedbackLoop loop;

    public HealthEndpoints(HealthService health, FeedbackLoop loop) {
        this.health = health;
        this.loop = loop;
    }

    public Processor overall() {
        return report(health::overall);
    }

    public Processor lineage() {
        return report(health::lineage);
    }

    /** Database, hook_executions and the rollup tables, rollup lag and query time, cache size and hit rate. */
    public Processor analytics(AnalyticsHealth analytics) {
        return report(() -> health.analytics(List.of(
                new HealthService.Component("rollup", true, analytics::rollup),
                new HealthService.Component("cache", false, analytics::cache),
                new HealthService.Component("computations", false, analytics::computations))));
    }

    public Processor feedbackLoop() {
        return report(() -> health.feedbackLoop(loop::health));
    }

    private static Processor report(Supplier<HealthService.Report> report) {
        return exchange -> {
            HealthService.Report r = report.get();
            new HttpAnswer(r.httpStatus(), r.body()).writeTo(exchange);
        };
    }
}
