package dev.archon.traceability.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large commit (traceability.ingest.large-commit-from events or more: nodes and events by COPY, summaries refreshed
 * after the commit) stores exactly the rows small commits (one pipelined INSERT each, summaries in the transaction)
 * store for the same events, text with COPY's delimiters, backslashes, quotes, non-ASCII and nulls included.
 */
class LargeCommitTest {

    private static final String TRICKY = "tab\there, newline\nthere, cr\r, backslash \\ and \\N, quote \", 日本";

    /** The stored rows of one run, its name prefix taken off, so the two runs compare row by row. */
    private static final String NODES = """
            SELECT substr(pattern_name, 7), version_number, pattern_type, template_code, confidence_score,
                   performance_baseline::text, quality_baseline, created_at, created_by, correlation_id, status,
                   parent_node_id IS NULL
              FROM lineage_nodes WHERE pattern_name LIKE '%s-%%' ORDER BY 1""";
    private static final String EVENTS = """
            SELECT substr(n.pattern_name, 7), e.event_type, e.edge_id IS NULL, (e.event_data - 'pattern_name')::text,
                   e."timestamp", e.source, e.correlation_id, e.user_id
              FROM lineage_events e JOIN lineage_nodes n USING (node_id)
             WHERE n.pattern_name LIKE '%s-%%' ORDER BY 1""";
    private static final String SUMMARIES = """
            SELECT substr(pattern_name, 7), pattern_type, status, newest_version, version_count, last_activity
              FROM lineage_patterns WHERE pattern_name LIKE '%s-%%' ORDER BY 1""";

    @Test
    void aLargeCommitStoresExactlyWhatSmallCommitsStore() throws Exception {
        String db = TestPostgres.server().createDatabase();
        try (RunningService service = RunningService.onExternal(db, RunningService.props(
                "traceability.ingest.large-commit-from", "200"))) {
            post(service, events("large", 0, 250));
            for (int from = 0; from < 250; from += 50) {
                post(service, events("small", from, from + 50));
            }
            // one commit went the large way (its pending summaries' row), the five small ones did not
            assertThat(TestPostgres.strings(db, "SELECT last_value FROM pg_sequences"
                    + " WHERE sequencename = 'lineage_patterns_pending_batch_id_seq'")).containsExactly("1");
            for (String query : List.of(NODES, EVENTS, SUMMARIES)) {
                List<String> large = TestPostgres.strings(db, query.formatted("large"));
                assertThat(large).hasSize(250);
                assertThat(large).isEqualTo(TestPostgres.strings(db, query.formatted("small")));
            }
            assertThat(TestPostgres.strings(db, "SELECT DISTINCT template_code FROM lineage_nodes"))
                    .containsExactly(TRICKY);
            assertThat(TestPostgres.count(db, "SELECT count(*) FROM lineage_patterns_pending")).isZero();
        } finally {
            TestPostgres.server().dropDatabaseAt(db);
        }
    }

    /** Events {@code from} to {@code to} (exclusive) of a run, the same in both runs but for the name's prefix. */
    private static String events(String run, int from, int to) {
        ArrayNode batch = Json.mapper().createArrayNode();
        for (int i = from; i < to; i++) {
            ObjectNode e = batch.addObject();
            e.put("event_type", "pattern_created");
            e.put("pattern_name", run + "-" + String.format("%03d", i));
            e.put("pattern_type", i % 2 == 0 ? "code" : null);
            e.put("template_code", TRICKY);
            e.put("confidence_score", i % 3 == 0 ? null : i / 1000.0);
            e.putObject("performance_baseline").put("p50_ms", i).put("note", TRICKY);
            e.put("timestamp", "2026-11-28T10:00:00." + String.format("%03d", i) + "Z");
            e.put("source", TRICKY);
            e.put("user_id", i % 5 == 0 ? null : "user-" + i);
            e.put("correlation_id", "corr-" + i);
        }
        return batch.toString();
    }

    private static void post(RunningService service, String batch) {
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track/batch"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(batch)));
        assertThat(r.status()).as(r.body()).isIn(200, 201, 207);
    }
}
