package dev.archon.traceability.http;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.HttpEndpointModel;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.apache.camel.component.platform.http.PlatformHttpComponent;

/**
 * What every request gets on the Vert.x router, before and after Camel's routes: a correlation id (the request's
 * {@value HttpAnswer#CORRELATION_ID} header, or a new one, set on the request so routes see it and echoed on the
 * response), and, for a request no route serves, the error envelope instead of Vert.x's HTML: 405
 * METHOD_NOT_ALLOWED with the {@code Allow} header when the path exists for other methods, 406 NOT_ACCEPTABLE (or
 * 415 UNSUPPORTED_MEDIA_TYPE) when it exists for this method but not for the request's media types, else 404
 * NOT_FOUND;
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
        List<Served> served = served(camel, path);
        Set<String> allowed = new TreeSet<>();
        served.forEach(s -> allowed.addAll(s.methods()));
        String method = ctx.request().method().name();
        if (allowed.contains(method)) {
            // the path and method are served, so no route took the request's media types
            unacceptable(ctx, served.stream().filter(s -> s.methods().contains(method)).toList(), path, id);
        } else if (allowed.isEmpty()) {
            HttpAnswer.error(new Problem(ErrorCode.NOT_FOUND, "", "no endpoint " + path + "; the endpoints are"
                    + " listed in GET /api/openapi.json"), id).writeTo(ctx.response(), id);
        } else {
            ctx.response().putHeader("Allow", String.join(", ", allowed));
            HttpAnswer.error(new Problem(ErrorCode.METHOD_NOT_ALLOWED, "", ctx.request().method() + " is not"
                    + " served on " + path + "; allowed: " + String.join(", ", allowed)), id)
                    .writeTo(ctx.response(), id);
        }
    }

    /** 415 when the endpoint takes other content types than the request's, else 406 for its Accept header. */
    private static void unacceptable(RoutingContext ctx, List<Served> served, String path, String id) {
        String contentType = ctx.request().getHeader("Content-Type");
        String consumes = served.stream().map(Served::consumes).filter(c -> c != null && !c.isBlank())
                .collect(Collectors.joining(", "));
        Problem problem;
        if (contentType != null && !consumes.isEmpty()) {
            problem = new Problem(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type", path + " takes " + consumes
                    + ", not " + contentType);
        } else {
            String produces = served.stream().map(Served::produces).filter(p -> p != null && !p.isBlank())
                    .distinct().collect(Collectors.joining(", "));
            problem = new Problem(ErrorCode.NOT_ACCEPTABLE, "Accept", path + " answers "
                    + (produces.isEmpty() ? "application/json" : produces) + ", which the request's Accept ("
                    + ctx.request().getHeader("Accept") + ") does not take");
        }
        HttpAnswer.error(problem, id).writeTo(ctx.response(), id);
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

    /** One Camel HTTP endpoint: its methods and the media types it takes and gives (null: any). */
    record Served(Set<String> methods, String consumes, String produces) {
    }

    /**
     * Every Camel HTTP endpoint whose path template matches {@code path}. The component lists one endpoint per path
     * (its set is keyed by path), so for a path served by several routes (GET and POST /api/executions) the routes'
     * own endpoints are asked as well.
     */
    static List<Served> served(CamelContext camel, String path) {
        PlatformHttpComponent http = camel.getComponent("platform-http", PlatformHttpComponent.class);
        List<Served> served = new ArrayList<>();
        Stream.concat(http.getHttpEndpoints().stream(), http.getHttpManagementEndpoints().stream())
                .filter(e -> e.getVerbs() != null && matches(e.getUri(), path))
                .forEach(e -> served.add(new Served(Set.of(e.getVerbs().split(",")), e.getConsumes(),
                        e.getProduces())));
        camel.getRoutes().stream()
                .filter(r -> r.getConsumer() != null)
                .map(r -> r.getConsumer().getEndpoint())
                .filter(e -> e instanceof PlatformHttpEndpoint h && h.getHttpMethodRestrict() != null
                        && matches(h.getPath(), path))
                .map(PlatformHttpEndpoint.class::cast)
                .forEach(e -> served.add(new Served(Set.of(e.getHttpMethodRestrict().split(",")), e.getConsumes(),
                        e.getProduces())));
        return served;
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
