package dev.archon.traceability.feedback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The feedback loop's metrics under their contract names, registered at start so they read 0 before the first
 * workflow: {@code feedback_loop_total} (workflows that ended), {@code feedback_loop_success_total} (of those,
 * completed or ended with insufficient data: the runbook's success rate is success_total / total; a failure or a
 * timeout is not a success) and {@code feedback_loop_workflow_duration_seconds{stage}} (each stage's time, and
 * stage="workflow" for a whole run). Micrometer adds {@code _total} and {@code _seconds} in the Prometheus names.
 */
public final class FeedbackLoopMetrics {

    private final Counter total;
    private final Counter success;
    private final Map<Stage, Timer> stages = new EnumMap<>(Stage.class);
    private final Timer workflow;

    public FeedbackLoopMetrics(MeterRegistry registry) {
        total = Counter.builder("feedback_loop").description("Feedback-loop workflows that ended, whatever the outcome")
                .register(registry);
        success = Counter.builder("feedback_loop_success")
                .description("Feedback-loop workflows that completed or ended with insufficient data")
                .register(registry);
        for (Stage s : Stage.values()) {
            stages.put(s, timer(registry, s.wireName()));
        }
        workflow = timer(registry, "workflow");
    }

    private static Timer timer(MeterRegistry registry, String stage) {
        return Timer.builder("feedback_loop_workflow_duration")
                .description("Time of each feedback-loop stage (stage=\"workflow\": a whole run)")
                .tag("stage", stage)
                // buckets at the runbook's thresholds (50 ms, 500 ms, 1 s) up to the workflow timeout's range: 16 per
                // stage (Micrometer's percentile histogram gave 78 per stage, none of them at those thresholds)
                .serviceLevelObjectives(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
                        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
                        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
                        Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30),
                        Duration.ofSeconds(60), Duration.ofSeconds(120))
                .register(registry);
    }

    void stage(Stage stage, long nanos) {
        stages.get(stage).record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A workflow ended with {@code status}; {@code nanos} is the run that ended it (0: none ran, not timed). */
    void ended(String status, long nanos) {
        total.increment();
        if (Workflows.COMPLETED.equals(status) || Workflows.INSUFFICIENT_DATA.equals(status)) {
            success.increment();
        }
        if (nanos > 0) {
            workflow.record(nanos, TimeUnit.NANOSECONDS);
        }
    }
}
