package dev.archon.traceability.executions;

import static dev.archon.traceability.executions.ExecutionLogFixture.E1;
import static dev.archon.traceability.executions.ExecutionLogFixture.E2;
import static dev.archon.traceability.executions.ExecutionLogFixture.E3;
import static dev.archon.traceability.executions.ExecutionLogFixture.E4;
import static dev.archon.traceability.executions.ExecutionLogFixture.E5;
import static dev.archon.traceability.executions.ExecutionLogFixture.E6;
import static dev.archon.traceability.executions.ExecutionLogFixture.E7;
import static dev.archon.traceability.executions.ExecutionLogFixture.E8;
import static dev.archon.traceability.executions.ExecutionLogFixture.N1;
import static dev.archon.traceability.executions.ExecutionLogFixture.N3;
import static dev.archon.traceability.executions.ExecutionLogFixture.NEWEST_FIRST;
import static dev.archon.traceability.executions.ExecutionLogFixture.P1;
import static dev.archon.traceability.executions.ExecutionLogFixture.P2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.support.RouteTestSupport;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.TestPostgres;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Route-level tests (camel-test-junit5 for Camel Main) of routes/executions-api.yaml: the real configuration classes
 * and routes against a real database holding {@link ExecutionLogFixture}, driven through the routes' direct:
 * endpoints with the query parameters as headers. Every expected figure is worked out by hand from the fixture's
 * table.
 */
class ExecutionRoutesTest extends RouteTestSupport {

    private static String db;

    @BeforeAll
    static void seed() throws Exception {
        db = TestPostgres.server().createDatabase();
        // the service's migrations create the schema; a first start on the database does that
        try (RunningService ignored = RunningService.onExternal(db, RunningService.props())) {
            ExecutionLogFixture.insert(db);
        }
    }

    @Override
    protected String routeFiles() {
        return "file:routes/executions-api.yaml,file:routes/http.yaml";
    }

    @Override
    protected String database() {
        return db;
    }

    private Exchange call(String route, String... params) {
        return template.request(route, e -> {
            for (int i = 0; i < params.length; i += 2) {
                e.getMessage().setHeader(params[i], params[i + 1]);
            }
        });
    }

    private JsonNode page(String... params) throws Exception {
        return json(call("direct:executions-page", params));
    }

    private static List<UUID> ids(JsonNode page) {
        List<UUID> ids = new ArrayList<>();
        page.get("executions").forEach(row -> ids.add(UUID.fromString(row.get("execution_id").asText())));
        return ids;
    }

    @Test
    void theLogIsNewestFirstWithEveryColumn() throws Exception {
        JsonNode page = page();
        assertThat(ids(page)).isEqualTo(NEWEST_FIRST);
        assertThat(page.get("limit").asInt()).isEqualTo(100);
        assertThat(page.get("next_cursor").isNull()).isTrue();

        JsonNode e4 = page.get("executions").get(3);
        List<String> columns = new ArrayList<>();
        e4.fieldNames().forEachRemaining(columns::add);
        assertThat(columns).containsExactlyElementsOf(TestPostgres.strings(db, "SELECT column_name FROM"
                + " information_schema.columns WHERE table_name = 'hook_executions' ORDER BY ordinal_position"));
        assertThat(e4.get("pattern_id").asText()).isEqualTo(P2.toString());
        assertThat(e4.get("node_id").asText()).isEqualTo(N3.toString());
        assertThat(e4.get("status").asText()).isEqualTo("timeout");
        assertThat(e4.get("duration_ms").asDouble()).isEqualTo(40.0);
        assertThat(e4.get("quality_score").isNull()).isTrue();
        assertThat(e4.get("quality_gates_passed").asBoolean()).isTrue();
        assertThat(e4.get("started_at").asText()).isEqualTo("2026-04-01T00:00:00Z");
        assertThat(e4.get("error_message").asText()).isEqualTo("timeout of " + E4);
        // metadata is the JSON object itself, not a string holding it
        assertThat(e4.get("metadata").isObject()).isTrue();
        assertThat(e4.get("metadata").get("n").get(1).asInt()).isEqualTo(2);
        // microseconds survive the round trip
        assertThat(page.get("executions").get(4).get("started_at").asText()).isEqualTo("2026-03-31T23:59:59.999999Z");
    }

