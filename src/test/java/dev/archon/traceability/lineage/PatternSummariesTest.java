package dev.archon.traceability.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * lineage_patterns, what pattern search reads, is refreshed after a large ingest commit on a connection of its own
 * (lineage/PatternSummaries, V14): a client that got its 201 finds its pattern; after concurrent ingest every summary
 * equals a recomputation from lineage_nodes; summaries a crash or a failed refresh left behind are refreshed by the
 * sweep, and the events are answered as stored meanwhile.
 */
class PatternSummariesTest {

    /** Each pattern's summary as the test recomputes it from lineage_nodes, independently of the SQL function. */
    private static final String RECOMPUTED = """
            SELECT n.pattern_id, n.pattern_name, n.pattern_type, n.status, n.node_id, n.version_number, c.versions
              FROM (SELECT pattern_id, count(*) AS versions, max(version_number) AS newest
                      FROM lineage_nodes GROUP BY pattern_id) c
              JOIN lineage_nodes n ON n.pattern_id = c.pattern_id AND n.version_number = c.newest
             ORDER BY 1""";
    private static final String STORED = """
            SELECT pattern_id, pattern_name, pattern_type, status, newest_node_id, newest_version, version_count
              FROM lineage_patterns ORDER BY 1""";
    private static final String PENDING = "SELECT count(*) FROM lineage_patterns_pending";

    /** Every commit written as a large one: rows by COPY, summaries refreshed after the commit. */
    private static final String[] EVERY_COMMIT_LARGE = {"traceability.ingest.large-commit-from", "1"};

    @Test
    void concurrentIngestIsSearchableOnAnswerAndEverySummaryEqualsARecomputation() throws Exception {
        String db = TestPostgres.server().createDatabase();
        try (RunningService service = RunningService.onExternal(db, RunningService.props(EVERY_COMMIT_LARGE))) {
            String run = UUID.randomUUID().toString().substring(0, 8);
            Map<String, String> patterns = new ConcurrentHashMap<>();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 6; i++) {
                        String name = "summary-" + run + "-" + thread + "-" + i;
                        JsonNode created = track(service, "{'event_type':'pattern_created','pattern_name':'" + name
                                + "','pattern_type':'retry'}");
                        String pattern = created.get("pattern_id").asText();
                        patterns.put(pattern, name);
                        // answered only once its summary is refreshed: the search finds it at once
                        JsonNode found = get(service, "/api/lineage/patterns?q=" + name);
                        assertThat(found.get("patterns")).hasSize(1);
                        assertThat(found.at("/patterns/0/pattern_id").asText()).isEqualTo(pattern);
                        for (int v = 2; v <= 1 + i % 3; v++) {
                            track(service, "{'event_type':'pattern_modified','pattern_id':'" + pattern + "'}");
                        }
                        if (i % 3 == 2) {
                            track(service, "{'event_type':'pattern_deprecated','pattern_id':'" + pattern + "'}");
                            JsonNode deprecated = get(service, "/api/lineage/patterns?q=" + name);
                            assertThat(deprecated.at("/patterns/0/status").asText()).isEqualTo("deprecated");
                            assertThat(deprecated.at("/patterns/0/version_count").asInt()).isEqualTo(3);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : work) {
                f.get(2, TimeUnit.MINUTES);
            }
            pool.shutdown();

            assertThat(patterns).hasSize(48);
            assertThat(TestPostgres.strings(db, STORED)).isEqualTo(TestPostgres.strings(db, RECOMPUTED));
            assertThat(TestPostgres.count(db, PENDING)).isZero();
        } finally {
            TestPostgres.server().dropDatabaseAt(db);
        }
    }

    @Test
    void summariesACrashLeftBehindAreRefreshedAtStartUp() throws Exception {
        String db = TestPostgres.server().createDatabase();
        try {
            RunningService.onExternal(db, RunningService.props()).close(); // migrates the database
            // what a process that died between its commit and the summaries' refresh leaves: the rows and the
            // pending row, no summary
            UUID pattern = UUID.randomUUID();
            String name = "left-behind-" + pattern;
            TestPostgres.execute(db, "INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_name,"
                    + " pattern_type, created_at) VALUES (gen_random_uuid(), '" + pattern + "', 1, '" + name
                    + "', 'retry', now())");
            TestPostgres.execute(db, "INSERT INTO lineage_patterns_pending (patterns, activity, nodes) VALUES"
                    + " (ARRAY['" + pattern + "'::uuid], ARRAY[now()], '{}')");

            try (RunningService service = RunningService.onExternal(db, RunningService.props())) {
                JsonNode found = awaitPatterns(service, name, 1, Duration.ofSeconds(10));
                assertThat(found.at("/patterns/0/pattern_id").asText()).isEqualTo(pattern.toString());
                assertThat(found.at("/patterns/0/version_count").asInt()).isEqualTo(1);
                assertThat(TestPostgres.count(db, PENDING)).isZero();
            }
        } finally {
            TestPostgres.server().dropDatabaseAt(db);
        }
    }

    @Test
    void aFailedRefreshStillAnswersTheStoredEventsAndTheSweepRefreshesLater() throws Exception {
        String db = TestPostgres.server().createDatabase();
        try (RunningService service = RunningService.onExternal(db, RunningService.props(EVERY_COMMIT_LARGE[0],
                EVERY_COMMIT_LARGE[1], "traceability.lineage.summary-sweep-interval", "1s"))) {
            // a summary the table refuses: its refresh fails as a refresh against a broken table would
            TestPostgres.execute(db, "ALTER TABLE lineage_patterns ADD CONSTRAINT refuse_poison"
                    + " CHECK (pattern_name NOT LIKE 'poison-%')");
            String name = "poison-" + UUID.randomUUID();
            JsonNode created = track(service, "{'event_type':'pattern_created','pattern_name':'" + name + "'}");
            assertThat(TestPostgres.count(db, "SELECT count(*) FROM lineage_nodes WHERE pattern_name = '"
                    + name + "'")).isEqualTo(1);
            assertThat(get(service, "/api/lineage/patterns?q=" + name).get("patterns")).isEmpty();
            assertThat(TestPostgres.count(db, PENDING)).isEqualTo(1);
            JsonNode health = get(service, "/api/lineage/health");
            assertThat(health.at("/components/graph/summaries_pending").asLong()).isEqualTo(1);

            TestPostgres.execute(db, "ALTER TABLE lineage_patterns DROP CONSTRAINT refuse_poison");
            JsonNode found = awaitPatterns(service, name, 1, Duration.ofSeconds(10));
            assertThat(found.at("/patterns/0/pattern_id").asText()).isEqualTo(created.get("pattern_id").asText());
            assertThat(TestPostgres.count(db, PENDING)).isZero();
            assertThat(get(service, "/api/lineage/health").at("/components/graph/summaries_pending").asLong())
                    .isZero();
        } finally {
            TestPostgres.server().dropDatabaseAt(db);
        }
    }

    private static JsonNode awaitPatterns(RunningService service, String q, int expected, Duration within)
            throws Exception {
        Instant deadline = Instant.now().plus(within);
        while (true) {
            JsonNode page = get(service, "/api/lineage/patterns?q=" + q);
            if (page.get("patterns").size() == expected || Instant.now().isAfter(deadline)) {
                assertThat(page.get("patterns")).as(page.toString()).hasSize(expected);
                return page;
            }
            Thread.sleep(100);
        }
    }

    private static JsonNode track(RunningService service, String event) throws Exception {
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event.replace('\'', '"'))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body());
    }

    private static JsonNode get(RunningService service, String path) throws Exception {
        Response r = service.get(path);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }
}
