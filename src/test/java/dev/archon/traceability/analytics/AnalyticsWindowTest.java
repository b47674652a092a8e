package dev.archon.traceability.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Window alignment to whole UTC hours, trend buckets, and which buckets have ended. */
class AnalyticsWindowTest {

    private static final Instant NOW = Instant.parse("2026-11-28T10:20:00Z");

    @Test
    void aNamedWindowEndsWithTheCurrentHourAndLeavesTheBucketInProgressOutOfTheTrend() {
        AnalyticsWindow daily = AnalyticsWindow.named(WindowType.DAILY, NOW);
        assertThat(daily.start()).isEqualTo("2026-11-27T11:00:00Z");
        assertThat(daily.end()).isEqualTo("2026-11-28T11:00:00Z");
        assertThat(daily.bucket()).isEqualTo(Duration.ofHours(1));
        assertThat(daily.buckets()).isEqualTo(24);
        assertThat(daily.completeBuckets()).isEqualTo(23); // 10:00-11:00 is in progress
        assertThat(daily.hours()).isEqualTo(24);

        AnalyticsWindow onTheHour = AnalyticsWindow.named(WindowType.DAILY, Instant.parse("2026-11-28T10:00:00Z"));
        assertThat(onTheHour.end()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(onTheHour.completeBuckets()).isEqualTo(24);

        AnalyticsWindow hourly = AnalyticsWindow.named(WindowType.HOURLY, NOW);
        assertThat(hourly.start()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(hourly.buckets()).isEqualTo(12);
        assertThat(hourly.completeBuckets()).isEqualTo(4); // 10:00-10:05 ... 10:15-10:20

        AnalyticsWindow weekly = AnalyticsWindow.named(WindowType.WEEKLY, NOW);
        assertThat(weekly.start()).isEqualTo("2026-11-21T11:00:00Z");
        assertThat(weekly.buckets()).isEqualTo(28);
        assertThat(weekly.completeBuckets()).isEqualTo(27); // the last 6 hours end at 11:00

        assertThat(AnalyticsWindow.named(WindowType.MONTHLY, NOW).buckets()).isEqualTo(30);
        assertThat(AnalyticsWindow.named(WindowType.QUARTERLY, NOW).buckets()).isEqualTo(30);
        assertThat(AnalyticsWindow.named(WindowType.YEARLY, NOW).buckets()).isEqualTo(73);
    }

    @Test
    void anExplicitWindowIsWidenedToWholeHoursAndWholeBuckets() {
        // 10:30 -> 17:10 the next day: 10:00 -> 18:00, 32 hours, buckets of ceil(32 / 30) = 2 hours, 16 of them
        AnalyticsWindow w = AnalyticsWindow.spanning(WindowType.CUSTOM, Instant.parse("2026-11-01T10:30:00Z"),
                Instant.parse("2026-11-02T17:10:00Z"), NOW);
        assertThat(w.start()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(w.end()).isEqualTo("2026-11-02T18:00:00Z");
        assertThat(w.bucket()).isEqualTo(Duration.ofHours(2));
        assertThat(w.buckets()).isEqualTo(16);
        assertThat(w.completeBuckets()).isEqualTo(16);

        // 31 hours: buckets of 2 hours, 16 of them: the start moves back one hour
        AnalyticsWindow odd = AnalyticsWindow.spanning(WindowType.CUSTOM, Instant.parse("2026-11-01T11:00:00Z"),
                Instant.parse("2026-11-02T18:00:00Z"), NOW);
        assertThat(odd.start()).isEqualTo("2026-11-01T10:00:00Z");
        assertThat(odd.buckets()).isEqualTo(16);

        // up to 30 hours: hourly buckets
        AnalyticsWindow small = AnalyticsWindow.spanning(WindowType.CUSTOM, Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-01T08:00:00Z"), NOW);
        assertThat(small.bucket()).isEqualTo(Duration.ofHours(1));
        assertThat(small.buckets()).isEqualTo(8);

        // a window reaching past now: only the buckets that have ended count for the trend
        AnalyticsWindow open = AnalyticsWindow.spanning(WindowType.CUSTOM, Instant.parse("2026-11-28T06:00:00Z"),
                Instant.parse("2026-11-28T14:00:00Z"), NOW);
        assertThat(open.completeBuckets()).isEqualTo(4); // 06-07, 07-08, 08-09, 09-10
    }

    @Test
    void allTimeReachesBackToTheFirstExecution() {
        // first execution 2026-09-01 03:17: 09-01 03:00 -> 11-28 11:00 is 30 + 31 days + 27 days 8 hours = 2120 hours,
        // buckets of ceil(2120 / 30) = 71 hours, ceil(2120 / 71) = 30 of them (2130 hours): the start moves back 10 h
        AnalyticsWindow w = AnalyticsWindow.spanning(WindowType.ALL_TIME, Instant.parse("2026-09-01T03:17:00Z"), NOW,
                NOW);
        assertThat(w.end()).isEqualTo("2026-11-28T11:00:00Z");
        assertThat(w.bucket()).isEqualTo(Duration.ofHours(71));
        assertThat(w.buckets()).isEqualTo(30);
        assertThat(w.start()).isEqualTo("2026-08-31T17:00:00Z");
        assertThat(w.completeBuckets()).isEqualTo(29);
    }

    @Test
    void wholeDaysSplitTheLatencyReadIntoDailyAndHourlyRows() {
        AnalyticsWindow monthly = AnalyticsWindow.named(WindowType.MONTHLY, NOW);
        assertThat(monthly.start()).isEqualTo("2026-10-29T11:00:00Z");
        assertThat(monthly.wholeDays()).isEqualTo(new AnalyticsWindow.WholeDays(
                Instant.parse("2026-10-30T00:00:00Z"), Instant.parse("2026-11-28T00:00:00Z")));
        // 24 hours from 11:00 to 11:00 hold no whole day: all hourly
        AnalyticsWindow daily = AnalyticsWindow.named(WindowType.DAILY, NOW);
        assertThat(daily.wholeDays()).isEqualTo(new AnalyticsWindow.WholeDays(daily.end(), daily.end()));
        // midnight to midnight: one whole day, no hourly rows
        AnalyticsWindow day = AnalyticsWindow.spanning(WindowType.CUSTOM, Instant.parse("2026-11-01T00:00:00Z"),
                Instant.parse("2026-11-02T00:00:00Z"), NOW);
        assertThat(day.wholeDays()).isEqualTo(new AnalyticsWindow.WholeDays(day.start(), day.end()));
        assertThat(monthly.bucketOf(Instant.parse("2026-10-30T10:59:59Z"))).isEqualTo(0);
        assertThat(monthly.bucketOf(Instant.parse("2026-10-30T11:00:00Z"))).isEqualTo(1);
    }
}
