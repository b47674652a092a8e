package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A database the service did not create is migrated beside what it holds, never clobbered. */
class AdoptExistingDatabaseTest {

    @Test
    void foreignTablesAndRowsAreLeftAlone() throws Exception {
        String url = TestPostgres.server().createDatabase();
        try (Connection c = TestPostgres.connect(url); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE bridge_sessions (id serial PRIMARY KEY, note text)");
            s.execute("INSERT INTO bridge_sessions (note) VALUES ('keep me'), ('me too')");
        }
        try (RunningService service = RunningService.onExternal(url, Map.of())) {
            assertThat(service.get("/health").status()).isEqualTo(200);
        }
        try (Connection c = TestPostgres.connect(url); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT string_agg(note, ',' ORDER BY id) FROM bridge_sessions")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo("keep me,me too");
            }
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM lineage_nodes")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    /**
     * pg_stat_statements is not a trusted extension: a database owner who is not a superuser may not create it. The
     * migration skips it with a line in the log instead of failing the start (as where a server does not offer it).
     */
    @Test
    void whereTheUserMayNotCreatePgStatStatementsItIsSkippedWithALogLine() throws Exception {
        String role = "traceability_owner_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String url = TestPostgres.server().createDatabase();
        String database = PostgresUrl.parse(url).database();
        TestPostgres.execute(url, "CREATE ROLE " + role + " LOGIN");
        TestPostgres.execute(url, "ALTER DATABASE " + database + " OWNER TO " + role);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger flyway = (Logger) LoggerFactory.getLogger("org.flywaydb");
        flyway.addAppender(log);
        try (RunningService service = RunningService.onExternal(url.replaceFirst("://[^@/]*@", "://" + role + "@"),
                Map.of())) {
            assertThat(service.get("/health").status()).isEqualTo(200);
            assertThat(TestPostgres.count(url,
                    "SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'")).isZero();
            assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.contains("pg_stat_statements skipped: user " + role + " may not create it"));
        } finally {
            flyway.detachAppender(log);
            TestPostgres.server().dropDatabase(database);
            TestPostgres.execute(TestPostgres.server().admin().libpqUri(), "DROP ROLE IF EXISTS " + role);
        }
    }

    @Test
    void anInvalidExternalUrlStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> RunningService.onExternal("mysql://root@localhost/db", Map.of()))
                .hasStackTraceContaining("TRACEABILITY_DB_URL_EXTERNAL is invalid")
                .hasStackTraceContaining("postgresql://user:password@host:5432/database");
    }
}
