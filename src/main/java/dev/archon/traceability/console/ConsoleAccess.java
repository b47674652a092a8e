package dev.archon.traceability.console;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.http.AdminAccess;
import dev.archon.traceability.json.Json;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The gate in front of everything the console serves (pages, Jolokia): the admin rule of {@link AdminAccess}
 * (TRACEABILITY_ADMIN_TOKEN as a bearer token or the console's login as HTTP Basic; without a token, loopback
 * clients only), and no request sent by a page of another site, so a web page open in an operator's browser
 * cannot use the browser's login or loopback address to stop routes. Refusals get the service's error envelope;
 * {@code /} leads to the console.
 */
final class ConsoleAccess extends Handler.Wrapper {

    static final String REALM = "Pattern Traceability console";

    private final AdminAccess access;

    ConsoleAccess(AdminAccess access, Handler console) {
        super(console);
        this.access = access;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Optional<Problem> refused = access.check(request.getHeaders().get(HttpHeader.AUTHORIZATION),
                Request.getRemoteAddr(request));
        if (refused.isEmpty()) {
            refused = crossSite(request);
        }
        if (refused.isPresent()) {
            refuse(refused.get(), request, response, callback);
            return true;
        }
        String path = Request.getPathInContext(request);
        if (path.equals("/") || path.equals(ConsoleServer.CONTEXT_PATH)) {
            Response.sendRedirect(request, response, callback, ConsoleServer.CONTEXT_PATH + "/");
            return true;
        }
        return super.handle(request, response, callback);
    }

    /**
     * A request made by a page of another site: its Origin (sent by browsers on POST and cross-origin calls) names
     * another host or port, or, for Jolokia, the browser's Sec-Fetch-Site says it did not come from the console's
     * own pages (this also catches a GET /hawtio/jolokia/exec/... from another site's image or link, which carries
     * no Origin). Clients other than browsers send neither header.
     */
    static Optional<Problem> crossSite(Request request) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !sameOrigin(origin, request)) {
            return Optional.of(new Problem(ErrorCode.FORBIDDEN, "Origin", "a page of another site (" + origin
                    + ") may not use the console"));
        }
        String site = request.getHeaders().get("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")
                && Request.getPathInContext(request).contains("/jolokia")) {
            return Optional.of(new Problem(ErrorCode.FORBIDDEN, "Sec-Fetch-Site", "Jolokia answers the console's own"
                    + " pages only (request from a " + site + " page)"));
        }
        return Optional.empty();
    }

    private static boolean sameOrigin(String origin, Request request) {
        try {
            URI o = URI.create(origin.trim());
            int port = o.getPort() != -1 ? o.getPort() : "https".equalsIgnoreCase(o.getScheme()) ? 443 : 80;
            return o.getHost() != null && o.getHost().equalsIgnoreCase(Request.getServerName(request))
                    && port == Request.getServerPort(request);
        } catch (IllegalArgumentException e) {
            return false; // not a URL: "null" from a sandboxed page or a file
        }
    }

    private void refuse(Problem problem, Request request, Response response, Callback callback) {
        String correlationId = Optional.ofNullable(request.getHeaders().get("X-Correlation-ID"))
                .orElseGet(() -> UUID.randomUUID().toString());
        response.setStatus(problem.code().httpStatus());
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put("X-Correlation-ID", correlationId);
        if (problem.code() == ErrorCode.UNAUTHORIZED && access.acceptsLogin()) {
            // a browser then asks for the console's user and password
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Basic realm=\"" + REALM + "\", charset=\"UTF-8\"");
        }
        response.write(true, ByteBuffer.wrap(Json.bytes(problem.envelope(correlationId))), callback);
    }
}
