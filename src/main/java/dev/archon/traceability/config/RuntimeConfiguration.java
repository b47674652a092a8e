package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.db.DatabaseSettings;
import dev.archon.traceability.db.Partitions;
import dev.archon.traceability.health.DatabaseHealthCheck;
import dev.archon.traceability.health.DatabaseProbe;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.executions.HookExecutionStore;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.HttpIngest;
import dev.archon.traceability.ingest.InboxFileIngestor;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.lineage.LineageStore;
import dev.archon.traceability.lineage.LineageTracker;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.VertxOptions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Binds the service's beans into the Camel registry before any route starts: the database (embedded or external,
 * migrated), the one clock, the health checks and the ingest doors. The routes in routes/ refer to these beans by
 * name. Resources are Camel services, stopped after the routes in reverse order: ingest writer, probe, database.
 */
public final class RuntimeConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        // The HTTP server runs each request on a Vert.x worker thread that waits for its commit: enough of them
        // for many concurrent producers (the group commit turns them into few transactions).
        context.getRegistry().bind("vertxOptions", new VertxOptions()
                .setWorkerPoolSize(settings.integer("traceability.http.worker-threads", 64)));
        Clock clock = Clock.systemUTC();
        context.getRegistry().bind("clock", clock);

        Database database = Database.open(DatabaseSettings.from(settings));
        // Stopped after the routes (services stop in reverse order of adding): consumers first, then pool and server.
        context.addService(new Closing(database), true, true);
        Partitions.ensure(database.dataSource(), clock, 1,
                settings.integer("traceability.db.partitions.months-ahead", 3));
        context.getRegistry().bind("dataSource", database.dataSource());
        context.getRegistry().bind("database", database);

        DatabaseProbe probe = new DatabaseProbe(database.dataSource(),
                settings.duration("traceability.health.timeout", Duration.ofSeconds(2)));
        context.addService(new Closing(probe), true, true);
        HealthCheckRegistry.get(context).register(new DatabaseHealthCheck(probe));
        context.getRegistry().bind("healthService", new HealthService(probe, database.dataSource(),
                database.mode().name().toLowerCase(), context, clock, version()));

        bindIngest(context, settings, database, clock);
    }

    private static void bindIngest(CamelContext context, Settings settings, Database database, Clock clock)
            throws Exception {
        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        IngestMetrics metrics = new IngestMetrics(meters != null ? meters : new SimpleMeterRegistry());
        HookExecutionStore executions = new HookExecutionStore();
        LineageStore lineage = new LineageStore(new LineageTracker(UUID::randomUUID), executions);
        GroupCommitWriter writer = new GroupCommitWriter(database.dataSource(), lineage, executions, metrics,
                settings.integer("traceability.ingest.max-commit-batch", 2000),
                settings.integer("traceability.ingest.queue-capacity", 10000));
        context.addService(new Closing(writer), true, true);
        EventReader reader = new EventReader(clock);
        HttpIngest http = new HttpIngest(reader, writer, metrics,
                settings.integer("traceability.http.max-body-size", 16 * 1024 * 1024),
                settings.integer("traceability.http.max-batch-items", 10000));
        context.getRegistry().bind("trackEvent", http.track());
        context.getRegistry().bind("trackEventBatch", http.trackBatch());
        context.getRegistry().bind("recordExecutions", http.executions());
        context.getRegistry().bind("inboxFileIngestor", new InboxFileIngestor(database.dataSource(), reader, writer,
                metrics, settings.integer("traceability.inbox.slice-records", 2000),
                settings.integer("traceability.inbox.max-line-bytes", 16 * 1024 * 1024), clock));
        Path inbox = settings.path("traceability.inbox.dir", "data/inbox");
        metrics.inboxBacklog("lineage", inbox.resolve("lineage"));
        metrics.inboxBacklog("executions", inbox.resolve("executions"));
    }

    static String version() {
        String v = RuntimeConfiguration.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    /** Lets Camel close a plain resource when the context stops. */
    private static final class Closing extends ServiceSupport {
        private final AutoCloseable resource;

        Closing(AutoCloseable resource) {
            this.resource = resource;
        }

        @Override
        protected void doStop() throws Exception {
            resource.close();
        }
    }
}
