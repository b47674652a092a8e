package dev.archon.traceability.http;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.PlatformHttpComponent;

/**
 * What every request gets on the Vert.x router, before and after Camel's routes: a correlation id (the request's
 * {@value HttpAnswer#CORRELATION_ID} header, or a new one, set on the request so routes see it and echoed on the
 * response), and, for a request no route serves, the error envelope instead of Vert.x's HTML: 405
 * METHOD_NOT_ALLOWED with the {@code Allow} header when the path exists for other methods, else 404 NOT_FOUND;
 * and for a request a handler failed (an exception, or {@code ctx.fail(status)}), the envelope instead of Vert.x's
 * plain-text "Internal Server Error". While Camel stops, its routes leave the router one by one: a request for
 * one of them then answers 503 SERVICE_UNAVAILABLE (send again), not 404 or 500.
 */
final class HttpRouting {

    private HttpRouting() {
    }

    static void install(Router router, CamelContext camel) {
        router.route().order(Integer.MIN_VALUE).handler(ctx -> {
            String id = ctx.request().getHeader(HttpAnswer.CORRELATION_ID);
            if (id == null || id.isBlank()) {
                id = UUID.randomUUID().toString();
                ctx.request().headers().set(HttpAnswer.CORRELATION_ID, id);
            }
            ctx.response().putHeader(HttpAnswer.CORRELATION_ID, id);
            ctx.next();
        });
        router.route().order(Integer.MAX_VALUE).handler(ctx -> unserved(ctx, camel));
        router.route().failureHandler(ctx -> failed(ctx, camel));
    }

    private static void unserved(RoutingContext ctx, CamelContext camel) {
        String path = ctx.normalizedPath();
        String id = ctx.request().getHeader(HttpAnswer.CORRELATION_ID);
        if (stopping(camel)) {
            HttpAnswer.error(HttpErrors.STOPPING, id).writeTo(ctx.response(), id);
            return;
        }
        Set<String> allowed = allowedMethods(camel, path);
        if (allowed.isEmpty()) {
            HttpAnswer.error(new Problem(ErrorCode.NOT_FOUND, "", "no endpoint " + path + "; the endpoints are"
                    + " listed in GET /api/openapi.json"), id).writeTo(ctx.response(), id);
        } else {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            HttpAnswer.error(new Problem(ErrorCode.METHOD_NOT_ALLOWED, "", ctx.request().method() + " is not"
                    + " served on " + path + "; allowed: " + String.join(", ", allowed)), id)
                    .writeTo(ctx.response(), id);
        }
    }

    private static void failed(RoutingContext ctx, CamelContext camel) {
        if (ctx.response().headWritten()) {
            ctx.response().reset(); // the answer had started: a truncated answer must not look complete
            return;
        }
        String id = ctx.request().getHeader(HttpAnswer.CORRELATION_ID);
        Problem problem;
        if (stopping(camel)) {
            problem = HttpErrors.STOPPING;
        } else if (ctx.failure() != null) {
            problem = HttpErrors.problemOf(ctx.failure(), id);
        } else {
            int status = ctx.statusCode();
            ErrorCode code = Arrays.stream(ErrorCode.values()).filter(c -> c.httpStatus() == status).findFirst()
                    .orElse(status < 500 ? ErrorCode.VALIDATION_FAILED : ErrorCode.INTERNAL_ERROR);
            problem = new Problem(code, "", "the request failed with HTTP status " + status);
        }
        HttpAnswer.error(problem, id).writeTo(ctx.response(), id);
    }

    private static boolean stopping(CamelContext camel) {
        return camel.isStopping() || camel.isStopped();
    }

    /**
     * The methods of every Camel HTTP endpoint whose path template matches {@code path}. The component lists one
     * endpoint per path (its set is keyed by path), so for a path served by several routes (GET and POST
     * /api/executions) the routes' own endpoints are asked as well.
     */
    static Set<String> allowedMethods(CamelContext camel, String path) {
        PlatformHttpComponent http = camel.getComponent("platform-http", PlatformHttpComponent.class);
        Set<String> allowed = new TreeSet<>();
        Stream.concat(http.getHttpEndpoints().stream(), http.getHttpManagementEndpoints().stream())
                .filter(e -> e.getVerbs() != null && matches(e.getUri(), path))
                .map(HttpEndpointModel::getVerbs)
                .forEach(verbs -> allowed.addAll(Set.of(verbs.split(","))));
        camel.getRoutes().stream()
                .filter(r -> r.getConsumer() != null)
                .map(r -> r.getConsumer().getEndpoint())
                .filter(e -> e instanceof PlatformHttpEndpoint h && h.getHttpMethodRestrict() != null
                        && matches(h.getPath(), path))
                .forEach(e -> allowed.addAll(Set.of(((PlatformHttpEndpoint) e).getHttpMethodRestrict().split(","))));
        return allowed;
    }

    /** Whether a path template ({@code /api/admin/jobs/{name}/run}, {@code /observe/health/*}) matches a path. */
    static boolean matches(String template, String path) {
        StringBuilder regex = new StringBuilder();
        for (String part : template.split("((?=\\{[^}]*})|(?<=}))")) {
            if (part.startsWith("{") && part.endsWith("}")) {
                regex.append("[^/]+");
            } else if (part.endsWith("*")) {
                regex.append(Pattern.quote(part.substring(0, part.length() - 1))).append(".*");
            } else {
                regex.append(Pattern.quote(part));
            }
        }
        return path.matches(regex.toString());
    }
}
