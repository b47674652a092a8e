package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.db.DatabaseSettings;
import dev.archon.traceability.db.Partitions;
import dev.archon.traceability.health.DatabaseHealthCheck;
import dev.archon.traceability.health.DatabaseProbe;
import dev.archon.traceability.health.HealthService;
import java.time.Clock;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.support.service.ServiceSupport;

/**
 * Binds the service's beans into the Camel registry before any route starts: the database (embedded or external,
 * migrated), the one clock, and the health checks. The routes in routes/ refer to these beans by name.
 */
public final class RuntimeConfiguration implements CamelConfiguration {

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = new Settings(key -> context.getPropertiesComponent().resolveProperty(key));
        Clock clock = Clock.systemUTC();
        context.getRegistry().bind("clock", clock);

        Database database = Database.open(DatabaseSettings.from(settings));
        // Stopped after the routes (services stop in reverse order of adding): consumers first, then pool and server.
        context.addService(new Closing(database), true, true);
        Partitions.ensure(database.dataSource(), clock, 1, settings.integer("traceability.db.partitions.months-ahead", 3));
        context.getRegistry().bind("dataSource", database.dataSource());
        context.getRegistry().bind("database", database);

        DatabaseProbe probe = new DatabaseProbe(database.dataSource(),
                settings.duration("traceability.health.timeout", java.time.Duration.ofSeconds(2)));
        context.addService(new Closing(probe), true, true);
        HealthCheckRegistry.get(context).register(new DatabaseHealthCheck(probe));
        context.getRegistry().bind("healthService", new HealthService(probe, database.dataSource(),
                database.mode().name().toLowerCase(), context, clock, version()));
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
