package dev.archon.traceability.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.json.Json;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Typed reads of one JSON object's fields, each failure naming the field (as a path) and the reason. */
final class JsonFields {

    private final JsonNode object;
    private final String prefix;

    JsonFields(JsonNode object, String prefix) {
        if (object == null || !object.isObject()) {
            throw new ProblemException(Problem.invalid(prefix, "expected a JSON object, got "
                    + (object == null ? "nothing" : Json.kind(object))));
        }
        this.object = object;
        this.prefix = prefix;
    }

    String path(String field) {
        return prefix.isEmpty() ? field : prefix + "." + field;
    }

    boolean has(String field) {
        JsonNode v = object.get(field);
        return v != null && !v.isNull();
    }

    JsonNode node(String field) {
        return object.get(field);
    }

    ProblemException invalid(String field, String reason) {
        return new ProblemException(Problem.invalid(path(field), reason));
    }

    String string(String field, int maxLength) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field, "expected a string, got " + Json.kind(v));
        }
        String s = v.textValue();
        if (s.length() > maxLength) {
            throw invalid(field, "longer than " + maxLength + " characters (" + s.length() + ")");
        }
        return s;
    }

    String requiredString(String field, int maxLength) {
        String s = string(field, maxLength);
        if (s == null || s.isBlank()) {
            throw invalid(field, "is required");
        }
        return s;
    }

    UUID uuid(String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        return parseUuid(v, path(field));
    }

    List<UUID> uuids(String field, int max) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray()) {
            throw invalid(field, "expected an array of UUIDs, got " + Json.kind(v));
        }
        if (v.size() > max) {
            throw invalid(field, "more than " + max + " entries (" + v.size() + ")");
        }
        List<UUID> ids = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            UUID id = parseUuid(v.get(i), path(field) + "[" + i + "]");
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        return List.copyOf(ids);
    }

    Double fraction(String field) {
        Double d = number(field);
        if (d != null && (d < 0 || d > 1)) {
            throw invalid(field, "must be between 0 and 1, got " + d);
        }
        return d;
    }

    /** A whole number from {@code min} to {@code max}, or null when absent. */
    Integer integer(String field, int min, int max) {
        Double d = number(field);
        if (d == null) {
            return null;
        }
        if (d != Math.rint(d) || d < min || d > max) {
            throw invalid(field, "expected a whole number from " + min + " to " + max + ", got "
                    + object.get(field).asText());
        }
        return d.intValue();
    }

    Double nonNegative(String field) {
        Double d = number(field);
        if (d != null && d < 0) {
            throw invalid(field, "must not be negative, got " + d);
        }
        return d;
    }

    private Double number(String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isNumber()) {
            throw invalid(field, "expected a number, got " + Json.kind(v));
        }
        double d = v.doubleValue();
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw invalid(field, "must be a finite number");
        }
        return d;
    }

    Boolean bool(String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isBoolean()) {
            throw invalid(field, "expected true or false, got " + Json.kind(v));
        }
        return v.booleanValue();
    }

    Instant timestamp(String field) {
        String s = string(field, 64);
        if (s == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(field, "expected an ISO-8601 timestamp with offset such as 2026-11-27T10:15:30Z, got '"
                    + s + "'");
        }
    }

    /** A JSON object field, returned as compact JSON text (null when absent). */
    String objectJson(String field) {
        JsonNode v = object.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw invalid(field, "expected a JSON object, got " + Json.kind(v));
        }
        return v.toString();
    }

    void forbid(String field, String reason) {
        if (has(field)) {
            throw invalid(field, reason);
        }
    }

    private static UUID parseUuid(JsonNode v, String path) {
        if (!v.isTextual()) {
            throw new ProblemException(Problem.invalid(path, "expected a UUID string, got " + Json.kind(v)));
        }
        String s = v.textValue();
        if (s.length() != 36) {
            throw new ProblemException(Problem.invalid(path, "not a UUID: '" + abbreviate(s) + "'"));
        }
        try {
            return UUID.fromString(s);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Problem.invalid(path, "not a UUID: '" + abbreviate(s) + "'"));
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }
}
