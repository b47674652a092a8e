package dev.archon.traceability.compat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.archon.traceability.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

/**
 * The execution report some clients post to {@code POST /analytics/compute} (claude_hooks/pattern_tracker.py's
 * track_pattern_execution: {@code {pattern_id, session_id, correlation_id, timestamp, metrics, success,
 * error_message, execution_context}}), as one of our hook execution records, so the analytics it asks for count it.
 * A request is a report when it carries a boolean {@code success}. Fields that do not fit our record (a duration
 * that is not a non-negative number, a quality outside 0..1, a time that does not parse) are left out, not refused;
 * the whole report is kept in the record's metadata. The execution id is derived from (pattern, correlation id,
 * timestamp), so the client's retries store it once.
 */
final class ExecutionReports {

    private static final int TEXT_MAX = 1024;

    private ExecutionReports() {
    }

    static boolean isReport(JsonNode body) {
        return body.path("success").isBoolean();
    }

    /** Our execution record (the JSON POST /api/executions takes) for a report about pattern {@code pattern}. */
    static ObjectNode record(JsonNode report, UUID pattern) {
        ObjectNode r = Json.mapper().createObjectNode();
        String correlation = text(report, "correlation_id");
        String timestamp = text(report, "timestamp");
        r.put("execution_id", UUID.nameUUIDFromBytes(("archon-execution\u0000" + pattern + "\u0000" + correlation
                + "\u0000" + timestamp).getBytes(StandardCharsets.UTF_8)).toString());
        r.put("pattern_id", pattern.toString());
        r.put("status", report.get("success").booleanValue() ? "success" : "failure");
        r.put("hook_type", "archon_execution_report");
        JsonNode metrics = report.path("metrics");
        Double duration = number(metrics, List.of("duration_ms", "execution_time_ms", "response_time_ms"));
        if (duration != null && duration >= 0) {
            r.put("duration_ms", duration);
        }
        Double quality = number(metrics, List.of("quality_score"));
        if (quality == null) {
            quality = number(report, List.of("quality_score"));
        }
        if (quality != null && quality >= 0 && quality <= 1) {
            r.put("quality_score", quality);
        }
        putText(r, "session_id", text(report, "session_id"));
        putText(r, "correlation_id", correlation);
        putText(r, "error_message", text(report, "error_message"));
        putText(r, "tool_name", text(report.path("execution_context"), "tool"));
        putText(r, "agent", text(report.path("execution_context"), "agent"));
        String started = startedAt(timestamp);
        if (started != null) {
            r.put("started_at", started);
        }
        ObjectNode metadata = r.putObject("metadata");
        metadata.set("report", report);
        return r;
    }

    /** The report's time with an offset; Python's isoformat() of a naive datetime (no offset) is read as UTC. */
    private static String startedAt(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toString();
        } catch (DateTimeParseException withoutOffset) {
            try {
                return LocalDateTime.parse(timestamp).atOffset(ZoneOffset.UTC).toString();
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static void putText(ObjectNode r, String field, String value) {
        if (value != null && !value.isEmpty() && value.length() <= TEXT_MAX) {
            r.put(field, value);
        }
    }

    private static Double number(JsonNode node, List<String> fields) {
        for (String f : fields) {
            JsonNode v = node.get(f);
            if (v != null && v.isNumber() && Double.isFinite(v.doubleValue())) {
                return v.doubleValue();
            }
        }
        return null;
    }
}
