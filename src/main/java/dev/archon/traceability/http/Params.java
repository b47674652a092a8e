package dev.archon.traceability.http;

import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.apache.camel.Message;

/**
 * Query and path parameters as the endpoints take them: a value that does not parse or is out of range is a 400
 * VALIDATION_FAILED naming the parameter and what it accepts.
 */
final class Params {

    private Params() {
    }

    static String string(Message in, String name) {
        String v = in.getHeader(name, String.class);
        return v == null || v.isBlank() ? null : v.trim();
    }

    static int integer(Message in, String name, int defaultValue, int min, int max) {
        String v = string(in, name);
        if (v == null) {
            return defaultValue;
        }
        int n;
        try {
            n = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(name, "expected a whole number from " + min + " to " + max + ", got '" + v + "'");
        }
        if (n < min || n > max) {
            throw invalid(name, "must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    static boolean bool(Message in, String name, boolean defaultValue) {
        String v = string(in, name);
        if (v == null) {
            return defaultValue;
        }
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw invalid(name, "expected true or false, got '" + v + "'");
    }

    /** A required UUID (a path parameter): 400 naming it when it is not one. */
    static UUID uuid(Message in, String name) {
        String v = string(in, name);
        if (v == null) {
            throw invalid(name, "is required: a UUID");
        }
        return parseUuid(name, v);
    }

    /** An optional UUID. */
    static UUID optionalUuid(Message in, String name) {
        String v = string(in, name);
        return v == null ? null : parseUuid(name, v);
    }

    private static UUID parseUuid(String name, String v) {
        try {
            if (v.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            throw invalid(name, "not a UUID: '" + abbreviate(v) + "'");
        }
    }

    /** An optional ISO-8601 instant with offset ({@code 2026-11-27T10:15:30Z}). */
    static Instant instant(Message in, String name) {
        String v = string(in, name);
        if (v == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw invalid(name, "expected an ISO-8601 time with offset such as 2026-11-27T10:15:30Z, got '"
                    + abbreviate(v) + "'");
        }
    }

    /** One of {@code accepted} (as given, case-insensitive), or the default when absent. */
    static String oneOf(Message in, String name, String defaultValue, List<String> accepted) {
        String v = string(in, name);
        if (v == null) {
            return defaultValue;
        }
        for (String a : accepted) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw invalid(name, "expected one of " + String.join(", ", accepted) + ", got '" + abbreviate(v) + "'");
    }

    private static String abbreviate(String v) {
        return v.length() <= 60 ? v : v.substring(0, 57) + "...";
    }

    static ProblemException invalid(String name, String reason) {
        return new ProblemException(Problem.invalid(name, reason));
    }
}
