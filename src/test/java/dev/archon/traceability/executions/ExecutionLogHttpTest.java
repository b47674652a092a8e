package dev.archon.traceability.executions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.http.EventLoopHttpConsumer;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.math.BigInteger;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The execution log over real HTTP on the running service: paging while rows are written, every bad parameter,
 * the summary's default window and truncation, and GET beside the event-loop POST on the same path.
 */
class ExecutionLogHttpTest {

    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        // a small bound on groups, so truncation shows with a few rows
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.executions.summary.max-groups", "2"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonNode get(String pathAndQuery) throws Exception {
        Response r = service.get(pathAndQuery);
        assertThat(r.status()).as(pathAndQuery + ": " + r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        return Json.mapper().readTree(r.body());
    }

    private static String encode(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    /** One execution record through the ingest endpoint; 201 expected. */
    private static void post(UUID id, Instant startedAt, String agent) {
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/executions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"execution_id\":\"" + id + "\",\"pattern_name\":\"paged\","
                        + "\"status\":\"success\",\"agent\":\"" + agent + "\",\"started_at\":\"" + startedAt + "\"}")));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
    }

    /** A row's place in the log's order, compared as PostgreSQL does: time, then the uuid's bytes unsigned. */
    private record Key(Instant at, UUID id) implements Comparable<Key> {
        static Key of(JsonNode row) {
            return new Key(Instant.parse(row.get("started_at").asText()), UUID.fromString(row.get("execution_id")
                    .asText()));
        }

        @Override
        public int compareTo(Key o) {
            int c = at.compareTo(o.at);
            return c != 0 ? c : unsigned(id).compareTo(unsigned(o.id));
        }
    }

    private static BigInteger unsigned(UUID id) {
        return new BigInteger(id.toString().replace("-", ""), 16);
    }

    private static UUID plus(UUID id, long delta) {
        String hex = String.format("%032x", unsigned(id).add(BigInteger.valueOf(delta)));
        return UUID.fromString(hex.replaceFirst("(.{8})(.{4})(.{4})(.{4})(.{12})", "$1-$2-$3-$4-$5"));
    }

    @Test
    void pagingWhileRowsAreInsertedLosesNothingRepeatsNothingAndShowsNothingNewer() throws Exception {
        // 400 rows over three months and the default partition, in threes sharing a started_at
        TestPostgres.execute(db, "SELECT ensure_monthly_partition('hook_executions', d::date) FROM"
                + " generate_series('2025-01-01'::date, '2025-03-01', '1 month') d");
        TestPostgres.execute(db, "INSERT INTO hook_executions (execution_id, pattern_id, status, agent, started_at)"
                + " SELECT gen_random_uuid(), gen_random_uuid(), 'success', 'seed',"
                + " CASE WHEN i <= 10 THEN timestamptz '2019-06-01' + i / 3 * interval '1 hour'"
                + " ELSE timestamptz '2025-01-01' + i / 3 * interval '13 hours' END"
                + " FROM generate_series(1, 400) i");
        List<String> before = TestPostgres.strings(db, "SELECT execution_id::text FROM hook_executions"
                + " ORDER BY started_at DESC, execution_id DESC");

        Set<UUID> mustNotAppear = new HashSet<>();
        Set<UUID> mustAppear = new HashSet<>();
        AtomicBoolean paging = new AtomicBoolean(true);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        List<UUID> written = new CopyOnWriteArrayList<>();
        Future<?> concurrent;
        List<JsonNode> rows = new ArrayList<>();
        JsonNode page = get("/api/executions?limit=37");
        page.get("executions").forEach(rows::add);
        Instant newest = Key.of(rows.get(0)).at();
        try {
            // a producer keeps writing rows newer than the first page while the client pages on
            concurrent = writer.submit(() -> {
                while (paging.get()) {
                    UUID id = UUID.randomUUID();
                    post(id, Instant.now().truncatedTo(ChronoUnit.MICROS), "producer");
                    written.add(id);
                }
            });
            int pages = 1;
            while (!page.get("next_cursor").isNull()) {
                Key last = Key.of(rows.get(rows.size() - 1));
                // between two pages: a row newer than anything paged, one older than everything, and two at the
                // cursor's own time: the one ordered before the cursor must not appear, the one after it must
                UUID newer = UUID.randomUUID();
                post(newer, newest.plusSeconds(1), "between");
                UUID older = UUID.randomUUID();
                post(older, Instant.parse("2001-01-01T00:00:00Z").plusSeconds(pages), "between");
                UUID tieBefore = plus(last.id(), 1);
                post(tieBefore, last.at(), "between");
                UUID tieAfter = plus(last.id(), -1);
                post(tieAfter, last.at(), "between");
                mustNotAppear.add(newer);
                mustNotAppear.add(tieBefore);
                mustAppear.add(older);
                mustAppear.add(tieAfter);

                page = get("/api/executions?limit=37&after=" + page.get("next_cursor").asText());
                page.get("executions").forEach(rows::add);
                pages++;
            }
            assertThat(pages).isGreaterThan(10);
        } finally {
            paging.set(false);
            writer.shutdown();
        }
        concurrent.get(30, TimeUnit.SECONDS);
        assertThat(written).isNotEmpty();
        mustNotAppear.addAll(written);

        List<Key> keys = rows.stream().map(Key::of).toList();
        for (int i = 1; i < keys.size(); i++) {
            assertThat(keys.get(i)).as("row " + i + " after row " + (i - 1)).isLessThan(keys.get(i - 1));
        }
        List<String> ids = keys.stream().map(k -> k.id().toString()).toList();
        assertThat(new HashSet<>(ids)).as("no row repeated").hasSize(ids.size());
        assertThat(ids).as("every row that was there before, in order")
                .containsSubsequence(before).containsAll(before);
        assertThat(ids).containsAll(mustAppear.stream().map(UUID::toString).toList());
        assertThat(ids).doesNotContainAnyElementsOf(mustNotAppear.stream().map(UUID::toString).toList());
        assertThat(ids).hasSize(before.size() + mustAppear.size());
    }

    @Test
    void everyBadParameterAnswers400NamingItAndWhatItAccepts() throws Exception {
        Map<String, List<String>> cases = Map.ofEntries(
                Map.entry("/api/executions?pattern_id=nope", List.of("pattern_id", "not a UUID: 'nope'")),
                Map.entry("/api/executions?node_id=1234", List.of("node_id", "not a UUID")),
                Map.entry("/api/executions?status=ok", List.of("status", "expected one of success, failure, timeout")),
                Map.entry("/api/executions?since=yesterday", List.of("since", "ISO-8601 time with offset")),
                Map.entry("/api/executions?until=2026-01-01T00:00:00", List.of("until", "ISO-8601 time with offset")),
                // an unencoded '+' of an offset arrives as a space: still named, not silently misread
                Map.entry("/api/executions?since=2026-01-01T00:00:00+02:00", List.of("since", "ISO-8601")),
                Map.entry("/api/executions?since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z",
                        List.of("since", "must be before until")),
                Map.entry("/api/executions?limit=0", List.of("limit", "must be from 1 to 500, got 0")),
                Map.entry("/api/executions?limit=501", List.of("limit", "must be from 1 to 500, got 501")),
                Map.entry("/api/executions?limit=ten", List.of("limit", "expected a whole number from 1 to 500")),
                Map.entry("/api/executions?after=not-a-cursor", List.of("after", "pass the next_cursor")),
                Map.entry("/api/executions?after=" + encode("bm90fGFjdXJzb3I"), List.of("after", "next_cursor")),
                Map.entry("/api/executions/summary", List.of("group_by", "is required: one of agent, pattern,"
                        + " hook_type, project")),
                Map.entry("/api/executions/summary?group_by=user", List.of("group_by", "expected one of agent,"
                        + " pattern, hook_type, project, got 'user'")),
                Map.entry("/api/executions/summary?group_by=agent&since=2026-13-01T00:00:00Z",
                        List.of("since", "ISO-8601")),
                Map.entry("/api/executions/summary?group_by=agent&until=now", List.of("until", "ISO-8601")),
                Map.entry("/api/executions/summary?group_by=agent&since=2026-02-01T00:00:00Z"
                        + "&until=2026-02-01T00:00:00Z", List.of("since", "must be before until")));
        for (Map.Entry<String, List<String>> c : cases.entrySet()) {
            Response r = service.get(c.getKey());
            assertThat(r.status()).as(c.getKey() + ": " + r.body()).isEqualTo(400);
            JsonNode error = Json.mapper().readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).as(c.getKey()).isEqualTo("VALIDATION_FAILED");
            assertThat(error.at("/details/field").asText()).as(c.getKey()).isEqualTo(c.getValue().get(0));
            assertThat(error.get("message").asText()).as(c.getKey()).startsWith(c.getValue().get(0) + ": ")
                    .contains(c.getValue().get(1));
            assertThat(error.get("correlation_id").asText()).isEqualTo(r.header("X-Correlation-ID"));
        }
    }

    @Test
    void limitsAndAnEncodedOffset() throws Exception {
        assertThat(get("/api/executions").get("limit").asInt()).isEqualTo(100);
        assertThat(get("/api/executions?limit=500").get("limit").asInt()).isEqualTo(500);
        assertThat(get("/api/executions?since=" + encode("2026-01-01T02:00:00+02:00")).get("executions").isArray())
                .isTrue();
    }

    @Test
    void getIsServedOnAWorkerThreadWhilePostStaysOnTheEventLoop() throws Exception {
        Map<String, Boolean> onEventLoop = new HashMap<>();
        for (Route route : service.main().getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof PlatformHttpConsumerAware a) {
                onEventLoop.put(route.getRouteId(), a.getPlatformHttpConsumer() instanceof EventLoopHttpConsumer);
            }
        }
        // (each REST endpoint's route carries the id of the direct: route inlined into it)
        assertThat(onEventLoop).containsEntry("record-executions", true).containsEntry("executions-page", false)
                .containsEntry("executions-summary", false);

        // both on one path: what POST stores, GET reads back
        UUID id = UUID.randomUUID();
        String agent = "both-" + id;
        post(id, Instant.parse("2024-05-05T05:05:05.123456Z"), agent);
        JsonNode page = get("/api/executions?agent=" + agent);
        assertThat(page.get("executions")).hasSize(1);
        assertThat(page.at("/executions/0/execution_id").asText()).isEqualTo(id.toString());
        assertThat(page.at("/executions/0/started_at").asText()).isEqualTo("2024-05-05T05:05:05.123456Z");
        assertThat(page.at("/executions/0/pattern_id").asText()).isNotEmpty();

        Response wrongMethod = service.send(HttpRequest.newBuilder(service.uri("/api/executions/summary"))
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("GET");
        Response put = service.send(HttpRequest.newBuilder(service.uri("/api/executions"))
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        assertThat(put.status()).isEqualTo(405);
        assertThat(put.header("Allow")).isEqualTo("GET, POST");
    }

    @Test
    void camelHeadersInTheRequestCannotReplaceTheQuery() throws Exception {
        String query = encode("SELECT 1 AS injected");
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/executions?limit=1&CamelSqlQuery=" + query))
                .header("CamelSqlQuery", "SELECT 1 AS injected").header("page_rows", "100000").GET());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).doesNotContain("injected");
        assertThat(Json.mapper().readTree(r.body()).get("executions").size()).isLessThanOrEqualTo(1);
    }

    @Test
    void theSummaryDefaultsToTheLastDayAndSaysWhenItIsTruncated() throws Exception {
        Instant now = Instant.now();
        // in the last day: a x3, b x2, c x1; a day and an hour ago: old x5 (outside the default window)
        String[] agents = {"sum-a", "sum-a", "sum-a", "sum-b", "sum-b", "sum-c"};
        for (String agent : agents) {
            post(UUID.randomUUID(), now.minus(Duration.ofHours(1)), agent);
        }
        for (int i = 0; i < 5; i++) {
            post(UUID.randomUUID(), now.minus(Duration.ofHours(25)), "sum-old");
        }
        JsonNode s = get("/api/executions/summary?group_by=agent");
        assertThat(Instant.parse(s.get("until").asText())).isBetween(now, now.plusSeconds(60));
        assertThat(Duration.between(Instant.parse(s.get("since").asText()), Instant.parse(s.get("until").asText())))
                .isEqualTo(Duration.ofHours(24));
        assertThat(s.get("max_groups").asInt()).isEqualTo(2);
        assertThat(s.get("total_groups").asInt()).isEqualTo(3);
        assertThat(s.get("truncated").asBoolean()).isTrue();
        assertThat(s.at("/groups/0/key").asText()).isEqualTo("sum-a");
        assertThat(s.at("/groups/0/count").asInt()).isEqualTo(3);
        assertThat(s.at("/groups/1/key").asText()).isEqualTo("sum-b");
        assertThat(s.at("/groups/1/success_count").asInt()).isEqualTo(2);

        JsonNode wider = get("/api/executions/summary?group_by=agent&since="
                + encode(now.minus(Duration.ofHours(26)).toString()));
        assertThat(wider.at("/groups/0/key").asText()).isEqualTo("sum-old");
        assertThat(wider.at("/groups/0/count").asInt()).isEqualTo(5);
        assertThat(wider.get("total_groups").asInt()).isEqualTo(4);
    }

    @Test
    void theOpenApiDocumentDescribesBothReads() throws Exception {
        JsonNode api = get("/api/openapi.json");
        JsonNode log = api.at("/paths/~1api~1executions/get");
        assertThat(log.isMissingNode()).isFalse();
        List<String> params = new ArrayList<>();
        log.get("parameters").forEach(p -> {
            if (p.has("name")) { // the X-Correlation-ID header of every operation is a $ref
                params.add(p.get("name").asText());
            }
        });
        assertThat(params).containsExactlyInAnyOrder("pattern_id", "node_id", "session_id", "correlation_id", "agent",
                "status", "since", "until", "limit", "after");
        assertThat(log.at("/responses/400/description").asText()).contains("limit");
        assertThat(api.at("/paths/~1api~1executions/post").isMissingNode()).isFalse();
        JsonNode summary = api.at("/paths/~1api~1executions~1summary/get");
        assertThat(summary.at("/responses/200/description").asText()).contains("truncated");
    }
}
