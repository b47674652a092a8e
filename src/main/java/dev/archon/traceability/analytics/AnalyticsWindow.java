package dev.archon.traceability.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The span one analytics answer covers: [start, end), both on whole UTC hours (the rollup's grain), split into
 * {@code buckets} trend buckets of {@code bucket} each, laid from the start.
 * <ul>
 * <li>A named window ends at the end of the current UTC hour (so executions of the hour in progress count) and
 *     reaches back its length: daily at 10:20 is [yesterday 11:00, today 11:00).</li>
 * <li>all_time and custom: the start rounded down and the end rounded up to whole hours, buckets of
 *     ceil(hours / 30) hours, and the start moved back (by less than one bucket) to a whole number of buckets.</li>
 * </ul>
 * A bucket that has not ended yet (the one holding now, and any after it) is left out of the trend: a bucket in
 * progress holds only part of its executions and would read as a decline.
 */
public record AnalyticsWindow(WindowType type, Instant start, Instant end, Duration bucket, int buckets,
                              int completeBuckets) {

    /** A named window (hourly ... yearly) as of {@code now}. */
    public static AnalyticsWindow named(WindowType type, Instant now) {
        if (type.length() == null) {
            throw new IllegalArgumentException(type.key() + " is not a named window");
        }
        Instant end = ceilHour(now);
        return of(type, end.minus(type.length()), end, type.bucket(), now);
    }

    /** An all_time or custom window from {@code from} to {@code to} (from before to), as of {@code now}. */
    public static AnalyticsWindow spanning(WindowType type, Instant from, Instant to, Instant now) {
        Instant start = from.truncatedTo(ChronoUnit.HOURS);
        Instant end = ceilHour(to);
        if (!end.isAfter(start)) {
            end = start.plus(Duration.ofHours(1));
        }
        long hours = Duration.between(start, end).toHours();
        long bucketHours = Math.max(1, (hours + WindowType.SPANNING_BUCKETS - 1) / WindowType.SPANNING_BUCKETS);
        long buckets = (hours + bucketHours - 1) / bucketHours;
        Duration bucket = Duration.ofHours(bucketHours);
        return of(type, end.minus(bucket.multipliedBy(buckets)), end, bucket, now);
    }

    private static AnalyticsWindow of(WindowType type, Instant start, Instant end, Duration bucket, Instant now) {
        int buckets = (int) (Duration.between(start, end).toSeconds() / bucket.toSeconds());
        int complete = 0;
        while (complete < buckets && !start.plus(bucket.multipliedBy(complete + 1L)).isAfter(now)) {
            complete++;
        }
        return new AnalyticsWindow(type, start, end, bucket, buckets, complete);
    }

    /** The window's length in hours. */
    public long hours() {
        return Duration.between(start, end).toHours();
    }

    /**
     * The whole UTC days inside the window, [from, to): the latency histogram is read from daily rows for them and
     * from hourly rows for the hours before {@code from} and from {@code to} on. [end, end) when no whole day fits.
     */
    public WholeDays wholeDays() {
        Instant from = ceil(start, ChronoUnit.DAYS);
        Instant to = end.truncatedTo(ChronoUnit.DAYS);
        return from.isBefore(to) ? new WholeDays(from, to) : new WholeDays(end, end);
    }

    /** A span of whole UTC days. */
    public record WholeDays(Instant from, Instant to) {
    }

    /** The index of the trend bucket that holds {@code t}. */
    public int bucketOf(Instant t) {
        return (int) Math.floorDiv(Duration.between(start, t).toSeconds(), bucket.toSeconds());
    }

    static Instant ceilHour(Instant t) {
        return ceil(t, ChronoUnit.HOURS);
    }

    private static Instant ceil(Instant t, ChronoUnit unit) {
        Instant floor = t.truncatedTo(unit);
        return floor.equals(t) ? t : floor.plus(unit.getDuration());
    }
}
