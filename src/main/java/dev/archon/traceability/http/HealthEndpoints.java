package dev.archon.traceability.http;

import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.health.HealthService;
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

    public Processor analytics() {
        return report(() -> health.notBuiltYet("analytics", "Usage analytics"));
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
