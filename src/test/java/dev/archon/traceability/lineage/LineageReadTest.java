package dev.archon.traceability.lineage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TestPostgres;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reading the lineage graph back over real HTTP, on a small graph with a fork, a merge and a deprecated branch whose
 * paths, ancestors and descendants are written out by hand:
 *
 * <pre>
 *   A.v1 -DERIVED-> A.v2 -IMPROVED-> A.v3 <-DEPRECATED_BY- D.v1 (deprecated)
 *                    |
 *                    +-FORKED-> B.v1 -DERIVED-> B.v2 -MERGED_INTO-> C.v2 <-DERIVED- C.v1
 * </pre>
 */
class LineageReadTest {

    private static String db;
    private static RunningService service;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, String> N = new LinkedHashMap<>(); // "A.v1" -> node id
    private static UUID a;
    private static UUID b;
    private static UUID c;
    private static UUID d;

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props());
        a = PatternIds.fromName("alpha-" + RUN);
        b = PatternIds.fromName("beta-" + RUN);
        c = PatternIds.fromName("gamma-" + RUN);
        d = PatternIds.fromName("delta-" + RUN);
        node("A.v1", track("{'event_type':'pattern_created','pattern_name':'alpha-" + RUN + "','pattern_type':'retry'}"));
        node("A.v2", track("{'event_type':'pattern_modified','pattern_name':'alpha-" + RUN + "'}"));
        node("A.v3", track("{'event_type':'pattern_modified','pattern_name':'alpha-" + RUN + "','is_improvement':true}"));
        node("B.v1", track("{'event_type':'pattern_forked','pattern_name':'beta-" + RUN + "','parent_node_ids':['"
                + N.get("A.v2") + "']}"));
        node("B.v2", track("{'event_type':'pattern_modified','pattern_name':'beta-" + RUN + "'}"));
        node("C.v1", track("{'event_type':'pattern_created','pattern_name':'gamma-" + RUN + "','pattern_type':'cache'}"));
        node("C.v2", track("{'event_type':'pattern_merged','pattern_name':'gamma-" + RUN + "','parent_pattern_ids':['"
                + b + "']}"));
        node("D.v1", track("{'event_type':'pattern_created','pattern_name':'delta-" + RUN + "'}"));
        track("{'event_type':'pattern_deprecated','pattern_name':'delta-" + RUN + "','replacement_pattern_id':'" + a
                + "'}");
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    private static JsonNode track(String event) throws Exception {
        Response r = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event.replace('\'', '"'))));
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return Json.mapper().readTree(r.body());
    }

    private static void node(String name, JsonNode stored) {
        N.put(name, stored.get("node_id").asText());
    }

    private static JsonNode get(String path) throws Exception {
        Response r = service.get(path);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    /** node name at its depth, e.g. "B.v1@2", in the order the answer lists them. */
    private static List<String> named(JsonNode nodes) {
        Map<String, String> byId = new LinkedHashMap<>();
        N.forEach((k, v) -> byId.put(v, k));
        List<String> out = new ArrayList<>();
        nodes.forEach(n -> out.add(byId.get(n.get("node_id").asText()) + "@" + n.get("depth").asInt()));
        return out;
    }

    @Test
    void ancestorsFollowForksAndMergesAcrossPatterns() throws Exception {
        JsonNode fork = get("/api/lineage/" + b + "/ancestors/" + N.get("B.v2"));
        assertThat(named(fork.get("nodes"))).containsExactlyInAnyOrder("B.v1@1", "A.v2@2", "A.v1@3");
        assertThat(fork.get("truncated").asBoolean()).isFalse();
        assertThat(fork.get("edges")).hasSize(3);

        JsonNode merged = get("/api/lineage/" + c + "/ancestors/" + N.get("C.v2"));
        assertThat(named(merged.get("nodes")))
                .containsExactlyInAnyOrder("C.v1@1", "B.v2@1", "B.v1@2", "A.v2@3", "A.v1@4");
        List<String> types = new ArrayList<>();
        merged.get("edges").forEach(e -> types.add(e.get("edge_type").asText()));
        assertThat(types).containsExactlyInAnyOrder("DERIVED_FROM", "MERGED_INTO", "DERIVED_FROM", "FORKED_FROM",
                "DERIVED_FROM");
    }

    @Test
    void descendantsIncludeForksAndMergesButNotDeprecations() throws Exception {
        JsonNode root = get("/api/lineage/" + a + "/descendants/" + N.get("A.v1"));
        assertThat(named(root.get("nodes")))
                .containsExactlyInAnyOrder("A.v2@1", "A.v3@2", "B.v1@2", "B.v2@3", "C.v2@4");
        // D.v1 -DEPRECATED_BY-> A.v3 relates two patterns; it is not lineage, in either direction
        assertThat(get("/api/lineage/" + a + "/descendants/" + N.get("A.v3")).get("nodes")).isEmpty();
        assertThat(get("/api/lineage/" + d + "/descendants/" + N.get("D.v1")).get("nodes")).isEmpty();
    }

    @Test
    void aDepthLimitSaysItCutTheWalk() throws Exception {
        JsonNode cut = get("/api/lineage/" + c + "/ancestors/" + N.get("C.v2") + "?depth=2");
        assertThat(named(cut.get("nodes"))).containsExactlyInAnyOrder("C.v1@1", "B.v2@1", "B.v1@2");
        assertThat(cut.get("truncated").asBoolean()).isTrue();
        assertThat(cut.get("truncated_by").asText()).isEqualTo("depth");
        assertThat(cut.get("max_depth").asInt()).isEqualTo(2);
        // exactly as deep as the graph: nothing was cut
        JsonNode whole = get("/api/lineage/" + c + "/ancestors/" + N.get("C.v2") + "?depth=4");
        assertThat(whole.get("truncated").asBoolean()).isFalse();
    }

    @Test
    void aWalkBoundedInNodesSaysSoAndACycleTerminates() throws Exception {
        LineageQueries queries = new LineageQueries(dataSource());
        LineageQueries.Walk bounded = queries.walk(UUID.fromString(N.get("A.v1")), LineageQueries.Direction.DESCENDANTS,
                new LineageQueries.Bounds(100, 3));
        assertThat(bounded.truncatedBy()).isEqualTo("max_nodes");
        assertThat(bounded.nodes().size()).isLessThanOrEqualTo(3);

        // a damaged graph (a cycle written around the tracker, which refuses them) must not make a walk loop
        UUID x = UUID.randomUUID();
        UUID y = UUID.randomUUID();
        UUID p = UUID.randomUUID();
        TestPostgres.execute(db, "INSERT INTO lineage_nodes (node_id, pattern_id, version_number) VALUES ('" + x
                + "', '" + p + "', 1), ('" + y + "', '" + p + "', 2)");
        TestPostgres.execute(db, "INSERT INTO lineage_edges (source_node_id, target_node_id, edge_type) VALUES ('"
                + x + "', '" + y + "', 'DERIVED_FROM'), ('" + y + "', '" + x + "', 'DERIVED_FROM')");
        LineageQueries.Walk cycle = queries.walk(x, LineageQueries.Direction.DESCENDANTS,
                new LineageQueries.Bounds(100, 1000));
        assertThat(cycle.nodes()).extracting(n -> n.get("node_id")).containsExactly(y);
        assertThat(cycle.truncatedBy()).isEqualTo("depth"); // it goes round until the depth cap, visiting y only
    }

    @Test
    void aPatternAnswersItsVersionsAndTheEdgesTouchingThem() throws Exception {
        JsonNode alpha = get("/api/lineage/" + a);
        assertThat(named(alpha.get("nodes"))).containsExactly("A.v1@1", "A.v2@2", "A.v3@3");
        assertThat(alpha.get("version_count").asInt()).isEqualTo(3);
        List<String> edges = new ArrayList<>();
        Map<String, String> byId = new LinkedHashMap<>();
        N.forEach((k, v) -> byId.put(v, k));
        alpha.get("edges").forEach(e -> edges.add(byId.get(e.get("source_node_id").asText()) + " "
                + e.get("edge_type").asText() + " " + byId.get(e.get("target_node_id").asText())));
        assertThat(edges).containsExactlyInAnyOrder("A.v1 DERIVED_FROM A.v2", "A.v2 IMPROVED_VERSION A.v3",
                "A.v2 FORKED_FROM B.v1", "D.v1 DEPRECATED_BY A.v3");
        assertThat(alpha.get("nodes").get(0).get("pattern_type").asText()).isEqualTo("retry");

        JsonNode shallow = get("/api/lineage/" + a + "?max_depth=2&include_edges=false");
        assertThat(named(shallow.get("nodes"))).containsExactly("A.v1@1", "A.v2@2");
        assertThat(shallow.has("edges")).isFalse();
        assertThat(shallow.get("truncated_by").asText()).isEqualTo("max_depth");
    }

    @Test
    void thePathEndpointAnswersWhatGetLineagePathAnswers() throws Exception {
        JsonNode path = get("/api/lineage/" + a + "/path/" + N.get("A.v3")).get("path");
        List<String> viaHttp = new ArrayList<>();
        path.forEach(s -> viaHttp.add(s.get("position").asInt() + ":" + s.get("node_id").asText() + ":"
                + s.get("version_number").asInt()));
        assertThat(viaHttp).isEqualTo(TestPostgres.strings(db, "SELECT position || ':' || node_id || ':'"
                + " || version_number FROM get_lineage_path('" + N.get("A.v3") + "')"));
        assertThat(path.get(2).get("improvement_from_parent").isObject()).isTrue();
        assertThat(path.get(1).get("improvement_from_parent").isNull()).isTrue();
    }

    @Test
    void patternsAreFoundByPrefixSubstringTypeAndStatusNewestFirst() throws Exception {
        JsonNode prefix = get("/api/lineage/patterns?q=ALPHA-" + RUN);
        assertThat(prefix.get("patterns")).hasSize(1);
        JsonNode alpha = prefix.get("patterns").get(0);
        assertThat(alpha.get("pattern_id").asText()).isEqualTo(a.toString());
        assertThat(alpha.get("version_count").asInt()).isEqualTo(3);
        assertThat(alpha.get("newest_version").asInt()).isEqualTo(3);
        assertThat(alpha.get("newest_node_id").asText()).isEqualTo(N.get("A.v3"));
        assertThat(alpha.get("match").asText()).isEqualTo("prefix");

        JsonNode substring = get("/api/lineage/patterns?q=-" + RUN);
        List<String> names = new ArrayList<>();
        substring.get("patterns").forEach(p -> names.add(p.get("pattern_name").asText()));
        // most recent activity first: delta was deprecated last, then gamma merged, beta modified, alpha improved
        assertThat(names).containsExactly("delta-" + RUN, "gamma-" + RUN, "beta-" + RUN, "alpha-" + RUN);
        assertThat(substring.get("patterns").get(0).get("match").asText()).isEqualTo("substring");

        assertThat(get("/api/lineage/patterns?q=" + RUN + "&status=deprecated").get("patterns"))
                .extracting(p -> p.get("pattern_id").asText()).containsExactly(d.toString());
        assertThat(get("/api/lineage/patterns?q=" + RUN + "&type=cache").get("patterns"))
                .extracting(p -> p.get("pattern_id").asText()).containsExactly(c.toString());
        // the merged parent's newest version is marked merged
        assertThat(get("/api/lineage/patterns?q=beta-" + RUN).get("patterns").get(0).get("status").asText())
                .isEqualTo("merged");
        // a LIKE wildcard in q is a literal character
        assertThat(get("/api/lineage/patterns?q=%25" + RUN).get("patterns")).isEmpty();
    }

    @Test
    void pagesLoseAndRepeatNothingWhilePatternsAreAdded() throws Exception {
        String tag = "page-" + UUID.randomUUID().toString().substring(0, 6);
        List<String> created = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            created.add(track("{'event_type':'pattern_created','pattern_name':'" + tag + "-" + i + "'}")
                    .get("pattern_id").asText());
        }
        List<String> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = get("/api/lineage/patterns?q=" + tag + "&limit=3" + (cursor == null ? "" : "&after="
                    + cursor));
            page.get("patterns").forEach(p -> seen.add(p.get("pattern_id").asText()));
            cursor = page.get("next_cursor").isNull() ? null : page.get("next_cursor").asText();
            pages++;
            // a pattern created meanwhile is newer than every page already read: it never shows on a later page
            track("{'event_type':'pattern_created','pattern_name':'" + tag + "-late-" + pages + "'}");
        } while (cursor != null);
        assertThat(seen).hasSize(7).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(created);
        assertThat(pages).isEqualTo(3);
    }

    @Test
    void badParametersAnswer400NamingThemAndUnknownIds404() throws Exception {
        assertError("/api/lineage/not-a-uuid", 400, "VALIDATION_FAILED", "pattern_id");
        assertError("/api/lineage/" + UUID.randomUUID(), 404, "INVALID_PATTERN_ID", "pattern_id");
        assertError("/api/lineage/" + a + "?max_depth=0", 400, "VALIDATION_FAILED", "max_depth");
        assertError("/api/lineage/" + a + "?max_depth=101", 400, "VALIDATION_FAILED", "max_depth");
        assertError("/api/lineage/" + a + "?include_edges=maybe", 400, "VALIDATION_FAILED", "include_edges");
        assertError("/api/lineage/" + a + "/ancestors/" + N.get("B.v1"), 404, "INVALID_NODE_ID", "node_id");
        assertError("/api/lineage/" + a + "/descendants/" + UUID.randomUUID(), 404, "INVALID_NODE_ID", "node_id");
        assertError("/api/lineage/" + a + "/descendants/" + N.get("A.v1") + "?depth=x", 400, "VALIDATION_FAILED",
                "depth");
        assertError("/api/lineage/patterns?limit=501", 400, "VALIDATION_FAILED", "limit");
        assertError("/api/lineage/patterns?status=gone", 400, "VALIDATION_FAILED", "status");
        assertError("/api/lineage/patterns?after=garbage", 400, "VALIDATION_FAILED", "after");
    }

    private static void assertError(String path, int status, String code, String field) throws Exception {
        Response r = service.get(path);
        assertThat(r.status()).as(path + " " + r.body()).isEqualTo(status);
        JsonNode error = Json.mapper().readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).as(path).isEqualTo(code);
        assertThat(error.at("/details/field").asText()).as(path).isEqualTo(field);
    }

    @Test
    void lineageHealthReportsTheGraph() throws Exception {
        JsonNode health = get("/api/lineage/health");
        assertThat(health.get("status").asText()).isEqualTo("healthy");
        JsonNode graph = health.at("/components/graph");
        assertThat(graph.get("status").asText()).isEqualTo("healthy");
        assertThat(graph.get("query_latency_ms").asDouble()).isPositive();
        assertThat(health.at("/components/schema/objects").toString()).contains("lineage_patterns");
    }

    private static javax.sql.DataSource dataSource() {
        org.postgresql.ds.PGSimpleDataSource ds = new org.postgresql.ds.PGSimpleDataSource();
        dev.archon.traceability.db.PostgresUrl url = dev.archon.traceability.db.PostgresUrl.parse(db);
        ds.setUrl(url.jdbcUrl());
        ds.setUser(url.user());
        ds.setPassword(url.password());
        return ds;
    }
}
