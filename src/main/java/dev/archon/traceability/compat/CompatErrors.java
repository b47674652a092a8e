package dev.archon.traceability.compat;

import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.http.HttpAnswer;
import dev.archon.traceability.http.HttpErrors;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * How the as-built prefix answers a failure: FastAPI's {@code {"detail": ...}} with the statuses its clients rely on
 * (the {@code compat-errors} route configuration of routes/compat-api.yaml). A {@link CompatException} answers
 * itself; any other failure goes through our one classifier ({@link HttpErrors#problemOf}) and keeps its status,
 * except that the statuses this prefix never answers are mapped: 409 becomes 400 (a semantic refusal), and our 422s
 * (a parameter out of range) become pydantic's 422 list. Database unavailable is 503, a timeout 504.
 */
public final class CompatErrors {

    static final String DATABASE_UNAVAILABLE = "Database connection not available";

    private CompatErrors() {
    }

    /** The onException step of the {@code compat-errors} route configuration. */
    public static Processor answer() {
        return exchange -> {
            Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            int status;
            Object detail;
            Throwable t = caught instanceof CompletionException && caught.getCause() != null ? caught.getCause()
                    : caught;
            if (t instanceof CompatException c) {
                status = c.status();
                detail = c.detail();
            } else {
                Problem p = HttpErrors.problemOf(t, HttpAnswer.correlationId(exchange.getMessage()));
                status = switch (p.httpStatus()) {
                    case 409 -> 400;
                    default -> p.httpStatus();
                };
                if (status == 422) {
                    detail = List.of(ArchonFields.entry("value_error", List.of("body", p.field()), p.message(),
                            null));
                } else if (status == 503) {
                    detail = DATABASE_UNAVAILABLE + ": " + p.message();
                } else {
                    detail = p.message();
                }
            }
            new HttpAnswer(status, Map.of("detail", detail)).writeTo(exchange);
        };
    }
}
