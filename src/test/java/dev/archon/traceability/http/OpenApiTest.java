package dev.archon.traceability.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import dev.archon.traceability.support.SchemaCheck;
import dev.archon.traceability.support.TestPostgres;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * GET /api/openapi.json against the running service: a valid OpenAPI document by swagger-parser (no error, no
 * warning); every path and method Camel serves over platform-http, found in the running context, is in it and
 * nothing else is; every operation says what it takes and gives; and real answers match the schemas documented for
 * their status.
 */
class OpenApiTest {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    private static String db;
    private static RunningService service;
    private static String text;
    private static JsonNode doc;

    @BeforeAll
    static void start() throws Exception {
        db = TestPostgres.server().createDatabase();
        service = RunningService.onExternal(db, RunningService.props());
        Response r = service.get("/api/openapi.json");
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.contentType()).startsWith("application/json");
        text = r.body();
        doc = Json.mapper().readTree(text);
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void swaggerParserReadsTheDocumentWithoutAnErrorOrAWarning() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(text, null, options);
        assertThat(parsed.getMessages()).as("errors and warnings").isEmpty();
        assertThat(parsed.getOpenAPI().getOpenapi()).startsWith("3.0");
        assertThat(parsed.getOpenAPI().getComponents().getSchemas()).containsKey("ErrorEnvelope")
                .hasSizeGreaterThan(20);
    }

    @Test
    void aSummaryIsTheDescriptionsFirstSentenceOutsideBrackets() {
        String patterns = "Patterns by name (q: prefix or substring), type and status. Keyset-paginated.";
        assertThat(patterns.substring(0, OpenApiDocument.sentenceEnd(patterns)))
                .isEqualTo("Patterns by name (q: prefix or substring), type and status");
        String health = "The lineage service's health: database, lineage tables";
        assertThat(health.substring(0, OpenApiDocument.sentenceEnd(health))).isEqualTo("The lineage service's health");
        String longOne = "A JSON array of lineage events (as for /api/lineage/track), applied in order in one"
                + " transaction, so an event may refer to a pattern created earlier in the same array. More.";
        assertThat(longOne.substring(0, OpenApiDocument.sentenceEnd(longOne))).isEqualTo("A JSON array of lineage"
                + " events (as for /api/lineage/track), applied in order in one transaction");
        assertThat(OpenApiDocument.sentenceEnd("One workflow.")).isEqualTo(12);
    }

    @Test
    void theErrorCodesAreTheServices() {
        List<String> documented = new ArrayList<>();
        doc.at("/components/schemas/ErrorCode/enum").forEach(c -> documented.add(c.asText()));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(
                Stream.of(ErrorCode.values()).map(Enum::name).toList());
    }

    @Test
    void everyPathCamelServesIsDocumentedWithItsMethodsAndNothingElse() {
        Map<String, Set<String>> served = served(service.main().getCamelContext());
        assertThat(served).containsKeys("/health", "/api/executions", "/api/openapi.json");
        assertThat(served.get("/api/executions")).containsExactly("GET", "POST");

        Map<String, Set<String>> documented = new TreeMap<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> {
            if (METHODS.contains(m)) {
                documented.computeIfAbsent(p.getKey(), k -> new TreeSet<>()).add(m.toUpperCase(Locale.ROOT));
            }
        }));
        assertThat(documented).isEqualTo(served);
    }

    /** Every platform-http path Camel serves (REST DSL, management, any route from platform-http), with methods. */
    private static Map<String, Set<String>> served(CamelContext camel) {
        PlatformHttpComponent http = camel.getComponent("platform-http", PlatformHttpComponent.class);
        Map<String, Set<String>> served = new TreeMap<>();
        Stream.concat(http.getHttpEndpoints().stream(), http.getHttpManagementEndpoints().stream())
                .forEach(e -> add(served, e.getUri(), e.getVerbs()));
        camel.getRoutes().stream().filter(r -> r.getConsumer() != null)
                .map(r -> r.getConsumer().getEndpoint())
                .filter(e -> e instanceof PlatformHttpEndpoint)
                .map(e -> (PlatformHttpEndpoint) e)
                .forEach(e -> add(served, e.getPath(), e.getHttpMethodRestrict()));
        return served;
    }

    private static void add(Map<String, Set<String>> served, String path, String verbs) {
        Set<String> methods = served.computeIfAbsent(path, k -> new TreeSet<>());
        for (String verb : (verbs == null ? "GET" : verbs).split(",")) {
            methods.add(verb.trim().toUpperCase(Locale.ROOT));
        }
    }

    @Test
    void everyOperationSaysWhatItTakesAndGives() {
        SchemaCheck schemas = new SchemaCheck(doc);
        List<String> gaps = new ArrayList<>();
        doc.get("paths").fields().forEachRemaining(p -> p.getValue().fields().forEachRemaining(m -> {
            if (!METHODS.contains(m.getKey())) {
                return;
            }
            String op = m.getKey().toUpperCase(Locale.ROOT) + " " + p.getKey();
            JsonNode operation = m.getValue();
            if (operation.path("summary").asText().isBlank()) {
                gaps.add(op + ": no summary");
            }
            Set<String> pathParams = new TreeSet<>();
            for (JsonNode param : operation.path("parameters")) {
                JsonNode resolved = schemas.resolve(param);
                JsonNode schema = schemas.resolve(resolved.path("schema"));
                if (!schema.has("type")) {
                    gaps.add(op + ": parameter " + resolved.path("name").asText() + " has no type");
                }
                if (resolved.path("in").asText().equals("path")) {
                    pathParams.add(resolved.path("name").asText());
                }
            }
            Matcher templates = Pattern.compile("\\{([^}]+)}").matcher(p.getKey());
            while (templates.find()) {
                if (!pathParams.contains(templates.group(1))) {
                    gaps.add(op + ": path parameter " + templates.group(1) + " is not declared");
                }
            }
            if (operation.has("requestBody")) {
                schemas.resolve(operation.get("requestBody")).path("content").fields().forEachRemaining(c -> {
                    if (!c.getValue().has("schema")) {
                        gaps.add(op + ": request " + c.getKey() + " has no schema");
                    }
                });
            }
            if (!operation.path("responses").has("default")) {
                gaps.add(op + ": no default (error) answer");
            }
            operation.path("responses").fields().forEachRemaining(r -> {
                if (r.getValue().path("content").isEmpty()) {
                    gaps.add(op + ": answer " + r.getKey() + " has no content");
                }
                r.getValue().path("content").fields().forEachRemaining(c -> {
                    if (!c.getValue().has("schema")) {
                        gaps.add(op + ": answer " + r.getKey() + " " + c.getKey() + " has no schema");
                    }
                });
                if (!r.getKey().startsWith("2") && !r.getValue().toString().contains("ErrorEnvelope")
                        && !(p.getKey().startsWith("/api/pattern-traceability/")
                        && r.getValue().toString().contains("ArchonError"))
                        && !r.getValue().toString().contains("HealthReport")
                        && !r.getValue().toString().contains("CamelHealth")) {
                    gaps.add(op + ": answer " + r.getKey() + " is not the error envelope");
                }
            });
        }));
        assertThat(gaps).isEmpty();
    }

    @Test
    void executionsTakeJsonAndNdjsonAndHealthHasSummaries() {
        SchemaCheck schemas = new SchemaCheck(doc);
        JsonNode body = schemas.resolve(doc.at("/paths/~1api~1executions/post/requestBody"));
        List<String> types = new ArrayList<>();
        body.get("content").fieldNames().forEachRemaining(types::add);
        assertThat(types).contains("application/json", "application/x-ndjson");
        for (String health : List.of("/health", "/api/lineage/health", "/api/analytics/health",
                "/api/feedback-loop/health")) {
            assertThat(doc.at("/paths/" + health.replace("/", "~1") + "/get/summary").asText()).as(health)
                    .isNotBlank();
        }
        assertThat(doc.at("/paths/~1api~1executions/get/parameters").toString())
                .contains("\"maximum\":500", "\"enum\":[\"success\",\"failure\",\"timeout\"]");
    }

    @Test
    void realAnswersMatchTheSchemasDocumentedForTheirStatus() throws Exception {
        String name = "openapi-" + UUID.randomUUID();
        UUID eventId = UUID.randomUUID();
        String created = "{\"event_type\":\"pattern_created\",\"pattern_name\":\"" + name + "\",\"event_id\":\""
                + eventId + "\",\"performance_baseline\":{\"p50_ms\":10}}";
        JsonNode stored = check("POST", "/api/lineage/track", created, 201);
        String pattern = stored.get("pattern_id").asText();
        String node = stored.get("node_id").asText();
        check("POST", "/api/lineage/track", created, 200);
        check("POST", "/api/lineage/track", "{\"event_type\":\"pattern_modified\"}", 400);
        check("POST", "/api/lineage/track", "{\"event_type\":\"pattern_created\",\"pattern_name\":\"" + name + "\"}",
                409);
        check("POST", "/api/lineage/track", "{\"event_type\":\"pattern_modified\",\"pattern_name\":\"none-"
                + UUID.randomUUID() + "\"}", 422);
        JsonNode modified = check("POST", "/api/lineage/track", "{\"event_type\":\"pattern_modified\","
                + "\"pattern_name\":\"" + name + "\",\"is_improvement\":true}", 201);
        check("POST", "/api/lineage/track/batch", "[{\"event_type\":\"pattern_applied\",\"pattern_id\":\"" + pattern
                + "\",\"execution\":{\"status\":\"success\",\"duration_ms\":12}},{\"event_type\":\"nope\"}]", 200);
        String execution = "{\"pattern_id\":\"" + pattern + "\",\"status\":\"success\",\"duration_ms\":5,\"agent\":"
                + "\"coder\",\"quality_score\":0.9}";
        check("POST", "/api/executions", execution, 201);
        check("POST", "/api/executions", "[" + execution + ",{\"status\":\"nope\"}]", 200);
        check("POST", "/api/executions", "application/x-ndjson", execution + "\n{oops\n", 200);
        check("POST", "/api/executions", "text/plain", execution, 415);
        check("POST", "/api/feedback", "{\"pattern_id\":\"" + pattern + "\",\"rating\":4}", 201);
        check("POST", "/api/feedback", "[{\"pattern_id\":\"" + pattern + "\",\"rating\":2},{\"rating\":9}]", 200);

        check("GET", "/api/lineage/patterns?q=openapi", null, 200);
        check("GET", "/api/lineage/patterns?limit=0", null, 400);
        check("GET", "/api/lineage/" + pattern, null, 200);
        check("GET", "/api/lineage/" + UUID.randomUUID(), null, 404);
        String child = modified.get("node_id").asText();
        check("GET", "/api/lineage/" + pattern + "/ancestors/" + child, null, 200);
        check("GET", "/api/lineage/" + pattern + "/descendants/" + node, null, 200);
        check("GET", "/api/lineage/" + pattern + "/path/" + child, null, 200);
        check("GET", "/api/analytics/pattern/" + pattern + "?time_window=daily", null, 200);
        check("GET", "/api/analytics/pattern/" + pattern + "?time_window=never", null, 400);
        check("GET", "/api/analytics/trends?min_executions=1", null, 200);
        check("GET", "/api/executions?agent=coder&limit=1", null, 200);
        check("GET", "/api/executions/summary?group_by=agent", null, 200);
        check("GET", "/api/feedback/pattern/" + pattern, null, 200);

        JsonNode workflow = check("POST", "/api/feedback-loop/trigger", "{\"pattern_id\":\"" + pattern + "\"}", 202);
        check("GET", "/api/feedback-loop/status", null, 200);
        check("GET", "/api/feedback-loop/status/" + workflow.get("workflow_id").asText(), null, 200);
        check("GET", "/api/feedback-loop/proposals?pattern_id=" + pattern, null, 200);
        check("POST", "/api/feedback-loop/proposals/" + UUID.randomUUID() + "/reject", "{}", 404);

        for (String health : List.of("/health", "/api/lineage/health", "/api/analytics/health",
                "/api/feedback-loop/health")) {
            check("GET", health, null, 200);
        }
        check("GET", "/api/admin/jobs", null, 200);
        check("GET", "/api/admin/jobs/health-check/runs?limit=5", null, 200);
        check("POST", "/api/admin/jobs/health-check/run?dry_run=true", null, 202);
        check("POST", "/api/admin/restore", "{\"dump\":\"no-such.dump\"}", 400);
        check("GET", "/api/openapi.json", null, 200);
        check("GET", "/observe/health", null, 200);
        assertThat(service.get("/metrics").contentType()).startsWith("text/plain");
        assertThat(doc.at("/paths/~1metrics/get/responses/200/content").has("text/plain")).isTrue();
    }

    private static JsonNode check(String method, String path, String body, int status) throws Exception {
        return check(method, path, "application/json", body, status);
    }

    /** Sends the request, expects the status, and checks the answer against the schema documented for it. */
    private static JsonNode check(String method, String pathAndQuery, String contentType, String body, int status)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(service.uri(pathAndQuery));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        Response r = service.send(request);
        String call = method + " " + pathAndQuery;
        assertThat(r.status()).as(call + ": " + r.body()).isEqualTo(status);
        JsonNode answer = Json.mapper().readTree(r.body());
        JsonNode operation = operation(method, pathAndQuery.split("\\?")[0]);
        JsonNode responses = operation.get("responses");
        JsonNode documented = responses.has(String.valueOf(status)) ? responses.get(String.valueOf(status))
                : responses.get("default");
        SchemaCheck schemas = new SchemaCheck(doc);
        JsonNode schema = schemas.resolve(documented).at("/content/application~1json/schema");
        assertThat(schema.isMissingNode()).as(call + " documents no JSON schema for " + status).isFalse();
        assertThat(schemas.errors(schema, answer)).as(call + " answered " + r.body()).isEmpty();
        return answer;
    }

    /** The operation documented for a path: its own entry, else the first template that matches it. */
    private static JsonNode operation(String method, String path) {
        JsonNode exact = doc.get("paths").path(path).get(method.toLowerCase(Locale.ROOT));
        if (exact != null) {
            return exact;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = doc.get("paths").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            JsonNode op = p.getValue().get(method.toLowerCase(Locale.ROOT));
            if (op != null && HttpRouting.matches(p.getKey(), path)) {
                return op;
            }
        }
        throw new AssertionError(method + " " + path + " is not documented");
    }
}
