package dev.archon.traceability.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.archon.traceability.db.Migrations;
import dev.archon.traceability.db.PostgresUrl;
import dev.archon.traceability.support.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Pattern search over many names that share a prefix, as hooks name patterns ("retry-handler-17"): a search that
 * matches few names must read them through the trigram index, not walk every pattern in activity order until a page
 * of matches turns up (75 to 140 ms instead of 5 to 9 ms over 100,000 patterns: BENCHMARKS.md, "Lineage reads").
 * The planner's choice follows its estimate of the matches, from the statistics V15 enlarges; with the default
 * statistics about one search in eleven below was sent the long way. Asked of the planner (EXPLAIN of the very
 * statement and binding the endpoint runs), so the test does not depend on this machine's speed.
 */
class PatternSearchPlanTest {

    private static final int PATTERNS = 100_000;

    private static String db;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestPostgres.server().createDatabase();
        PostgresUrl url = PostgresUrl.parse(db);
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url.jdbcUrl());
        dataSource.setUser(url.user());
        dataSource.setPassword(url.password());
        Migrations.apply(dataSource);
        // the summaries search reads, written directly: pattern k is the k-th most recently active from the end
        TestPostgres.execute(db, """
                INSERT INTO lineage_patterns (pattern_id, pattern_name, pattern_type, status, newest_node_id,
                                              newest_version, version_count, created_at, last_activity)
                SELECT md5('p' || k)::uuid, 'search-pattern-' || k, 'retry', 'active', md5('n' || k)::uuid, 1, 1,
                       now() - interval '1 second' * (%d - k), now() - interval '1 second' * (%d - k)
                  FROM generate_series(0, %d) k""".formatted(PATTERNS, PATTERNS, PATTERNS - 1));
        TestPostgres.execute(db, "ANALYZE lineage_patterns");
    }

    @AfterAll
    static void drop() {
        TestPostgres.server().dropDatabaseAt(db);
    }

    @Test
    void aSearchThatMatchesFewNamesReadsThemThroughTheTrigramIndex() throws SQLException {
        assumeTrue(TestPostgres.count(db, "SELECT count(*) FROM pg_class"
                + " WHERE relname = 'idx_lineage_patterns_name_trgm'") == 1, "this server has no pg_trgm");
        List<String> walks = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN " + LineageQueries.PATTERN_SEARCH)) {
            // search-pattern-100 ... -999: 111 matches each (n, n0-n9, n00-n99) among 100,000 names
            for (int n = 100; n <= 999; n++) {
                String plan = plan(ps, "search-pattern-" + n);
                if (!plan.contains("idx_lineage_patterns_name_trgm")) {
                    walks.add("q=search-pattern-" + n + ":\n" + plan);
                }
            }
        }
        assertThat(walks).as("searches planned as a walk of every pattern by activity").isEmpty();
    }

    @Test
    void aSearchThatMatchesMostNamesWalksTheActivityIndexForItsFirstPage() throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN " + LineageQueries.PATTERN_SEARCH)) {
            assertThat(plan(ps, "search-pattern")).contains("idx_lineage_patterns_activity")
                    .doesNotContain("Sort");
            assertThat(plan(ps, null)).contains("idx_lineage_patterns_activity").doesNotContain("Sort");
        }
    }

    /** The plan of a first page of 50 (and one row to tell whether there is more), as EXPLAIN prints it. */
    private static String plan(PreparedStatement ps, String q) throws SQLException {
        LineageQueries.bindPatternSearch(ps, q, null, null, 51, null, null);
        StringBuilder plan = new StringBuilder();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                plan.append(rs.getString(1)).append('\n');
            }
        }
        return plan.toString();
    }
}
