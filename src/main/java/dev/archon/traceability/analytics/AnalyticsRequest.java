package dev.archon.traceability.analytics;

import java.time.Instant;
import java.util.UUID;

/**
 * What a client asked analytics for: a pattern and a window, named ({@code from}, {@code to} null) or custom (an
 * explicit start and end, start before end).
 */
public record AnalyticsRequest(UUID patternId, WindowType type, Instant from, Instant to) {

    public AnalyticsRequest {
        if ((type == WindowType.CUSTOM) != (from != null && to != null)) {
            throw new IllegalArgumentException("a custom window, and only it, has a start and an end");
        }
        if (from != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("start must be before end");
        }
    }

    public static AnalyticsRequest named(UUID patternId, WindowType type) {
        return new AnalyticsRequest(patternId, type, null, null);
    }

    public static AnalyticsRequest custom(UUID patternId, Instant from, Instant to) {
        return new AnalyticsRequest(patternId, WindowType.CUSTOM, from, to);
    }

    /**
     * The window's identity for the cache: the same key means the same [start, end). A named or all_time window
     * moves on at every whole hour, so its key names the hour it ends at.
     */
    String cacheKey(Instant now) {
        return switch (type) {
            case CUSTOM -> "custom " + from.truncatedTo(java.time.temporal.ChronoUnit.HOURS) + " "
                    + AnalyticsWindow.ceilHour(to);
            default -> type.key() + " " + AnalyticsWindow.ceilHour(now);
        };
    }
}
