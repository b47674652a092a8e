package dev.archon.traceability.executions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.archon.traceability.errors.ProblemException;
import dev.archon.traceability.executions.ExecutionLog.Window;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The execution log's rules without a database: windows, their defaults from the clock, and the bounds. */
class ExecutionLogTest {

    private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
    private final ExecutionLog log = new ExecutionLog(Clock.fixed(NOW, ZoneOffset.UTC), 100, 500, Duration.ofHours(24),
            1000);

    @Test
    void theSummaryWindowDefaultsToTheDayBeforeNow() {
        assertThat(log.summaryWindow(null, null)).isEqualTo(new Window(NOW.minus(Duration.ofHours(24)), NOW));
    }

    @Test
    void aGivenEndOfTheSummaryWindowKeepsTheDefaultLength() {
        Instant until = Instant.parse("2026-03-01T00:00:00Z");
        assertThat(log.summaryWindow(null, until)).isEqualTo(new Window(Instant.parse("2026-02-28T00:00:00Z"), until));
        Instant since = Instant.parse("2025-01-01T00:00:00Z");
        assertThat(log.summaryWindow(since, null)).isEqualTo(new Window(since, NOW));
    }

    @Test
    void aPageWindowStaysOpenWhereTheRequestGaveNothing() {
        assertThat(log.pageWindow(null, null)).isEqualTo(new Window(null, null));
        Instant since = Instant.parse("2026-01-01T00:00:00Z");
        assertThat(log.pageWindow(since, null)).isEqualTo(new Window(since, null));
    }

    @Test
    void sinceMustBeBeforeUntil() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        for (Runnable bad : new Runnable[] {() -> log.pageWindow(t, t), () -> log.pageWindow(t.plusSeconds(1), t),
                () -> log.summaryWindow(t, t), () -> log.summaryWindow(NOW.plusSeconds(1), null)}) {
            assertThatThrownBy(bad::run).isInstanceOf(ProblemException.class)
                    .satisfies(e -> assertThat(((ProblemException) e).problem().field()).isEqualTo("since"))
                    .hasMessageContaining("must be before until");
        }
    }

    @Test
    void settingsOutOfRangeAreRefusedAtStartUp() {
        Clock clock = Clock.systemUTC();
        assertThatThrownBy(() -> new ExecutionLog(clock, 600, 500, Duration.ofHours(1), 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExecutionLog(clock, 100, 500, Duration.ZERO, 10))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ExecutionLog(clock, 100, 500, Duration.ofHours(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
