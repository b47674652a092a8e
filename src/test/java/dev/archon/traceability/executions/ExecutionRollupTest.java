package dev.archon.traceability.executions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.archon.traceability.db.Tables;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The analytics rollup (migration V8) is exactly what a recomputation from the raw hook_executions gives: after
 * concurrent ingest over real HTTP with duplicates within and across requests, for rows that were already there when
 * the migration ran, and for what rebuild_execution_rollups() writes.
 */
class ExecutionRollupTest {

    private static final String[] STATUSES = {"success", "success", "success", "failure", "timeout"};
    private static final String[] CONTEXTS = {"api", "cli", "ide", null};
    private static final String[] AGENTS = {"coder", "reviewer", "tester", "planner", null};
    private static final String[] PROJECTS = {"archon", "atlas", null};

    /** Each rollup table as the test recomputes it from hook_executions, independently of the ingest statement. */
    private static final String HOURLY = """
            SELECT pattern_id, date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,
                   count(*) AS executions,
                   sum(CASE WHEN status = 'success' THEN 1 ELSE 0 END) AS success_count,
                   sum(CASE WHEN status = 'failure' THEN 1 ELSE 0 END) AS failure_count,
                   sum(CASE WHEN status = 'timeout' THEN 1 ELSE 0 END) AS timeout_count,
                   sum(CASE WHEN quality_gates_passed IS FALSE THEN 1 ELSE 0 END) AS quality_gate_failures,
                   count(duration_ms) AS duration_count, coalesce(sum(duration_ms), 0) AS duration_sum,
                   coalesce(sum(duration_ms ^ 2), 0) AS duration_sum_sq, min(duration_ms), max(duration_ms),
                   count(quality_score), coalesce(sum(quality_score), 0), coalesce(sum(quality_score ^ 2), 0),
                   min(quality_score), max(quality_score), max(started_at)
              FROM hook_executions GROUP BY 1, 2""";
    private static final String HOURLY_STORED = """
            SELECT pattern_id, hour, executions, success_count, failure_count, timeout_count, quality_gate_failures,
                   duration_count, duration_sum, duration_sum_sq, duration_min, duration_max, quality_count,
                   quality_sum, quality_sum_sq, quality_min, quality_max, last_started_at
              FROM execution_rollup_hourly""";
    /** The histograms as (pattern, hour or day, bucket, executions) cells. */
    private static final String LATENCY_CELLS = """
            SELECT pattern_id, date_trunc('%1$s', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
                   execution_latency_bucket(duration_ms), count(*)
              FROM hook_executions WHERE duration_ms IS NOT NULL GROUP BY 1, 2, 3""";
    private static final String LATENCY_CELLS_STORED = """
            SELECT pattern_id, %1$s, c.bucket, c.n FROM %2$s, unnest(latency_buckets, latency_counts) AS c(bucket, n)""";
    /** A histogram's buckets must be ascending, without repeats, and as many as its counts. */
    private static final String MALFORMED_HISTOGRAMS = """
            SELECT count(*) FROM %1$s
             WHERE cardinality(latency_buckets) <> cardinality(latency_counts)
                OR latency_buckets <> (SELECT array_agg(DISTINCT b ORDER BY b) FROM unnest(latency_buckets) b)""";
    private static final String VALUES = """
            SELECT pattern_id, date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'context_type',
                   context_type, count(*) FROM hook_executions WHERE context_type IS NOT NULL GROUP BY 1, 2, 4
            UNION ALL
            SELECT pattern_id, date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'agent', agent,
                   count(*) FROM hook_executions WHERE agent IS NOT NULL GROUP BY 1, 2, 4
            UNION ALL
            SELECT pattern_id, date_trunc('hour', started_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC', 'project', project,
                   count(*) FROM hook_executions WHERE project IS NOT NULL GROUP BY 1, 2, 4""";

