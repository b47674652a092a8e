package dev.archon.traceability.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns configuration into a migrated, pooled DataSource: the external database named by
 * TRACEABILITY_DB_URL_EXTERNAL, or else the embedded default. Closing it closes the pool, then stops the embedded
 * server if there is one.
 */
public final class Database implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Database.class);

    public enum Mode { EMBEDDED, EXTERNAL }

    private final Mode mode;
    private final PostgresUrl url;
    private final HikariDataSource dataSource;
    private final HikariDataSource maintenance;
    private final Optional<EmbeddedPostgresServer> embedded;

    private Database(Mode mode, PostgresUrl url, HikariDataSource dataSource, HikariDataSource maintenance,
                     Optional<EmbeddedPostgresServer> embedded) {
        this.mode = mode;
        this.url = url;
        this.dataSource = dataSource;
        this.maintenance = maintenance;
        this.embedded = embedded;
    }

    /** Starts (or connects to) the database, opens the pool and applies pending migrations. */
    public static Database open(DatabaseSettings settings) throws IOException {
        Optional<EmbeddedPostgresServer> embedded = Optional.empty();
        PostgresUrl url;
        if (settings.external().isPresent()) {
            url = settings.external().get();
            LOG.info("Using the external database {}", url);
        } else {
            Optional<PostgresUrl> running = settings.useRunningServer()
                    ? EmbeddedPostgresServer.runningServer(settings.embeddedDataDir()) : Optional.empty();
            if (running.isPresent()) {
                url = running.get();
                LOG.info("Using the embedded database of the service running on {}: {}", settings.embeddedDataDir(),
                        url);
            } else {
                embedded = Optional.of(EmbeddedPostgresServer.start(settings.embeddedDataDir(),
                        settings.embeddedPort()));
                url = embedded.get().url();
            }
        }
        HikariDataSource pool = null;
        HikariDataSource maintenance = null;
        try {
            pool = new HikariDataSource(poolConfig(settings, url));
            migrateWhenReachable(pool, settings.startupWait());
            maintenance = new HikariDataSource(maintenanceConfig(settings, url));
            return new Database(embedded.isPresent() ? Mode.EMBEDDED : Mode.EXTERNAL, url, pool, maintenance,
                    embedded);
        } catch (RuntimeException e) {
            if (pool != null) {
                pool.close();
            }
            if (maintenance != null) {
                maintenance.close();
            }
            if (embedded.isPresent()) {
                embedded.get().close();
            }
            throw e;
        }
    }

    /** An external database may come up after the service: keep trying for a while before giving up. */
    private static void migrateWhenReachable(HikariDataSource pool, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                Migrations.apply(pool);
                return;
            } catch (RuntimeException e) {
                if (!DatabaseFailures.isConnectionFailure(e) || System.nanoTime() > deadline) {
                    throw new IllegalStateException("Database not ready: " + e.getMessage(), e);
                }
                LOG.warn("Database not reachable yet ({}); retrying for up to {} s", e.getMessage(),
                        wait.toSeconds());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    static HikariConfig poolConfig(DatabaseSettings s, PostgresUrl url) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("traceability");
        config.setJdbcUrl(url.jdbcUrl());
        config.setUsername(url.user());
        config.setPassword(url.password());
        config.setMinimumIdle(s.poolMinIdle());
        config.setMaximumPoolSize(s.poolMaxSize());
        config.setIdleTimeout(s.poolIdleTimeout().toMillis());
        config.setConnectionTimeout(s.poolConnectionTimeout().toMillis());
        config.setMaxLifetime(s.poolMaxLifetime().toMillis());
        // Start even when the database is not reachable yet: /health reports it, and the pool recovers on its own.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("ApplicationName", s.applicationName());
        config.addDataSourceProperty("tcpKeepAlive", "true");
        // UTC sessions: partition bounds and date arithmetic mean the same thing whatever the JVM's time zone
        config.setConnectionInitSql("SET statement_timeout = " + s.statementTimeout().toMillis()
                + "; SET TIME ZONE 'UTC'");
        return config;
    }

    /**
     * A small pool for maintenance jobs: VACUUM, REINDEX CONCURRENTLY, archival and restores legitimately run
     * longer than the statement timeout that protects ingest and queries.
     */
    static HikariConfig maintenanceConfig(DatabaseSettings s, PostgresUrl url) {
        HikariConfig config = poolConfig(s, url);
        config.setPoolName("traceability-maintenance");
        config.setMinimumIdle(0);
        config.setMaximumPoolSize(4);
        config.setConnectionInitSql("SET statement_timeout = " + s.maintenanceStatementTimeout().toMillis()
                + "; SET TIME ZONE 'UTC'");
        return config;
    }

    /**
     * The pool's gauges under the runbook's names, tagged service="phase4" as its alert expects:
     * db_pool_connections_available (max minus active: the alert fires below 2), _active, _idle, _pending, _max.
     */
    public void registerMetrics(MeterRegistry meters) {
        Map<String, ToDoubleFunction<HikariDataSource>> gauges = new LinkedHashMap<>();
        gauges.put("available", ds -> ds.getMaximumPoolSize() - active(ds));
        gauges.put("active", Database::active);
        gauges.put("idle", ds -> ds.getHikariPoolMXBean() == null ? 0 : ds.getHikariPoolMXBean().getIdleConnections());
        gauges.put("pending", ds -> ds.getHikariPoolMXBean() == null ? 0
                : ds.getHikariPoolMXBean().getThreadsAwaitingConnection());
        gauges.put("max", HikariDataSource::getMaximumPoolSize);
        gauges.forEach((name, value) -> Gauge.builder("db_pool_connections_" + name, dataSource, value)
                .description("Connections of the service's pool: " + name).tag("service", "phase4")
                .strongReference(true).register(meters));
    }

    private static double active(HikariDataSource ds) {
        return ds.getHikariPoolMXBean() == null ? 0 : ds.getHikariPoolMXBean().getActiveConnections();
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    /** Connections for maintenance jobs (no statement timeout by default). */
    public HikariDataSource maintenanceDataSource() {
        return maintenance;
    }

    public Mode mode() {
        return mode;
    }

    public PostgresUrl url() {
        return url;
    }

    public Optional<EmbeddedPostgresServer> embedded() {
        return embedded;
    }

    @Override
    public void close() throws IOException {
        maintenance.close();
        dataSource.close();
        LOG.info("Connection pool closed");
        if (embedded.isPresent()) {
            embedded.get().close();
        }
    }
}
