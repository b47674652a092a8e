package dev.archon.traceability.db;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles which database of the embedded server holds the service's data: {@value EmbeddedPostgresServer#DATABASE},
 * the runbook's name, so that with TRACEABILITY_DB_URL_EXTERNAL set to the embedded URL the runbook's recovery
 * commands ({@code sed 's/omninode_bridge$/phase4_recovery/'}) work as written.
 * <ul>
 * <li>A new data directory: the database is created (empty; the migrations fill it).</li>
 * <li>A data directory of an earlier version, whose data is in {@code postgres}: that database is renamed (a catalog
 * change: nothing is copied, nothing lost) and an empty {@code postgres} is made again, because the embedded server's
 * start-up check connects to it.</li>
 * </ul>
 * {@code postgres} is then made read-only by default: a jar of an earlier version, which would use it, fails to
 * migrate it instead of starting on an empty database and writing where this version never reads.
 */
final class EmbeddedDatabase {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedDatabase.class);
    private static final String TARGET = EmbeddedPostgresServer.DATABASE;
    private static final String LEGACY = "postgres";

    private EmbeddedDatabase() {
    }

    /** Run right after the server starts, before anything else connects; {@code admin} is its template1. */
    static void prepare(PostgresUrl admin) {
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.password());
             Statement s = c.createStatement()) {
            if (!exists(c, TARGET)) {
                if (exists(c, LEGACY) && holdsTheServicesData(admin.withDatabase(LEGACY))) {
                    // names are constants, never input
                    s.execute("ALTER DATABASE " + LEGACY + " RENAME TO " + TARGET);
                    LOG.info("Embedded PostgreSQL: the service's data moved from database {} to {} (renamed, nothing"
                            + " copied); {} is now an empty, read-only maintenance database", LEGACY, TARGET, LEGACY);
                } else {
                    s.execute("CREATE DATABASE " + TARGET);
                }
            }
            if (!exists(c, LEGACY)) {
                s.execute("CREATE DATABASE " + LEGACY);
            }
            s.execute("ALTER DATABASE " + LEGACY + " SET default_transaction_read_only = on");
            s.execute("COMMENT ON DATABASE " + LEGACY + " IS 'Empty. The Pattern Traceability Runtime keeps its data"
                    + " in database " + TARGET + "'");
        } catch (SQLException e) {
            throw new IllegalStateException("Embedded PostgreSQL: could not prepare database " + TARGET + ": "
                    + e.getMessage(), e);
        }
    }

    private static boolean exists(Connection c, String database) throws SQLException {
        try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            q.setString(1, database);
            try (ResultSet rs = q.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Flyway's history or a contract table in {@code url}'s public schema: an earlier version's data. */
    private static boolean holdsTheServicesData(PostgresUrl url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('public.flyway_schema_history') IS NOT NULL"
                     + " OR to_regclass('public.lineage_nodes') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }
}
