package dev.archon.traceability.config;

import dev.archon.traceability.analytics.AnalyticsMetrics;
import dev.archon.traceability.analytics.UsageAnalytics;
import dev.archon.traceability.executions.ExecutionLog;
import dev.archon.traceability.http.AnalyticsEndpoints;
import dev.archon.traceability.http.ExecutionEndpoints;
import dev.archon.traceability.http.LineageEndpoints;
import dev.archon.traceability.http.OpenApiDocument;
import dev.archon.traceability.lineage.LineageQueries;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.Processor;

/**
 * The read API's HTTP adapters (package http) and the processors of routes/lineage-api.yaml, analytics-api.yaml,
 * executions-api.yaml and openapi.yaml. Apart from HttpConfiguration because Camel 4.18 orders a class's
 * @BindToRegistry methods with a sort whose comparator reads the list being sorted: past 32 methods the order
 * (which method's bean another method takes) comes out wrong. Keep each configuration class well under that.
 */
public final class ReadApiConfiguration implements CamelConfiguration {
    @BindToRegistry
    public LineageEndpoints lineageEndpoints(LineageQueries queries, Settings settings) {
        return new LineageEndpoints(queries, settings.integer("traceability.lineage.max-depth"),
                settings.integer("traceability.lineage.max-nodes"));
    }

    @BindToRegistry
    public Processor lineagePattern(LineageEndpoints lineage) {
        return lineage.pattern();
    }

    @BindToRegistry
    public Processor lineagePatterns(LineageEndpoints lineage) {
        return lineage.patterns();
    }

    @BindToRegistry
    public Processor lineageAncestors(LineageEndpoints lineage) {
        return lineage.ancestors();
    }

    @BindToRegistry
    public Processor lineageDescendants(LineageEndpoints lineage) {
        return lineage.descendants();
    }

    @BindToRegistry
    public Processor lineagePathRequest(LineageEndpoints lineage) {
        return lineage.pathRequest();
    }

    @BindToRegistry
    public Processor lineagePathAnswer(LineageEndpoints lineage) {
        return lineage.pathAnswer();
    }

    @BindToRegistry
    public AnalyticsEndpoints analyticsEndpoints(UsageAnalytics analytics, AnalyticsMetrics metrics, Clock clock) {
        return new AnalyticsEndpoints(analytics, metrics, clock);
    }

    @BindToRegistry
    public Processor analyticsPatternRequest(AnalyticsEndpoints analytics) {
        return analytics.patternRequest();
    }

    @BindToRegistry
    public Processor analyticsPatternAnswer(AnalyticsEndpoints analytics) {
        return analytics.patternAnswer();
    }

    @BindToRegistry
    public Processor analyticsTrendsQuery(AnalyticsEndpoints analytics) {
        return analytics.trendsQuery();
    }

    @BindToRegistry
    public Processor analyticsTrendsAnswer(AnalyticsEndpoints analytics) {
        return analytics.trendsAnswer();
    }

    @BindToRegistry
    public ExecutionEndpoints executionEndpoints(ExecutionLog log) {
        return new ExecutionEndpoints(log);
    }

    @BindToRegistry
    public Processor executionsPageRequest(ExecutionEndpoints executions) {
        return executions.pageRequest();
    }

    @BindToRegistry
    public Processor executionsPageAnswer(ExecutionEndpoints executions) {
        return executions.pageAnswer();
    }

    @BindToRegistry
    public Processor executionsSummaryRequest(ExecutionEndpoints executions) {
        return executions.summaryRequest();
    }

    @BindToRegistry
    public Processor executionsSummaryAnswer(ExecutionEndpoints executions) {
        return executions.summaryAnswer();
    }

    /** GET /api/openapi.json (routes/openapi.yaml): the rest DSL of every route file and openapi/components.yaml. */
    @BindToRegistry
    public Processor openApiDocument(CamelContext context) {
        return new OpenApiDocument(context).endpoint();
    }
}
