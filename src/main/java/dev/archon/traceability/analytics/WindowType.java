package dev.archon.traceability.analytics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The windows analytics are asked for, each with its length and the size of the buckets its trend is fitted to.
 * all_time reaches back to the pattern's first execution, custom is an explicit start and end; both get buckets of
 * ceil(hours / 30) hours.
 */
public enum WindowType {
    HOURLY("hourly", Duration.ofHours(1), Duration.ofMinutes(5)),
    DAILY("daily", Duration.ofDays(1), Duration.ofHours(1)),
    WEEKLY("weekly", Duration.ofDays(7), Duration.ofHours(6)),
    MONTHLY("monthly", Duration.ofDays(30), Duration.ofDays(1)),
    QUARTERLY("quarterly", Duration.ofDays(90), Duration.ofDays(3)),
    YEARLY("yearly", Duration.ofDays(365), Duration.ofDays(5)),
    ALL_TIME("all_time", null, null),
    CUSTOM("custom", null, null);

    /** About this many trend buckets for all_time and custom windows. */
    static final int SPANNING_BUCKETS = 30;

    private final String key;
    private final Duration length;
    private final Duration bucket;

    WindowType(String key, Duration length, Duration bucket) {
        this.key = key;
        this.length = length;
        this.bucket = bucket;
    }

    /** The name in the API: hourly, daily, ..., all_time, custom. */
    public String key() {
        return key;
    }

    /** The window's length; null for all_time and custom. */
    public Duration length() {
        return length;
    }

    /** The trend's bucket size; null for all_time and custom. */
    public Duration bucket() {
        return bucket;
    }

    /** The names a request may give in time_window (custom is chosen by giving start and end). */
    public static List<String> requestable() {
        return Arrays.stream(values()).filter(t -> t != CUSTOM).map(WindowType::key).toList();
    }

    public static WindowType ofKey(String key) {
        return Arrays.stream(values()).filter(t -> t.key.equals(key)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no time window " + key));
    }
}
