package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.db.DatabaseSettings;
import dev.archon.traceability.db.Partitions;
import dev.archon.traceability.db.PostgresUrl;
import java.time.Clock;
import java.util.Optional;
import javax.sql.DataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The database (external, or the embedded default), migrated, with this and the coming months' partitions. */
public final class DatabaseConfiguration implements CamelConfiguration {

    @BindToRegistry
    public Database database(Settings settings, Clock clock, CamelContext context) throws Exception {
        Database database = Lifecycle.closeOnStop(context, Database.open(databaseSettings(settings)));
        database.registerMetrics(CoreConfiguration.meters(context));
        Partitions.ensure(database.maintenanceDataSource(), clock, 1,
                settings.integer("traceability.db.partitions.months-ahead"));
        return database;
    }

    /** The pool, for components configured by name (camel-sql's dataSource). */
    @BindToRegistry
    public DataSource dataSource(Database database) {
        return database.dataSource();
    }

    /** The database settings, checked: the pool's bounds must make sense. */
    static DatabaseSettings databaseSettings(Settings s) {
        Optional<PostgresUrl> external = s.optional(DatabaseSettings.EXTERNAL_URL).map(url -> {
            try {
                return PostgresUrl.parse(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("TRACEABILITY_DB_URL_EXTERNAL is invalid: " + e.getMessage(), e);
            }
        });
        DatabaseSettings settings = new DatabaseSettings(
                external,
                s.path("traceability.db.embedded.data-dir"),
                s.integer("traceability.db.embedded.port"),
                s.integer("traceability.db.pool.min-idle"),
                s.integer("traceability.db.pool.max-size"),
                s.duration("traceability.db.pool.idle-timeout"),
                s.duration("traceability.db.pool.connection-timeout"),
                s.duration("traceability.db.pool.max-lifetime"),
                s.duration("traceability.db.statement-timeout"),
                s.duration("traceability.db.maintenance-statement-timeout"),
                s.duration("traceability.db.startup-wait"),
                s.string("traceability.db.application-name"),
                s.bool("traceability.db.embedded.use-running-server"));
        if (settings.poolMaxSize() < 1 || settings.poolMinIdle() < 0
                || settings.poolMinIdle() > settings.poolMaxSize()) {
            throw new Settings.InvalidSettingException("traceability.db.pool.min-idle",
                    settings.poolMinIdle() + " (max-size " + settings.poolMaxSize() + ")",
                    "0 <= min-idle <= max-size and max-size >= 1");
        }
        return settings;
    }
}
