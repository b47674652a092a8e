package dev.archon.traceability.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.support.RouteTestSupport;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route-level tests (camel-test-junit5 for Camel Main) of routes/lineage-api.yaml: the real configuration classes and
 * the real routes against a real database, driven through the routes' direct: endpoints rather than HTTP.
 */
class LineageRoutesTest extends RouteTestSupport {

    private static String db;
    private static UUID pattern;
    private static UUID other;
    private static UUID v1;
    private static UUID v2;
    private static UUID v3;

    @BeforeAll
    static void seed() throws Exception {
        db = TestPostgres.server().createDatabase();
        // the service's migrations create the schema; a first start on the database does that
        try (RunningService ignored = RunningService.onExternal(db, RunningService.props())) {
            pattern = UUID.randomUUID();
            other = UUID.randomUUID();
            v1 = UUID.randomUUID();
            v2 = UUID.randomUUID();
            v3 = UUID.randomUUID();
            TestPostgres.execute(db, "INSERT INTO lineage_nodes (node_id, pattern_id, version_number, parent_node_id,"
                    + " pattern_name, performance_baseline) VALUES"
                    + " ('" + v1 + "', '" + pattern + "', 1, NULL, 'retry', '{\"p95_ms\": 40}'),"
                    + " ('" + v2 + "', '" + pattern + "', 2, '" + v1 + "', 'retry', '{\"p95_ms\": 30}'),"
                    + " ('" + v3 + "', '" + other + "', 1, NULL, 'other', NULL)");
            TestPostgres.execute(db, "INSERT INTO lineage_edges (source_node_id, target_node_id, edge_type, metadata)"
                    + " VALUES ('" + v1 + "', '" + v2 + "', 'IMPROVED_VERSION', '{\"performance_delta\": -0.25}')");
        }
    }

    @Override
    protected String routeFiles() {
        return "file:routes/lineage-api.yaml,file:routes/http.yaml";
    }

    @Override
    protected String database() {
        return db;
    }

    private Exchange path(String patternId, String nodeId) {
        return template.request("direct:lineage-path", e -> {
            e.getMessage().setHeader("pattern_id", patternId);
            e.getMessage().setHeader("node_id", nodeId);
        });
    }

    @Test
    void thePathRouteAnswersTheRowsOfGetLineagePathRootFirst() throws Exception {
        JsonNode answer = json(path(pattern.toString(), v2.toString()));
        assertThat(answer.get("pattern_id").asText()).isEqualTo(pattern.toString());
        assertThat(answer.get("node_id").asText()).isEqualTo(v2.toString());
        JsonNode steps = answer.get("path");
        assertThat(steps).hasSize(2);
        assertThat(steps.get(0).get("node_id").asText()).isEqualTo(v1.toString());
        assertThat(steps.get(0).get("version_number").asInt()).isEqualTo(1);
        assertThat(steps.get(0).get("performance_baseline").get("p95_ms").asInt()).isEqualTo(40);
        assertThat(steps.get(0).get("improvement_from_parent").isNull()).isTrue();
        assertThat(steps.get(1).get("improvement_from_parent").get("performance_delta").asDouble()).isEqualTo(-0.25);
        assertThat(steps.get(1).get("created_at").asText()).endsWith("Z");
        // the same as the function, row for row
        List<String> function = TestPostgres.strings(db, "SELECT node_id::text FROM get_lineage_path('" + v2 + "')");
        assertThat(List.of(steps.get(0).get("node_id").asText(), steps.get(1).get("node_id").asText()))
                .isEqualTo(function);
    }

    @Test
    void badAndUnknownParametersAnswerTheEnvelope() throws Exception {
        Exchange bad = path(pattern.toString(), "nope");
        assertThat(bad.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(json(bad).at("/error/details/field").asText()).isEqualTo("node_id");

        Exchange unknownPattern = path(UUID.randomUUID().toString(), v1.toString());
        assertThat(unknownPattern.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
        assertThat(json(unknownPattern).at("/error/code").asText()).isEqualTo("INVALID_PATTERN_ID");

        Exchange foreign = path(pattern.toString(), v3.toString());
        assertThat(foreign.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
        assertThat(json(foreign).at("/error/code").asText()).isEqualTo("INVALID_NODE_ID");
        assertThat(json(foreign).at("/error/message").asText()).contains("is a version of pattern " + other);

        Exchange unknownNode = path(pattern.toString(), UUID.randomUUID().toString());
        assertThat(json(unknownNode).at("/error/code").asText()).isEqualTo("INVALID_NODE_ID");
        assertThat(unknownNode.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(404);
    }
}
