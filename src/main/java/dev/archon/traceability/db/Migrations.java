package dev.archon.traceability.db;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the Flyway migrations in sql/migrations. A database that already holds other tables is adopted: its
 * history starts at version 0 and our migrations are added beside what is there; Flyway's clean is disabled, so
 * nothing is ever dropped. A second start finds nothing pending and changes nothing.
 */
public final class Migrations {

    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

    private Migrations() {
    }

    public static MigrateResult apply(DataSource dataSource) {
        Flyway flyway = Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:sql/migrations")
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .load();
        MigrateResult result = flyway.migrate();
        if (result.migrationsExecuted == 0) {
            LOG.info("Database schema is up to date at version {}", result.initialSchemaVersion);
        } else {
            LOG.info("Applied {} migration(s): schema version {} -> {}", result.migrationsExecuted,
                    result.initialSchemaVersion, result.targetSchemaVersion);
        }
        return result;
    }
}
