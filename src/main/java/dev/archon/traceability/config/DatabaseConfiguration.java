package dev.archon.traceability.config;

import dev.archon.traceability.db.Database;
import dev.archon.traceability.db.DatabaseSettings;
import dev.archon.traceability.db.Partitions;
import java.time.Clock;
import javax.sql.DataSource;
import org.apache.camel.BindToRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;

/** The database (external, or the embedded default), migrated, with this and the coming months' partitions. */
public final class DatabaseConfiguration implements CamelConfiguration {

    @BindToRegistry
    public Database database(Settings settings, Clock clock, CamelContext context) throws Exception {
        Database database = Lifecycle.closeOnStop(context, Database.open(DatabaseSettings.from(settings)));
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
}
