package dev.archon.traceability.config;

import dev.archon.traceability.analytics.UsageAnalytics;
import dev.archon.traceability.compat.CompatApi;
import dev.archon.traceability.compat.CompatTrackEndpoints;
import dev.archon.traceability.db.Database;
import dev.archon.traceability.feedback.FeedbackLoop;
import dev.archon.traceability.feedback.FeedbackStore;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.http.EventLoopHttpEngine;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.IngestMetrics;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Processor;

/**
 * The as-built Archon API adapter (package compat, routes/compat-api.yaml) and the processors its routes call by
 * name. Its track endpoints join our ingest's on the Vert.x event loop. Processors are bound lazily: Camel orders a
 * class's eager beans by its own guess (see ReadApiConfiguration).
 */
public final class CompatConfiguration implements CamelConfiguration {

    @BindToRegistry
    public CompatApi compatApi(Database database, GroupCommitWriter writer, IngestMetrics metrics, EventReader reader,
                               UsageAnalytics analytics, HealthService health, FeedbackLoop loop,
                               FeedbackStore feedback, Clock clock, Settings settings, EventLoopHttpEngine engine) {
        engine.serveOnEventLoop(CompatTrackEndpoints.EVENT_LOOP_PATHS);
        return new CompatApi(new CompatApi.Parts(database.dataSource(), writer, metrics, reader, analytics, health,
                loop, feedback, clock), new CompatApi.Limits(settings.integer("traceability.compat.max-code-chars"),
                settings.integer("traceability.http.max-batch-items"),
                settings.duration("traceability.compat.track-timeout"),
                settings.duration("traceability.compat.feedback-wait")));
    }

    @BindToRegistry(lazy = true)
    public Processor compatErrorAnswer(CompatApi api) {
        return api.errorAnswer();
    }

    @BindToRegistry(lazy = true)
    public Processor compatTrack(CompatApi api) {
        return api.track().track();
    }

    @BindToRegistry(lazy = true)
    public Processor compatTrackBatch(CompatApi api) {
        return api.track().trackBatch();
    }

    @BindToRegistry(lazy = true)
    public Processor compatLineageQuery(CompatApi api) {
        return api.read().lineageQuery();
    }

    @BindToRegistry(lazy = true)
    public Processor compatLineageQueryPost(CompatApi api) {
        return api.read().lineageQueryPost();
    }

    @BindToRegistry(lazy = true)
    public Processor compatEvolution(CompatApi api) {
        return api.read().evolution();
    }

    @BindToRegistry(lazy = true)
    public Processor compatLogsRequest(CompatApi api) {
        return api.read().logsRequest();
    }

    @BindToRegistry(lazy = true)
    public Processor compatLogsAnswer(CompatApi api) {
        return api.read().logsAnswer();
    }

    @BindToRegistry(lazy = true)
    public Processor compatSummaryAnswer(CompatApi api) {
        return api.read().summaryAnswer();
    }

    @BindToRegistry(lazy = true)
    public Processor compatAnalyticsCompute(CompatApi api) {
        return api.read().analyticsCompute();
    }

    @BindToRegistry(lazy = true)
    public Processor compatAnalyticsGet(CompatApi api) {
        return api.read().analyticsGet();
    }

    @BindToRegistry(lazy = true)
    public Processor compatAnalyticsComputeBatch(CompatApi api) {
        return api.read().analyticsComputeBatch();
    }

    @BindToRegistry(lazy = true)
    public Processor compatHealth(CompatApi api) {
        return api.read().health();
    }

    @BindToRegistry(lazy = true)
    public Processor compatSearch(CompatApi api) {
        return api.read().search();
    }

    @BindToRegistry(lazy = true)
    public Processor compatValidate(CompatApi api) {
        return api.read().validate();
    }

    @BindToRegistry(lazy = true)
    public Processor compatFeedbackAnalyze(CompatApi api) {
        return api.feedback().analyze();
    }

    @BindToRegistry(lazy = true)
    public Processor compatFeedbackApply(CompatApi api) {
        return api.feedback().apply();
    }

    @BindToRegistry(lazy = true)
    public Processor compatFeedbackRecord(CompatApi api) {
        return api.feedback().record();
    }
}
