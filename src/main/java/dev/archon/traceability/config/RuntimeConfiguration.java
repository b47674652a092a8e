package dev.archon.traceability.config;

import dev.archon.traceability.backup.BackupJob;
import dev.archon.traceability.backup.PgClient;
import dev.archon.traceability.backup.Restores;
import dev.archon.traceability.db.Database;
import dev.archon.traceability.db.DatabaseSettings;
import dev.archon.traceability.db.Partitions;
import dev.archon.traceability.executions.HookExecutionStore;
import dev.archon.traceability.health.DatabaseHealthCheck;
import dev.archon.traceability.health.DatabaseProbe;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.http.EventLoopHttpEngine;
import dev.archon.traceability.ingest.EventReader;
import dev.archon.traceability.ingest.GroupCommitWriter;
import dev.archon.traceability.ingest.HttpIngest;
import dev.archon.traceability.ingest.InboxFileIngestor;
import dev.archon.traceability.ingest.IngestMetrics;
import dev.archon.traceability.lineage.LineageStore;
import dev.archon.traceability.lineage.LineageTracker;
import dev.archon.traceability.maintenance.AdminAccess;
import dev.archon.traceability.maintenance.AdminApi;
import dev.archon.traceability.maintenance.ArchivalJob;
import dev.archon.traceability.maintenance.DailyMaintenanceJob;
import dev.archon.traceability.maintenance.HealthCheckJob;
import dev.archon.traceability.maintenance.JobRunner;
import dev.archon.traceability.maintenance.MaintenanceJob;
import dev.archon.traceability.maintenance.Scheduling;
import dev.archon.traceability.maintenance.WeeklyMaintenanceJob;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.VertxOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;
import org.quartz.SchedulerException;
import org.quartz.Trigger;
import org.quartz.TriggerKey;

/**
 * Binds the service's beans into the Camel registry before any route starts: the database (embedded or external,
 * migrated), the one clock, the health checks and the ingest doors. The routes in routes/ refer to these beans by
 * name. Resources are Camel services, stopped after the routes in reverse order: ingest writer, probe, database.
 */
