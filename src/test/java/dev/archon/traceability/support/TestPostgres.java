package dev.archon.traceability.support;

import dev.archon.traceability.db.EmbeddedPostgresServer;
import dev.archon.traceability.db.PostgresUrl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The PostgreSQL server the tests use: the local one when it answers (CI and developer machines here), otherwise
 * an embedded PostgreSQL 15 started for this test run, so that {@code ./mvnw verify} passes on a machine with only
 * a JDK. Every test gets fresh databases of its own, dropped when the test JVM exits.
 * TRACEABILITY_TEST_PG_URL (libpq URI of a maintenance database) points the tests at another server.
 */
public final class TestPostgres {

    private static final String LOCAL = "postgresql://postgres@127.0.0.1:5432/postgres";
    private static TestPostgres instance;

    private final PostgresUrl admin;
    private final List<String> created = new CopyOnWriteArrayList<>();

    private TestPostgres(PostgresUrl admin) {
        this.admin = admin;
        Runtime.getRuntime().addShutdownHook(new Thread(this::dropAll, "drop-test-databases"));
    }

    public static synchronized TestPostgres server() {
        if (instance == null) {
            instance = new TestPostgres(locate());
        }
        return instance;
    }

    private static PostgresUrl locate() {
        String configured = System.getenv("TRACEABILITY_TEST_PG_URL");
        PostgresUrl candidate = PostgresUrl.parse(configured != null ? configured : LOCAL);
        try (Connection c = connect(candidate)) {
            return candidate;
        } catch (SQLException e) {
            if (configured != null) {
                throw new IllegalStateException("TRACEABILITY_TEST_PG_URL does not answer: " + e.getMessage(), e);
            }
        }
        try {
            Path dir = Files.createTempDirectory("traceability-test-pg");
            EmbeddedPostgresServer embedded = EmbeddedPostgresServer.start(dir.resolve("data"), 0);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    embedded.close();
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }, "stop-test-postgres"));
            return embedded.url();
        } catch (Exception e) {
            throw new IllegalStateException("No local PostgreSQL and the embedded one did not start", e);
        }
    }

    /** Creates an empty database and returns its libpq URI. */
    public String createDatabase() {
        String name = "traceability_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(admin, "CREATE DATABASE " + name);
        created.add(name);
        return url(name);
    }

    public String url(String database) {
        return admin.libpqUri().replaceFirst("/[^/?]*(\\?|$)", "/" + database + "$1");
    }

    /** The database server's libpq URI without a database name: for tests that need to reach it themselves. */
    public PostgresUrl admin() {
        return admin;
    }

    /** Drops the database a libpq URI of {@link #createDatabase()} names. */
    public void dropDatabaseAt(String libpqUri) {
        dropDatabase(PostgresUrl.parse(libpqUri).database());
    }

    public void dropDatabase(String name) {
        execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        created.remove(name);
    }

    private void dropAll() {
        for (String name : created) {
            try {
                execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            } catch (RuntimeException ignored) {
                // best effort at exit; a leftover database has a recognisable name
            }
        }
    }

    public static Connection connect(PostgresUrl url) throws SQLException {
        return DriverManager.getConnection(url.jdbcUrl(), url.user(), url.password());
    }

    public static Connection connect(String libpqUri) throws SQLException {
        return connect(PostgresUrl.parse(libpqUri));
    }

    /** The first column of every row the query returns, as text. */
    public static List<String> strings(String libpqUri, String sql) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = connect(libpqUri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /** The number in the first column of the query's first row (a count). */
    public static long count(String libpqUri, String sql) throws SQLException {
        try (Connection c = connect(libpqUri); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    public static void execute(String libpqUri, String sql) throws SQLException {
        try (Connection c = connect(libpqUri); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static void execute(PostgresUrl url, String sql) {
        try (Connection c = connect(url); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(sql + ": " + e.getMessage(), e);
        }
    }
}
