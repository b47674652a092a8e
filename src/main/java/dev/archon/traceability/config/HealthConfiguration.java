package dev.archon.traceability.config;

import dev.archon.traceability.backup.BackupAudit;
import dev.archon.traceability.db.Database;
import dev.archon.traceability.health.DatabaseHealthCheck;
import dev.archon.traceability.health.DatabaseProbe;
import dev.archon.traceability.health.HealthService;
import dev.archon.traceability.jobs.JobRuns;
import dev.archon.traceability.lineage.LineageQueries;
import io.micrometer.core.instrument.Gauge;
import java.time.Clock;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;

/** The database probe (also Camel's readiness check at /observe/health) and the reports behind /health. */
public final class HealthConfiguration implements CamelConfiguration {

    @BindToRegistry
    public DatabaseProbe databaseProbe(Database database, Settings settings, CamelContext context) throws Exception {
        DatabaseProbe probe = Lifecycle.closeOnStop(context, new DatabaseProbe(database.dataSource(),
                settings.duration("traceability.health.timeout")));
        HealthCheckRegistry.get(context).register(new DatabaseHealthCheck(probe));
        return probe;
    }

    @BindToRegistry
    public HealthService healthService(DatabaseProbe probe, Database database, JobRuns jobRuns,
                                       LineageQueries lineage, BackupAudit backups, Clock clock,
                                       CamelContext context) {
        HealthService health = new HealthService(probe, database.dataSource(), jobRuns, lineage, backups,
                database.mode().name().toLowerCase(), context, clock, version());
        Gauge.builder("routes_not_started", health, h -> h.routesNotStarted().size())
                .description("Routes stopped or suspended by hand (the alert Phase4RouteStopped)")
                .register(CoreConfiguration.meters(context));
        return health;
    }

    static String version() {
        String v = HealthConfiguration.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
