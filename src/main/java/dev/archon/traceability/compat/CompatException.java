package dev.archon.traceability.compat;

import java.util.List;
import java.util.Map;

/**
 * A failure answered in the as-built API's shape: {@code {"detail": ...}} with its status. {@code detail} is a
 * string (400, 404, 503, 504, 500) or, for a request-schema error (422), pydantic's list of
 * {@code {type, loc, msg, input}}.
 */
final class CompatException extends RuntimeException {

    private final int status;
    private final transient Object detail;

    CompatException(int status, String detail) {
        super(detail);
        this.status = status;
        this.detail = detail;
    }

    private CompatException(List<Map<String, Object>> errors) {
        super("request validation failed: " + errors);
        this.status = 422;
        this.detail = List.copyOf(errors);
    }

    /** 422 with pydantic's error list. */
    static CompatException schema(List<Map<String, Object>> errors) {
        return new CompatException(errors);
    }

    /** 400 {"detail": message}: a semantic error of a well-formed request (the as-built ValueError). */
    static CompatException invalid(String message) {
        return new CompatException(400, message);
    }

    static CompatException notFound(String message) {
        return new CompatException(404, message);
    }

    int status() {
        return status;
    }

    Object detail() {
        return detail;
    }
}
