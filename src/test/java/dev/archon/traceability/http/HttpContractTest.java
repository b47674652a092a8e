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
 * What every endpoint shares, over real HTTP: the error envelope for paths and methods no route serves, the
 * correlation id echoed on every answer, and 503 SCHEMA_MISSING when an operator dropped a contract table.
 */
class HttpContractTest {

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
    void anUnknownPathAnswers404WithTheEnvelope() throws Exception {
        Response r = service.get("/api/no-such-thing");
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.contentType()).startsWith("application/json");
        JsonNode error = Json.mapper().readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(error.get("message").asText()).contains("/api/no-such-thing", "/api/openapi.json");
        assertThat(error.get("correlation_id").asText()).isEqualTo(r.header("X-Correlation-ID"));
    }

    @Test
    void aWrongMethodAnswers405WithTheEnvelopeAndAllow() throws Exception {
        Response track = service.get("/api/lineage/track/batch");
        assertThat(track.status()).isEqualTo(405);
        assertThat(track.header("Allow")).isEqualTo("POST");
        assertThat(Json.mapper().readTree(track.body()).at("/error/code").asText()).isEqualTo("METHOD_NOT_ALLOWED");

        Response jobs = service.send(HttpRequest.newBuilder(service.uri("/api/admin/jobs")).DELETE());
        assertThat(jobs.status()).isEqualTo(405);
        assertThat(jobs.header("Allow")).isEqualTo("GET");

        // a path template: {name} matches any job
        Response run = service.get("/api/admin/jobs/backup/run");
        assertThat(run.status()).isEqualTo(405);
        assertThat(run.header("Allow")).isEqualTo("POST");
        assertThat(run.body()).contains("GET is not served on /api/admin/jobs/backup/run; allowed: POST");
    }

    @Test
    void anAcceptTheEndpointCannotAnswerIs406NotA405() throws Exception {
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/health"))
                .header("Accept", "text/plain").GET());
        assertThat(r.status()).as(r.body()).isEqualTo(406);
        JsonNode error = Json.mapper().readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("NOT_ACCEPTABLE");
        assertThat(error.get("details").get("field").asText()).isEqualTo("Accept");
        assertThat(error.get("message").asText()).contains("application/json", "text/plain");
        assertThat(r.header("Allow")).isNull();
    }

    @Test
    void theCorrelationIdIsEchoedOnEveryEndpoint() throws Exception {
        for (String path : List.of("/health", "/api/lineage/health", "/api/analytics/health", "/api/admin/jobs",
                "/api/admin/jobs/backup/runs", "/api/openapi.json", "/api/nothing-here")) {
            String given = "corr-" + UUID.randomUUID();
            Response r = service.send(HttpRequest.newBuilder(service.uri(path)).header("X-Correlation-ID", given)
                    .GET());
            assertThat(r.header("X-Correlation-ID")).as(path).isEqualTo(given);
            Response fresh = service.get(path);
            assertThat(UUID.fromString(fresh.header("X-Correlation-ID"))).as(path).isNotNull();
        }
        // an error answered by a route: the envelope carries the same id as the header
        String given = "corr-" + UUID.randomUUID();
        Response bad = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json").header("X-Correlation-ID", given)
                .POST(HttpRequest.BodyPublishers.ofString("{\"event_type\":\"pattern_created\"}")));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.header("X-Correlation-ID")).isEqualTo(given);
        assertThat(Json.mapper().readTree(bad.body()).at("/error/correlation_id").asText()).isEqualTo(given);
        Response limit = service.get("/api/admin/jobs/backup/runs?limit=zero");
        assertThat(limit.status()).isEqualTo(400);
        assertThat(Json.mapper().readTree(limit.body()).at("/error/correlation_id").asText())
                .isEqualTo(limit.header("X-Correlation-ID"));
        assertThat(limit.body()).contains("\"field\":\"limit\"");
    }

    @Test
    void theRunbooksConnectionQueryFindsTheServicesConnections() throws Exception {
        String name = db.substring(db.lastIndexOf('/') + 1);
        assertThat(TestPostgres.count(db, "SELECT count(*) FROM pg_stat_activity WHERE datname = '" + name
                + "' AND application_name LIKE '%intelligence%'")).isPositive();
    }

    @Test
    void theInboxBacklogGaugeIsANumberAfterAGarbageCollection() {
        System.gc();
        String metrics = service.get("/observe/metrics").body();
        assertThat(metrics).contains("ingest_inbox_files{inbox=\"lineage\"} 0.0",
                "ingest_inbox_files{inbox=\"executions\"} 0.0");
    }

    @Test
    void aDroppedContractTableAnswers503SchemaMissingNamingIt() throws Exception {
        String dropped = TestPostgres.server().createDatabase();
        try (RunningService other = RunningService.onExternal(dropped, RunningService.props())) {
            TestPostgres.execute(dropped, "DROP TABLE hook_executions CASCADE");
            Response r = other.send(HttpRequest.newBuilder(other.uri("/api/executions"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"pattern_name\":\"p\",\"status\":\"success\"}")));
            assertThat(r.status()).as(r.body()).isEqualTo(503);
            JsonNode error = Json.mapper().readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("SCHEMA_MISSING");
            assertThat(error.get("message").asText()).contains("table hook_executions is missing", "restore latest")
                    .doesNotContain("SELECT", "INSERT");
            Response health = other.get("/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.body()).contains("\"missing\":[\"hook_executions\"]");
            // the readers answer the same: the execution log's functions went with the table (CASCADE)
            for (String read : List.of("/api/executions", "/api/executions/summary?group_by=agent")) {
                Response r2 = other.get(read);
                assertThat(r2.status()).as(read + ": " + r2.body()).isEqualTo(503);
                assertThat(Json.mapper().readTree(r2.body()).at("/error/code").asText()).as(read)
                        .isEqualTo("SCHEMA_MISSING");
                assertThat(r2.body()).as(read).contains("hook_executions", "restore latest");
            }
        }
        String lineageDropped = TestPostgres.server().createDatabase();
        try (RunningService other = RunningService.onExternal(lineageDropped, RunningService.props())) {
            JsonNode created = Json.mapper().readTree(other.send(HttpRequest.newBuilder(other.uri("/api/lineage/track"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"event_type\":\"pattern_created\",\"pattern_name\":\"edges-dropped\"}"))).body());
            String pattern = created.get("pattern_id").asText();
            String node = created.get("node_id").asText();
            TestPostgres.execute(lineageDropped, "DROP TABLE lineage_edges CASCADE");
            for (String read : List.of("/api/lineage/" + pattern, "/api/lineage/" + pattern + "/ancestors/" + node,
                    "/api/lineage/" + pattern + "/descendants/" + node)) {
                Response r = other.get(read);
                assertThat(r.status()).as(read + ": " + r.body()).isEqualTo(503);
                assertThat(Json.mapper().readTree(r.body()).at("/error/code").asText()).as(read)
                        .isEqualTo("SCHEMA_MISSING");
            }
        }
    }
}
