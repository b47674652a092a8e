package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.feedback.FeedbackLoopJob;
import dev.archon.traceability.feedback.FeedbackLoopMetrics;
import dev.archon.traceability.feedback.FeedbackStore;
import dev.archon.traceability.feedback.FeedbackType;
import dev.archon.traceability.feedback.ImprovementRules;
import dev.archon.traceability.feedback.WorkflowParameters;
import dev.archon.traceability.feedback.Workflows;
import dev.archon.traceability.jobs.JobRunner;
import dev.archon.traceability.jobs.JobSchedules;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.Route;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * The feedback loop: its feedback store, the workflows (FeedbackLoop, whose methods are the steps of
 * routes/feedback-loop.yaml), the scheduled job {@code feedback-loop} (added to the job engine, so it has the jobs'
 * clustered schedule, admin endpoint and run history), and the hook that lets workers go when the service stops.
 */
public final class FeedbackConfiguration implements CamelConfiguration {

    /** The route that runs workflows; they are queued to its (seda) endpoint. */
    static final String WORKFLOW_ROUTE = "feedback-workflow";

    @BindToRegistry
    public FeedbackStore feedbackStore(Database database) {
        return new FeedbackStore(database.dataSource());
    }

    @BindToRegistry
    public FeedbackLoop feedbackLoop(Database database, Settings settings, Clock clock, JobRunner jobRunner,
                                     JobSchedules schedules, CamelContext context) {
        WorkflowParameters defaults = new WorkflowParameters(
                FeedbackType.fromWire(settings.string("traceability.feedback.default.feedback-type")),
                settings.integer("traceability.feedback.default.time-window-days"),
                settings.number("traceability.feedback.default.auto-apply-threshold"),
                settings.integer("traceability.feedback.default.min-sample-size"),
                settings.number("traceability.feedback.default.significance-level"),
                settings.bool("traceability.feedback.default.enable-ab-testing"));
        ImprovementRules.Thresholds thresholds = new ImprovementRules.Thresholds(
                settings.number("traceability.feedback.rules.slow-mean-ms"),
                settings.number("traceability.feedback.rules.high-variance-cv"),
                settings.number("traceability.feedback.rules.low-quality"),
                settings.number("traceability.feedback.rules.unreliable-success-rate"),
                settings.number("traceability.feedback.rules.negative-feedback-share"),
                settings.integer("traceability.feedback.rules.negative-feedback-min-items"));
        String sweep = settings.string("traceability.feedback.sweep-interval");
        if (Character.isDigit(sweep.charAt(sweep.length() - 1))) {
            // the sweep's timer route reads it too, and takes a bare number as milliseconds, not seconds
            throw new Settings.InvalidSettingException("traceability.feedback.sweep-interval", sweep,
                    "a duration with its unit, such as 5s or 500ms");
        }
        FeedbackLoop.Config config = new FeedbackLoop.Config(
                settings.duration("traceability.feedback.workflow-timeout"),
                settings.integer("traceability.feedback.max-attempts"),
                settings.duration("traceability.feedback.sweep-interval"),
                settings.integer("traceability.feedback.worker-threads"),
                defaults, MaintenanceConfiguration.instanceName(settings));
        FeedbackLoop loop = new FeedbackLoop(database.dataSource(), new Workflows(database.dataSource()), thresholds,
                new FeedbackLoopMetrics(CoreConfiguration.meters(context)), clock, config,
                () -> schedule(schedules));
        loop.queueTo(queue(context));
        // before the routes stop: running statements are cancelled, so the workers let go at once
        context.getManagementStrategy().addEventNotifier(new EventNotifierSupport() {
            @Override
            public void notify(CamelEvent event) {
                loop.stopping();
            }

            @Override
            public boolean isEnabled(CamelEvent event) {
                return event instanceof CamelEvent.CamelContextStoppingEvent;
            }
        });
        jobRunner.add(new FeedbackLoopJob(loop, database.dataSource(), clock));
        return loop;
    }

    private static Map<String, Object> schedule(JobSchedules schedules) {
        JobSchedules.Schedule s = schedules.schedule("feedback-loop");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("enabled", s.enabled());
        m.put("cron", s.cron());
        m.put("next_fire", s.nextFire());
        return m;
    }

    /** Sends a workflow id to the workflow route's own endpoint (so the queue is the one its consumers read). */
    private static Consumer<UUID> queue(CamelContext context) {
        ProducerTemplate[] template = new ProducerTemplate[1];
        return id -> {
            Route route = context.getRoute(WORKFLOW_ROUTE);
            if (route == null) {
                throw new IllegalStateException("no route " + WORKFLOW_ROUTE + " (routes/feedback-loop.yaml)");
            }
            synchronized (template) {
                if (template[0] == null) {
                    template[0] = context.createProducerTemplate();
                }
            }
            template[0].sendBody(route.getEndpoint(), id);
        };
    }
}
