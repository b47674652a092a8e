package dev.archon.traceability.compat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import dev.archon.traceability.support.RunningService;
import dev.archon.traceability.support.RunningService.Response;
import java.net.http.HttpRequest;

/** Requests as the as-built API's clients send them (requests' json=: application/json), and their answers. */
final class CompatClient {

    static final String PREFIX = "/api/pattern-traceability";

    private final RunningService service;

    CompatClient(RunningService service) {
        this.service = service;
    }

    Response post(String path, String json) {
        return service.send(HttpRequest.newBuilder(service.uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response get(String path) {
        return service.get(path);
    }

    /** POST to the prefix; asserts exactly 200 (what the strictest client counts as success) and returns the body. */
    JsonNode ok(String path, String json) {
        Response r = post(PREFIX + path, json);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
        return body(r);
    }

    JsonNode okGet(String path) {
        Response r = get(PREFIX + path);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(200);
        return body(r);
    }

    /** POST to the prefix; asserts the status and that the body is FastAPI's {"detail": ...}. */
    JsonNode fails(String path, String json, int status) {
        Response r = post(PREFIX + path, json);
        assertThat(r.status()).as(path + " -> " + r.body()).isEqualTo(status);
        JsonNode body = body(r);
        assertThat(body.has("detail")).as(r.body()).isTrue();
        return body.get("detail");
    }

    static JsonNode body(Response r) {
        assertThat(r.contentType()).startsWith("application/json");
        try {
            return Json.mapper().readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + r.body(), e);
        }
    }
}