    @Test
    void concurrentIngestWithDuplicatesRollsUpEveryStoredExecutionOnce() throws Exception {
        String db = TestPostgres.server().createDatabase();
        try (RunningService service = RunningService.onExternal(db, RunningService.props())) {
            List<UUID> patterns = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
            // 600 distinct executions; every thread sends a random selection of them, so most are sent several
            // times: in the same request, in concurrent requests and in later ones
            Random random = new Random(42);
            List<String> executions = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                executions.add(execution(random, patterns.get(random.nextInt(patterns.size()))));
            }
            ExecutorService threads = Executors.newFixedThreadPool(6);
            List<Future<Integer>> sent = new ArrayList<>();
            for (int t = 0; t < 6; t++) {
                long seed = t;
                sent.add(threads.submit(() -> {
                    Random r = new Random(seed);
                    int requests = 0;
                    for (int b = 0; b < 25; b++) {
                        List<String> batch = new ArrayList<>();
                        for (int i = 0; i < 1 + r.nextInt(60); i++) {
                            batch.add(executions.get(r.nextInt(executions.size())));
                        }
                        Response answer = service.send(HttpRequest.newBuilder(service.uri("/api/executions"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("[" + String.join(",", batch) + "]")));
                        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
                        requests++;
                    }
                    return requests;
                }));
            }
            // pattern_applied events store their execution through the lineage path, in the same transactions
            for (int i = 0; i < 20; i++) {
                Response applied = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"pattern_applied\",\"pattern_id\":\""
                                + patterns.get(i % 3) + "\",\"event_id\":\"" + UUID.randomUUID() + "\",\"execution\":"
                                + execution(random, patterns.get(i % 3)) + "}")));
                assertThat(applied.status()).as(applied.body()).isIn(200, 201);
            }
            for (Future<Integer> f : sent) {
                assertThat(f.get(120, TimeUnit.SECONDS)).isEqualTo(25);
            }
            threads.shutdown();

            long stored = TestPostgres.count(db, "SELECT count(*) FROM hook_executions");
            assertThat(stored).isGreaterThan(500).isLessThanOrEqualTo(620);
            assertThat(TestPostgres.count(db, "SELECT sum(executions) FROM execution_rollup_hourly"))
                    .isEqualTo(stored);
            assertRollupEqualsRecomputation(db);

            // the migration's backfill and the repair function build the same tables from the same rows
            assertThat(TestPostgres.count(db, "SELECT rebuild_execution_rollups()")).isEqualTo(stored);
            assertRollupEqualsRecomputation(db);
        }
    }

    @Test
    void theMigrationRollsUpExecutionsThatWereAlreadyThere(@TempDir Path before) throws Exception {
        String db = TestPostgres.server().createDatabase();
        var url = dev.archon.traceability.db.PostgresUrl.parse(db);
        // a database as a version from before V8 left it: V1 to V6 (the repeatable migrations of today, which define
        // V8's functions, would be applied with them and collide with V8's CREATE FUNCTION)
        try (Stream<Path> files = Files.list(Path.of("sql/migrations"))) {
            for (Path v : files.filter(f -> f.getFileName().toString().matches("V[1-6]__.*")).toList()) {
                Files.copy(v, before.resolve(v.getFileName()));
            }
        }
        Flyway.configure().dataSource(url.jdbcUrl(), url.user(), url.password())
                .locations("filesystem:" + before).load().migrate();
        TestPostgres.execute(db, """
                INSERT INTO hook_executions (execution_id, pattern_id, status, duration_ms, quality_score,
                    quality_gates_passed, context_type, agent, project, started_at)
                SELECT gen_random_uuid(), ('00000000-0000-4000-8000-00000000000' || (i % 3))::uuid,
                       (ARRAY['success', 'failure', 'timeout'])[1 + i % 3],
                       CASE WHEN i % 7 = 0 THEN NULL ELSE (i % 400) / 8.0 END,
                       CASE WHEN i % 5 = 0 THEN NULL ELSE (i % 16) / 16.0 END,
                       CASE WHEN i % 4 = 0 THEN NULL ELSE i % 3 <> 0 END,
                       (ARRAY['api', 'cli', NULL])[1 + i % 3], (ARRAY['coder', 'tester'])[1 + i % 2], 'archon',
                       timestamptz '2026-11-01 00:00:00+00' + i * interval '7 minutes'
                  FROM generate_series(1, 3000) i""");
        try (RunningService ignored = RunningService.onExternal(db, RunningService.props())) {
            assertThat(TestPostgres.count(db, "SELECT sum(executions) FROM execution_rollup_hourly")).isEqualTo(3000);
            assertRollupEqualsRecomputation(db);
        }
    }

    /** Every rollup table holds exactly the rows of its recomputation (both ways round), values included. */
    static void assertRollupEqualsRecomputation(String db) throws Exception {
        assertSame(db, HOURLY_STORED, HOURLY);
        assertSame(db, LATENCY_CELLS_STORED.formatted("hour", "execution_rollup_hourly"),
                LATENCY_CELLS.formatted("hour"));
        assertSame(db, LATENCY_CELLS_STORED.formatted("day", "execution_rollup_latency_daily"),
                LATENCY_CELLS.formatted("day"));
        for (String table : List.of("execution_rollup_hourly", "execution_rollup_latency_daily")) {
            assertThat(TestPostgres.count(db, MALFORMED_HISTOGRAMS.formatted(table))).as(table).isZero();
        }
        assertSame(db, "SELECT * FROM execution_rollup_values_hourly", VALUES);
        assertSame(db, "SELECT * FROM execution_rollup_values_daily", VALUES.replace("'hour'", "'day'"));
        assertThat(Tables.ROLLUPS).hasSize(4);
    }

    private static void assertSame(String db, String table, String recomputed) throws Exception {
        assertThat(TestPostgres.count(db, "SELECT count(*) FROM (" + table + ") t")).as(table).isPositive();
        assertThat(TestPostgres.strings(db, "SELECT t::text FROM ((" + table + ") EXCEPT ALL (" + recomputed
                + ")) t")).as(table + " rows missing from the recomputation").isEmpty();
        assertThat(TestPostgres.strings(db, "SELECT t::text FROM ((" + recomputed + ") EXCEPT ALL (" + table
                + ")) t")).as("recomputed rows missing from " + table).isEmpty();
    }

    /**
     * A random execution record. Durations and quality scores are multiples of 1/8 and 1/16, exact in binary, so
     * their sums do not depend on the order of addition and compare exactly.
     */
    private static String execution(Random r, UUID pattern) {
        StringBuilder json = new StringBuilder("{\"execution_id\":\"" + UUID.randomUUID() + "\",\"pattern_id\":\""
                + pattern + "\",\"status\":\"" + STATUSES[r.nextInt(STATUSES.length)] + "\",\"started_at\":\""
                + Instant.parse("2026-11-20T00:00:00Z").plusSeconds(r.nextInt(3 * 24 * 3600)) + "\"");
        if (r.nextInt(10) > 0) {
            json.append(",\"duration_ms\":").append(r.nextInt(8000) / 8.0);
        }
        if (r.nextInt(10) > 0) {
            json.append(",\"quality_score\":").append(r.nextInt(17) / 16.0);
        }
        if (r.nextInt(10) > 0) {
            json.append(",\"quality_gates_passed\":").append(r.nextBoolean());
        }
        field(json, "context_type", CONTEXTS[r.nextInt(CONTEXTS.length)]);
        field(json, "agent", AGENTS[r.nextInt(AGENTS.length)]);
        field(json, "project", PROJECTS[r.nextInt(PROJECTS.length)]);
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        if (value != null) {
            json.append(",\"").append(name).append("\":\"").append(value).append('"');
        }
    }
}
