package dev.archon.traceability.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * Typed access to the service's settings. Every key has its default, documented, in config/application.properties
 * (the copy in the jar is always read beneath an operator's own file), and only there: code asks for a key and a
 * missing one is an error. An environment variable named after the key (dots and dashes as underscores, upper case)
 * or a JVM system property overrides it. The lookup is a plain function so the typed parsing unit-tests without
 * Camel.
 */
public final class Settings {

    private final Function<String, Optional<String>> lookup;

    public Settings(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public Optional<String> optional(String key) {
        return lookup.apply(key).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** A setting that must have a value: every key has its default in config/application.properties. */
    public String string(String key) {
        return optional(key).orElseThrow(() -> new InvalidSettingException(key));
    }

    public int integer(String key) {
        return parse(key, string(key), Integer::valueOf, "a whole number");
    }

    /** A decimal number ("0.95"). */
    public double number(String key) {
        return parse(key, string(key), Double::valueOf, "a number such as 0.95");
    }

    public boolean bool(String key) {
        return parse(key, string(key), Settings::strictBoolean, "true or false");
    }

    /** A duration as a number of seconds ("60") or with a unit ("500ms", "30s", "5m", "2h", "1d"). */
    public Duration duration(String key) {
        return parse(key, string(key), Settings::parseDuration, "a duration such as 30s, 500ms or 5m");
    }

    public Path path(String key) {
        return Path.of(string(key));
    }

    static Duration parseDuration(String text) {
        String v = text.trim().toLowerCase();
        if (v.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
        }
        char unit = v.charAt(v.length() - 1);
        if (Character.isDigit(unit)) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        long amount = Long.parseLong(v.substring(0, v.length() - 1).trim());
        return switch (unit) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown unit '" + unit + "'");
        };
    }

    private static Boolean strictBoolean(String v) {
        if (v.equalsIgnoreCase("true")) {
            return true;
        }
        if (v.equalsIgnoreCase("false")) {
            return false;
        }
        throw new IllegalArgumentException(v);
    }

    private static <T> T parse(String key, String value, Function<String, T> parser, String expected) {
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            throw new InvalidSettingException(key, value, expected);
        }
    }

    /** A setting that does not parse: names the key, the value and what was expected, so start-up fails clearly. */
    public static final class InvalidSettingException extends RuntimeException {
        public InvalidSettingException(String key, String value, String expected) {
            super("Setting " + key + " = '" + value + "' is invalid: expected " + expected
                    + " (set it in config/application.properties or with the environment variable "
                    + envName(key) + ")");
        }

        InvalidSettingException(String key) {
            super("Setting " + key + " has no value (set it in config/application.properties or with the"
                    + " environment variable " + envName(key) + ")");
        }
    }

    /** The environment variable that overrides a key, as Camel's properties component maps it. */
    public static String envName(String key) {
        return key.toUpperCase().replace('.', '_').replace('-', '_');
    }
}
