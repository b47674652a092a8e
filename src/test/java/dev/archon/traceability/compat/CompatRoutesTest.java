package dev.archon.traceability.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.lineage.PatternIds;
import dev.archon.traceability.support.RouteTestSupport;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route-level tests (camel-test-junit5 for Camel Main) of routes/compat-api.yaml's declarative routes: the execution
 * logs and summary (rest -> our SQL functions -> the as-built shape) and a lineage read, with the real configuration
 * classes against a real database, driven through the routes' direct: endpoints; errors through compat-errors.
 */
class CompatRoutesTest extends RouteTestSupport {

    private static String db;
    private static final String CORRELATION = UUID.randomUUID().toString();
    private static final String SESSION = UUID.randomUUID().toString();
    private static final String EXTERNAL = "routes-" + UUID.randomUUID();

    @BeforeAll
    static void seed() throws Exception {
        db = TestPostgres.server().createDatabase();
        try (RunningService ignored = RunningService.onExternal(db, RunningService.props())) {
            UUID pattern = PatternIds.fromExternalId(EXTERNAL);
            UUID node = UUID.randomUUID();
            TestPostgres.execute(db, "INSERT INTO lineage_nodes (node_id, pattern_id, version_number, pattern_name,"
                    + " pattern_type, correlation_id, external_pattern_id, external_version) VALUES ('" + node + "', '"
                    + pattern + "', 1, 'routes.py', 'code', '" + CORRELATION + "', '" + EXTERNAL + "', '1.0.0')");
            TestPostgres.execute(db, "INSERT INTO hook_executions (execution_id, pattern_id, node_id, session_id,"
                    + " correlation_id, agent, status, duration_ms, quality_score, started_at, metadata) VALUES"
                    + " ('" + UUID.randomUUID() + "', '" + pattern + "', '" + node + "', '" + SESSION + "', '"
                    + CORRELATION + "', 'planner', 'success', 120, 0.75, now() - interval '1 minute',"
                    + " '{\"user_prompt\":\"refactor\",\"agent_config\":{\"model\":\"m\"}}'),"
                    + " ('" + UUID.randomUUID() + "', '" + pattern + "', NULL, NULL, NULL, 'planner', 'timeout', NULL,"
                    + " NULL, now(), '{}')");
        }
    }

    @Override
    protected String routeFiles() {
        return "file:routes/compat-api.yaml,file:routes/compat-http.yaml";
    }

    @Override
    protected String database() {
        return db;
    }

    private Exchange call(String route, Map<String, Object> headers) {
        return template.request("direct:" + route, e -> e.getMessage().getHeaders().putAll(headers));
    }

    @Test
    void executionLogsJoinTheirCorrelationIdsLineage() throws Exception {
        Exchange e = call("compat-executions-logs", Map.of("correlation_id", CORRELATION, "limit", "5"));
        assertThat(e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(200);
        JsonNode answer = json(e);
        assertThat(answer.get("count").asInt()).isEqualTo(1);
        JsonNode execution = answer.at("/executions/0");
        assertThat(execution.get("session_id").asText()).isEqualTo(SESSION);
        assertThat(execution.get("agent_name").asText()).isEqualTo("planner");
        assertThat(execution.get("user_prompt").asText()).isEqualTo("refactor");
        assertThat(execution.at("/agent_config/model").asText()).isEqualTo("m");
        assertThat(execution.get("duration_ms").asLong()).isEqualTo(120);
        assertThat(execution.get("completed_at").asText()).endsWith("+00:00");
        assertThat(execution.get("pattern_count").asInt()).isEqualTo(1);
        assertThat(execution.at("/patterns/0/pattern_id").asText()).isEqualTo(EXTERNAL);

        JsonNode all = json(call("compat-executions-logs", Map.of("limit", "1")));
        assertThat(all.get("count").asInt()).isEqualTo(1);
        assertThat(all.at("/executions/0/status").asText()).isEqualTo("error"); // the timeout, newest
        assertThat(all.at("/executions/0/hook_status").asText()).isEqualTo("timeout");
    }

    @Test
    void executionLogParametersOutOfBoundsAre422() throws Exception {
        for (Map<String, Object> bad : java.util.List.<Map<String, Object>>of(Map.of("limit", "0"),
                Map.of("limit", "201"), Map.of("limit", "many"), Map.of("session_id", "s-1"))) {
            Exchange e = call("compat-executions-logs", bad);
            assertThat(e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).as(bad.toString()).isEqualTo(422);
            assertThat(json(e).at("/detail/0/loc/0").asText()).isEqualTo("query");
        }
    }

    @Test
    void theSummaryCountsPerAgent() throws Exception {
        JsonNode answer = json(call("compat-executions-summary", Map.of("agent_name", "planner")));
        assertThat(answer.get("summary")).hasSize(1);
        JsonNode planner = answer.at("/summary/0");
        assertThat(planner.get("total_executions").asInt()).isEqualTo(2);
        assertThat(planner.get("successful_executions").asInt()).isEqualTo(1);
        assertThat(planner.get("failed_executions").asInt()).isEqualTo(1);
        assertThat(planner.get("avg_duration_ms").asDouble()).isEqualTo(120.0);
        assertThat(json(call("compat-executions-summary", Map.of("agent_name", "nobody"))).get("summary")).isEmpty();
    }

    @Test
    void aLineageReadAnswersTheAsBuiltShapeOr404() throws Exception {
        JsonNode answer = json(call("compat-lineage-query", Map.of("pattern_id", EXTERNAL)));
        assertThat(answer.at("/data/ancestors/0/ancestor_pattern_id").asText()).isEqualTo(EXTERNAL);
        assertThat(answer.at("/data/total_ancestors").asInt()).isZero();
        Exchange unknown = call("compat-lineage-query", Map.of("pattern_id", "nope"));
        assertThat(unknown.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
        assertThat(json(unknown).get("detail").asText()).isEqualTo("Validation error: Pattern not found: nope");
    }
}
