package dev.archon.traceability.db;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Where the database is and how the pool talks to it. With no external URL the service runs its own embedded
 * PostgreSQL under {@link #embeddedDataDir()}; pool defaults are the runbook's (min 5, max 20, idle 300 s,
 * statement timeout 60 s), read from the settings by {@code config/DatabaseConfiguration}.
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
}
