package dev.archon.traceability.http;

import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.json.Json;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerResponse;
import java.util.UUID;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * An HTTP answer, and the one way every endpoint writes one: status, compact JSON body, and the correlation id
 * (the request's {@value #CORRELATION_ID} header, or a new one) both in the {@value #CORRELATION_ID} response header
 * and, for errors, in the envelope {@code {"error":{"code","message","details","correlation_id"}}}. A body that
 * is already JSON text is given as its bytes.
 */
public record HttpAnswer(int status, Object body) {

    public static final String CORRELATION_ID = "X-Correlation-ID";

    public static HttpAnswer ok(Object body) {
        return new HttpAnswer(200, body);
    }

    public static HttpAnswer error(Problem problem, String correlationId) {
        return new HttpAnswer(problem.httpStatus(), problem.envelope(correlationId));
    }

    /**
     * The request's correlation id: its header (every request gets one from {@link HttpRouting} before any route
     * runs), or a new one for a message that did not come over HTTP.
     */
    public static String correlationId(Message in) {
        String id = in.getHeader(CORRELATION_ID, String.class);
        if (id == null || id.isBlank()) {
            id = UUID.randomUUID().toString();
            in.setHeader(CORRELATION_ID, id);
        }
        return id;
    }

    /** Writes this answer as the exchange's HTTP response. */
    public void writeTo(Exchange exchange) {
        Message out = exchange.getMessage();
        out.setHeader(CORRELATION_ID, correlationId(out));
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        out.setHeader(Exchange.CONTENT_TYPE, "application/json");
        out.setBody(body instanceof byte[] json ? json : Json.bytes(body));
    }

    /** Writes this answer straight to Vert.x, for requests that no route serves (404, 405, a suspended route). */
    void writeTo(HttpServerResponse response, String correlationId) {
        if (!response.ended()) {
            response.setStatusCode(status).putHeader("Content-Type", "application/json")
                    .putHeader(CORRELATION_ID, correlationId).end(Buffer.buffer(Json.bytes(body)));
        }
    }
}
