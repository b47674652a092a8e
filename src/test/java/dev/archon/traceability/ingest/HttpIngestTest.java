package dev.archon.traceability.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.http.EventLoopHttpConsumer;
import dev.archon.traceability.http.IngestEndpoints;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.PatternIds;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.spi.PlatformHttpConsumerAware;
import org.apache.camel.spi.RouteController;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Ingest over real HTTP into a real database: every event type, idempotency, batches, and every kind of bad input. */
class HttpIngestTest {

    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props(
                "traceability.http.max-body-size", "2000000",
                "traceability.http.max-batch-items", "500",
                // fewer worker threads than concurrent producers: ingest must not need one per pending commit
                "traceability.http.worker-threads", "4"));
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void everyEventTypeEndToEnd() throws Exception {
        String name = "retry-" + UUID.randomUUID();
        UUID pattern = PatternIds.fromName(name);
        JsonNode created = stored(track("{\"event_type\":\"pattern_created\",\"pattern_name\":\"" + name
                + "\",\"pattern_type\":\"code\",\"template_code\":\"retry(3)\",\"confidence_score\":0.8,"
                + "\"performance_baseline\":{\"p50_ms\":10,\"p95_ms\":40},\"correlation_id\":\"corr-1\","
                + "\"source\":\"hook\",\"user_id\":\"u1\",\"metadata\":{\"k\":\"v\"}}"), 1);
        assertThat(created.get("pattern_id").asText()).isEqualTo(pattern.toString());
        String v1 = created.get("node_id").asText();

        JsonNode modified = stored(track(event("pattern_modified", pattern, "")), 2);
        String v2 = modified.get("node_id").asText();
        JsonNode improved = stored(track(event("pattern_modified", pattern, ",\"is_improvement\":true")), 3);
        String v3 = improved.get("node_id").asText();

        UUID fork = UUID.randomUUID();
        JsonNode forked = stored(track(event("pattern_forked", fork, ",\"parent_node_ids\":[\"" + v2 + "\"]")), 1);
        String f1 = forked.get("node_id").asText();

        JsonNode merged = stored(track(event("pattern_merged", pattern, ",\"parent_pattern_ids\":[\"" + fork + "\"]")),
                4);
        String v4 = merged.get("node_id").asText();

        UUID replacement = UUID.randomUUID();
        stored(track(event("pattern_created", replacement, "")), 1);
        JsonNode deprecated = stored(track(event("pattern_deprecated", pattern,
                ",\"replacement_pattern_id\":\"" + replacement + "\"")), 4);
        assertThat(deprecated.get("node_id").asText()).isEqualTo(v4);

        // deprecated again in favour of the same replacement: acknowledged with the edge that exists
        JsonNode again = stored(track(event("pattern_deprecated", pattern,
                ",\"replacement_pattern_id\":\"" + replacement + "\"")), 4);
        assertThat(again.get("edge_ids")).isEqualTo(deprecated.get("edge_ids"));
        assertThat(rows("SELECT count(*)::text FROM lineage_edges WHERE edge_type = 'DEPRECATED_BY'"
                + " AND source_node_id = '" + v4 + "'")).containsExactly("1");

        JsonNode applied = stored(track(event("pattern_applied", pattern,
                ",\"execution\":{\"status\":\"success\",\"duration_ms\":12.5,\"quality_score\":0.9}")), 4);

        assertThat(rows("SELECT version_number || ':' || coalesce(parent_node_id::text, '-') || ':' || status"
                + " FROM lineage_nodes WHERE pattern_id = '" + pattern + "' ORDER BY version_number"))
                .containsExactly("1:-:active", "2:" + v1 + ":active", "3:" + v2 + ":active",
                        "4:" + v3 + ":deprecated");
        assertThat(rows("SELECT edge_type FROM lineage_edges WHERE target_node_id = '" + v2 + "'"))
                .containsExactly("DERIVED_FROM");
        assertThat(rows("SELECT edge_type FROM lineage_edges WHERE target_node_id = '" + v3 + "'"))
                .containsExactly("IMPROVED_VERSION");
        assertThat(rows("SELECT source_node_id || ':' || edge_type FROM lineage_edges WHERE target_node_id = '"
                + f1 + "'")).containsExactly(v2 + ":FORKED_FROM");
        assertThat(rows("SELECT parent_node_id::text FROM lineage_nodes WHERE node_id = '" + f1 + "'"))
                .containsExactly(v2);
        assertThat(rows("SELECT source_node_id || ':' || edge_type FROM lineage_edges WHERE target_node_id = '"
                + v4 + "' ORDER BY edge_type")).containsExactly(v3 + ":DERIVED_FROM", f1 + ":MERGED_INTO");
        assertThat(rows("SELECT status FROM lineage_nodes WHERE node_id = '" + f1 + "'")).containsExactly("merged");
        assertThat(rows("SELECT edge_type || ':' || n.pattern_id FROM lineage_edges e JOIN lineage_nodes n"
                + " ON n.node_id = e.target_node_id WHERE e.source_node_id = '" + v4 + "'"))
                .containsExactly("DEPRECATED_BY:" + replacement);
        assertThat(rows("SELECT event_type FROM lineage_events WHERE event_data->>'pattern_id' = '" + pattern
                + "' OR event_data->>'pattern_name' = '" + name + "' ORDER BY \"timestamp\", event_type"))
                .contains("pattern_created", "pattern_modified", "pattern_merged", "pattern_deprecated",
                        "pattern_applied");
        assertThat(rows("SELECT node_id || ':' || status || ':' || duration_ms FROM hook_executions"
                + " WHERE execution_id = '" + applied.get("event_id").asText() + "'"))
                .containsExactly(v4 + ":success:12.5");
        assertThat(rows("SELECT template_code || ':' || (performance_baseline->>'p95_ms') || ':' || correlation_id"
                + " FROM lineage_nodes WHERE node_id = '" + v1 + "'")).containsExactly("retry(3):40:corr-1");
        // the event as received is kept whole
        assertThat(rows("SELECT event_data->'metadata'->>'k' FROM lineage_events WHERE node_id = '" + v1 + "'"))
                .containsExactly("v");
        assertThat(rows("SELECT count(*)::text FROM get_lineage_path('" + v4 + "')")).containsExactly("4");
    }

    @Test
    void aRepeatedEventIdIsAcknowledgedAndNotStoredTwice() throws Exception {
        UUID eventId = UUID.randomUUID();
        UUID pattern = UUID.randomUUID();
        String body = "{\"event_type\":\"pattern_created\",\"event_id\":\"" + eventId + "\",\"pattern_id\":\""
                + pattern + "\"}";
        Response first = track(body);
        Response again = track(body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        JsonNode a = Json.mapper().readTree(first.body());
        JsonNode b = Json.mapper().readTree(again.body());
        assertThat(b.get("status").asText()).isEqualTo("duplicate");
        assertThat(b.get("node_id")).isEqualTo(a.get("node_id"));
        assertThat(b.get("version_number").asInt()).isEqualTo(1);
        assertThat(rows("SELECT count(*)::text FROM lineage_events WHERE event_id = '" + eventId + "'"))
                .containsExactly("1");
        assertThat(rows("SELECT count(*)::text FROM lineage_nodes WHERE pattern_id = '" + pattern + "'"))
                .containsExactly("1");

        UUID executionId = UUID.randomUUID();
        String execution = "{\"execution_id\":\"" + executionId + "\",\"pattern_id\":\"" + pattern
                + "\",\"status\":\"failure\",\"error_message\":\"boom\"}";
        assertThat(post("/api/executions", "application/json", execution).status()).isEqualTo(201);
        Response repeated = post("/api/executions", "application/json", execution);
        assertThat(repeated.status()).isEqualTo(200);
        assertThat(repeated.body()).contains("\"status\":\"duplicate\"");
        assertThat(rows("SELECT count(*)::text FROM hook_executions WHERE execution_id = '" + executionId + "'"))
                .containsExactly("1");
    }

    @Test
    void concurrentModificationsOfOnePatternGetDistinctVersionsAndAllSucceed() throws Exception {
        UUID pattern = UUID.randomUUID();
        stored(track(event("pattern_created", pattern, "")), 1);
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                answers.add(pool.submit(() -> track(event("pattern_modified", pattern, ""))));
            }
            for (Future<Response> f : answers) {
                assertThat(f.get().status()).as(f.get().body()).isEqualTo(201);
            }
        } finally {
            pool.shutdown();
        }
        assertThat(rows("SELECT count(*) || '/' || count(DISTINCT version_number) || '/' || max(version_number)"
                + " FROM lineage_nodes WHERE pattern_id = '" + pattern + "'")).containsExactly("41/41/41");
        // every version derives from the one before it: one unbroken chain
        assertThat(rows("SELECT count(*)::text FROM get_lineage_path((SELECT node_id FROM lineage_nodes"
                + " WHERE pattern_id = '" + pattern + "' AND version_number = 41))")).containsExactly("41");
    }

    @Test
    void aPendingCommitHoldsNoThread() throws Exception {
        // 12 producers, 4 worker threads, and a commit held up by a table lock: the other endpoints still answer
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try (Connection lock = TestPostgres.connect(db)) {
            lock.setAutoCommit(false);
            try (Statement s = lock.createStatement()) {
                s.execute("LOCK TABLE lineage_event_keys IN EXCLUSIVE MODE");
            }
            List<Future<Response>> pending = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                pending.add(pool.submit(() -> track(event("pattern_created", UUID.randomUUID(), ""))));
            }
            awaitLockWait("lineage_event_keys");
            assertThat(service.get("/health").status()).isEqualTo(200);
            assertThat(pending).noneMatch(Future::isDone);
            lock.rollback();
            for (Future<Response> f : pending) {
                assertThat(f.get(30, TimeUnit.SECONDS).status()).isEqualTo(201);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void everyIngestPathIsServedOnTheEventLoop() {
        // a path renamed in routes/ingest-http.yaml but not in IngestEndpoints.PATHS would quietly hold threads again
        List<String> served = service.main().getCamelContext().getRoutes().stream()
                .map(Route::getConsumer)
                .filter(c -> c instanceof PlatformHttpConsumerAware a
                        && a.getPlatformHttpConsumer() instanceof EventLoopHttpConsumer)
                .map(c -> ((PlatformHttpEndpoint) c.getEndpoint()).getPath())
                .filter(p -> !p.startsWith("/api/pattern-traceability/")) // the as-built API's: CompatFailuresTest
                .toList();
        assertThat(served).containsExactlyInAnyOrderElementsOf(IngestEndpoints.PATHS);
    }

    @Test
    void aSuspendedIngestRouteAnswers503UntilResumed() throws Exception {
        RouteController routes = service.main().getCamelContext().getRouteController();
        routes.suspendRoute("track-event");
        try {
            assertError(track(event("pattern_created", UUID.randomUUID(), "")), 503, "SERVICE_UNAVAILABLE", null,
                    "/api/lineage/track is paused (its route is suspended)");
        } finally {
            routes.resumeRoute("track-event");
        }
        stored(track(event("pattern_created", UUID.randomUUID(), "")), 1);
    }

    @Test
    void aBatchOfSeveralHundredKilobytesIsStored() throws Exception {
        StringBuilder batch = new StringBuilder("[");
        String code = "x".repeat(1000);
        for (int i = 0; i < 300; i++) {
            batch.append(i == 0 ? "" : ",").append(event("pattern_created", UUID.randomUUID(),
                    ",\"template_code\":\"" + code + "\",\"source\":\"large-batch\""));
        }
        Response r = post("/api/lineage/track/batch", "application/json", batch.append("]").toString());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(Json.mapper().readTree(r.body()).get("stored").asInt()).isEqualTo(300);
        assertThat(rows("SELECT count(*)::text FROM lineage_events WHERE source = 'large-batch'"))
                .containsExactly("300");
    }

    @Test
    void aBatchIsAppliedInOrderWithPerItemResults() throws Exception {
        UUID pattern = UUID.randomUUID();
        String batch = "[" + event("pattern_created", pattern, "") + ","
                + "{\"event_type\":\"pattern_modified\",\"pattern_id\":\"not-a-uuid\"},"
                + event("pattern_modified", pattern, "") + ","
                + event("pattern_modified", UUID.randomUUID(), "") + "]";
        Response r = post("/api/lineage/track/batch", "application/json", batch);
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(r.body());
        assertThat(body.get("received").asInt()).isEqualTo(4);
        assertThat(body.get("stored").asInt()).isEqualTo(2);
        assertThat(body.get("rejected").asInt()).isEqualTo(2);
        JsonNode results = body.get("results");
        assertThat(results.get(0).get("version_number").asInt()).isEqualTo(1);
        assertThat(results.get(1).get("index").asInt()).isEqualTo(1);
        assertThat(results.get(1).get("error").get("field").asText()).isEqualTo("pattern_id");
        assertThat(results.get(1).get("error").get("reason").asText()).contains("not a UUID");
        assertThat(results.get(2).get("version_number").asInt()).isEqualTo(2);
        assertThat(results.get(3).get("error").get("code").asText()).isEqualTo("INVALID_PATTERN_ID");
        assertThat(rows("SELECT count(*)::text FROM lineage_nodes WHERE pattern_id = '" + pattern + "'"))
                .containsExactly("2");
    }

    @Test
    void executionsAsObjectArrayAndNdjson() throws Exception {
        UUID pattern = UUID.randomUUID();
        Response array = post("/api/executions", "application/json", "[{\"pattern_id\":\"" + pattern
                + "\",\"status\":\"success\",\"duration_ms\":5},{\"pattern_id\":\"" + pattern
                + "\",\"status\":\"timeout\"},{\"pattern_id\":\"" + pattern + "\",\"status\":\"maybe\"}]");
        assertThat(array.status()).isEqualTo(200);
        assertThat(array.body()).contains("\"stored\":2", "\"rejected\":1",
                "{\"index\":2,\"status\":\"rejected\",\"error\":{\"code\":\"VALIDATION_FAILED\",\"field\":\"status\"");
        Response ndjson = post("/api/executions", "application/x-ndjson", "{\"pattern_id\":\"" + pattern
                + "\",\"status\":\"failure\"}\n{broken\n{\"pattern_name\":\"x\",\"status\":\"success\","
                + "\"quality_score\":2}\n");
        assertThat(ndjson.status()).isEqualTo(200);
        JsonNode body = Json.mapper().readTree(ndjson.body());
        assertThat(body.get("stored").asInt()).isEqualTo(1);
        assertThat(body.get("results").get(1).get("line").asInt()).isEqualTo(2);
        // the line of the body, not the parser's "line 1" of the line it was given alone
        assertThat(body.get("results").get(1).get("error").get("reason").asText())
                .startsWith("malformed JSON at line 2, column 2:");
        assertThat(body.get("results").get(2).get("error").get("field").asText()).isEqualTo("quality_score");
        assertThat(rows("SELECT string_agg(status, ',' ORDER BY status) FROM hook_executions WHERE pattern_id = '"
                + pattern + "'")).containsExactly("failure,success,timeout");
    }

    @Test
    void badInputGetsTheEnvelopeNamingFieldAndReason() throws Exception {
        assertError(post("/api/lineage/track", "application/json", "{\"event_type\":"), 400, "VALIDATION_FAILED",
                null, "malformed JSON at line 1");
        assertError(post("/api/lineage/track", "text/plain", "{}"), 415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type",
                "application/json");
        assertError(post("/api/lineage/track", "application/json", ""), 400, "VALIDATION_FAILED", null, "empty");
        assertError(track("{\"event_type\":\"pattern_renamed\",\"pattern_name\":\"x\"}"), 400, "VALIDATION_FAILED",
                "event_type", "unknown event type 'pattern_renamed'");
        assertError(track("{\"event_type\":\"pattern_created\",\"pattern_id\":42}"), 400, "VALIDATION_FAILED",
                "pattern_id", "expected a UUID string, got a number");
        assertError(track("{\"event_type\":\"pattern_created\"}"), 400, "VALIDATION_FAILED", "pattern_id",
                "is required");
        assertError(track("{\"event_type\":\"pattern_created\",\"pattern_name\":\"x\",\"confidence_score\":\"high\"}"),
                400, "VALIDATION_FAILED", "confidence_score", "expected a number");
        assertError(track("[1,2]"), 400, "VALIDATION_FAILED", null, "expected a JSON object");
        assertError(track("{\"event_type\":\"pattern_created\",\"pattern_name\":\"x\"} {}"), 400,
                "VALIDATION_FAILED", null, "malformed JSON");
        String deep = "[".repeat(200) + "]".repeat(200);
        assertError(track("{\"event_type\":\"pattern_created\",\"pattern_name\":\"x\",\"metadata\":{\"a\":" + deep
                + "}}"), 400, "VALIDATION_FAILED", null, "nested deeper than 64 levels");
        assertError(track("{\"event_type\":\"pattern_created\",\"pattern_name\":\"" + "n".repeat(600) + "\"}"),
                400, "VALIDATION_FAILED", "pattern_name", "longer than 512 characters");
        assertError(track("{\"event_type\":\"pattern_created\",\"pattern_name\":\"x\",\"template_code\":\""
                + "c".repeat(1_000_001) + "\"}"), 400, "VALIDATION_FAILED", "template_code", "longer than");
        assertError(track("{\"event_type\":\"pattern_created\",\"pattern_name\":\"x\",\"metadata\":\""
                + "m".repeat(2_100_000) + "\"}"), 413, "PAYLOAD_TOO_LARGE", null, "at most 2000000");
        assertError(post("/api/lineage/track/batch", "application/json", "[" + (event("pattern_created",
                UUID.randomUUID(), "") + ",").repeat(500) + event("pattern_created", UUID.randomUUID(), "") + "]"),
                413, "PAYLOAD_TOO_LARGE", null, "at most 500");
        assertError(post("/api/lineage/track/batch", "application/json", "[]"), 400, "VALIDATION_FAILED", null,
                "empty");
        assertError(post("/api/executions", "application/x-ndjson", "{\"pattern_name\":\"x\",\"status\":\"success\"}\n"
                .repeat(501)), 413, "PAYLOAD_TOO_LARGE", null, "at most 500");
        assertError(track("{\"event_type\":\"pattern_applied\",\"pattern_name\":\"a\",\"execution\":"
                + "{\"status\":\"success\",\"pattern_name\":\"b\"}}"), 400, "VALIDATION_FAILED",
                "execution.pattern_id", "leave it out");
        assertError(track(event("pattern_modified", UUID.randomUUID(), "")), 422, "INVALID_PATTERN_ID",
                "pattern_id", "send its pattern_created first");
        UUID p = UUID.randomUUID();
        stored(track(event("pattern_created", p, "")), 1);
        assertError(track(event("pattern_modified", p, ",\"parent_node_ids\":[\"" + UUID.randomUUID() + "\"]")), 422,
                "INVALID_NODE_ID", "parent_node_ids[0]", "no lineage node");
        assertError(track(event("pattern_created", p, "")), 409, "PATTERN_EXISTS", "pattern_id", "already exists");
        assertThat(rows("SELECT count(*)::text FROM lineage_nodes WHERE pattern_name = 'x'")).containsExactly("0");
    }

    @Test
    void anEdgeThatWouldCloseACycleIsRefused() throws Exception {
        UUID a = UUID.randomUUID();
        stored(track(event("pattern_created", a, "")), 1);
        UUID b = UUID.randomUUID();
        String a1 = rows("SELECT node_id::text FROM lineage_nodes WHERE pattern_id = '" + a + "'").get(0);
        stored(track(event("pattern_forked", b, ",\"parent_node_ids\":[\"" + a1 + "\"]")), 1);
        // a -> b (fork): deprecating a in favour of its descendant b is fine, the edge a -> b follows the graph
        Response ok = track(event("pattern_deprecated", a, ",\"replacement_pattern_id\":\"" + b + "\""));
        assertThat(ok.status()).as(ok.body()).isEqualTo(201);
        // an edge b -> a would point back up the graph and close a cycle
        Response cycle = track(event("pattern_deprecated", b, ",\"replacement_pattern_id\":\"" + a + "\""));
        assertError(cycle, 409, "CIRCULAR_DEPENDENCY", "replacement_pattern_id", "cycle");
        assertThat(rows("SELECT status FROM lineage_nodes WHERE pattern_id = '" + b + "'"))
                .containsExactly("active");
        assertThat(rows("SELECT count(*)::text FROM lineage_edges WHERE edge_type = 'DEPRECATED_BY'"
                + " AND source_node_id IN (SELECT node_id FROM lineage_nodes WHERE pattern_id = '" + b + "')"))
                .containsExactly("0");
    }

    @Test
    void ingestMetricsAreExported() {
        Response metrics = service.get("/observe/metrics");
        assertThat(metrics.body()).contains("lineage_insert_duration_seconds_bucket",
                "lineage_operations_total{operation=\"created\"}",
                "ingest_items_total{kind=\"lineage\",outcome=\"stored\",transport=\"http\"}",
                "ingest_inbox_files{inbox=\"lineage\"}");
    }

    @Test
    void theOpenApiDocumentDescribesTheIngestEndpoints() {
        Response doc = service.get("/api/openapi.json");
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.body()).contains("\"/api/lineage/track\"", "\"/api/lineage/track/batch\"",
                "\"/api/executions\"", "pattern_created", "INVALID_PATTERN_ID", "application/x-ndjson");
    }

    private static String event(String type, UUID pattern, String more) {
        return "{\"event_type\":\"" + type + "\",\"pattern_id\":\"" + pattern + "\"" + more + "}";
    }

    private static Response track(String body) {
        return post("/api/lineage/track", "application/json", body);
    }

    private static Response post(String path, String contentType, String body) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    private static JsonNode stored(Response r, int version) throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        JsonNode json = Json.mapper().readTree(r.body());
        assertThat(json.get("status").asText()).isEqualTo("stored");
        assertThat(json.get("version_number").asInt()).isEqualTo(version);
        return json;
    }

    private static void assertError(Response r, int status, String code, String field, String reason)
            throws Exception {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode error = Json.mapper().readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo(code);
        assertThat(error.get("correlation_id").asText()).isNotEmpty();
        assertThat(error.get("message").asText()).contains(reason);
        if (field != null) {
            assertThat(error.get("details").get("field").asText()).isEqualTo(field);
        }
    }

    private static void awaitLockWait(String table) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (rows("SELECT count(*)::text FROM pg_locks WHERE NOT granted AND relation = '" + table
                + "'::regclass").equals(List.of("0"))) {
            assertThat(System.nanoTime()).as("the writer waits for the lock on " + table).isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    private static List<String> rows(String sql) throws SQLException {
        return TestPostgres.strings(db, sql);
    }
}
