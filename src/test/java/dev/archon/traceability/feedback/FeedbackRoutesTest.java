package dev.archon.traceability.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.archon.traceability.support.RouteTestSupport;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route-level tests (camel-test-junit5 for Camel Main) of routes/feedback-loop.yaml and routes/feedback-api.yaml: the
 * real configuration classes and routes against a real database, driven through the routes' direct: and seda:
 * endpoints rather than HTTP.
 */
class FeedbackRoutesTest extends RouteTestSupport {

    private static String db;
    private static UUID pattern;
    private static UUID v1;
    private static UUID v2;

    @BeforeAll
    static void seed() throws Exception {
        db = TestPostgres.server().createDatabase();
        // the service's migrations create the schema; a first start on the database does that
        try (RunningService ignored = RunningService.onExternal(db, RunningService.props())) {
            pattern = UUID.randomUUID();
            v1 = UUID.randomUUID();
            v2 = UUID.randomUUID();
            TestPostgres.execute(db, "INSERT INTO lineage_nodes (node_id, pattern_id, version_number, parent_node_id,"
                    + " pattern_name) VALUES ('" + v1 + "', '" + pattern + "', 1, NULL, 'routes'),"
                    + " ('" + v2 + "', '" + pattern + "', 2, '" + v1 + "', 'routes')");
            TestPostgres.execute(db, "SELECT refresh_lineage_patterns(ARRAY['" + pattern + "'::uuid], NULL, NULL)");
            FeedbackSeed.executions(db, pattern, v1, 40, 120, 30, 1.7, 0);
            FeedbackSeed.executions(db, pattern, v2, 40, 80, 25, 1.3, 0);
            TestPostgres.execute(db, "INSERT INTO pattern_feedback (feedback_id, pattern_id, rating, sentiment,"
                    + " feedback_type, created_at) VALUES ('" + UUID.randomUUID() + "', '" + pattern + "', 5,"
                    + " 'positive', 'performance', now()), ('" + UUID.randomUUID() + "', '" + pattern + "', 2,"
                    + " 'negative', 'quality', now())");
        }
    }

    @AfterAll
    static void drop() {
        FeedbackSeed.drop(db);
    }

    @Override
    protected String routeFiles() {
        return "file:routes/feedback-loop.yaml,file:routes/feedback-api.yaml,file:routes/http.yaml";
    }

    @Override
    protected String database() {
        return db;
    }

    @Override
    protected Properties useOverridePropertiesWithPropertiesComponent() {
        Properties p = super.useOverridePropertiesWithPropertiesComponent();
        p.put("traceability.jobs.health-check.enabled", "false");
        return p;
    }

    @Test
    void theWorkflowRouteRunsTheStagesTheYamlNamesInTheOrderOfStage() throws Exception {
        JsonNode routes = new YAMLMapper().readTree(Path.of("routes/feedback-loop.yaml").toFile());
        JsonNode steps = null;
        for (JsonNode r : routes) {
            if (r.has("route") && r.get("route").get("id").asText().equals("feedback-workflow")) {
                steps = r.at("/route/from/steps/0/doTry/steps");
            }
        }
        assertThat(steps).isNotNull();
        assertThat(steps.get(0).at("/bean/method").asText()).isEqualTo("begin");
        List<String> stages = new ArrayList<>();
        for (JsonNode s : steps.get(1).at("/filter/steps")) {
            stages.add(s.at("/bean/method").asText());
        }
        assertThat(stages).isEqualTo(Arrays.stream(Stage.values()).map(Stage::wireName).toList());
        assertThat(steps.get(0).at("/bean/ref").asText()).isEqualTo("feedbackLoop");
    }

    @Test
    void theTriggerRouteAnswers202AndTheWorkflowRouteRunsItToTheEnd() throws Exception {
        Exchange answer = template.request("direct:feedback-loop-trigger", e -> {
            e.getMessage().setHeader("Content-Type", "application/json");
            e.getMessage().setBody(("{\"pattern_id\":\"" + pattern + "\"}").getBytes(StandardCharsets.UTF_8));
        });
        assertThat(answer.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(202);
        String id = json(answer).get("workflow_id").asText();
        await().atMost(Duration.ofSeconds(60)).until(() -> !TestPostgres.strings(db,
                "SELECT status FROM feedback_workflows WHERE workflow_id = '" + id + "'").get(0).equals("running"));
        assertThat(TestPostgres.strings(db, "SELECT status || ' ' || (results->>'outcome') FROM feedback_workflows"
                + " WHERE workflow_id = '" + id + "'")).containsExactly("completed applied");
        assertThat(TestPostgres.strings(db, "SELECT stage || ' ' || status FROM feedback_workflow_stages"
                + " WHERE workflow_id = '" + id + "' ORDER BY position")).containsExactly("collect completed",
                "analyze completed", "generate completed", "validate completed", "apply completed",
                "track completed");

        // the same id sent again to the workflow route: it has ended, nothing runs or changes
        String stagesBefore = TestPostgres.strings(db, "SELECT string_agg(finished_at::text, ',' ORDER BY position)"
                + " FROM feedback_workflow_stages WHERE workflow_id = '" + id + "'").get(0);
        template.sendBody("seda:feedback-workflows", UUID.fromString(id));
        template.sendBody("seda:feedback-workflows", UUID.randomUUID()); // no such workflow: nothing either
        Thread.sleep(500);
        assertThat(TestPostgres.strings(db, "SELECT string_agg(finished_at::text, ',' ORDER BY position)"
                + " FROM feedback_workflow_stages WHERE workflow_id = '" + id + "'")).containsExactly(stagesBefore);

        // its proposal, through the proposals route (rest -> parameters -> sql: -> answer)
        Exchange proposals = template.request("direct:feedback-loop-proposals", e -> {
            e.getMessage().setHeader("pattern_id", pattern.toString());
            e.getMessage().setHeader("status", "applied");
        });
        JsonNode list = json(proposals);
        assertThat(list.get("count").asInt()).isEqualTo(1);
        assertThat(list.at("/proposals/0/workflow_id").asText()).isEqualTo(id);
        assertThat(list.at("/proposals/0/metric").asText()).isEqualTo("duration");
        assertThat(list.at("/proposals/0/test/test").asText()).isEqualTo("welch_t_test");
        assertThat(list.get("next_cursor").isNull()).isTrue();
    }

    @Test
    void theFeedbackPageRouteRunsItsTwoQueries() throws Exception {
        Exchange page = template.request("direct:feedback-page", e -> e.getMessage().setHeader("pattern_id",
                pattern.toString()));
        JsonNode answer = json(page);
        assertThat(answer.at("/aggregates/count").asInt()).isEqualTo(2);
        assertThat(answer.at("/aggregates/average_rating").asDouble()).isEqualTo(3.5);
        assertThat(answer.at("/aggregates/sentiment/negative").asInt()).isEqualTo(1);
        assertThat(answer.get("feedback")).hasSize(2);
        Exchange typed = template.request("direct:feedback-page", e -> {
            e.getMessage().setHeader("pattern_id", pattern.toString());
            e.getMessage().setHeader("feedback_type", "quality");
        });
        assertThat(json(typed).at("/aggregates/count").asInt()).isEqualTo(1);
        Exchange bad = template.request("direct:feedback-page", e -> e.getMessage().setHeader("pattern_id", "x"));
        assertThat(bad.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
    }
}