    @Test
    void eachFilterAndTheirCombinations() throws Exception {
        Map<List<String>, List<UUID>> expected = new LinkedHashMap<>();
        expected.put(List.of("pattern_id", P1.toString()), List.of(E7, E3, E2, E1));
        expected.put(List.of("node_id", N3.toString()), List.of(E5, E4));
        expected.put(List.of("node_id", N1.toString()), List.of(E2, E1));
        expected.put(List.of("session_id", "s2"), List.of(E4, E3));
        expected.put(List.of("correlation_id", "c1"), List.of(E2, E1));
        expected.put(List.of("agent", "coder"), List.of(E5, E2, E1));
        expected.put(List.of("status", "failure"), List.of(E6, E2));
        expected.put(List.of("status", "TIMEOUT"), List.of(E4, E8));
        expected.put(List.of("since", "2026-04-01T00:00:00Z"), List.of(E7, E6, E5, E4));
        expected.put(List.of("since", "2026-04-01T02:00:00+02:00"), List.of(E7, E6, E5, E4));
        expected.put(List.of("until", "2026-04-01T00:00:00Z"), List.of(E3, E2, E1, E8));
        expected.put(List.of("since", "2026-03-10T11:00:00Z", "until", "2026-04-02T08:00:00Z"), List.of(E4, E3, E2));
        expected.put(List.of("pattern_id", P2.toString(), "status", "failure"), List.of(E6));
        expected.put(List.of("agent", "reviewer", "status", "timeout", "session_id", "s2"), List.of(E4));
        expected.put(List.of("agent", "tester", "since", "2026-01-01T00:00:00Z"), List.of(E7));
        expected.put(List.of("agent", "nobody"), List.of());
        expected.put(List.of("session_id", "s1", "correlation_id", "c3", "pattern_id", P1.toString()), List.of(E7));
        // an empty value is no filter
        expected.put(List.of("agent", "", "status", ""), NEWEST_FIRST);
        for (Map.Entry<List<String>, List<UUID>> e : expected.entrySet()) {
            assertThat(ids(page(e.getKey().toArray(String[]::new)))).as(e.getKey().toString())
                    .isEqualTo(e.getValue());
        }
    }

    @Test
    void pagesFollowTheCursorWithoutLossOrRepeat() throws Exception {
        JsonNode first = page("limit", "3");
        assertThat(ids(first)).containsExactly(E7, E6, E5);
        JsonNode second = page("limit", "3", "after", first.get("next_cursor").asText());
        // E6 and E5 share started_at: the cursor after E5 must not repeat E6 nor skip anything
        assertThat(ids(second)).containsExactly(E4, E3, E2);
        JsonNode third = page("limit", "3", "after", second.get("next_cursor").asText());
        assertThat(ids(third)).containsExactly(E1, E8);
        assertThat(third.get("next_cursor").isNull()).isTrue();

        // a page ending exactly at the last row says there is no next page
        JsonNode whole = page("limit", "4");
        JsonNode rest = page("limit", "4", "after", whole.get("next_cursor").asText());
        assertThat(ids(rest)).containsExactly(E3, E2, E1, E8);
        assertThat(rest.get("next_cursor").isNull()).isTrue();

        // a cursor between the two rows sharing a time: only the older of them follows
        JsonNode afterE6 = page("limit", "1", "after", page("limit", "2").get("next_cursor").asText());
        assertThat(ids(afterE6)).containsExactly(E5);

        // filters and cursor together
        JsonNode p1 = page("pattern_id", P1.toString(), "limit", "2");
        assertThat(ids(p1)).containsExactly(E7, E3);
        assertThat(ids(page("pattern_id", P1.toString(), "limit", "2", "after", p1.get("next_cursor").asText())))
                .containsExactly(E2, E1);
    }

    @Test
    void theSummaryPerAgentIsTheHandComputedOne() throws Exception {
        JsonNode s = json(call("direct:executions-summary", "group_by", "agent", "since", "2026-03-01T00:00:00Z",
                "until", "2026-05-01T00:00:00Z"));
        assertThat(s.get("group_by").asText()).isEqualTo("agent");
        assertThat(s.get("since").asText()).isEqualTo("2026-03-01T00:00:00Z");
        assertThat(s.get("until").asText()).isEqualTo("2026-05-01T00:00:00Z");
        assertThat(s.get("total_groups").asInt()).isEqualTo(4);
        assertThat(s.get("truncated").asBoolean()).isFalse();
        assertThat(s.get("max_groups").asInt()).isEqualTo(1000);
        JsonNode g = s.get("groups");
        assertThat(g).hasSize(4);
        // coder: E1 (success, 10, 0.9), E2 (failure, 20, 0.5), E5 (success, 50, 0.7)
        group(g.get(0), "coder", 3, 2, 1, 0, (10 + 20 + 50) / 3.0, (0.9 + 0.5 + 0.7) / 3, "2026-04-02T08:00:00Z");
        // reviewer: E3 (success, 30, 0.8), E4 (timeout, 40, no quality): the average skips the missing score
        group(g.get(1), "reviewer", 2, 1, 0, 1, 35.0, 0.8, "2026-04-01T00:00:00Z");
        // tester: E7 only; E8 (2020) is outside the window. Ties on count: by key, the missing agent last
        group(g.get(2), "tester", 1, 1, 0, 0, 70.0, 1.0, "2026-04-05T00:00:00Z");
        group(g.get(3), null, 1, 0, 1, 0, null, null, "2026-04-02T08:00:00Z");
    }

