package dev.archon.traceability.lineage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
 * statistics about one search in eleven below was sent the long way. And a search must not read thousands of names
 * created since the index last merged its pending list (V15 bounds that list). Asked of the planner and counted in
 * index pages (EXPLAIN of the very statement and binding the endpoint runs), so the tests do not depend on this
 * machine's speed.
 */
class PatternSearchPlanTest {

    private static final int PATTERNS = 100_000;

    private static String db;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void seed() throws SQLException {
        db = TestPostgres.server().createDatabase();
        dataSource = dataSource(db);
        Migrations.apply(dataSource);
        // the summaries search reads, written directly; the higher k, the more recent the pattern's activity
        insertPatterns(db, "search-pattern-", 0, PATTERNS);
        TestPostgres.execute(db, "ANALYZE lineage_patterns");
    }

    private static PGSimpleDataSource dataSource(String database) {
        PostgresUrl url = PostgresUrl.parse(database);
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(url.jdbcUrl());
        ds.setUser(url.user());
        ds.setPassword(url.password());
        return ds;
    }

    @AfterAll
    static void drop() {
        TestPostgres.server().dropDatabaseAt(db);
    }

    /** V7 makes the trigram index only where the server offers pg_trgm. */
    private static void assumeTrigramIndex() throws SQLException {
        assumeTrue(TestPostgres.count(db, "SELECT count(*) FROM pg_class"
                + " WHERE relname = 'idx_lineage_patterns_name_trgm'") == 1, "this server has no pg_trgm");
    }

    @Test
    void aSearchThatMatchesFewNamesReadsThemThroughTheTrigramIndex() throws SQLException {
        assumeTrigramIndex();
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

    @Test
    void aSearchReadsABoundedPendingListHoweverManyPatternsWereCreatedSinceTheLastVacuum() throws Exception {
        assumeTrigramIndex();
        String fresh = TestPostgres.server().createDatabase();
        try {
            PGSimpleDataSource ds = dataSource(fresh);
            Migrations.apply(ds);
            // nothing merges the pending list but its own limit and the VACUUM below: no autovacuum
            TestPostgres.execute(fresh, "ALTER TABLE lineage_patterns SET (autovacuum_enabled = false)");
            insertPatterns(fresh, "search-pattern-", 0, PATTERNS);
            TestPostgres.execute(fresh, "VACUUM ANALYZE lineage_patterns");
            long merged = trigramIndexPages(ds);
            for (int batch = 0; batch < 9; batch++) { // 9,000 new patterns, as nine large ingest commits add them
                insertPatterns(fresh, "created-pattern-", batch * 1000, 1000);
            }
            TestPostgres.execute(fresh, "ANALYZE lineage_patterns"); // only a vacuum merges the list
            long pending = trigramIndexPages(ds);
            assertThat(merged).as("trigram index pages a search read with nothing pending").isPositive();
            // 512 kB of pending list is 64 pages; 4 MB (the default) held all 9,000 names, about 450 pages
            assertThat(pending).as("trigram index pages the same search read with 9,000 new names")
                    .isBetween(merged, merged + 100);
        } finally {
            TestPostgres.server().dropDatabaseAt(fresh);
        }
    }

    private static void insertPatterns(String database, String prefix, int from, int count) throws SQLException {
        TestPostgres.execute(database, """
                INSERT INTO lineage_patterns (pattern_id, pattern_name, pattern_type, status, newest_node_id,
                                              newest_version, version_count, created_at, last_activity)
                SELECT md5('%1$s' || k)::uuid, '%1$s' || k, 'retry', 'active', md5('n%1$s' || k)::uuid, 1, 1,
                       now() - interval '1 second' * (%2$d - k), now() - interval '1 second' * (%2$d - k)
                  FROM generate_series(%3$d, %4$d) k""".formatted(prefix, PATTERNS, from, from + count - 1));
    }

    /** The pages of the trigram index one prefix search read (EXPLAIN ANALYZE of the endpoint's statement). */
    private static long trigramIndexPages(PGSimpleDataSource ds) throws Exception {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) "
                     + LineageQueries.PATTERN_SEARCH)) {
            LineageQueries.bindPatternSearch(ps, "search-pattern-432", null, null, 51, null, null);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return trigramIndexPages(new ObjectMapper().readTree(rs.getString(1)));
            }
        }
    }

    /** Blocks the scan of the trigram index read (hit or read), from EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON). */
    private static long trigramIndexPages(JsonNode node) {
        long pages = 0;
        if ("idx_lineage_patterns_name_trgm".equals(node.path("Index Name").asText())) {
            pages += node.path("Shared Hit Blocks").asLong() + node.path("Shared Read Blocks").asLong();
        }
        for (JsonNode child : node.isArray() ? node : node.path("Plans")) {
            pages += trigramIndexPages(child);
        }
        if (node.has("Plan")) {
            pages += trigramIndexPages(node.get("Plan"));
        }
        return pages;
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
