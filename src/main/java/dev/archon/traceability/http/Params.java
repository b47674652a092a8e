package dev.archon.traceability.http;

import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
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

    static ProblemException invalid(String name, String reason) {
        return new ProblemException(Problem.invalid(name, reason));
    }
}
