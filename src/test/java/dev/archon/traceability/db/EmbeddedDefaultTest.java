package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.support.RunningService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no database configured the service runs its own durable PostgreSQL 15 whose data survives restarts, in the
 * runbook's database omninode_bridge, with pg_stat_statements.
 */
class EmbeddedDefaultTest {

    @TempDir
    Path dir;

    @Test
    void firstStartFromAnEmptyDirectoryThenARestartKeepsTheData() throws Exception {
        Path dataDir = dir.resolve("postgres");
        Map<String, String> embedded = RunningService.props(
                "traceability.db.url.external", "",
                "traceability.db.embedded.data-dir", dataDir.toString(),
                "traceability.db.embedded.port", "0");
        UUID node = UUID.randomUUID();

        try (RunningService first = RunningService.start(embedded)) {
            assertThat(first.get("/health").body()).startsWith("{\"status\":\"healthy\"")
                    .contains("\"mode\":\"embedded\"", "\"server_version\":\"15.");
            assertThat(database(first).url().libpqUri()).endsWith("/omninode_bridge");
            try (Connection c = database(first).dataSource().getConnection(); Statement s = c.createStatement()) {
                assertThat(setting(s, "fsync")).isEqualTo("on");
                assertThat(setting(s, "synchronous_commit")).isEqualTo("on");
                assertThat(query(s, "SELECT current_database()")).isEqualTo("omninode_bridge");
                // the runbook's slow-query query: preloaded, created by V12, answering
                assertThat(setting(s, "shared_preload_libraries")).contains("pg_stat_statements");
                assertThat(query(s, "SELECT extname FROM pg_extension WHERE extname = 'pg_stat_statements'"))
                        .isEqualTo("pg_stat_statements");
                assertThat(query(s, "SELECT count(*) FROM pg_stat_statements WHERE query LIKE '%lineage_%'"))
                        .isNotEqualTo("0");
                s.executeUpdate("INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_name)"
                        + " VALUES ('" + node + "', gen_random_uuid(), 1, 'survivor')");
            }
            assertThat(dataDir.resolve("PG_VERSION")).content().startsWith("15");
        }
        // stopped: the server is gone with the service
        assertThat(EmbeddedPostgresServer.runningPostmaster(dataDir)).isEmpty();
        assertThat(Files.exists(dataDir.resolve("postmaster.pid"))).isFalse();

        try (RunningService second = RunningService.start(embedded)) {
            assertThat(second.get("/health").status()).isEqualTo(200);
            try (Connection c = database(second).dataSource().getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT pattern_name FROM lineage_nodes WHERE node_id = '" + node + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("survivor");
            }
        }
    }

    @Test
    void aSecondServiceOnTheSameDataDirectoryIsRefusedWithAClearReason() {
        Map<String, String> embedded = RunningService.props(
                "traceability.db.url.external", "",
                "traceability.db.embedded.data-dir", dir.resolve("postgres").toString(),
                "traceability.db.embedded.port", "0");
        try (RunningService first = RunningService.start(embedded)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> RunningService.start(embedded))
                    .hasStackTraceContaining("Another running instance uses the embedded database in");
            assertThat(first.get("/health").status()).isEqualTo(200);
        }
    }

    private static Database database(RunningService service) {
        return service.main().getCamelContext().getRegistry().lookupByNameAndType("database", Database.class);
    }

    private static String setting(Statement s, String name) throws SQLException {
        return query(s, "SHOW " + name);
    }

    private static String query(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
