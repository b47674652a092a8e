package dev.archon.traceability.config;

import dev.archon.traceability.analytics.AnalyticsCache;
import dev.archon.traceability.analytics.AnalyticsHealth;
import dev.archon.traceability.analytics.AnalyticsMetrics;
import dev.archon.traceability.analytics.AnalyticsQueries;
import dev.archon.traceability.analytics.UsageAnalytics;
import dev.archon.traceability.db.Database;
import dev.archon.traceability.ingest.GroupCommitWriter;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/**
 * Usage analytics: the rollup queries, the cache in front of them (emptied for a pattern when the group-commit writer
 * stores its executions), the computation timer (registered here, so it is exported before any request) and the
 * health components.
 */
public final class AnalyticsConfiguration implements CamelConfiguration {

    @BindToRegistry
    public AnalyticsMetrics analyticsMetrics(CamelContext context) {
        return new AnalyticsMetrics(CoreConfiguration.meters(context));
    }

    @BindToRegistry
    public AnalyticsCache analyticsCache(Settings settings) {
        return new AnalyticsCache(settings.duration("traceability.analytics.cache.ttl"),
                settings.integer("traceability.analytics.cache.max-entries"));
    }

    @BindToRegistry
    public UsageAnalytics usageAnalytics(Database database, AnalyticsCache cache, AnalyticsMetrics metrics,
                                         GroupCommitWriter writer, Settings settings, Clock clock) {
        UsageAnalytics analytics = new UsageAnalytics(new AnalyticsQueries(database.dataSource(),
                settings.integer("traceability.analytics.exact-percentiles-max-executions")), cache, metrics, clock);
        writer.onExecutionsCommitted(analytics::executionsCommitted);
        return analytics;
    }

    @BindToRegistry
    public AnalyticsHealth analyticsHealth(Database database, AnalyticsCache cache, AnalyticsMetrics metrics,
                                           Settings settings) {
        return new AnalyticsHealth(database.dataSource(), cache, metrics,
                settings.duration("traceability.health.timeout"));
    }
}
