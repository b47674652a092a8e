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
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
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