public final class RuntimeConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        // Ingest endpoints run on the Vert.x event loop and answer when their commit completes, so no thread waits
        // for it; every other endpoint (health, admin) runs on a worker thread for its whole request.
        context.getRegistry().bind("platform-http-engine", new EventLoopHttpEngine(HttpIngest.PATHS));
        context.getRegistry().bind("vertxOptions", new VertxOptions()
                .setWorkerPoolSize(settings.integer("traceability.http.worker-threads", 20)));
        Clock clock = Clock.systemUTC();
        context.getRegistry().bind("clock", clock);

        Database database = Database.open(DatabaseSettings.from(settings));
        // Stopped after the routes (services stop in reverse order of adding): consumers first, then pool and server.
        context.addService(new Closing(database), true, true);
        int monthsAhead = settings.integer("traceability.db.partitions.months-ahead", 3);
        Partitions.ensure(database.maintenanceDataSource(), clock, 1, monthsAhead);
        context.getRegistry().bind("dataSource", database.dataSource());
        context.getRegistry().bind("database", database);

        DatabaseProbe probe = new DatabaseProbe(database.dataSource(),
                settings.duration("traceability.health.timeout", Duration.ofSeconds(2)));
        context.addService(new Closing(probe), true, true);
        HealthCheckRegistry.get(context).register(new DatabaseHealthCheck(probe));
        HealthService health = new HealthService(probe, database.dataSource(), database.mode().name().toLowerCase(),
                context, clock, version());
        context.getRegistry().bind("healthService", health);

        MeterRegistry meters = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (meters == null) {
            meters = new SimpleMeterRegistry();
        }
        bindIngest(context, settings, database, clock, meters);
        bindMaintenance(context, settings, database, probe, health, clock, meters,
                () -> Partitions.ensure(database.maintenanceDataSource(), clock, 1, monthsAhead));
    }

    private static void bindMaintenance(CamelContext context, Settings settings, Database database,
                                        DatabaseProbe probe, HealthService health, Clock clock, MeterRegistry meters,
                                        Callable<List<String>> ensurePartitions) throws Exception {
        QuartzComponent quartz = context.getComponent("quartz", QuartzComponent.class);
        quartz.setProperties(Scheduling.quartzProperties(database.dataSource(),
                settings.string("camel.main.name", "pattern-traceability"),
                settings.duration("traceability.jobs.cluster-checkin-interval", Duration.ofMillis(7500)).toMillis(),
                2));
        PgClient pg = new PgClient(settings.string("traceability.backup.pg-dump", "pg_dump"),
                settings.string("traceability.backup.pg-restore", "pg_restore"),
                settings.string("traceability.backup.psql", "psql"), database.url());
        DataSource maintenanceDs = database.maintenanceDataSource();
        List<MaintenanceJob> jobs = List.of(
                new DailyMaintenanceJob(maintenanceDs,
                        settings.duration("traceability.jobs.history-retention", Duration.ofDays(90)), meters,
                        ensurePartitions),
                new WeeklyMaintenanceJob(maintenanceDs),
                new ArchivalJob(maintenanceDs, clock,
                        settings.duration("traceability.archival.retention", Duration.ofDays(90)),
                        settings.integer("traceability.archival.batch-size", 10000), meters),
                new BackupJob(maintenanceDs, pg, settings.path("archon.backup.dir", "data/backups"),
                        settings.duration("traceability.backup.retention", Duration.ofDays(30)), clock, meters),
                new HealthCheckJob(probe, health, database.dataSource(), meters));
        ExecutorService background = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "maintenance-job");
            t.setDaemon(true);
            return t;
        });
        context.addService(new Closing(background::shutdownNow), true, true);
        String instance = settings.string("traceability.instance.name",
                hostName() + ":" + ProcessHandle.current().pid());
        JobRunner runner = new JobRunner(database.dataSource(), jobs, instance, clock, meters, background);
        context.getRegistry().bind("jobRunner", runner);
        Restores restores = new Restores(maintenanceDs, pg, settings.path("archon.backup.dir", "data/backups"));
        context.getRegistry().bind("restores", restores);
        AdminApi admin = new AdminApi(runner, new AdminAccess(settings.optional("traceability.admin.token")),
                name -> schedule(settings, quartz, name), restores::fromBackupFolder);
        context.getRegistry().bind("adminRestore", admin.restore());
        context.getRegistry().bind("adminListJobs", admin.listJobs());
        context.getRegistry().bind("adminRunJob", admin.runJob());
        context.getRegistry().bind("adminJobRuns", admin.jobRuns());
    }

    private static AdminApi.Schedule schedule(Settings settings, QuartzComponent quartz, String job) {
        String next = null;
        try {
            Trigger trigger = quartz.getScheduler() == null ? null
                    : quartz.getScheduler().getTrigger(new TriggerKey(job, "maintenance"));
            if (trigger != null && trigger.getNextFireTime() != null) {
                next = trigger.getNextFireTime().toInstant().toString();
            }
        } catch (SchedulerException e) {
            next = null;
        }
        return new AdminApi.Schedule(settings.bool("traceability.jobs." + job + ".enabled", true),
                settings.string("traceability.jobs." + job + ".cron", ""), next);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }

    private static void bindIngest(CamelContext context, Settings settings, Database database, Clock clock,
                                   MeterRegistry meters) throws Exception {
        IngestMetrics metrics = new IngestMetrics(meters);
        HookExecutionStore executions = new HookExecutionStore();
        LineageStore lineage = new LineageStore(new LineageTracker(UUID::randomUUID), executions);
        GroupCommitWriter writer = new GroupCommitWriter(database.dataSource(), lineage, executions, metrics,
                settings.integer("traceability.ingest.max-commit-batch", 2000),
                settings.integer("traceability.ingest.queue-capacity", 10000),
                settings.duration("traceability.ingest.max-wait", Duration.ofSeconds(90)));
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