    @Test
    void theSummaryPerPatternHookTypeAndProject() throws Exception {
        JsonNode pattern = json(call("direct:executions-summary", "group_by", "pattern", "since",
                "2026-03-01T00:00:00Z", "until", "2026-05-01T00:00:00Z")).get("groups");
        assertThat(pattern).hasSize(2);
        // P1: E1, E2, E3, E7; P2: E4, E5, E6
        group(pattern.get(0), P1.toString(), 4, 3, 1, 0, (10 + 20 + 30 + 70) / 4.0, (0.9 + 0.5 + 0.8 + 1.0) / 4,
                "2026-04-05T00:00:00Z");
        group(pattern.get(1), P2.toString(), 3, 1, 1, 1, (40 + 50) / 2.0, 0.7, "2026-04-02T08:00:00Z");

        // all time: E8 counts too
        JsonNode hookType = json(call("direct:executions-summary", "group_by", "hook_type", "since",
                "2000-01-01T00:00:00Z")).get("groups");
        // post: E2, E3, E4; pre: E1, E5, E7; stop: E8; none: E6
        assertThat(hookType).hasSize(4);
        group(hookType.get(0), "post", 3, 1, 1, 1, (20 + 30 + 40) / 3.0, (0.5 + 0.8) / 2, "2026-04-01T00:00:00Z");
        group(hookType.get(1), "pre", 3, 3, 0, 0, (10 + 50 + 70) / 3.0, (0.9 + 0.7 + 1.0) / 3, "2026-04-05T00:00:00Z");
        group(hookType.get(2), "stop", 1, 0, 0, 1, 80.0, 0.2, "2020-01-01T00:00:00Z");
        group(hookType.get(3), null, 1, 0, 1, 0, null, null, "2026-04-02T08:00:00Z");

        JsonNode project = json(call("direct:executions-summary", "group_by", "project", "since",
                "2026-04-01T00:00:00Z", "until", "2026-04-02T08:00:00Z")).get("groups");
        // only E4 (beta) is in [04-01 00:00, 04-02 08:00)
        assertThat(project).hasSize(1);
        group(project.get(0), "beta", 1, 0, 0, 1, 40.0, null, "2026-04-01T00:00:00Z");
    }

    private static void group(JsonNode g, String key, int count, int success, int failure, int timeout,
                              Double avgDuration, Double avgQuality, String last) {
        assertThat(g.get("key").isNull() ? null : g.get("key").asText()).isEqualTo(key);
        assertThat(g.get("count").asInt()).as(key + " count").isEqualTo(count);
        assertThat(g.get("success_count").asInt()).as(key + " success").isEqualTo(success);
        assertThat(g.get("failure_count").asInt()).as(key + " failure").isEqualTo(failure);
        assertThat(g.get("timeout_count").asInt()).as(key + " timeout").isEqualTo(timeout);
        if (avgDuration == null) {
            assertThat(g.get("avg_duration_ms").isNull()).as(key + " avg duration").isTrue();
        } else {
            assertThat(g.get("avg_duration_ms").asDouble()).as(key + " avg duration").isCloseTo(avgDuration,
                    within(1e-9));
        }
        if (avgQuality == null) {
            assertThat(g.get("avg_quality_score").isNull()).as(key + " avg quality").isTrue();
        } else {
            assertThat(g.get("avg_quality_score").asDouble()).as(key + " avg quality").isCloseTo(avgQuality,
                    within(1e-9));
        }
        assertThat(g.get("last_execution_at").asText()).as(key + " last").isEqualTo(last);
    }

    @Test
    void badParametersAnswer400NamingThem() throws Exception {
        Exchange limit = call("direct:executions-page", "limit", "501");
        assertThat(limit.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(json(limit).at("/error/details/field").asText()).isEqualTo("limit");
        assertThat(json(limit).at("/error/message").asText()).contains("from 1 to 500");

        Exchange groupBy = call("direct:executions-summary", "group_by", "user");
        assertThat(groupBy.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(400);
        assertThat(json(groupBy).at("/error/details/field").asText()).isEqualTo("group_by");
        assertThat(json(groupBy).at("/error/message").asText()).contains("agent, pattern, hook_type, project");
    }
}
