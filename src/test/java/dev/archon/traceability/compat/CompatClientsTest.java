package dev.archon.traceability.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Replays, over real HTTP, what each real client of the as-built API sends (ARCHON-API.md §4) and checks the status
 * it counts as success and the fields it reads: the live PostToolUse hook (PatternTrackerSync), the "performance"
 * tracker (claude_hooks/pattern_tracker.py, exactly 200), the async PatternTracker with ResilientAPIClient, the
 * Phase4APIClient, and the diagnostics scripts.
 */
class CompatClientsTest {

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

    private static String sha256Prefix(String text, int chars) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.getBytes(StandardCharsets.UTF_8))).substring(0, chars);
    }

    /** PatternTrackerSync, the live path: root /health first (skips tracking unless 200), then lineage/track. */
    @Test
    void theLivePostToolUseHook() throws Exception {
        assertThat(client.get("/health").status()).isEqualTo(200);
        String filePath = "/repo/src/service_" + UUID.randomUUID() + ".py";
        String code = "import os\n\n" + "def handler(event):\n    return os.environ.get('X')\n".repeat(50);
        String patternId = sha256Prefix(filePath + ":" + code.substring(0, 200), 16);
        String session = UUID.randomUUID().toString();
        String payload = """
                {"event_type":"%s","pattern_id":"%s","pattern_name":"%s","pattern_type":"code",
                 "pattern_version":"1.0.0","pattern_data":{"code":%s,"language":"python","file_path":"%s"},
                 "triggered_by":"claude_code_hook","reason":"Code generation via Claude Code",
                 "metadata":{"session_id":"%s","quality_score":%s,"violations_found":%d,
                 "timestamp":"2026-11-28T10:00:00.123456+00:00"}}""";
        String name = filePath.substring(filePath.lastIndexOf('/') + 1);
        // plain, with violations, corrected: the enforcer tracks one edit up to three times
        Response first = client.post(CompatClient.PREFIX + "/lineage/track", payload.formatted("pattern_created",
                patternId, name, Json.write(code), filePath, session, "1.0", 0));
        assertThat(first.status() / 100).isEqualTo(2); // raise_for_status
        JsonNode body = CompatClient.body(first);
        assertThat(body.get("success").asBoolean()).isTrue();
        assertThat(client.post(CompatClient.PREFIX + "/lineage/track", payload.formatted("pattern_created", patternId,
                name, Json.write(code), filePath, session, "0.7", 3)).status()).isEqualTo(200);
        String fixed = code.replace("def handler", "def handle_event");
        String fixedId = sha256Prefix(filePath + ":" + fixed.substring(0, 200), 16);
        Response corrected = client.post(CompatClient.PREFIX + "/lineage/track", payload.formatted(
                "pattern_modified", fixedId, name, Json.write(fixed), filePath, session, "1.0", 0));
        assertThat(corrected.status()).isEqualTo(200);
        assertThat(TestPostgres.count(db, "SELECT count(*) FROM lineage_nodes WHERE external_pattern_id IN ('"
                + patternId + "', '" + fixedId + "')")).isEqualTo(2);

        // the intent tracker goes through the same class, with a fake file path and the prompt "-"
        String intentPath = "intents/coder/intent-" + sha256Prefix("coder:-", 12) + ".txt";
        assertThat(client.post(CompatClient.PREFIX + "/lineage/track", payload.formatted("pattern_created",
                sha256Prefix(intentPath + ":-", 16), "intent.txt", "\"-\"", intentPath, session, "1.0", 0))
                .status()).isEqualTo(200);
    }

    /** claude_hooks/pattern_tracker.py: exactly 200 counts; also its other endpoints. */
    @Test
    void thePerformanceTracker() throws Exception {
        String code = "class Cache:\n    pass\n";
        String patternId = sha256Prefix(code.strip(), 16);
        String correlation = UUID.randomUUID().toString();
        String event = """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_type":"code","pattern_version":"1.0.0",
                 "tool_name":"Write","file_path":"/repo/cache.py","language":"python",
                 "pattern_data":{"code":%s,"session_id":"%s","correlation_id":"%s",
                 "timestamp":"2026-11-28T10:00:00+00:00","context":{"tool":"Write"},"metadata":{}},
                 "triggered_by":"claude-code","reason":"tracked"}""".formatted(patternId, Json.write(code),
                UUID.randomUUID(), correlation);
        assertThat(client.post(CompatClient.PREFIX + "/lineage/track", event).status()).isEqualTo(200);
        JsonNode batch = client.ok("/lineage/track-batch", "{\"events\":[" + event + "]}");
        assertThat(batch.at("/successful_results/0/data/status").asText()).isEqualTo("already_exists");
        // it reports executions to analytics/compute; success for it is exactly 200
        client.ok("/analytics/compute", """
                {"pattern_id":"%s","session_id":"%s","correlation_id":"%s","timestamp":"2026-11-28T10:00:01+00:00",
                 "metrics":{"duration_ms":12},"success":true,"error_message":null,
                 "execution_context":{"tool":"Write"}}""".formatted(patternId, UUID.randomUUID(), correlation));
        client.ok("/analytics/compute-batch", "{\"pattern_ids\":[\"" + patternId + "\"]}");
        client.ok("/analytics/get", "{\"pattern_id\":\"" + patternId + "\"}");
        client.ok("/lineage/query", """
                {"pattern_id":"%s","query_type":"ancestry","metadata_filter":{"quality":{"$gte":0.8}}}"""
                .formatted(patternId));
        JsonNode feedback = client.ok("/feedback/record", """
                {"pattern_id":"%s","rating":4,"feedback":"fast enough","feedback_type":"performance"}"""
                .formatted(patternId));
        assertThat(feedback.get("status").asText()).isEqualTo("recorded");
    }

    /** The async PatternTracker (lib/pattern_tracker.py) with ResilientAPIClient: 2xx counts. */
    @Test
    void theAsyncPatternTracker() throws Exception {
        JsonNode health = client.okGet("/health");
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        assertThat(health.at("/components/lineage_tracker").asText()).isEqualTo("operational");
        String code = "def parse(x):\n    return int(x)\n";
        String base = "python-code-" + sha256Prefix(code + ":python:code", 12);
        // a creation with parents and edge_type created_from (not an as-built EdgeType: 400 as built)
        client.ok("/lineage/track", """
                {"event_type":"pattern_created","pattern_id":"%s","pattern_name":"parse","pattern_type":"code",
                 "pattern_version":"1.0.0","pattern_data":{"code":%s},"parent_pattern_ids":["nothing"],
                 "edge_type":"created_from","triggered_by":"pattern_tracker"}""".formatted(base, Json.write(code)));
        // a modification, version 1.1.0, transformation_type "modification" (400 as built)
        String modified = "python-code-" + sha256Prefix(code + "!", 12);
        JsonNode m = client.ok("/lineage/track", """
                {"event_type":"pattern_modified","pattern_id":"%s","pattern_name":"parse","pattern_version":"1.1.0",
                 "pattern_data":{"code":"def parse(x): return int(x.strip())"},"parent_pattern_ids":["%s"],
                 "edge_type":"modified_from","transformation_type":"modification","triggered_by":"pattern_tracker"}"""
                .formatted(modified, base));
        assertThat(m.at("/data/lineage_id").asText()).isNotEmpty();
        // a merge, version 2.0.0
        client.ok("/lineage/track", """
                {"event_type":"pattern_merged","pattern_id":"python-code-merged%s","pattern_version":"2.0.0",
                 "pattern_data":{"code":"merged"},"parent_pattern_ids":["%s","%s"],"edge_type":"merged_from",
                 "transformation_type":"merge","triggered_by":"pattern_tracker"}"""
                .formatted(sha256Prefix(modified, 6), base, modified));
        // an application: only these fields
        JsonNode applied = client.ok("/lineage/track", """
                {"event_type":"pattern_applied","pattern_id":"%s","pattern_name":"","pattern_data":{"file":"x.py"},
                 "triggered_by":"pattern_tracker"}""".formatted(base));
        assertThat(applied.at("/data/pattern_node_id").asText()).isNotEmpty();
        assertThat(applied.at("/metadata/operation").asText()).isEqualTo("track_application");
    }

    /** Phase4APIClient: track, query, analytics, feedback, search, validate, health; it reads these fields. */
    @Test
    void thePhase4ApiClient() throws Exception {
        String parent = "phase4-" + UUID.randomUUID().toString().substring(0, 8);
        String child = parent + "-v2";
        String track = """
                {"event_type":"%s","pattern_id":"%s","pattern_name":"n","pattern_type":"code","pattern_version":"%s",
                 "pattern_data":{"code":"%s"},"parent_pattern_ids":%s,"edge_type":null,"transformation_type":null,
                 "reason":null,"triggered_by":"hook","metadata":{"source":"phase4"}}""";
        JsonNode created = client.ok("/lineage/track", track.formatted("pattern_created", parent, "1.0.0", "a",
                "[]"));
        assertThat(created.get("success").asBoolean()).isTrue();
        assertThat(created.at("/data/lineage_id").isTextual()).isTrue();
        client.ok("/lineage/track", track.formatted("pattern_modified", child, "2.0.0", "b", "[\"" + parent + "\"]"));

        JsonNode ancestry = client.okGet("/lineage/" + child + "?query_type=ancestry");
        assertThat(ancestry.at("/data/ancestry_depth").asInt()).isEqualTo(1);
        assertThat(ancestry.at("/data/total_ancestors").asInt()).isEqualTo(1);
        JsonNode descendants = client.okGet("/lineage/" + parent + "?query_type=descendants");
        assertThat(descendants.at("/data/total_descendants").asInt()).isEqualTo(1);

        JsonNode analytics = client.ok("/analytics/compute", """
                {"pattern_id":"%s","time_window_type":"weekly","include_performance":true,"include_trends":true,
                 "include_distribution":false,"time_window_days":null,"metrics":["usage"]}""".formatted(parent));
        // it averages these three into a health score: all numbers
        assertThat(analytics.at("/usage_metrics/total_executions").isNumber()).isTrue();
        assertThat(analytics.at("/success_metrics/success_rate").isNumber()).isTrue();
        assertThat(analytics.at("/success_metrics/avg_quality_score").isNumber()).isTrue();
        JsonNode get = client.okGet("/analytics/" + parent + "?time_window=weekly&include_trends=true");
        assertThat(get.get("success").asBoolean()).isTrue();

        JsonNode feedback = client.ok("/feedback/analyze", """
                {"pattern_id":"%s","feedback_type":"performance","time_window_days":7,"auto_apply_threshold":0.95,
                 "min_sample_size":30,"significance_level":0.05,"enable_ab_testing":true}""".formatted(parent));
        assertThat(feedback.get("success").asBoolean()).isTrue();

        JsonNode search = client.ok("/search", "{\"query\":\"" + parent + "\",\"limit\":10}");
        assertThat(search.get("total_found").asInt()).isEqualTo(1);
        assertThat(search.at("/results/0/pattern_id").asText()).isEqualTo(parent);
        JsonNode validate = client.ok("/validate", "{\"check_lineage\":true,\"check_analytics\":true,"
                + "\"check_orphans\":true}");
        assertThat(validate.at("/validation_results/lineage_valid").asBoolean()).isTrue();
        assertThat(validate.at("/validation_results/orphans_found").asInt()).isZero();
        JsonNode health = client.okGet("/health");
        assertThat(health.get("status").asText()).isIn("healthy", "degraded");
        assertThat(health.get("components").isObject()).isTrue();

        JsonNode apply = client.ok("/feedback/apply?pattern_id=" + parent + "&improvement_ids=a&improvement_ids=b",
                "");
        assertThat(apply.get("improvements_applied").asInt()).isEqualTo(2);
    }

    /** health_checks.py, debug_utils.py, check_phase4_health.sh and friends. */
    @Test
    void theDiagnosticsScripts() throws Exception {
        assertThat(client.get("/health").status()).isEqualTo(200);
        assertThat(client.get(CompatClient.PREFIX + "/health").status()).isEqualTo(200);
        // invalid event types on purpose: 400 as built
        for (String type : new String[] {"test_health_check", "debug_test"}) {
            client.fails("/lineage/track", "{\"event_type\":\"" + type + "\",\"pattern_id\":\"diag\","
                    + "\"pattern_data\":{\"test\":true}}", 400);
        }
        String id = "diag-" + UUID.randomUUID();
        client.ok("/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_id\":\"" + id + "\","
                + "\"pattern_data\":{\"test\":true}}");
        // include_ancestors is ignored: ancestry, as built
        JsonNode lineage = client.okGet("/lineage/" + id + "?include_ancestors=true&include_descendants=false");
        assertThat(lineage.at("/metadata/query_type").asText()).isEqualTo("ancestry");
        client.ok("/analytics/compute", "{\"pattern_id\":\"" + id + "\"}");
        client.ok("/search", "{\"query\":\"diag\"}");
        client.ok("/feedback/submit", "{\"pattern_id\":\"" + id + "\",\"rating\":5,\"comments\":\"ok\"}");
    }
}
