package dev.archon.traceability.http;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import org.apache.camel.Message;

/**
 * Who may use the admin endpoints: with TRACEABILITY_ADMIN_TOKEN set, requests carrying
 * {@code Authorization: Bearer <token>} (from anywhere); without it, requests from the loopback interface only.
 */
public final class AdminAccess {

    /** The request's remote address, as platform-http (Vert.x) gives it. */
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final Optional<String> token;

    public AdminAccess(Optional<String> token) {
        this.token = token;
    }

    /** Empty when allowed; otherwise why not (401 without the right token, 403 from a remote host). */
    public Optional<Problem> check(String authorization, String remoteHost) {
        if (token.isPresent()) {
            String expected = "Bearer " + token.get();
            if (authorization == null || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                    authorization.trim().getBytes(StandardCharsets.UTF_8))) {
                return Optional.of(new Problem(ErrorCode.UNAUTHORIZED, "Authorization",
                        authorization == null ? "missing; send Authorization: Bearer <TRACEABILITY_ADMIN_TOKEN>"
                                : "the bearer token does not match TRACEABILITY_ADMIN_TOKEN"));
            }
            return Optional.empty();
        }
        if (!isLoopback(remoteHost)) {
            return Optional.of(new Problem(ErrorCode.FORBIDDEN, "", "admin endpoints answer only on loopback"
                    + " while TRACEABILITY_ADMIN_TOKEN is not set (request from " + remoteHost + ")"));
        }
        return Optional.empty();
    }

    /** Throws the refusal (401 or 403) unless the request may use an admin endpoint. */
    void require(Message in) {
        Object remote = in.getHeader(REMOTE_ADDRESS);
        String host = remote instanceof SocketAddress a ? a.hostAddress() : remote == null ? null : remote.toString();
        check(in.getHeader("Authorization", String.class), host).ifPresent(denied -> {
            throw new ProblemException(denied);
        });
    }

    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            return InetAddress.getByName(host.replace("[", "").replace("]", "")).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
