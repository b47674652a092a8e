package dev.archon.traceability.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why one input was not accepted: a code, the field it concerns (a JSON path such as {@code execution.status};
 * empty for the input as a whole), a reason a producer can act on, and the HTTP status it answers (the code's own,
 * except where one code means different things to a writer and a reader: an unknown pattern in an event is 422, an
 * unknown pattern in a query's path is 404).
 */
public record Problem(ErrorCode code, String field, String message, int httpStatus) {

    public Problem(ErrorCode code, String field, String message) {
        this(code, field, message, code.httpStatus());
    }

    public static Problem invalid(String field, String message) {
        return new Problem(ErrorCode.VALIDATION_FAILED, field, message);
    }

    /** A read of something that does not exist: 404 with the given code (INVALID_PATTERN_ID, NOT_FOUND, ...). */
    public static Problem notFound(ErrorCode code, String field, String message) {
        return new Problem(code, field, message, 404);
    }

    /** The SPEC error envelope: {"error":{"code","message","details","correlation_id"}}. */
    public Map<String, Object> envelope(String correlationId) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (field != null && !field.isEmpty()) {
            details.put("field", field);
        }
        details.put("reason", message);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code.name());
        error.put("message", field == null || field.isEmpty() ? message : field + ": " + message);
        error.put("details", details);
        error.put("correlation_id", correlationId);
        return Map.of("error", error);
    }

    /** The same, flattened, for per-item results and inbox error reports. */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", code.name());
        if (field != null && !field.isEmpty()) {
            m.put("field", field);
        }
        m.put("reason", message);
        return m;
    }
}
