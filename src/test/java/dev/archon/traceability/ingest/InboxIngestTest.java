package dev.archon.traceability.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.TcpProxy;
import dev.archon.traceability.support.TestPostgres;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.camel.component.file.GenericFileEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watched folders end to end: files dropped into {@code <inbox>/lineage} and {@code <inbox>/executions} the way
 * producers should (written under a dot-name, then renamed atomically) are read by the real service, their records
 * land in the database exactly once, and the file ends up in {@code .done/} or {@code .error/} with its reports.
 * One service and one fresh database for the class, reached through a proxy the outage test can cut; every test
 * uses patterns and events of its own, so counts are exact.
 */
class InboxIngestTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FILE_WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path inbox;

    private static String directUrl;
    private static TcpProxy proxy;
    private static RunningService service;

    /** Patterns of the current test, by the short label (A, B, ...) the assertions use. */
    private final Map<UUID, String> labels = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        directUrl = TestPostgres.server().createDatabase();
        URI direct = URI.create(directUrl);
        proxy = new TcpProxy(direct.getHost(), direct.getPort());
        String proxied = directUrl.replace(":" + direct.getPort() + "/", ":" + proxy.port() + "/");
        service = RunningService.onExternal(proxied, RunningService.props(
                "traceability.inbox.dir", inbox.toString(),
                "traceability.db.pool.connection-timeout", "2s"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (service != null) {
            service.close();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Lineage events over a file
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void theInboxRoutesReadExactlyTheFilesInboxFilesAccepts() {
        // the file rule is stated twice, in routes/ingest-files.yaml (the consumer's include) and in InboxFiles (the
        // backlog gauge, the ingestor): a rule changed in one place only would leave files unread or uncounted
        for (String route : List.of("ingest-lineage-files", "ingest-execution-files")) {
            GenericFileEndpoint<?> files = (GenericFileEndpoint<?>) service.main().getCamelContext().getRoute(route)
                    .getEndpoint();
            assertThat(files.getInclude()).as(route).isEqualTo(InboxFiles.INCLUDE);
        }
        assertThat(List.of("a.json", "b.ndjson", "c.jsonl")).allMatch(InboxFiles::accepts);
        assertThat(List.of(".a.json", "a.json.tmp", "a.txt", "a.JSON")).noneMatch(InboxFiles::accepts);
    }

    @Test
    void everyLineageEventTypeOverOneFile() throws Exception {
        UUID a = pattern("A");
        UUID b = pattern("B");
        UUID c = pattern("C");
        UUID d = pattern("D");
        UUID applied = UUID.randomUUID();
        List<UUID> eventIds = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        for (Map<String, Object> e : List.of(
                event("pattern_created", a, "pattern_name", "alpha", "pattern_type", "refactoring"),
                event("pattern_modified", a),
                event("pattern_modified", a, "is_improvement", true),
                event("pattern_forked", b, "pattern_name", "beta", "parent_pattern_ids", List.of(a)),
                event("pattern_created", c, "pattern_name", "gamma"),
                event("pattern_merged", a, "parent_pattern_ids", List.of(b, c)),
                event("pattern_created", d, "pattern_name", "delta"),
                event("pattern_deprecated", d, "replacement_pattern_id", a),
                event("pattern_applied", a, "event_id", applied, "correlation_id", "corr-applied",
                        "execution", Map.of("status", "success", "hook_name", "post-edit", "tool_name", "Edit",
                                "duration_ms", 42, "quality_score", 0.9)))) {
            e.putIfAbsent("event_id", UUID.randomUUID());
            eventIds.add((UUID) e.get("event_id"));
            lines.add(json(e));
        }

        drop("lineage", "all-types.ndjson", ndjson(lines));
        awaitDone("lineage", "all-types.ndjson");

        assertThat(nodes()).containsExactlyInAnyOrder(
                "A1 root active",
                "A2 <- A1 active",
                "A3 <- A2 active",
                "A4 <- A3 active",
                "B1 <- A3 merged",
                "C1 root merged",
                "D1 root deprecated");
        assertThat(edges()).containsExactlyInAnyOrder(
                "A1 -DERIVED_FROM-> A2",
                "A2 -IMPROVED_VERSION-> A3",
                "A3 -FORKED_FROM-> B1",
                "B1 -MERGED_INTO-> A4",
                "C1 -MERGED_INTO-> A4",
                "A3 -DERIVED_FROM-> A4",
                "D1 -DEPRECATED_BY-> A4");
        // one row per event: its type, the version it created or concerned, and the type of its (first) edge
        assertThat(events(eventIds)).containsExactlyInAnyOrder(
                "pattern_created A1",
                "pattern_modified A2 DERIVED_FROM",
                "pattern_modified A3 IMPROVED_VERSION",
                "pattern_forked B1 FORKED_FROM",
                "pattern_created C1",
                "pattern_merged A4 MERGED_INTO",
                "pattern_created D1",
                "pattern_deprecated D1 DEPRECATED_BY",
                "pattern_applied A4");
        // later versions keep the name of the pattern
        assertThat(strings("SELECT DISTINCT pattern_name FROM lineage_nodes WHERE pattern_id = ?", a))
                .containsExactly("alpha");

        // the applied event's execution record: its id is the event's, the version applied is the newest
        assertThat(strings("SELECT h.execution_id || ' ' || h.status || ' ' || h.hook_name || ' ' || h.tool_name"
                        + " || ' ' || h.duration_ms || ' ' || h.quality_score || ' ' || h.correlation_id"
                        + " || ' ' || n.version_number FROM hook_executions h JOIN lineage_nodes n"
                        + " ON n.node_id = h.node_id WHERE h.pattern_id = ?", a))
                .containsExactly(applied + " success post-edit Edit 42 0.9 corr-applied 4");

        assertThat(strings("SELECT lines || ' ' || stored || ' ' || duplicates || ' ' || rejected FROM ingest_files"
                + " WHERE file_name = ?", "all-types.ndjson")).containsExactly("9 9 0 0");
        assertThat(Files.exists(inbox.resolve("lineage/.error/all-types.ndjson.errors.json"))).isFalse();
    }

    @Test
    void jsonFileHoldingAnArrayAndOneHoldingASingleObject() throws Exception {
        UUID p = pattern("P");
        UUID q = pattern("Q");
        // an array, one element per line, ids left to the service
        drop("lineage", "array.json", "[\n"
                + json(event("pattern_created", p, "pattern_name", "p-name")) + ",\n"
                + json(event("pattern_modified", p, "is_improvement", false)) + "\n]\n");
        drop("lineage", "single.json", json(event("pattern_created", q, "event_id", UUID.randomUUID())));

        awaitDone("lineage", "array.json");
        awaitDone("lineage", "single.json");

        assertThat(nodes()).containsExactlyInAnyOrder("P1 root active", "P2 <- P1 active", "Q1 root active");
        assertThat(edges()).containsExactly("P1 -DERIVED_FROM-> P2");
        assertThat(count("SELECT count(*) FROM lineage_events e JOIN lineage_nodes n ON n.node_id = e.node_id"
                + " WHERE n.pattern_id IN (?, ?)", p, q)).isEqualTo(3);
    }

    /**
     * A .json array written on one line (what most JSON serialisers produce), its records without ids: every
     * element is stored (a missing id derives from the element's position, not its line).
     */
    @Test
    void jsonArrayOnOneLineStoresEveryElement() throws Exception {
        UUID p = pattern("P");
        UUID q = pattern("Q");
        drop("lineage", "compact.json", "[" + json(event("pattern_created", p)) + ","
                + json(event("pattern_created", q)) + "]");
        drop("executions", "compact.json", "[" + json(Map.of("pattern_id", p, "status", "success")) + ","
                + json(Map.of("pattern_id", p, "status", "failure")) + "]");
        awaitDone("lineage", "compact.json");
        awaitDone("executions", "compact.json");

        assertThat(nodes()).containsExactlyInAnyOrder("P1 root active", "Q1 root active");
        assertThat(strings("SELECT status FROM hook_executions WHERE pattern_id = ?", p))
                .containsExactlyInAnyOrder("success", "failure");
    }

    @Test
    void executionFilesInNdjsonAndJsonl() throws Exception {
        UUID x = pattern("X");
        UUID given = UUID.randomUUID();
        drop("executions", "runs.ndjson", ndjson(List.of(
                json(Map.of("execution_id", given, "pattern_id", x, "status", "success", "hook_name", "pre-commit",
                        "duration_ms", 12)),
                json(Map.of("pattern_id", x, "status", "failure", "hook_name", "pre-commit",
                        "error_message", "lint failed")))));
        drop("executions", "more.jsonl", json(Map.of("pattern_id", x, "status", "timeout", "hook_name", "post-edit"))
                + "\n");

        awaitDone("executions", "runs.ndjson");
        awaitDone("executions", "more.jsonl");

        assertThat(strings("SELECT status || ' ' || hook_name || ' ' || coalesce(error_message, '-')"
                + " FROM hook_executions WHERE pattern_id = ?", x)).containsExactlyInAnyOrder(
                "success pre-commit -", "failure pre-commit lint failed", "timeout post-edit -");
        assertThat(count("SELECT count(*) FROM hook_executions WHERE execution_id = ?", given)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM hook_execution_keys k JOIN hook_executions h USING (execution_id)"
                + " WHERE h.pattern_id = ?", x)).isEqualTo(3);
    }

    // ---------------------------------------------------------------------------------------------------------
    // Bad records, bad files, files not finished
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void goodLinesLandAndBadLinesAreReportedWithTheirReasons() throws Exception {
        UUID m = pattern("M");
        UUID unknown = UUID.randomUUID();
        String malformed = "{\"event_type\": \"pattern_created\", \"pattern_id\": ";
        String invalid = json(event("pattern_modified", m, "confidence_score", 1.5));
        String orphan = json(event("pattern_forked", pattern("N"), "parent_pattern_ids", List.of(unknown)));
        // the orphan is refused only at commit, after the lines below it failed when read: reports stay in file order
        drop("lineage", "mixed.ndjson", ndjson(List.of(
                json(event("pattern_created", m)),
                orphan,
                malformed,
                invalid,
                json(event("pattern_modified", m)))));

        awaitDone("lineage", "mixed.ndjson");

        assertThat(nodes()).containsExactlyInAnyOrder("M1 root active", "M2 <- M1 active");
        assertThat(Files.readAllLines(inbox.resolve("lineage/.error/mixed.ndjson.rejects.ndjson")))
                .containsExactly(orphan, malformed, invalid);

        JsonNode report = JSON.readTree(inbox.resolve("lineage/.error/mixed.ndjson.errors.json").toFile());
        assertThat(report.path("file").asText()).isEqualTo("mixed.ndjson");
        assertThat(report.path("records").asLong()).isEqualTo(5);
        assertThat(report.path("stored").asLong()).isEqualTo(2);
        assertThat(report.path("duplicates").asLong()).isZero();
        assertThat(report.path("rejected").asLong()).isEqualTo(3);
        Map<Integer, JsonNode> byLine = new LinkedHashMap<>();
        report.path("errors").forEach(e -> byLine.put(e.path("line").asInt(), e));
        assertThat(byLine.keySet()).containsExactly(2, 3, 4);
        assertThat(byLine.get(2).path("code").asText()).isEqualTo("INVALID_PATTERN_ID");
        assertThat(byLine.get(2).path("field").asText()).isEqualTo("parent_pattern_ids[0]");
        assertThat(byLine.get(2).path("reason").asText()).contains(unknown.toString());
        assertThat(byLine.get(3).path("code").asText()).isEqualTo("VALIDATION_FAILED");
        // the line of the file, and no parser internals
        assertThat(byLine.get(3).path("reason").asText()).startsWith("malformed JSON at line 3, column ")
                .doesNotContain("Source", "REDACTED", "StreamRead", "`");
        assertThat(byLine.get(4).path("code").asText()).isEqualTo("VALIDATION_FAILED");
        assertThat(byLine.get(4).path("field").asText()).isEqualTo("confidence_score");
        assertThat(byLine.get(4).path("reason").asText()).contains("between 0 and 1");

        assertThat(strings("SELECT lines || ' ' || stored || ' ' || duplicates || ' ' || rejected FROM ingest_files"
                + " WHERE file_name = ?", "mixed.ndjson")).containsExactly("5 2 0 3");
        assertThat(listing("lineage/.error")).filteredOn(n -> n.startsWith("mixed"))
                .containsExactlyInAnyOrder("mixed.ndjson.rejects.ndjson", "mixed.ndjson.errors.json");
    }

    @Test
    void unreadableFileMovesToErrorAndNothingOfItIsStored() throws Exception {
        UUID u = pattern("U");
        // a complete, valid first element, then the array is cut off
        drop("lineage", "truncated.json", "[" + json(event("pattern_created", u)) + ",\n{\"event_type\": \"pat");

        JsonNode report = awaitError("lineage", "truncated.json");

        assertThat(Files.exists(inbox.resolve("lineage/.error/truncated.json"))).isTrue();
        assertThat(Files.exists(inbox.resolve("lineage/truncated.json"))).isFalse();
        assertThat(Files.exists(inbox.resolve("lineage/.done/truncated.json"))).isFalse();
        assertThat(report.path("file").asText()).isEqualTo("truncated.json");
        assertThat(report.path("status").asText()).isEqualTo("unreadable");
        assertThat(report.path("reason").asText()).isNotBlank();
        assertThat(report.path("stored").asInt()).isZero();
        assertThat(nodes()).isEmpty();
        assertThat(count("SELECT count(*) FROM ingest_files WHERE file_name = ?", "truncated.json")).isZero();
    }

    @Test
    void fileStillBeingWrittenIsNotReadUntilRenamed() throws Exception {
        UUID l = pattern("L");
        UUID k = pattern("K");
        Path dir = Files.createDirectories(inbox.resolve("lineage"));
        Path dotted = dir.resolve(".late.ndjson");
        Path tmp = dir.resolve("later.ndjson.tmp");
        Files.writeString(dotted, json(event("pattern_created", l)) + "\n");
        Files.writeString(tmp, json(event("pattern_created", k)) + "\n");

        // several poll cycles (500 ms each) go by: neither file is touched
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> Files.exists(dotted) && Files.exists(tmp)
                        && listing("lineage/.done").stream().noneMatch(n -> n.contains("late"))
                        && listing("lineage/.error").stream().noneMatch(n -> n.contains("late"))
                        && nodes().isEmpty());

        Files.move(dotted, dir.resolve("late.ndjson"), StandardCopyOption.ATOMIC_MOVE);
        Files.move(tmp, dir.resolve("later.ndjson"), StandardCopyOption.ATOMIC_MOVE);
        awaitDone("lineage", "late.ndjson");
        awaitDone("lineage", "later.ndjson");
        assertThat(nodes()).containsExactlyInAnyOrder("L1 root active", "K1 root active");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Nothing twice
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void sameContentDroppedAgainStoresNothingTwice() throws Exception {
        UUID r = pattern("R");
        // no event ids: the service derives them from the file's content and line
        String content = ndjson(List.of(
                json(event("pattern_created", r)),
                json(event("pattern_modified", r)),
                json(event("pattern_applied", r, "execution", Map.of("status", "success")))));
        drop("lineage", "again.ndjson", content);
        awaitDone("lineage", "again.ndjson");
        assertThat(nodes()).containsExactlyInAnyOrder("R1 root active", "R2 <- R1 active");
        String sha = strings("SELECT sha256 FROM ingest_files WHERE file_name = ?", "again.ndjson").get(0);
        long[] before = rowCounts();
        assertThat(before).containsExactly(2, 1, 3, 1);

        // the same content under a new name
        drop("lineage", "again-copy.ndjson", content);
        awaitDone("lineage", "again-copy.ndjson");
        assertThat(rowCounts()).containsExactly(before);

        // the same name again, after the first is done: kept beside the first in .done/
        drop("lineage", "again.ndjson", content);
        awaitGone("lineage", "again.ndjson");
        assertThat(listing("lineage/.done")).filteredOn(n -> n.startsWith("again.ndjson")).hasSize(2);
        assertThat(rowCounts()).containsExactly(before);

        // as after a crash between the last commit and the bookkeeping: every line is recognised by its derived id
        execute("DELETE FROM ingest_files WHERE sha256 = ?", sha);
        drop("lineage", "again-after-crash.ndjson", content);
        awaitDone("lineage", "again-after-crash.ndjson");
        assertThat(rowCounts()).containsExactly(before);
        assertThat(strings("SELECT lines || ' ' || stored || ' ' || duplicates || ' ' || rejected FROM ingest_files"
                + " WHERE sha256 = ?", sha)).containsExactly("3 0 3 0");
        assertThat(listing("lineage/.error")).noneMatch(n -> n.startsWith("again"));
    }

    @Test
    void eventPostedOverHttpThenInAFileIsStoredOnce() throws Exception {
        UUID h = pattern("H");
        UUID eventId = UUID.randomUUID();
        String created = json(event("pattern_created", h, "event_id", eventId, "pattern_name", "http-first"));
        Response posted = service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(created)));
        assertThat(posted.status()).as(posted.body()).isEqualTo(201);
        double duplicatesBefore = metric("ingest_items_total", "kind", "lineage", "transport", "file",
                "outcome", "duplicate");
        double storedBefore = metric("ingest_items_total", "kind", "lineage", "transport", "file",
                "outcome", "stored");

        drop("lineage", "after-http.ndjson", ndjson(List.of(created, json(event("pattern_modified", h)))));
        awaitDone("lineage", "after-http.ndjson");

        assertThat(count("SELECT count(*) FROM lineage_events WHERE event_id = ?", eventId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM lineage_event_keys WHERE event_id = ?", eventId)).isEqualTo(1);
        assertThat(nodes()).containsExactlyInAnyOrder("H1 root active", "H2 <- H1 active");
        assertThat(strings("SELECT lines || ' ' || stored || ' ' || duplicates || ' ' || rejected FROM ingest_files"
                + " WHERE file_name = ?", "after-http.ndjson")).containsExactly("2 1 1 0");
        assertThat(metric("ingest_items_total", "kind", "lineage", "transport", "file", "outcome", "duplicate"))
                .isEqualTo(duplicatesBefore + 1);
        assertThat(metric("ingest_items_total", "kind", "lineage", "transport", "file", "outcome", "stored"))
                .isEqualTo(storedBefore + 1);
    }

    // ---------------------------------------------------------------------------------------------------------
    // The database goes away
    // ---------------------------------------------------------------------------------------------------------

    @Test
    void whileTheDatabaseIsDownHttpAnswers503AndFilesWaitThenEverythingLandsOnce() throws Exception {
        UUID acknowledged = pattern("ACK");
        assertThat(post(json(event("pattern_created", acknowledged))).status()).isEqualTo(201);
        UUID o = pattern("O");
        UUID applied = UUID.randomUUID();
        String content = ndjson(List.of(
                json(event("pattern_created", o)),
                json(event("pattern_modified", o, "is_improvement", true)),
                json(event("pattern_applied", o, "event_id", applied, "execution", Map.of("status", "success")))));
        Path file = inbox.resolve("lineage/outage.ndjson");
        UUID refused = pattern("REFUSED");
        proxy.cut();
        try {
            Response down = post(json(event("pattern_created", refused)));
            assertThat(down.status()).as(down.body()).isEqualTo(503);
            assertThat(down.body()).contains("\"code\":\"DATABASE_ERROR\"");
            drop("lineage", "outage.ndjson", content);
            await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(8)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.exists(file)
                            && !Files.exists(inbox.resolve("lineage/.done/outage.ndjson"))
                            && !Files.exists(inbox.resolve("lineage/.error/outage.ndjson"))
                            && !Files.exists(inbox.resolve("lineage/.error/outage.ndjson.errors.json")));
        } finally {
            proxy.restore();
        }

        awaitDone("lineage", "outage.ndjson");
        assertThat(nodes()).containsExactlyInAnyOrder("ACK1 root active", "O1 root active", "O2 <- O1 active");
        assertThat(edges()).containsExactly("O1 -IMPROVED_VERSION-> O2");
        assertThat(count("SELECT count(*) FROM lineage_events e JOIN lineage_nodes n ON n.node_id = e.node_id"
                + " WHERE n.pattern_id = ?", o)).isEqualTo(3);
        assertThat(count("SELECT count(*) FROM hook_executions WHERE pattern_id = ?", o)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM hook_executions WHERE execution_id = ?", applied)).isEqualTo(1);
        assertThat(strings("SELECT lines || ' ' || stored || ' ' || duplicates || ' ' || rejected FROM ingest_files"
                + " WHERE file_name = ?", "outage.ndjson")).containsExactly("3 3 0 0");
        assertThat(listing("lineage/.error")).noneMatch(n -> n.startsWith("outage"));
        // what was acknowledged before the outage is there; what got 503 was not stored and can be sent again
        assertThat(count("SELECT count(*) FROM lineage_nodes WHERE pattern_id = ?", acknowledged)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM lineage_nodes WHERE pattern_id = ?", refused)).isZero();
        assertThat(post(json(event("pattern_created", refused))).status()).isEqualTo(201);
    }

    private static Response post(String event) {
        return service.send(HttpRequest.newBuilder(service.uri("/api/lineage/track"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(event)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers: files
    // ---------------------------------------------------------------------------------------------------------

    /** Drops a file as producers should: written under a dot-name, then renamed atomically. */
    private static void drop(String kind, String name, String content) throws IOException {
        Path dir = Files.createDirectories(inbox.resolve(kind));
        Path partial = dir.resolve("." + name + ".part");
        Files.writeString(partial, content, StandardCharsets.UTF_8);
        Files.move(partial, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
    }

    /** Waits until the file has been moved to .done/ (which happens after its last commit). */
    private static Path awaitDone(String kind, String name) {
        Path done = inbox.resolve(kind).resolve(".done").resolve(name);
        await("%s/%s in .done/".formatted(kind, name)).atMost(FILE_WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.exists(done) && !Files.exists(inbox.resolve(kind).resolve(name)));
        return done;
    }

    /** Waits until the file has left the inbox, wherever it went. */
    private static void awaitGone(String kind, String name) {
        await("%s/%s picked up".formatted(kind, name)).atMost(FILE_WAIT).pollInterval(Duration.ofMillis(100))
                .until(() -> !Files.exists(inbox.resolve(kind).resolve(name)));
    }

    /** Waits until the file is in .error/ with its (complete) errors.json, and returns that report. */
    private static JsonNode awaitError(String kind, String name) {
        Path report = inbox.resolve(kind).resolve(".error").resolve(name + ".errors.json");
        return await("%s/%s in .error/".formatted(kind, name)).atMost(FILE_WAIT).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .until(() -> JSON.readTree(report.toFile()), r -> r != null && r.has("status"));
    }

    private static List<String> listing(String relative) throws IOException {
        Path dir = inbox.resolve(relative);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).toList();
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers: records
    // ---------------------------------------------------------------------------------------------------------

    /** A new pattern id known to the assertions by {@code label}. */
    private UUID pattern(String label) {
        UUID id = UUID.randomUUID();
        labels.put(id, label);
        return id;
    }

    private static Map<String, Object> event(String type, UUID patternId, Object... more) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("event_type", type);
        e.put("pattern_id", patternId);
        for (int i = 0; i < more.length; i += 2) {
            e.put((String) more[i], more[i + 1]);
        }
        return e;
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static String ndjson(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers: database (queried directly, not through the proxy) and metrics
    // ---------------------------------------------------------------------------------------------------------

    /** This test's versions as "A2 <- A1 active" (or "A1 root active"). */
    private List<String> nodes() throws SQLException {
        List<String> out = new ArrayList<>();
        query("SELECT n.pattern_id, n.version_number, p.pattern_id, p.version_number, n.status FROM lineage_nodes n"
                + " LEFT JOIN lineage_nodes p ON p.node_id = n.parent_node_id WHERE n.pattern_id = ANY (?)",
                rs -> out.add(node(rs, 1) + (rs.getObject(3) == null ? " root " : " <- " + node(rs, 3) + " ")
                        + rs.getString(5)),
                labels.keySet());
        return out;
    }

    /** Edges touching this test's patterns as "A1 -DERIVED_FROM-> A2" (source is the older version). */
    private List<String> edges() throws SQLException {
        List<String> out = new ArrayList<>();
        query("SELECT s.pattern_id, s.version_number, t.pattern_id, t.version_number, e.edge_type"
                + " FROM lineage_edges e JOIN lineage_nodes s ON s.node_id = e.source_node_id"
                + " JOIN lineage_nodes t ON t.node_id = e.target_node_id"
                + " WHERE s.pattern_id = ANY (?) OR t.pattern_id = ANY (?)",
                rs -> out.add(node(rs, 1) + " -" + rs.getString(5) + "-> " + node(rs, 3)),
                labels.keySet(), labels.keySet());
        return out;
    }

    /** The events stored under these ids as "pattern_modified A2 DERIVED_FROM": type, version, type of edge. */
    private List<String> events(Collection<UUID> eventIds) throws SQLException {
        List<String> out = new ArrayList<>();
        query("SELECT e.event_type, n.pattern_id, n.version_number, ed.edge_type FROM lineage_events e"
                + " LEFT JOIN lineage_nodes n ON n.node_id = e.node_id"
                + " LEFT JOIN lineage_edges ed ON ed.edge_id = e.edge_id WHERE e.event_id = ANY (?)",
                rs -> out.add(rs.getString(1) + (rs.getObject(2) == null ? "" : " " + node(rs, 2))
                        + (rs.getString(4) == null ? "" : " " + rs.getString(4))),
                eventIds);
        return out;
    }

    private String node(ResultSet rs, int column) throws SQLException {
        return labels.getOrDefault(rs.getObject(column, UUID.class), "?") + rs.getInt(column + 1);
    }

    /** Rows of this test's patterns: nodes, edges, events, executions. */
    private long[] rowCounts() throws SQLException {
        return new long[] {
            count("SELECT count(*) FROM lineage_nodes WHERE pattern_id = ANY (?)", labels.keySet()),
            count("SELECT count(*) FROM lineage_edges e JOIN lineage_nodes n ON n.node_id = e.target_node_id"
                    + " WHERE n.pattern_id = ANY (?)", labels.keySet()),
            count("SELECT count(*) FROM lineage_events e JOIN lineage_nodes n ON n.node_id = e.node_id"
                    + " WHERE n.pattern_id = ANY (?)", labels.keySet()),
            count("SELECT count(*) FROM hook_executions WHERE pattern_id = ANY (?)", labels.keySet()),
        };
    }

    private static long count(String sql, Object... args) throws SQLException {
        long[] n = new long[1];
        query(sql, rs -> n[0] = rs.getLong(1), args);
        return n[0];
    }

    private static List<String> strings(String sql, Object... args) throws SQLException {
        List<String> out = new ArrayList<>();
        query(sql, rs -> out.add(rs.getString(1)), args);
        return out;
    }

    private static void execute(String sql, Object... args) throws SQLException {
        try (Connection c = TestPostgres.connect(directUrl); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            ps.executeUpdate();
        }
    }

    private interface RowHandler {
        void row(ResultSet rs) throws SQLException;
    }

    private static void query(String sql, RowHandler handler, Object... args) throws SQLException {
        try (Connection c = TestPostgres.connect(directUrl); PreparedStatement ps = c.prepareStatement(sql)) {
            bind(c, ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    handler.row(rs);
                }
            }
        }
    }

    private static void bind(Connection c, PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof Collection<?> ids) {
                ps.setArray(i + 1, c.createArrayOf("uuid", ids.toArray()));
            } else {
                ps.setObject(i + 1, args[i]);
            }
        }
    }

    /** The value of a Prometheus sample at /observe/metrics with these labels (0 when absent). */
    private static double metric(String name, String... labelPairs) {
        Response r = service.get("/observe/metrics");
        assertThat(r.status()).isEqualTo(200);
        return r.body().lines()
                .filter(l -> l.startsWith(name + "{"))
                .filter(l -> {
                    String tags = l.substring(l.indexOf('{'), l.lastIndexOf('}') + 1);
                    for (int i = 0; i < labelPairs.length; i += 2) {
                        if (!tags.contains(labelPairs[i] + "=\"" + labelPairs[i + 1] + "\"")) {
                            return false;
                        }
                    }
                    return true;
                })
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .findFirst().orElse(0);
    }
}
