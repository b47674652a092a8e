package dev.archon.traceability.compat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

/** Times as the as-built service wrote them: Python's isoformat() of UTC datetimes (+00:00, microseconds). */
final class CompatTime {

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss")
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter MICROS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private CompatTime() {
    }

    /** {@code 2025-10-18T12:34:56.789012+00:00}; without the fraction when it is zero, as isoformat() does. */
    static String iso(Instant t) {
        if (t == null) {
            return null;
        }
        Instant micros = t.truncatedTo(ChronoUnit.MICROS);
        return (micros.getNano() == 0 ? SECONDS : MICROS).format(micros) + "+00:00";
    }

    /** Milliseconds since {@code startNanos} (System.nanoTime), to two decimals. */
    static double millisSince(long startNanos) {
        return Math.round((System.nanoTime() - startNanos) / 10_000.0) / 100.0;
    }
}
