package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

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

    @Test
    void anInvalidExternalUrlStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> RunningService.onExternal("mysql://root@localhost/db", Map.of()))
                .hasStackTraceContaining("TRACEABILITY_DB_URL_EXTERNAL is invalid")
                .hasStackTraceContaining("postgresql://user:password@host:5432/database");
    }
}
