package dev.archon.traceability.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory of an earlier version kept the service's data in the database postgres. This version keeps it in
 * omninode_bridge (the runbook's name): the first start renames the database, nothing is lost, a second start changes
 * nothing, and the empty postgres left behind refuses writes (so an older jar stops instead of starting empty).
 */
class EmbeddedDatabaseUpgradeTest {

    @TempDir
    Path dir;

    @Test
    void anEarlierVersionsDataInDatabasePostgresIsRenamedToOmninodeBridgeWithNothingLost() throws Exception {
        Path dataDir = dir.resolve("postgres");
        UUID node = UUID.randomUUID();
        // the earlier version: zonky's defaults (database postgres), schema up to V10, a node and an event
        try (EmbeddedPostgres earlier = EmbeddedPostgres.builder().setDataDirectory(dataDir.toFile())
                .setCleanDataDirectory(false).start()) {
            DataSource postgres = earlier.getPostgresDatabase();
            Flyway.configure().dataSource(postgres).locations("classpath:sql/migrations").baselineOnMigrate(true)
                    .baselineVersion("0").target("10").load().migrate();
            try (Connection c = postgres.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_name)"
                        + " VALUES ('" + node + "', gen_random_uuid(), 1, 'from-before-the-upgrade')");
                s.executeUpdate("INSERT INTO lineage_events (event_id, event_type, node_id, event_data, \"timestamp\")"
                        + " VALUES (gen_random_uuid(), 'pattern_created', '" + node + "', '{}', now())");
            }
        }

        Map<String, String> embedded = RunningService.props(
                "traceability.db.url.external", "",
                "traceability.db.embedded.data-dir", dataDir.toString(),
                "traceability.db.embedded.port", "0");
        String url;
        try (RunningService upgraded = RunningService.start(embedded)) {
            assertThat(upgraded.get("/health").body()).startsWith("{\"status\":\"healthy\"");
            url = database(upgraded).url().libpqUri();
            assertThat(url).endsWith("/omninode_bridge");
            assertThat(TestPostgres.strings(url, "SELECT pattern_name FROM lineage_nodes"))
                    .containsExactly("from-before-the-upgrade");
            assertThat(TestPostgres.count(url, "SELECT count(*) FROM lineage_events")).isEqualTo(1);
            // V12 applied on the renamed database, after the earlier version's history
            assertThat(TestPostgres.count(url, "SELECT count(*) FROM flyway_schema_history"
                    + " WHERE version = '12' AND success AND installed_rank > (SELECT installed_rank"
                    + " FROM flyway_schema_history WHERE version = '10')")).isEqualTo(1);

            String postgres = database(upgraded).url().withDatabase("postgres").libpqUri();
            assertThat(TestPostgres.count(postgres, "SELECT count(*) FROM pg_class"
                    + " WHERE relnamespace = 'public'::regnamespace")).as("postgres is left empty").isZero();
            assertThatThrownBy(() -> TestPostgres.execute(postgres, "CREATE TABLE flyway_schema_history (x int)"))
                    .as("an older jar's first migration step").hasMessageContaining("read-only transaction");
        }

        try (RunningService again = RunningService.start(embedded)) {
            String second = database(again).url().libpqUri();
            assertThat(TestPostgres.strings(second, "SELECT datname FROM pg_database WHERE NOT datistemplate"
                    + " ORDER BY datname")).isEqualTo(List.of("omninode_bridge", "postgres"));
            assertThat(TestPostgres.strings(second, "SELECT node_id::text FROM lineage_nodes"))
                    .containsExactly(node.toString());
        }
    }

    private static Database database(RunningService service) {
        return service.main().getCamelContext().getRegistry().lookupByNameAndType("database", Database.class);
    }
}
