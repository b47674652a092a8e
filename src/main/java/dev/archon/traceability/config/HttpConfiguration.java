package dev.archon.traceability.config;

import dev.archon.traceability.analytics.AnalyticsHealth;
import dev.archon.traceability.backup.Restores;
import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.feedback.FeedbackStore;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.http.AdminAccess;
import dev.archon.traceability.http.AdminEndpoints;
import dev.archon.traceability.http.EventLoopHttpEngine;
import dev.archon.traceability.http.FeedbackEndpoints;
import dev.archon.traceability.http.HealthEndpoints;
import dev.archon.traceability.http.HttpErrors;
import dev.archon.traceability.http.IngestEndpoints;
import dev.archon.traceability.http.MetricsEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.jobs.JobRunner;
import dev.archon.traceability.jobs.JobSchedules;
import io.vertx.core.VertxOptions;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;

/**
 * The HTTP adapters (package http) and the processors the REST routes in routes/ call by name: health, ingest,
 * lineage, feedback and admin endpoints, the error answer of the http-errors route configuration, and the Vert.x
 * engine and options. The processors made from an adapter of this class are bound lazily (made when a route first
 * looks them up): Camel creates a class's eager beans in an order of its own guessing, which put some processors
 * before their adapter once the class grew.
 */
public final class HttpConfiguration implements CamelConfiguration {

    /**
     * Ingest endpoints run on the Vert.x event loop and answer when their commit completes, so no thread waits for
     * it; every other endpoint runs on a worker thread for its whole request.
     */
    @BindToRegistry("platform-http-engine")
    public EventLoopHttpEngine platformHttpEngine() {
        return new EventLoopHttpEngine(IngestEndpoints.PATHS);
    }

    @BindToRegistry
    public VertxOptions vertxOptions(Settings settings) {
        return new VertxOptions().setWorkerPoolSize(settings.integer("traceability.http.worker-threads"));
    }

    /** GET /metrics; the registry is Camel's (camel.metrics.enabled), or a local one where metrics are off. */
    @BindToRegistry
    public Processor metricsEndpoint(CamelContext context) {
        MeterRegistry meters = CoreConfiguration.meters(context);
        return new MetricsEndpoint(meters instanceof PrometheusMeterRegistry p ? p
                : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    }

    @BindToRegistry
    public Processor httpErrorAnswer() {
        return HttpErrors.answer();
    }

    @BindToRegistry
    public HealthEndpoints healthEndpoints(HealthService health, FeedbackLoop feedbackLoop) {
        return new HealthEndpoints(health, feedbackLoop);
    }

    @BindToRegistry
    public IngestEndpoints ingestEndpoints(EventReader reader, GroupCommitWriter writer, IngestMetrics metrics,
                                           Settings settings) {
        return new IngestEndpoints(reader, writer, metrics, settings.integer("traceability.http.max-body-size"),
                settings.integer("traceability.http.max-batch-items"));
    }

    @BindToRegistry
    public AdminEndpoints adminEndpoints(JobRunner runner, JobSchedules schedules, Restores restores,
                                         Settings settings) {
        return new AdminEndpoints(runner, new AdminAccess(settings.optional("traceability.admin.token")), schedules,
                restores);
    }

    @BindToRegistry
    public Processor healthOverall(HealthEndpoints health) {
        return health.overall();
    }

    @BindToRegistry(lazy = true)
    public Processor healthLineage(HealthEndpoints health) {
        return health.lineage();
    }

    @BindToRegistry
    public Processor healthAnalytics(HealthEndpoints health, AnalyticsHealth analytics) {
        return health.analytics(analytics);
    }

    @BindToRegistry(lazy = true)
    public Processor healthFeedbackLoop(HealthEndpoints health) {
        return health.feedbackLoop();
    }

    @BindToRegistry(lazy = true)
    public Processor trackEvent(IngestEndpoints ingest) {
        return ingest.track();
    }

    @BindToRegistry(lazy = true)
    public Processor trackEventBatch(IngestEndpoints ingest) {
        return ingest.trackBatch();
    }

    @BindToRegistry(lazy = true)
    public Processor recordExecutions(IngestEndpoints ingest) {
        return ingest.executions();
    }

    @BindToRegistry(lazy = true)
    public Processor adminListJobs(AdminEndpoints admin) {
        return admin.listJobs();
    }

    @BindToRegistry(lazy = true)
    public Processor adminRunJob(AdminEndpoints admin) {
        return admin.runJob();
    }

    @BindToRegistry(lazy = true)
    public Processor adminJobRuns(AdminEndpoints admin) {
        return admin.jobRuns();
    }

    @BindToRegistry(lazy = true)
    public Processor adminRestore(AdminEndpoints admin) {
        return admin.restore();
    }

    @BindToRegistry
    public FeedbackEndpoints feedbackEndpoints(EventReader reader, FeedbackStore store, IngestMetrics metrics,
                                               FeedbackLoop loop, Settings settings) {
        return new FeedbackEndpoints(reader, store, metrics, loop,
                new AdminAccess(settings.optional("traceability.admin.token")),
                settings.integer("traceability.http.max-body-size"),
                settings.integer("traceability.http.max-batch-items"));
    }

    @BindToRegistry(lazy = true)
    public Processor recordFeedback(FeedbackEndpoints feedback) {
        return feedback.record();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackPageParameters(FeedbackEndpoints feedback) {
        return feedback.pageParameters();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackPageAnswer(FeedbackEndpoints feedback) {
        return feedback.pageAnswer();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackLoopTrigger(FeedbackEndpoints feedback) {
        return feedback.trigger();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackLoopStatus(FeedbackEndpoints feedback) {
        return feedback.status();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackLoopWorkflow(FeedbackEndpoints feedback) {
        return feedback.workflow();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackProposalParameters(FeedbackEndpoints feedback) {
        return feedback.proposalParameters();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackProposalAnswer(FeedbackEndpoints feedback) {
        return feedback.proposalAnswer();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackProposalApply(FeedbackEndpoints feedback) {
        return feedback.applyProposal();
    }

    @BindToRegistry(lazy = true)
    public Processor feedbackProposalReject(FeedbackEndpoints feedback) {
        return feedback.rejectProposal();
    }
}
