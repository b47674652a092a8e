package dev.archon.traceability.db;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
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
    private static final String LOCATION = "sql/migrations";

    private Migrations() {
    }

    public static MigrateResult apply(DataSource dataSource) {
        MigrateResult result = flyway(dataSource).migrate();
        if (result.migrationsExecuted == 0) {
            LOG.info("Database schema is up to date at version {}", result.initialSchemaVersion);
        } else {
            LOG.info("Applied {} migration(s): schema version {} -> {}", result.migrationsExecuted,
                    result.initialSchemaVersion, result.targetSchemaVersion);
        }
        return result;
    }

    /**
     * The text of every repeatable migration (R__*.sql: the current SQL functions), in Flyway's order. A full restore
     * runs them after the dump, in its transaction: DROP TABLE hook_executions CASCADE also drops hook_executions_page
     * (it RETURNS SETOF hook_executions), and Flyway applies a repeatable migration again only when its text changes.
     */
    public static String repeatableSql(DataSource dataSource) throws IOException {
        Set<String> scripts = new LinkedHashSet<>();
        for (MigrationInfo migration : flyway(dataSource).info().all()) {
            if (migration.getVersion() == null) {
                scripts.add(migration.getScript());
            }
        }
        StringBuilder sql = new StringBuilder();
        for (String script : scripts) {
            try (InputStream in = Migrations.class.getClassLoader().getResourceAsStream(LOCATION + "/" + script)) {
                if (in == null) {
                    throw new IOException("repeatable migration " + script + " not found in " + LOCATION);
                }
                sql.append(new String(in.readAllBytes(), StandardCharsets.UTF_8)).append('\n');
            }
        }
        return sql.toString();
    }

    private static Flyway flyway(DataSource dataSource) {
        return Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:" + LOCATION)
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .cleanDisabled(true)
                .validateMigrationNaming(true)
                .load();
    }
}
