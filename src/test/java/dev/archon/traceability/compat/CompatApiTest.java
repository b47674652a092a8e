package dev.archon.traceability.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.lineage.PatternIds;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The as-built API over real HTTP against the real service and PostgreSQL: the as-built service's documented flows,
 * each lenient difference of the README's compatibility section, payloads as hooks send them, and one pattern seen
 * through both APIs. The request shapes of every real client are replayed in {@link CompatClientsTest}.
 */
class CompatApiTest {

    private static String db;
    private static RunningService service;
    private static CompatClient client;

    @BeforeAll
    static void start() {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props());
        client = new CompatClient(service);
    }

    @AfterAll
    static void stop() {
        service.close();
        TestPostgres.server().dropDatabaseAt(db);
    }

    static String hex16() {
        byte[] b = new byte[8];
        ThreadLocalRandom.current().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    static String created(String id, String code) {
        return """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_name":"%s.py","pattern_type":"code",
                 "pattern_version":"1.0.0","pattern_data":{"code":%s,"language":"python"},"triggered_by":"test"}"""
                .formatted(id, id, Json.write(code));
    }

    static long count(String sql) throws Exception {
        return TestPostgres.count(db, sql);
    }

    // ----------------------------------------------------------------------------- the as-built documented flows

    @Test
    void trackThenQueryAncestryThenEvolutionThenAnalytics() throws Exception {
        String parent = "async_db_writer_v1-" + hex16();
        String child = "async_db_writer_v2-" + hex16();
        JsonNode created = client.ok("/lineage/track", created(parent, "async def write(): pass"));
        assertThat(created.get("success").asBoolean()).isTrue();
        assertThat(created.at("/data/pattern_id").asText()).isEqualTo(parent);
        assertThat(created.at("/data/lineage_id").asText()).isEqualTo(PatternIds.fromExternalId(parent).toString());
        assertThat(created.at("/metadata/operation").asText()).isEqualTo("track_creation");
        assertThat(created.at("/data/created_at").asText()).endsWith("+00:00");

        JsonNode modified = client.ok("/lineage/track", """
                {"event_type":"pattern_modified","pattern_id":"%s","pattern_name":"writer v2","pattern_version":"2.0.0",
                 "parent_pattern_ids":["%s"],"edge_type":"modified_from","transformation_type":"enhancement",
                 "pattern_data":{"code":"async def write(batch): pass"},"reason":"batching"}""".formatted(child, parent));
        assertThat(modified.at("/data/generation").asInt()).isEqualTo(1); // a new pattern_id: its own version 1
        assertThat(modified.at("/metadata/operation").asText()).isEqualTo("track_modification");

        JsonNode ancestry = client.okGet("/lineage/" + child + "?query_type=ancestry");
        assertThat(ancestry.at("/data/ancestry_depth").asInt()).isEqualTo(1);
        assertThat(ancestry.at("/data/total_ancestors").asInt()).isEqualTo(1);
        JsonNode ancestors = ancestry.at("/data/ancestors");
        assertThat(ancestors.get(0).get("ancestor_pattern_id").asText()).isEqualTo(child);
        assertThat(ancestors.get(0).get("edge_type").isNull()).isTrue();
        assertThat(ancestors.get(1).get("ancestor_pattern_id").asText()).isEqualTo(parent);
        assertThat(ancestors.get(1).get("edge_type").asText()).isEqualTo("modified_from");
        assertThat(ancestry.at("/metadata/query_type").asText()).isEqualTo("ancestry");

        JsonNode descendants = client.okGet("/lineage/" + parent + "?query_type=descendants");
        assertThat(descendants.at("/data/total_descendants").asInt()).isEqualTo(1);
        assertThat(descendants.at("/data/descendants/0/descendant_pattern_id").asText()).isEqualTo(child);
        assertThat(descendants.at("/data/descendants/0/transformation_type").asText()).isEqualTo("enhancement");

        JsonNode evolution = client.okGet("/lineage/" + parent + "/evolution");
        assertThat(evolution.at("/data/total_versions").asInt()).isEqualTo(1);
        assertThat(evolution.at("/data/evolution_nodes/0/version").asText()).isEqualTo("1.0.0");
        assertThat(evolution.at("/data/evolution_edges/0/target_pattern_id").asText()).isEqualTo(child);
        assertThat(evolution.at("/data/evolution_edges/0/edge_weight").asDouble()).isEqualTo(1.0);

        JsonNode analytics = client.ok("/analytics/compute", """
                {"pattern_id":"%s","time_window_type":"weekly"}""".formatted(parent));
        assertThat(analytics.at("/usage_metrics/total_executions").asInt()).isZero();
        assertThat(analytics.at("/success_metrics/success_rate").isNumber()).isTrue();
        assertThat(analytics.at("/success_metrics/avg_quality_score").isNumber()).isTrue();
        assertThat(analytics.at("/trend_analysis/trend_type").asText()).isEqualTo("emerging");
        assertThat(analytics.get("performance_metrics").has("p95_execution_time_ms")).isTrue();
    }

    @Test
    void aBatchOfACreationAndTenModificationsIsAppliedInOrder() throws Exception {
        String id = "batch-" + hex16();
        StringBuilder events = new StringBuilder(created(id, "v1"));
        for (int i = 2; i <= 11; i++) {
            events.append(",").append("""
                    {"event_type":"pattern_modified","pattern_id":"%s","pattern_version":"1.%d.0",
                     "parent_pattern_ids":["%s"],"pattern_data":{"code":"v%d"}}""".formatted(id, i, id, i));
        }
        JsonNode batch = client.ok("/lineage/track/batch", "{\"events\":[" + events + "],\"processing_mode\":"
                + "\"parallel\"}");
        assertThat(batch.get("success").asBoolean()).isTrue();
        assertThat(batch.at("/batch_summary/total_events").asInt()).isEqualTo(11);
        assertThat(batch.at("/batch_summary/successful_events").asInt()).isEqualTo(11);
        assertThat(batch.at("/batch_summary/failed_events").asInt()).isZero();
        assertThat(batch.at("/batch_summary/requested_processing_mode").asText()).isEqualTo("parallel");
        assertThat(batch.get("failed_results").isNull()).isTrue();
        assertThat(batch.at("/successful_results/10/data/generation").asInt()).isEqualTo(11);
        assertThat(count("SELECT count(*) FROM lineage_nodes WHERE external_pattern_id = '" + id + "'"))
                .isEqualTo(11);
        assertThat(TestPostgres.strings(db, "SELECT external_version FROM lineage_nodes WHERE external_pattern_id = '"
                + id + "' ORDER BY version_number")).startsWith("1.0.0", "1.2.0").endsWith("1.11.0");
        JsonNode evolution = client.okGet("/lineage/" + id + "/evolution");
        assertThat(evolution.at("/data/total_versions").asInt()).isEqualTo(11);
        assertThat(evolution.at("/metadata/total_edges").asInt()).isEqualTo(10);
    }

    @Test
    void aDuplicateCreationAnswers200AlreadyExists() throws Exception {
        String id = hex16();
        JsonNode first = client.ok("/lineage/track", created(id, "print('x')"));
        JsonNode again = client.ok("/lineage/track", created(id, "print('x')"));
        assertThat(again.get("success").asBoolean()).isTrue();
        assertThat(again.at("/data/status").asText()).isEqualTo("already_exists");
        assertThat(again.at("/data/pattern_node_id").asText()).isEqualTo(first.at("/data/pattern_node_id").asText());
        assertThat(count("SELECT count(*) FROM lineage_nodes WHERE external_pattern_id = '" + id + "'")).isEqualTo(1);
    }

    @Test
    void statusCodesOfTheDocumentedFailures() {
        // invalid event type: 400
        JsonNode invalid = client.fails("/lineage/track", """
                {"event_type":"test_health_check","pattern_id":"x","pattern_data":{"code":"x"}}""", 400);
        assertThat(invalid.asText()).contains("test_health_check");
        // missing fields: 422 with pydantic's list
        JsonNode missing = client.fails("/lineage/track", "{\"pattern_name\":\"x\"}", 422);
        assertThat(missing.isArray()).isTrue();
        assertThat(missing.findValuesAsText("type")).contains("missing");
        assertThat(missing.toString()).contains("event_type", "pattern_id");
        // wrong type: 422, no int-to-string coercion
        assertThat(client.fails("/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":12}", 422)
                .get(0).get("loc").toString()).isEqualTo("[\"body\",\"pattern_id\"]");
        // null for a non-Optional field, and a body that is not JSON: 422
        client.fails("/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":\"a\",\"pattern_data\":null}",
                422);
        client.fails("/lineage/track", "{not json", 422);
        // creation without pattern_data, empty pattern_id, a merge with one parent: 400
        client.fails("/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":\"a\"}", 400);
        client.fails("/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":\"\","
                + "\"pattern_data\":{\"a\":1}}", 400);
        client.fails("/lineage/track", "{\"event_type\":\"pattern_merged\",\"pattern_id\":\"m\","
                + "\"parent_pattern_ids\":[\"a\"],\"pattern_data\":{\"a\":1}}", 400);
        // a modification naming a parent that does not exist: 400, as built
        assertThat(client.fails("/lineage/track", "{\"event_type\":\"pattern_modified\",\"pattern_id\":\"c-"
                + hex16() + "\",\"parent_pattern_ids\":[\"nope-parent\"],\"pattern_data\":{\"a\":1}}", 400).asText())
                .isEqualTo("Validation error: Parent pattern not found: nope-parent");
        // limit 500 on execution logs, an invalid time window, time_window_days 0: 422
        Response logs = client.get(CompatClient.PREFIX + "/executions/logs?limit=500");
        assertThat(logs.status()).isEqualTo(422);
        assertThat(CompatClient.body(logs).get("detail").get(0).get("loc").toString())
                .isEqualTo("[\"query\",\"limit\"]");
        assertThat(client.get(CompatClient.PREFIX + "/executions/logs?correlation_id=not-a-uuid").status())
                .isEqualTo(422);
        client.fails("/analytics/compute", "{\"pattern_id\":\"x\",\"time_window_type\":\"fortnightly\"}", 422);
        client.fails("/analytics/compute", "{\"pattern_id\":\"x\",\"time_window_days\":0}", 422);
        client.fails("/feedback/analyze", "{\"pattern_id\":\"x\",\"time_window_days\":91}", 422);
        client.fails("/feedback/analyze", "{\"pattern_id\":\"x\",\"min_sample_size\":5}", 422);
        // unknown pattern on a read: 404
        assertThat(client.get(CompatClient.PREFIX + "/lineage/no-such-" + hex16()).status()).isEqualTo(404);
        assertThat(client.get(CompatClient.PREFIX + "/lineage/no-such-" + hex16() + "/evolution").status())
                .isEqualTo(404);
        client.fails("/analytics/compute", "{\"pattern_id\":\"no-such-" + hex16() + "\"}", 404);
        client.fails("/feedback/analyze", "{\"pattern_id\":\"no-such-" + hex16() + "\"}", 404);
    }

    // ----------------------------------------------------------------------------------- the lenient differences

    @Test
    void metadataIsStoredNotDropped() throws Exception {
        String id = hex16();
        client.ok("/lineage/track", """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_data":{"code":"x = 1"},
                 "metadata":{"session_id":"s-42","quality_score":0.8,"violations_found":2}}""".formatted(id));
        assertThat(TestPostgres.strings(db, "SELECT e.event_data->'metadata'->>'session_id' || '/'"
                + " || (e.event_data->'metadata'->>'violations_found') FROM lineage_events e JOIN lineage_nodes n"
                + " ON n.node_id = e.node_id WHERE n.external_pattern_id = '" + id + "'")).containsExactly("s-42/2");
        JsonNode evolution = client.okGet("/lineage/" + id + "/evolution");
        assertThat(evolution.at("/data/evolution_nodes/0/metadata/quality_score").asDouble()).isEqualTo(0.8);
    }

    @Test
    void aModificationWithoutParentsIsTheNextVersionOrACreation() throws Exception {
        String id = hex16();
        String modified = """
                {"event_type":"pattern_modified","pattern_id":"%s","pattern_version":"1.0.0",
                 "pattern_data":{"code":"%s"},"reason":"naming auto-fix"}""";
        JsonNode first = client.ok("/lineage/track", modified.formatted(id, "def a(): pass"));
        assertThat(first.at("/data/generation").asInt()).isEqualTo(1); // a new pattern: created
        JsonNode second = client.ok("/lineage/track", modified.formatted(id, "def a_fixed(): pass"));
        assertThat(second.at("/data/generation").asInt()).isEqualTo(2);
        assertThat(count("SELECT count(*) FROM lineage_nodes WHERE external_pattern_id = '" + id + "'")).isEqualTo(2);
        assertThat(TestPostgres.strings(db, "SELECT e.edge_type FROM lineage_edges e JOIN lineage_nodes t"
                + " ON t.node_id = e.target_node_id WHERE t.external_pattern_id = '" + id + "'"))
                .containsExactly("DERIVED_FROM");
        // a creation of a known pattere_id with other content: its next version too (as built: already_exists)
        JsonNode third = client.ok("/lineage/track", created(id, "def b(): pass"));
        assertThat(third.at("/data/generation").asInt()).isEqualTo(3);
    }

    @Test
    void edgeLabelsMapToOurTypesAndAreKept() throws Exception {
        String parent = hex16();
        client.ok("/lineage/track", created(parent, "base"));
        String[][] cases = {{"inspired_by", "RELATED_TO"}, {"replaced_by", "DEPRECATED_BY"},
                {"derived_from", "DERIVED_FROM"}, {"created_from", "RELATED_TO"}};
        for (String[] c : cases) {
            String child = hex16();
            client.ok("/lineage/track", """
                    {"event_type":"pattern_forked","pattern_id":"%s","parent_pattern_ids":["%s"],"edge_type":"%s",
                     "transformation_type":"modification","pattern_data":{"code":"%s"}}"""
                    .formatted(child, parent, c[0], c[0]));
            assertThat(TestPostgres.strings(db, "SELECT e.edge_type || ' ' || (e.metadata->>'label') || ' '"
                    + " || (e.metadata->>'transformation_type') FROM lineage_edges e JOIN lineage_nodes t"
                    + " ON t.node_id = e.target_node_id WHERE t.external_pattern_id = '" + child + "'"))
                    .as(c[0]).containsExactly(c[1] + " " + c[0] + " modification");
        }
        // a merge: an edge from every parent, its transformation always merge
        String other = hex16();
        client.ok("/lineage/track", created(other, "other"));
        String merged = hex16();
        JsonNode m = client.ok("/lineage/track", """
                {"event_type":"pattern_merged","pattern_id":"%s","pattern_version":"2.0.0","edge_type":"merged_from",
                 "transformation_type":"merge","parent_pattern_ids":["%s","%s"],"pattern_data":{"code":"m"}}"""
                .formatted(merged, parent, other));
        assertThat(m.at("/data/parent_count").asInt()).isEqualTo(2);
        assertThat(TestPostgres.strings(db, "SELECT DISTINCT e.edge_type || ' ' || (e.metadata->>'transformation_type')"
                + " FROM lineage_edges e JOIN lineage_nodes t ON t.node_id = e.target_node_id"
                + " WHERE t.external_pattern_id = '" + merged + "'")).containsExactly("MERGED_INTO merge");
    }

    @Test
    void analyticsAreComputedFromRealExecutions() throws Exception {
        String id = hex16();
        JsonNode created = client.ok("/lineage/track", created(id, "def f(): pass"));
        String pattern = created.at("/data/lineage_id").asText();
        StringBuilder executions = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            executions.append(i == 0 ? "" : ",").append("""
                    {"pattern_id":"%s","status":"%s","duration_ms":%d,"quality_score":0.9,"agent":"coder"}"""
                    .formatted(pattern, i < 8 ? "success" : "failure", 10 + i));
        }
        Response stored = client.post("/api/executions", "[" + executions + "]");
        assertThat(stored.status()).isEqualTo(200);

        JsonNode analytics = client.ok("/analytics/compute", "{\"pattern_id\":\"" + id + "\",\"time_window_type\":"
                + "\"daily\",\"include_distribution\":true}");
        assertThat(analytics.at("/usage_metrics/total_executions").asInt()).isEqualTo(10);
        assertThat(analytics.at("/success_metrics/success_rate").asDouble()).isEqualTo(0.8);
        assertThat(analytics.at("/success_metrics/avg_quality_score").asDouble()).isEqualTo(0.9);
        assertThat(analytics.at("/performance_metrics/avg_execution_time_ms").asDouble()).isEqualTo(14.5);
        assertThat(analytics.at("/context_distribution/by_agent/coder").asInt()).isEqualTo(10);
        assertThat(analytics.get("total_data_points").asInt()).isEqualTo(10);

        JsonNode get = client.okGet("/analytics/" + id + "?time_window=monthly");
        assertThat(get.at("/usage_metrics/total_executions").asInt()).isEqualTo(10);
        assertThat(get.at("/time_window/type").asText()).isEqualTo("monthly");
        JsonNode days = client.ok("/analytics/compute", "{\"pattern_id\":\"" + id + "\",\"time_window_days\":3}");
        assertThat(days.at("/time_window/type").asText()).isEqualTo("daily");
        assertThat(days.at("/usage_metrics/total_executions").asInt()).isEqualTo(10);

        JsonNode summary = client.okGet("/executions/summary?agent_name=coder");
        assertThat(summary.at("/summary/0/agent_name").asText()).isEqualTo("coder");
        assertThat(summary.at("/summary/0/total_executions").asInt()).isGreaterThanOrEqualTo(10);
    }

    @Test
    void executionReportsPostedToAnalyticsAreStoredOnceAndCounted() throws Exception {
        String id = hex16();
        client.ok("/lineage/track", created(id, "def report(): pass"));
        String report = """
                {"pattern_id":"%s","session_id":"s-1","correlation_id":"c-%s","timestamp":"%s",
                 "metrics":{"duration_ms":12.5,"quality_score":0.8},"success":%s,"error_message":null,
                 "execution_context":{"tool":"Write","agent":"coder"}}""";
        // Python's isoformat() of a naive datetime: no offset, read as UTC
        java.time.LocalDateTime at = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusHours(1)
                .withNano(500_000_000);
        JsonNode first = client.ok("/analytics/compute", report.formatted(id, "1", at, "true"));
        JsonNode all = client.ok("/analytics/compute", "{\"pattern_id\":\"" + id + "\",\"time_window_type\":"
                + "\"all_time\"}");
        assertThat(all.at("/usage_metrics/total_executions").asInt()).isEqualTo(1);
        // the client retries a report it got no answer to: stored once
        client.ok("/analytics/compute", report.formatted(id, "1", at, "true"));
        client.ok("/analytics/compute", report.formatted(id, "2", at.plusSeconds(1), "false"));
        JsonNode again = client.ok("/analytics/compute", "{\"pattern_id\":\"" + id + "\",\"time_window_type\":"
                + "\"all_time\"}");
        assertThat(again.at("/usage_metrics/total_executions").asInt()).isEqualTo(2);
        assertThat(again.at("/success_metrics/success_rate").asDouble()).isEqualTo(0.5);
        assertThat(first.get("success").asBoolean()).isTrue();
        assertThat(TestPostgres.strings(db, "SELECT tool_name || ' ' || agent || ' ' || duration_ms || ' '"
                + " || to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS') FROM hook_executions"
                + " WHERE correlation_id = 'c-1'")).containsExactly("Write coder 12.5 " + at); // 2026-...T08:42:58.500
    }

    @Test
    void feedbackAnalyzeRunsARealWorkflow() throws Exception {
        String id = hex16();
        client.ok("/lineage/track", created(id, "def g(): pass"));
        JsonNode analyzed = client.ok("/feedback/analyze", "{\"pattern_id\":\"" + id + "\",\"feedback_type\":"
                + "\"performance\",\"time_window_days\":7}");
        JsonNode data = analyzed.get("data");
        assertThat(data.get("success").asBoolean()).isTrue();
        assertThat(data.get("pattern_id").asText()).isEqualTo(id);
        assertThat(data.get("executions_analyzed").asInt()).isZero();
        assertThat(data.get("warnings").get(0).asText()).startsWith("Insufficient data");
        assertThat(data.at("/workflow_stages/collect").asText()).isEqualTo("completed");
        assertThat(data.at("/metadata/status").asText()).isEqualTo("insufficient_data");
        String workflow = analyzed.at("/metadata/correlation_id").asText();
        assertThat(service.get("/api/feedback-loop/status/" + workflow).status()).isEqualTo(200);
    }

    @Test
    void anEmptyBatchAnswers200WithZeroTotals() {
        JsonNode empty = client.ok("/lineage/track/batch", "{\"events\":[]}");
        assertThat(empty.get("success").asBoolean()).isTrue();
        assertThat(empty.at("/batch_summary/total_events").asInt()).isZero();
        assertThat(empty.at("/metadata/average_time_per_event").asDouble()).isZero();
    }

    @Test
    void aClientCorrelationIdJoinsExecutionLogsToPatterns() {
        String id = hex16();
        String correlation = UUID.randomUUID().toString();
        client.ok("/lineage/track", """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_data":{"code":"c"},"correlation_id":"%s"}"""
                .formatted(id, correlation));
        assertThat(client.post("/api/executions", """
                {"pattern_id":"%s","status":"success","correlation_id":"%s","session_id":"%s","agent":"joiner",
                 "duration_ms":5}""".formatted(PatternIds.fromExternalId(id), correlation,
                UUID.randomUUID())).status()).isEqualTo(201);
        JsonNode logs = client.okGet("/executions/logs?correlation_id=" + correlation + "&limit=10");
        assertThat(logs.get("count").asInt()).isEqualTo(1);
        JsonNode execution = logs.at("/executions/0");
        assertThat(execution.get("agent_name").asText()).isEqualTo("joiner");
        assertThat(execution.get("status").asText()).isEqualTo("success");
        assertThat(execution.get("pattern_count").asInt()).isEqualTo(1);
        assertThat(execution.at("/patterns/0/pattern_id").asText()).isEqualTo(id);
        assertThat(execution.at("/events/0/event_type").asText()).isEqualTo("pattern_created");
    }

    // ------------------------------------------------------------------------------ payloads as the hooks send

    @Test
    void wholeSourceFilesAreStored() throws Exception {
        String id = hex16();
        String code = "x = 1  # a long line of a large file\n".repeat(9000); // ~340 KB
        client.ok("/lineage/track", created(id, code));
        assertThat(count("SELECT length(template_code) FROM lineage_nodes WHERE external_pattern_id = '" + id + "'"))
                .isEqualTo(code.length());
    }

    @Test
    void textPostgresCannotStoreIs400NamingTheFieldNever500() throws Exception {
        String id = hex16();
        JsonNode nul = client.fails("/lineage/track", """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_data":{"code":"a\\u0000b"}}"""
                .formatted(id), 400);
        assertThat(nul.asText()).contains("pattern_data.code", "NUL");
        JsonNode surrogate = client.fails("/lineage/track", """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_data":{"code":"ok"},
                 "metadata":{"note":"\\ud800"}}""".formatted(id), 400);
        assertThat(surrogate.asText()).contains("metadata.note", "surrogate");
        assertThat(count("SELECT count(*) FROM lineage_nodes WHERE external_pattern_id = '" + id + "'")).isZero();
        // the service stays healthy and stores the next request
        client.ok("/lineage/track", created(id, "ok"));
    }

    @Test
    void theLiveHookSendingTheSameContentThreeTimesStoresOneNode() throws Exception {
        String id = hex16();
        String plain = """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_name":"app.py","pattern_type":"code",
                 "pattern_version":"1.0.0","pattern_data":{"code":"import os\\n","language":"python",
                 "file_path":"/src/app.py"},"triggered_by":"claude_code_hook","reason":"%s",
                 "metadata":{"session_id":"%s","quality_score":%s,"violations_found":%d,"timestamp":"%s"}}""";
        String session = UUID.randomUUID().toString();
        client.ok("/lineage/track", plain.formatted(id, "Code generation via Claude Code", session, "1.0", 0,
                "2026-11-28T10:00:00+00:00"));
        client.ok("/lineage/track", plain.formatted(id, "violations", session, "0.7", 3, "2026-11-28T10:00:01+00:00"));
        JsonNode third = client.ok("/lineage/track", plain.formatted(id, "corrected", session, "1.0", 0,
                "2026-11-28T10:00:02+00:00").replace("pattern_created", "pattern_modified"));
        assertThat(third.at("/data/status").asText()).isEqualTo("already_exists");
        assertThat(count("SELECT count(*) FROM lineage_nodes WHERE external_pattern_id = '" + id + "'")).isEqualTo(1);
    }

    // ------------------------------------------------------------------------- one pattern through both APIs

    @Test
    void theSamePatternThroughBothApis() throws Exception {
        String id = "python-code-" + hex16().substring(0, 12);
        JsonNode created = client.ok("/lineage/track", created(id, "def both(): pass"));
        String uuid = created.at("/data/lineage_id").asText();

        // ours finds it by its external id, and shows it
        JsonNode found = CompatClient.body(service.get("/api/lineage/patterns?q=" + id));
        assertThat(found.at("/patterns/0/pattern_id").asText()).isEqualTo(uuid);
        assertThat(found.at("/patterns/0/external_pattern_id").asText()).isEqualTo(id);
        assertThat(found.at("/patterns/0/match").asText()).isEqualTo("external_pattern_id");
        JsonNode ours = CompatClient.body(service.get("/api/lineage/" + uuid));
        assertThat(ours.at("/nodes/0/external_pattern_id").asText()).isEqualTo(id);
        assertThat(ours.at("/nodes/0/external_version").asText()).isEqualTo("1.0.0");

        // a version added through our API shows through the as-built one
        Response modified = client.post("/api/lineage/track", """
                {"event_type":"pattern_modified","pattern_id":"%s","is_improvement":true}""".formatted(uuid));
        assertThat(modified.status()).isEqualTo(201);
        JsonNode evolution = client.okGet("/lineage/" + id + "/evolution");
        assertThat(evolution.at("/data/total_versions").asInt()).isEqualTo(2);
        assertThat(evolution.at("/data/evolution_edges/0/edge_type").asText()).isEqualTo("improved_version");
        // and the next as-built version follows it
        JsonNode next = client.ok("/lineage/track", created(id, "def both(x): pass"));
        assertThat(next.at("/data/generation").asInt()).isEqualTo(3);
        // a pattern of our own API is found by its UUID through the as-built API too
        JsonNode byUuid = client.okGet("/lineage/" + uuid);
        assertThat(byUuid.at("/data/pattern_node_id").asText()).isEqualTo(next.at("/data/pattern_node_id").asText());
    }

    @Test
    void everyCompatOperationIsDeprecatedAndDescribedInTheOpenApiDocument() throws Exception {
        JsonNode doc = CompatClient.body(service.get("/api/openapi.json"));
        JsonNode paths = doc.get("paths");
        List<String> compat = new java.util.ArrayList<>();
        paths.fieldNames().forEachRemaining(p -> {
            if (p.startsWith(CompatClient.PREFIX)) {
                compat.add(p);
            }
        });
        assertThat(compat).contains(CompatClient.PREFIX + "/lineage/track", CompatClient.PREFIX + "/search",
                CompatClient.PREFIX + "/lineage/{pattern_id}/evolution", CompatClient.PREFIX + "/health");
        for (String p : compat) {
            paths.get(p).fields().forEachRemaining(op -> {
                assertThat(op.getValue().path("deprecated").asBoolean()).as(p + " " + op.getKey()).isTrue();
                // camel-openapi writes a rest operation's description as its summary
                assertThat(op.getValue().path("summary").asText()).as(p + " " + op.getKey()).isNotBlank();
            });
        }
        // ours are not
        assertThat(paths.at("/~1api~1lineage~1track/post/deprecated").asBoolean(false)).isFalse();
    }
}
