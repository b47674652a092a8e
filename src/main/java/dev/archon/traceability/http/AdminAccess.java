package dev.archon.traceability.http;

import dev.archon.traceability.errors.ErrorCode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import org.apache.camel.Message;

/**
 * Who may use the admin endpoints and the Hawtio console: with TRACEABILITY_ADMIN_TOKEN set, requests carrying
 * {@code Authorization: Bearer <token>} (from anywhere); without it, requests from the loopback interface only.
 * The console also takes its login (HTTP Basic, user and password) beside the token, so a browser can log in.
 */
public final class AdminAccess {

    /** The request's remote address, as platform-http (Vert.x) gives it. */
    private static final String REMOTE_ADDRESS = "CamelVertxPlatformHttpRemoteAddress";

    private final Optional<String> token;
    private final String what;
    private final Optional<Login> login;

    /** A user and password accepted as {@code Authorization: Basic ...} while a token is set. */
    private record Login(String user, String password) {
    }

    public AdminAccess(Optional<String> token) {
        this(token, "admin endpoints", Optional.empty());
    }

    private AdminAccess(Optional<String> token, String what, Optional<Login> login) {
        this.token = token;
        this.what = what;
        this.login = login;
    }

    /**
     * The same rule for the console ({@code what} names it in refusals), accepting also HTTP Basic with this user
     * and password when a token is set; an empty password means the token itself.
     */
    public AdminAccess withLogin(String what, String user, Optional<String> password) {
        return new AdminAccess(token, what, token.map(t -> new Login(user, password.orElse(t))));
    }

    /** Whether a browser can log in (a token is set and a login is accepted): refusals then ask for Basic. */
    public boolean acceptsLogin() {
        return login.isPresent();
    }

    /** Empty when allowed; otherwise why not (401 without the right token, 403 from a remote host). */
    public Optional<Problem> check(String authorization, String remoteHost) {
        if (token.isPresent()) {
            if (authorization == null) {
                return Optional.of(new Problem(ErrorCode.UNAUTHORIZED, "Authorization",
                        "missing; send Authorization: Bearer <TRACEABILITY_ADMIN_TOKEN>"
                                + (login.isPresent() ? " or log in with the console's user and password" : "")));
            }
            if (!bearerMatches(authorization) && !loginMatches(authorization)) {
                return Optional.of(new Problem(ErrorCode.UNAUTHORIZED, "Authorization", login.isPresent()
                        ? "neither the bearer token of TRACEABILITY_ADMIN_TOKEN nor the console's user and password"
                        : "the bearer token does not match TRACEABILITY_ADMIN_TOKEN"));
            }
            return Optional.empty();
        }
        if (!isLoopback(remoteHost)) {
            return Optional.of(new Problem(ErrorCode.FORBIDDEN, "", what + " answer only on loopback"
                    + " while TRACEABILITY_ADMIN_TOKEN is not set (request from " + remoteHost + ")"));
        }
        return Optional.empty();
    }

    private boolean bearerMatches(String authorization) {
        return equal("Bearer " + token.orElseThrow(), authorization.trim());
    }

    private boolean loginMatches(String authorization) {
        String value = authorization.trim();
        if (login.isEmpty() || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
            return false;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return false;
        }
        Login expected = login.get();
        // both compared whatever the first gives, so the time taken says nothing about which was wrong
        boolean user = equal(expected.user(), credentials.contains(":") ? credentials.split(":", 2)[0] : "");
        boolean password = equal(expected.password(), credentials.contains(":") ? credentials.split(":", 2)[1] : "");
        return user & password;
    }

    private static boolean equal(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
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
