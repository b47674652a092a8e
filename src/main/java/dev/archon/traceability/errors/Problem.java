package dev.archon.traceability.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why one input was not accepted: a code, the field it concerns (a JSON path such as {@code execution.status};
 * empty for the input as a whole) and a reason a producer can act on.
 */
public record Problem(ErrorCode code, String field, String message) {

    public static Problem invalid(String field, String message) {
        return new Problem(ErrorCode.VALIDATION_FAILED, field, message);
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
