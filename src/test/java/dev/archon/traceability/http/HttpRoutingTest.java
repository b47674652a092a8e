package dev.archon.traceability.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the router answers when no route does: a handler that throws or fails the request, and any request while
 * Camel stops. A real Vert.x server with HttpRouting installed, and handlers that fail on purpose.
 */
class HttpRoutingTest {

    private final HttpClient client = HttpClient.newHttpClient();
    private Vertx vertx;
    private HttpServer server;
    private DefaultCamelContext camel;

    @BeforeEach
    void start() throws Exception {
        vertx = Vertx.vertx();
        camel = new DefaultCamelContext();
        camel.start();
        Router router = Router.router(vertx);
        HttpRouting.install(router, camel);
        router.get("/throws").handler(ctx -> {
            throw new IllegalStateException("a bug");
        });
        router.get("/too-large").handler(ctx -> ctx.fail(413));
        server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        camel.close();
    }

    @Test
    void aHandlerThatThrowsAnswersTheEnvelopeWithTheRequestsCorrelationId() throws Exception {
        HttpResponse<String> r = get("/throws", "req-1");
        assertThat(r.statusCode()).isEqualTo(500);
        assertThat(r.headers().firstValue("X-Correlation-ID")).contains("req-1");
        JsonNode error = Json.mapper().readTree(r.body()).get("error");
        assertThat(error.get("code").asText()).isEqualTo("INTERNAL_ERROR");
        assertThat(error.get("message").asText()).doesNotContain("a bug", "IllegalStateException")
                .contains("log", "correlation id");
        assertThat(error.get("correlation_id").asText()).isEqualTo("req-1");
    }

    @Test
    void aFailedStatusKeepsItsStatusInTheEnvelope() throws Exception {
        HttpResponse<String> r = get("/too-large", "req-2");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(Json.mapper().readTree(r.body()).get("error").get("code").asText()).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void whileCamelStopsEveryRequestAnswers503SendAgain() throws Exception {
        camel.stop();
        for (String path : new String[] {"/throws", "/no-such-path"}) {
            HttpResponse<String> r = get(path, "req-3");
            assertThat(r.statusCode()).as(path).isEqualTo(503);
            JsonNode error = Json.mapper().readTree(r.body()).get("error");
            assertThat(error.get("code").asText()).isEqualTo("SERVICE_UNAVAILABLE");
            assertThat(error.get("message").asText()).contains("stopping", "send again");
        }
    }

    private HttpResponse<String> get(String path, String correlationId) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.actualPort() + path))
                .header("X-Correlation-ID", correlationId).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
