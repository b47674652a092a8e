package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.executions.HookExecutionStore;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.lineage.LineageStore;
import dev.archon.traceability.lineage.LineageTracker;
import dev.archon.traceability.lineage.PatternSummaries;
import java.time.Clock;
import java.util.UUID;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** Ingest: validation of events and execution records, and the group-commit writer both doors submit to. */
public final class IngestConfiguration implements CamelConfiguration {

    @BindToRegistry
    public IngestMetrics ingestMetrics(CamelContext context) {
        return new IngestMetrics(CoreConfiguration.meters(context));
    }

    @BindToRegistry
    public EventReader eventReader(Clock clock) {
        return new EventReader(clock);
    }

    @BindToRegistry
    public GroupCommitWriter groupCommitWriter(Database database, IngestMetrics metrics, Settings settings,
                                               CamelContext context) throws Exception {
        HookExecutionStore executions = new HookExecutionStore();
        LineageStore lineage = new LineageStore(new LineageTracker(UUID::randomUUID), executions,
                settings.integer("traceability.ingest.large-commit-from"));
        // closed after the writer (services stop in reverse order): it refreshes and answers the writer's last commits
        PatternSummaries summaries = Lifecycle.closeOnStop(context, new PatternSummaries(database.dataSource(),
                settings.duration("traceability.lineage.summary-sweep-interval")));
        return Lifecycle.closeOnStop(context, new GroupCommitWriter(database.dataSource(), lineage, summaries,
                executions, metrics, settings.integer("traceability.ingest.max-commit-batch"),
                settings.integer("traceability.ingest.queue-capacity"),
                settings.duration("traceability.ingest.max-wait")));
    }
}
