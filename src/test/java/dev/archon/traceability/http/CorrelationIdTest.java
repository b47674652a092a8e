package dev.archon.traceability.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Which correlation id the stored rows keep, over real HTTP, on every ingest endpoint: a record's own correlation_id
 * (it is the record's data: one batch may carry records of different workflows), else the request's X-Correlation-ID
 * (the id the answer carries, sent or made by the service). Answers and error envelopes carry the request's id.
 */
class CorrelationIdTest {

    private static String db;
    private static RunningService service;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props());
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aSingleLineageEventKeepsItsOwnIdAndOtherwiseTakesTheRequests() throws Exception {
        String name = "p-" + UUID.randomUUID();
        Response own = post("/api/lineage/track", "application/json", "req-1", "{\"event_type\":\"pattern_created\","
                + "\"pattern_name\":\"" + name + "\",\"correlation_id\":\"wf-A\"}");
        assertThat(own.status()).as(own.body()).isEqualTo(201);
        assertThat(own.header("X-Correlation-ID")).isEqualTo("req-1");
        assertThat(eventCorrelation(own)).isEqualTo("wf-A");
        assertThat(rows("SELECT correlation_id FROM lineage_nodes WHERE node_id = '" + json(own).get("node_id")
                .asText() + "'")).containsExactly("wf-A");

        Response none = post("/api/lineage/track", "application/json", "req-2", "{\"event_type\":\"pattern_modified\","
                + "\"pattern_name\":\"" + name + "\"}");
        assertThat(none.status()).as(none.body()).isEqualTo(201);
        assertThat(eventCorrelation(none)).isEqualTo("req-2");
        assertThat(rows("SELECT correlation_id FROM lineage_edges WHERE target_node_id = '" + json(none)
                .get("node_id").asText() + "'")).containsExactly("req-2");

        // no header: the id the service made, the one in the answer's header
        Response anonymous = post("/api/lineage/track", "application/json", null, "{\"event_type\":"
                + "\"pattern_modified\",\"pattern_name\":\"" + name + "\"}");
        assertThat(anonymous.status()).as(anonymous.body()).isEqualTo(201);
        assertThat(UUID.fromString(anonymous.header("X-Correlation-ID"))).isNotNull();
        assertThat(eventCorrelation(anonymous)).isEqualTo(anonymous.header("X-Correlation-ID"));
    }

    @Test
    void anAppliedEventsExecutionTakesTheEventsId() throws Exception {
        String name = "p-" + UUID.randomUUID();
        post("/api/lineage/track", "application/json", "req-c", "{\"event_type\":\"pattern_created\","
                + "\"pattern_name\":\"" + name + "\"}");
        Response applied = post("/api/lineage/track", "application/json", "req-3", "{\"event_type\":"
                + "\"pattern_applied\",\"pattern_name\":\"" + name + "\",\"execution\":{\"status\":\"success\"}}");
        assertThat(applied.status()).as(applied.body()).isEqualTo(201);
        String event = json(applied).get("event_id").asText();
        assertThat(eventCorrelation(applied)).isEqualTo("req-3");
        assertThat(rows("SELECT correlation_id FROM hook_executions WHERE execution_id = '" + event + "'"))
                .containsExactly("req-3");
    }

    @Test
    void aBatchOfEventsOfDifferentWorkflowsKeepsEachEventsOwnId() throws Exception {
        String a = "p-" + UUID.randomUUID();
        String b = "p-" + UUID.randomUUID();
        Response r = post("/api/lineage/track/batch", "application/json", "req-4", "[{\"event_type\":"
                + "\"pattern_created\",\"pattern_name\":\"" + a + "\",\"correlation_id\":\"wf-B\"},{\"event_type\":"
                + "\"pattern_created\",\"pattern_name\":\"" + b + "\"}]");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode results = json(r).get("results");
        assertThat(eventCorrelation(results.get(0).get("event_id").asText())).isEqualTo("wf-B");
        assertThat(eventCorrelation(results.get(1).get("event_id").asText())).isEqualTo("req-4");
    }

    @Test
    void executionRecordsAsOneObjectAnArrayAndNdjson() throws Exception {
        UUID one = UUID.randomUUID();
        Response single = post("/api/executions", "application/json", "req-5", execution(one, "wf-C"));
        assertThat(single.status()).as(single.body()).isEqualTo(201);
        assertThat(executionCorrelation(one)).isEqualTo("wf-C");

        UUID own = UUID.randomUUID();
        UUID none = UUID.randomUUID();
        Response array = post("/api/executions", "application/json", "req-6", "[" + execution(own, "wf-D") + ","
                + execution(none, null) + "]");
        assertThat(array.status()).as(array.body()).isEqualTo(200);
        assertThat(executionCorrelation(own)).isEqualTo("wf-D");
        assertThat(executionCorrelation(none)).isEqualTo("req-6");

        UUID line1 = UUID.randomUUID();
        UUID line2 = UUID.randomUUID();
        Response ndjson = post("/api/executions", "application/x-ndjson", "req-7", execution(line1, null) + "\n"
                + execution(line2, "wf-E") + "\n");
        assertThat(ndjson.status()).as(ndjson.body()).isEqualTo(200);
        assertThat(executionCorrelation(line1)).isEqualTo("req-7");
        assertThat(executionCorrelation(line2)).isEqualTo("wf-E");
    }

    @Test
    void feedbackItemsAlike() throws Exception {
        UUID own = UUID.randomUUID();
        UUID none = UUID.randomUUID();
        Response r = post("/api/feedback", "application/json", "req-8", "[{\"feedback_id\":\"" + own
                + "\",\"pattern_name\":\"fb\",\"rating\":4,\"correlation_id\":\"wf-F\"},{\"feedback_id\":\"" + none
                + "\",\"pattern_name\":\"fb\",\"rating\":2}]");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(rows("SELECT feedback_id || ' ' || correlation_id FROM pattern_feedback WHERE feedback_id IN ('"
                + own + "', '" + none + "') ORDER BY correlation_id DESC")).containsExactly(own + " wf-F",
                none + " req-8");
    }

    @Test
    void anErrorEnvelopeCarriesTheRequestsIdNotTheEvents() throws Exception {
        Response bad = post("/api/lineage/track", "application/json", "req-9", "{\"event_type\":\"pattern_created\","
                + "\"correlation_id\":\"wf-G\"}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("X-Correlation-ID")).isEqualTo("req-9");
        assertThat(json(bad).at("/error/correlation_id").asText()).isEqualTo("req-9");
    }

    @Test
    void aRequestIdLongerThanACorrelationIdIsRefused() throws Exception {
        String tooLong = "r".repeat(1025);
        Response r = post("/api/executions", "application/json", tooLong, execution(UUID.randomUUID(), null));
        assertThat(r.status()).as(r.body()).isEqualTo(400);
        assertThat(json(r).at("/error/details/field").asText()).isEqualTo("X-Correlation-ID");
        Response fits = post("/api/executions", "application/json", "r".repeat(1024),
                execution(UUID.randomUUID(), null));
        assertThat(fits.status()).as(fits.body()).isEqualTo(201);
    }

    private static String execution(UUID id, String correlation) {
        return "{\"execution_id\":\"" + id + "\",\"pattern_name\":\"exec\",\"status\":\"success\""
                + (correlation == null ? "" : ",\"correlation_id\":\"" + correlation + "\"") + "}";
    }

    private static Response post(String path, String contentType, String correlationId, String body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(path)).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (correlationId != null) {
            request.header("X-Correlation-ID", correlationId);
        }
        return service.send(request);
    }

    private static String eventCorrelation(Response r) throws Exception {
        return eventCorrelation(json(r).get("event_id").asText());
    }

    private static String eventCorrelation(String eventId) throws Exception {
        List<String> rows = rows("SELECT correlation_id FROM lineage_events WHERE event_id = '" + eventId + "'");
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static String executionCorrelation(UUID id) throws Exception {
        List<String> rows = rows("SELECT correlation_id FROM hook_executions WHERE execution_id = '" + id + "'");
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private static JsonNode json(Response r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private static List<String> rows(String sql) throws Exception {
        return TestPostgres.strings(db, sql);
    }
}
