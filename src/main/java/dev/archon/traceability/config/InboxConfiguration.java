package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.InboxFileIngestor;
import dev.archon.traceability.ingest.IngestMetrics;
import java.nio.file.Path;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;

/** The watched folders' ingestor, called by routes/ingest-files.yaml, and their backlog gauges. */
public final class InboxConfiguration implements CamelConfiguration {

    @BindToRegistry
    public InboxFileIngestor inboxFileIngestor(Database database, EventReader reader, GroupCommitWriter writer,
                                               IngestMetrics metrics, Settings settings, Clock clock) {
        Path inbox = settings.path("traceability.inbox.dir");
        metrics.inboxBacklog("lineage", inbox.resolve("lineage"));
        metrics.inboxBacklog("executions", inbox.resolve("executions"));
        return new InboxFileIngestor(database.dataSource(), reader, writer, metrics,
                settings.integer("traceability.inbox.slice-records"),
                settings.integer("traceability.inbox.max-line-bytes"), clock);
    }
}
