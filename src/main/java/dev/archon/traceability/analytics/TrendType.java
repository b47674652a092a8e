package dev.archon.traceability.analytics;

/** How a pattern's use is moving over a window; {@link #of} says which, the first rule that matches wins. */
public enum TrendType {
    /** velocity <= -2 and fewer than 5 executions: it was used, and has stopped. */
    ABANDONED,
    /** fewer than 10 executions: too new (or too rare) to call. */
    EMERGING,
    /** |velocity| < 0.5 executions per bucket per bucket. */
    STABLE,
    /** velocity >= 0.5. */
    GROWING,
    /** velocity <= -0.5. */
    DECLINING;

    public static TrendType of(double velocity, long executions) {
        if (velocity <= -2 && executions < 5) {
            return ABANDONED;
        }
        if (executions < 10) {
            return EMERGING;
        }
        if (Math.abs(velocity) < 0.5) {
            return STABLE;
        }
        return velocity > 0 ? GROWING : DECLINING;
    }
}
