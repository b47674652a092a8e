package dev.archon.traceability.db;

import dev.archon.traceability.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the database is and how the pool talks to it. With no external URL the service runs its own embedded
 * PostgreSQL under {@link #embeddedDataDir()}; pool defaults are the runbook's (min 5, max 20, idle 300 s,
 * statement timeout 60 s).
 */
public record DatabaseSettings(
        Optional<PostgresUrl> external,
        Path embeddedDataDir,
        int embeddedPort,
        int poolMinIdle,
        int poolMaxSize,
        Duration poolIdleTimeout,
        Duration poolConnectionTimeout,
        Duration poolMaxLifetime,
        Duration statementTimeout,
        Duration maintenanceStatementTimeout,
        Duration startupWait,
        String applicationName,
        boolean useRunningServer) {

    public static final String EXTERNAL_URL = "traceability.db.url.external";

    public static DatabaseSettings from(Settings s) {
        Optional<PostgresUrl> external = s.optional(EXTERNAL_URL).map(url -> {
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
        if (settings.poolMaxSize < 1 || settings.poolMinIdle < 0 || settings.poolMinIdle > settings.poolMaxSize) {
            throw new Settings.InvalidSettingException("traceability.db.pool.min-idle",
                    settings.poolMinIdle + " (max-size " + settings.poolMaxSize + ")",
                    "0 <= min-idle <= max-size and max-size >= 1");
        }
        return settings;
    }
}
