package dev.archon.traceability.executions;

import dev.archon.traceability.errors.Problem;
import dev.archon.traceability.errors.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The rules of reading the execution log back (the queries themselves are in routes/executions-api.yaml and the SQL
 * function hook_executions_page): page sizes, the values a filter accepts, the summary's default time window and its
 * bound on groups. Plain Java over the one clock, so the rules test without a database.
 */
public final class ExecutionLog {

    /** The values of hook_executions.status. */
    public static final List<String> STATUSES = List.of("success", "failure", "timeout");

    /** What the summary groups by, as the request names it. */
    public static final List<String> GROUPS = List.of("agent", "pattern", "hook_type", "project");

    private final Clock clock;
    private final int defaultLimit;
    private final int maxLimit;
    private final Duration summaryWindow;
    private final int maxGroups;

    public ExecutionLog(Clock clock, int defaultLimit, int maxLimit, Duration summaryWindow, int maxGroups) {
        if (defaultLimit < 1 || defaultLimit > maxLimit) {
            throw new IllegalArgumentException("the default page size must be from 1 to the largest page size ("
                    + maxLimit + "), got " + defaultLimit);
        }
        if (summaryWindow.isNegative() || summaryWindow.isZero() || maxGroups < 1) {
            throw new IllegalArgumentException("the summary window and the most groups must be positive");
        }
        this.clock = clock;
        this.defaultLimit = defaultLimit;
        this.maxLimit = maxLimit;
        this.summaryWindow = summaryWindow;
        this.maxGroups = maxGroups;
    }

    public int defaultLimit() {
        return defaultLimit;
    }

    public int maxLimit() {
        return maxLimit;
    }

    public int maxGroups() {
        return maxGroups;
    }

    /** A time window, since inclusive, until exclusive; either end may be open (null). */
    public record Window(Instant since, Instant until) {
    }

    /**
     * The window of a page of the log: what the request gave, open where it gave nothing; 400 naming {@code since}
     * when it is not before {@code until}.
     */
    public Window pageWindow(Instant since, Instant until) {
        requireOrdered(since, until);
        return new Window(since, until);
    }

    /**
     * The window of a summary, always closed: until defaults to now, since to until minus the default window
     * ({@code traceability.executions.summary.default-window}); 400 naming {@code since} when it is not before until.
     */
    public Window summaryWindow(Instant since, Instant until) {
        Instant end = until != null ? until : clock.instant();
        Instant start = since != null ? since : end.minus(summaryWindow);
        requireOrdered(start, end);
        return new Window(start, end);
    }

    private static void requireOrdered(Instant since, Instant until) {
        if (since != null && until != null && !since.isBefore(until)) {
            throw new ProblemException(Problem.invalid("since", "must be before until (since is inclusive, until"
                    + " exclusive), got since " + since + " and until " + until));
        }
    }
}
