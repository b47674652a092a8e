package dev.archon.traceability.http;

import dev.archon.traceability.errors.DatabaseUnavailableException;
import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one mapping from a failure to an HTTP error: a {@link ProblemException} answers its own problem; the
 * database's failures answer 503 (DATABASE_ERROR, or SCHEMA_MISSING naming the table or function); Camel refusing
 * work while it stops answers 503 SERVICE_UNAVAILABLE; anything else is a bug: 500 INTERNAL_ERROR, logged with its stack.
 * Routes use it through the {@code http-errors} route configuration (routes/http.yaml).
 */
public final class HttpErrors {

    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    /** The answer to a request that arrives while the service stops. */
    static final Problem STOPPING = new Problem(ErrorCode.SERVICE_UNAVAILABLE, "", "the service is stopping; nothing"
            + " was stored, send again");

    private HttpErrors() {
    }

    /**
     * The answer to a request that failed with {@code failure}. An unexpected failure (a bug, not the client's
     * input and not the database being away) is logged with the request's correlation id and answered 500 without
     * its text: exception messages name classes, SQL and paths that are the service's business, not the caller's.
     */
    public static Problem problemOf(Throwable failure, String correlationId) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
                : failure;
        if (t instanceof ProblemException p) {
            return p.problem();
        }
        if (t instanceof RejectedExecutionException) {
            return STOPPING;
        }
        return DatabaseUnavailableException.of(t).map(ProblemException::problem).orElseGet(() -> {
            LOG.error("Request {} failed", correlationId, t);
            return new Problem(ErrorCode.INTERNAL_ERROR, "", "the service failed to answer; its log has the cause"
                    + " under this request's correlation id");
        });
    }

    /** The onException step of the {@code http-errors} route configuration: answers the caught exception. */
    public static Processor answer() {
        return exchange -> {
            Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
            String id = HttpAnswer.correlationId(exchange.getMessage());
            HttpAnswer.error(problemOf(caught, id), id).writeTo(exchange);
        };
    }
}
